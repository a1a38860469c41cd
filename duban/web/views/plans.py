"""Importing a notice: upload → review → publish."""

from __future__ import annotations

from django.contrib import messages
from django.db import DatabaseError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from duban.errors import DubanError
from duban.web.forms import ImportForm, TaskEditForm, TaskUnitsForm
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
    form = ImportForm(request.POST or None, request.FILES or None)
    year = form.data.get("year") or str(today().year)
    kind = "report" if form.data.get("kind") == "report" else "notice"
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise DubanError(form.first_error())
            upload, year_value = form.cleaned_data["notice"], form.cleaned_data["year"]
            government = actor.membership.government
            if kind == "report":
                document = plan_service.draft_from_report(upload.read(), upload.name, government)
            else:
                document = plan_service.read_upload(upload.read(), upload.name)
            plan = plan_service.import_document(document, government, year_value, user=request.user)
        except DubanError as exc:
            error = str(exc)
        except DatabaseError as exc:  # the transaction rolled back: nothing was stored
            error = f"导入失败，未保存任何内容：{type(exc).__name__}"
        else:
            what = "起草" if kind == "report" else "读取"
            messages.success(request, f"已{what} {plan.tasks.count()} 项任务，请核对责任单位后发布")
            return redirect("plan_review", plan.pk)
    status = 400 if error else 200
    return render(
        request,
        "duban/import.html",
        {"error": error, "year": year[:10], "kind": kind},
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
    reranked = 0
    if request.method == "POST":
        if plan.is_published:
            messages.error(request, "已发布的计划不能再改责任单位")
        else:
            form = TaskUnitsForm(request.POST)
            if form.is_valid():
                lead = form.cleaned_data["lead"]
                if lead:  # one click on a candidate: it leads, the units already there support
                    rows = [(lead, "lead")] + [
                        (a.unit_name, "support") for a in task.assignments.all() if a.unit_name != lead
                    ]
                else:
                    rows = form.cleaned_data["rows"]
                reranked = plan_service.set_task_units(task, rows, user=request.user)
                task.refresh_from_db()
            else:
                messages.error(request, form.first_error())
        editing = False
    context = {
        "plan": plan,
        "task": task,
        "roles": ROLES,
        "hints": MATCH_HINT,
        "editing": editing and not plan.is_published,
    }
    if request.htmx or request.method == "GET":
        response = render(request, "duban/partials/task_units.html", context)
        if request.method == "POST" and reranked:
            response["HX-Refresh"] = "true"  # the other tasks were re-ranked: show them anew
        return response
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
    plan_service.discard(plan, user=request.user)
    messages.success(request, "草稿已放弃")
    return redirect("plan_list")


@require_POST
@page
def task_edit(request, plan_id, task_id):
    """Edit, split (blank line), merge into the previous task, or move a draft task."""
    plan, task = _draft_task(request, plan_id, task_id)
    form = TaskEditForm(request.POST, plan=plan)
    try:
        if not form.is_valid():
            raise DubanError(form.first_error())
        action = form.cleaned_data["action"]
        if action == "text":
            parts = plan_service.edit_task_text(task, form.cleaned_data["text"], user=request.user)
            if len(parts) > 1:
                messages.success(request, f"已拆分为 {len(parts)} 项任务")
        elif action == "merge":
            task = plan_service.merge_with_previous(task, user=request.user)
            messages.success(request, f"已并入第 {task.number} 项")
        else:
            plan_service.move_task(task, form.cleaned_data["section"], user=request.user)
    except DubanError as exc:
        messages.error(request, str(exc))
    return redirect(f"{redirect('plan_review', plan.pk).url}#task-{task.pk}")
