"""Importing a notice: upload → review → publish."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.db import DatabaseError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from duban.errors import DubanError
from duban.web.jobs import runner as jobs
from duban.web.jobs.uploads import refused_size_sentence
from duban.web.jobs.views import finished_response
from duban.web.models import ROLES, Plan, ReportingRound, Task
from duban.web.services import plans as plan_service
from duban.web.views.common import page, today

MATCH_HINT = {
    "exact": "精确匹配",
    "alias": "别名匹配",
    "fuzzy": "近似匹配，请核对",
    "unknown": "名录中没有，发布时新建",
    "manual": "人工指定",
}


@page
def plan_list(request):
    plans = request.actor.plans().select_related("government")
    return render(request, "duban/plan_list.html", {"plans": plans})


@page
def import_notice(request):
    actor = request.actor
    actor.require(actor.is_office, "只有督查人员可以导入通知")
    error = None
    year = request.POST.get("year") or str(today().year)
    if request.method == "POST":
        upload = request.FILES.get("notice")
        try:
            if refused_size_sentence(request):
                raise DubanError(refused_size_sentence(request))
            if upload is None:
                raise DubanError("请选择要上传的通知文件")
            try:
                year_value = int(year)
            except ValueError as exc:
                raise DubanError("年度必须是数字") from exc
            if upload.size > settings.MAX_UPLOAD_BYTES:
                raise DubanError(
                    f"文件太大（{upload.size / 1024 / 1024:.3g} MB），上传文件的上限为 "
                    f"{settings.MAX_UPLOAD_BYTES // 1024 // 1024} MB（可用环境变量 DUBAN_MAX_UPLOAD_BYTES 调高）"
                )
            data = upload.read()
            plan_service.check_upload(data, upload.name)  # refused at once, before any job is queued
            kind = "draft" if request.POST.get("kind") == "report" else "import"
            title = f"{'起草计划' if kind == 'draft' else '导入通知'}“{upload.name}”"
            params = {"government": actor.membership.government.pk, "year": year_value}
            job = jobs.wait(jobs.submit(kind, request.user, title, data, upload.name, params), jobs.WAIT_SECONDS)
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
        {"error": error, "year": year, "kind": request.POST.get("kind", "notice")},
        status=status,
    )


def _draft_plan(request, plan_id) -> Plan:
    actor = request.actor
    actor.require(actor.is_office, "只有督查人员可以核对计划")
    plan = actor.plan(plan_id)
    return plan


def _draft_task(request, plan_id, task_id) -> tuple[Plan, Task]:
    """A task of a plan under review; a task of another plan answers 404."""
    plan = _draft_plan(request, plan_id)
    task = Task.objects.filter(plan=plan, pk=task_id).first()
    if task is None:
        raise Http404
    return plan, task


@page
def plan_review(request, plan_id):
    plan = _draft_plan(request, plan_id)
    tasks = plan.tasks.select_related("section").prefetch_related("assignments")
    counts = {}
    for task in tasks:
        for a in task.assignments.all():
            counts[a.match] = counts.get(a.match, 0) + 1
    unit_names = list(plan.government.units.values_list("name", flat=True))
    return render(
        request,
        "duban/review.html",
        {
            "plan": plan,
            "tasks": tasks,
            "counts": counts,
            "unit_names": unit_names,
            "sections": plan.sections.all(),
            "schedule": [
                dict(item, label=dict(ReportingRound.KINDS).get(item.get("what"), item.get("what")))
                for item in plan.schedule
            ],
            "roles": ROLES,
            "hints": MATCH_HINT,
        },
    )


@page
def task_units(request, plan_id, task_id):
    plan, task = _draft_task(request, plan_id, task_id)
    editing = request.GET.get("edit") == "1"
    if request.method == "POST":
        if plan.is_published:
            messages.error(request, "已发布的计划不能再改责任单位")
        else:
            names = request.POST.getlist("unit")
            roles = request.POST.getlist("role")
            valid = {r for r, _ in ROLES}
            rows = [(n, r if r in valid else "responsible") for n, r in zip(names, roles) if n.strip()]
            plan_service.set_task_units(task, rows, user=request.user)
        editing = False
    context = {
        "plan": plan,
        "task": task,
        "roles": ROLES,
        "hints": MATCH_HINT,
        "editing": editing and not plan.is_published,
    }
    if request.htmx or request.method == "GET":
        return render(request, "duban/partials/task_units.html", context)
    return redirect("plan_review", plan.pk)


@require_POST
@page
def plan_publish(request, plan_id):
    plan = _draft_plan(request, plan_id)
    try:
        plan_service.publish(plan, user=request.user)
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
    from duban.web import audit

    audit.record(request.user, "放弃草稿计划", plan, after={"tasks": plan.tasks.count()})
    plan.delete()
    messages.success(request, "草稿已放弃")
    return redirect("plan_list")


@require_POST
@page
def task_edit(request, plan_id, task_id):
    """Edit, split (blank line), merge into the previous task, or move a draft task."""
    plan, task = _draft_task(request, plan_id, task_id)
    action = request.POST.get("action")
    try:
        if action == "text":
            parts = plan_service.edit_task_text(task, request.POST.get("text", ""), user=request.user)
            if len(parts) > 1:
                messages.success(request, f"已拆分为 {len(parts)} 项任务")
        elif action == "merge":
            task = plan_service.merge_with_previous(task, user=request.user)
            messages.success(request, f"已并入第 {task.number} 项")
        elif action == "move":
            section = plan.sections.filter(pk=request.POST.get("section")).first()
            if section is None:
                raise Http404
            plan_service.move_task(task, section, user=request.user)
        else:
            raise DubanError("未知操作")
    except DubanError as exc:
        messages.error(request, str(exc))
    return redirect(f"{redirect('plan_review', plan.pk).url}#task-{task.pk}")
