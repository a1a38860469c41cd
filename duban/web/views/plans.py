"""Importing a notice: upload → review → publish."""

from __future__ import annotations

from django.contrib import messages
from django.db import DatabaseError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from duban import vocab
from duban.errors import DubanError
from duban.web.forms import ImportForm, PublishForm
from duban.web.jobs import runner as jobs
from duban.web.jobs.uploads import refused_size_sentence
from duban.web.jobs.views import finished_response
from duban.web.models import Plan
from duban.web.services import plan_choice
from duban.web.services import plans as plan_service
from duban.web.views.common import page, today


@page
def plan_list(request):
    plans = plan_choice.ordered(request.actor.plans().select_related("government"))
    return render(request, "duban/plan_list.html", {"plans": plans})


@page
def import_notice(request):
    actor = request.actor
    actor.require(actor.is_office, "只有督查人员可以导入通知")
    error = None
    form = ImportForm(request.POST or None, request.FILES or None)
    year = form.data.get("year") or str(today().year)
    kind = "report" if form.data.get("kind") == "report" else "notice"
    plan_kind = form.data.get("plan_kind") if form.data.get("plan_kind") in vocab.PLAN_KINDS else vocab.WORK_REPORT_PLAN
    if request.method == "POST":
        try:
            if refused_size_sentence(request):
                raise DubanError(refused_size_sentence(request))
            if not form.is_valid():
                raise DubanError(form.first_error())
            upload, year_value = form.cleaned_data["notice"], form.cleaned_data["year"]
            data = upload.read()
            plan_service.check_upload(data, upload.name)  # refused at once, before any job is queued
            job_kind = "draft" if kind == "report" else "import"
            title = f"{'起草计划' if job_kind == 'draft' else '导入通知'}“{upload.name}”"
            params = {
                "government": actor.membership.government.pk,
                "year": year_value,
                "plan_kind": form.cleaned_data["plan_kind"] or vocab.WORK_REPORT_PLAN,
            }
            job = jobs.wait(jobs.submit(job_kind, request.user, title, data, upload.name, params), jobs.WAIT_SECONDS)
        except DubanError as exc:
            error = str(exc)
        except DatabaseError as exc:  # the transaction rolled back: nothing was stored
            error = f"导入失败，未保存任何内容：{type(exc).__name__}"
        else:
            if not job.is_finished:
                return redirect("job", job.pk)  # a long one: its page shows the progress
            if job.status == job.DONE:
                return finished_response(request, job)
            error = job.message
    status = 400 if error else 200
    return render(
        request,
        "duban/import.html",
        {
            "error": error,
            "year": year[:10],
            "kind": kind,
            "plan_kind": plan_kind,
            "plan_kinds": vocab.PLAN_KINDS.choices,
        },
        status=status,
    )


def _draft_plan(request, plan_id) -> Plan:
    actor = request.actor
    actor.require(actor.is_office, "只有督查人员可以核对计划")
    plan = actor.plan(plan_id)
    return plan


@require_POST
@page
def plan_publish(request, plan_id):
    plan = _draft_plan(request, plan_id)
    form = PublishForm(request.POST)
    acknowledged = form.is_valid() and form.cleaned_data["issuer_ok"] == "1"
    try:
        plan_service.publish(plan, user=request.user, issuer_acknowledged=acknowledged)
    except DubanError as exc:
        messages.error(request, str(exc))
        return redirect("plan_review", plan.pk)
    messages.success(request, "计划已发布，各单位现在可以看到自己的任务")
    return redirect("dashboard", plan.pk)


@require_POST
@page
def plan_discard(request, plan_id):
    plan = _draft_plan(request, plan_id)
    if plan.is_published:
        messages.error(request, "已发布的计划不能删除")
        return redirect("dashboard", plan.pk)
    plan_service.discard(plan, user=request.user)
    messages.success(request, "草稿已放弃")
    return redirect("plan_list")
