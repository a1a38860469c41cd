"""Year over year: a plan beside last year's of the same government and kind, as a page and as .xlsx."""

from __future__ import annotations

import io

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header

from duban.web.services import plan_choice
from duban.web.services import yoy as yoy_service
from duban.web.views.common import page

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _plan(request, plan_id):
    actor = request.actor
    actor.require(actor.is_office or actor.is_leader, "与上年对比只对督查人员和市领导开放")
    return actor.plan(plan_id)


@page
def yoy(request, plan_id):
    actor = request.actor
    plan = _plan(request, plan_id)
    if not plan.is_published:
        return redirect("plan_review", plan.pk)
    last, comparison = yoy_service.year_over_year(plan, actor)
    return render(
        request,
        "duban/yoy.html",
        {
            "plan": plan,
            "last": last,
            "c": comparison,
            "switch": plan_choice.switch(actor.plans().filter(status=plan.PUBLISHED), plan, "yoy"),
        },
    )


@page
def yoy_xlsx(request, plan_id):
    from duban.render.yoy import export_yoy_xlsx

    actor = request.actor
    plan = _plan(request, plan_id)
    last, comparison = yoy_service.year_over_year(plan, actor) if plan.is_published else (None, None)
    if comparison is None:
        return render(
            request,
            "duban/empty.html",
            {"why": f"{plan.government.name}没有{plan.year}年以前的同类计划可对比"},
            status=404,
        )
    out = io.BytesIO()
    export_yoy_xlsx(comparison, out)
    kind = plan.get_kind_display()
    name = f"{plan.government.name}{plan.year}年与{last.year}年{kind}对比.xlsx"
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
