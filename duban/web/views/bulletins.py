"""Issued bulletins (督查通报) as the units and leaders read them: a list per plan, each bulletin's
text in the page, and its .docx with the figures frozen when it was issued."""

from __future__ import annotations

from django.shortcuts import render

from duban.web.jobs import renders
from duban.web.services import plan_choice
from duban.web.services import render_data as rd
from duban.web.views.common import page
from duban.web.views.workspace import current_plan


@page
def bulletin_list(request, plan_id=None):
    actor = request.actor
    plan = actor.plan(plan_id) if plan_id else current_plan(actor)
    if plan is None:
        return render(request, "duban/empty.html", {"why": "还没有已发布的计划"})
    switch = plan_choice.switch(actor.plans().filter(status=plan.PUBLISHED), plan, "bulletin_list_plan")
    return render(
        request, "duban/bulletins.html", {"plan": plan, "bulletins": rd.issued_bulletins(plan), "switch": switch}
    )


@page
def bulletin_read(request, bulletin_id):
    from duban.render.bulletin import BulletinDraft

    bulletin = renders.issued(request.actor, bulletin_id)
    draft = BulletinDraft.from_text(bulletin.text)
    return render(
        request,
        "duban/bulletin_read.html",
        {"bulletin": bulletin, "plan": bulletin.round.plan, "draft": draft, "office": renders.signer(bulletin)},
    )


@page
def bulletin_file(request, bulletin_id):
    """The issued bulletin as .docx: its text, its 期号 and date, its charts from the frozen figures."""
    from duban.web.views.downloads import answer

    return answer(request, "issued_bulletin", bulletin_id=bulletin_id)
