"""The review page of a draft and the amend page of a published plan: one page, updated in place.

Each task row, its units, the plan's title and 文号 and each reporting round are
edited where they stand (htmx): a change answers with the rows it changed, the
numbers that moved and, on a published plan, the revision list — never the whole
page.  Without JavaScript the same forms post and come back to the page.

Inputs go through the forms below; writes are ``duban.web.services.amend``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from duban.errors import DubanError
from duban.web.forms import (
    AmendmentForm,
    MoveForm,
    PlanHeaderForm,
    RoundForm,
    TaskTextForm,
    UnitsForm,
)
from duban.web.models import ROLES, Assignment, ReportingRound, Task
from duban.web.services import amend
from duban.web.views.common import page
from duban.web.views.task_rows import task_rows, units_cell

REVISIONS_SHOWN = 30
# The review page shows this many tasks at a time: every notice read so far fits on one page (Henan's has
# 148), a province's plan with its cities' cascaded tasks (6,000) is 20 pages of about 280 KB, not 5.6 MB.
REVIEW_TASKS_PER_PAGE = 300


# --- context and fragments ----------------------------------------------------------------------------


def _plan(request, plan_id):
    actor = request.actor
    actor.require(actor.is_office, "只有督查人员可以核对和修订计划")
    return actor.plan(plan_id)


def _task(request, plan_id, task_id):
    plan = _plan(request, plan_id)
    task = Task.objects.filter(plan=plan, pk=task_id).select_related("section").first()
    if task is None:
        raise Http404
    return plan, task


def _base(plan) -> str:
    return reverse("plan_review", args=[plan.pk]).removesuffix("review/") + "tasks/"


def _row_context(plan, **extra) -> dict:
    return {"plan": plan, "base": _base(plan), "roles": ROLES, **extra}


def _rows_html(request, plan, tasks) -> str:
    tasks = Task.objects.filter(pk__in=[t.pk for t in tasks]).select_related("section").prefetch_related("assignments")
    return task_rows(tasks.order_by("order"), _base(plan), sections=False, draft=not plan.is_published)


def _oob(request, plan, change: amend.Change) -> str:
    """The numbers that moved and the new revision, swapped out of band.

    Each kind in its own ``<template>``: next to table rows a bare element would be parsed into the table.
    """
    shown = {t.pk for t in change.tasks}
    numbers = "".join(
        f'<span id="num-{pk}" hx-swap-oob="true">{escape(number)}</span>'
        for pk, number in change.renumbered.items()
        if pk not in shown
    )
    return (f"<template>{numbers}</template>" if numbers else "") + _revision_oob(request, plan, change.revision)


def _revision_oob(request, plan, revision) -> str:
    """A new revision on top of the page's list, and the count; the first one brings the whole list."""
    if revision is None:
        return ""
    if revision.number == 1:
        section = render_to_string(
            "duban/partials/revisions.html", {"plan": revision.plan, "revisions": [revision], "oob": True}, request
        )
        return f"<template>{section}</template>"
    at = timezone.localtime(revision.at).strftime("%Y-%m-%d %H:%M")
    cells = [f"第 {revision.number} 次", at, revision.username, revision.summary, revision.reason]
    row = '<tr class="revision">' + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>"
    return (
        f'<template><span id="revision-count" hx-swap-oob="true">（共 {revision.number} 次）</span></template>'
        f'<template><tbody hx-swap-oob="afterbegin:#revision-rows">{row}</tbody></template>'
    )


def _refuse(request, exc: DubanError, target: str, html_of) -> HttpResponse:
    """An htmx refusal redraws the form it came from with the sentence; otherwise back to the page."""
    status = 409 if isinstance(exc, amend.StaleEdit) else 422
    response = HttpResponse(html_of(str(exc)), status=status)
    response["HX-Retarget"] = target
    response["HX-Reswap"] = "outerHTML"
    return response


def _back(request, plan, anchor: str = "") -> HttpResponse:
    return redirect(reverse("plan_review", args=[plan.pk]) + anchor)


# --- the page -----------------------------------------------------------------------------------------


@page
def plan_review(request, plan_id):
    """The plan's tasks with their units, to review and amend: a page of them at a time (a notice fits on one;
    a plan with its cascaded tasks does not), the match counts of the whole plan."""
    plan = _plan(request, plan_id)
    tasks = plan.tasks.select_related("section").prefetch_related("assignments").order_by("order", "id")
    shown = Paginator(tasks, REVIEW_TASKS_PER_PAGE).get_page(request.GET.get("page"))
    counts = dict(Assignment.objects.filter(task__plan=plan).order_by().values_list("match").annotate(n=Count("id")))
    context = _row_context(
        plan,
        rows=task_rows(shown.object_list, _base(plan), sections=True, draft=not plan.is_published),
        shown=shown,
        task_count=shown.paginator.count,
        counts=counts,
        unit_names=list(plan.government.units.values_list("name", flat=True)),
        schedule=[
            dict(item, label=dict(ReportingRound.KINDS).get(item.get("what"), item.get("what")))
            for item in plan.schedule
        ],
        revisions=amend.revisions(plan)[:REVISIONS_SHOWN] if plan.is_published else [],
    )
    return render(request, "duban/review.html", context)


@page
def plan_header(request, plan_id):
    plan = _plan(request, plan_id)

    def html(error=None, editing=True, form_data=None):
        return render_to_string(
            "duban/partials/plan_header.html",
            {"plan": plan, "editing": editing, "error": error, "data": form_data},
            request,
        )

    if request.method != "POST":
        return HttpResponse(html(editing=request.GET.get("edit") == "1"))
    form = PlanHeaderForm(request.POST)
    try:
        if not form.is_valid():
            raise DubanError(form.first_error())
        d = form.cleaned_data
        revision = amend.edit_plan(
            plan,
            title=d["title"],
            doc_number=d["doc_number"],
            seen=(d["seen_title"], d["seen_doc_number"]) if d["seen_title"] else None,
            reason=d["reason"],
            user=request.user,
        )
    except DubanError as exc:
        if not request.htmx:
            messages.error(request, str(exc))
            return _back(request, plan)
        return _refuse(request, exc, "#plan-header", lambda e: html(error=e, form_data=request.POST))
    plan.refresh_from_db()
    if not request.htmx:
        messages.success(request, "标题和文号已修改")
        return _back(request, plan)
    return HttpResponse(html(editing=False) + _revision_oob(request, plan, revision))


@page
def task_tools(request, plan_id, task_id):
    """The edit, split, merge and move forms of one task, fetched when the office opens them."""
    plan, task = _task(request, plan_id, task_id)
    return render(
        request, "duban/partials/task_tools.html", _row_context(plan, task=task, sections=plan.sections.all())
    )


@page
def task_row(request, plan_id, task_id):
    plan, task = _task(request, plan_id, task_id)
    return HttpResponse(_rows_html(request, plan, [task]))


@page
def task_edit(request, plan_id, task_id):
    """Edit or split (blank line), merge into the previous task, or move a task."""
    plan, task = _task(request, plan_id, task_id)
    if request.method != "POST":
        return _back(request, plan, f"#task-{task.pk}")
    action = request.POST.get("action")
    forms_by_action = {"text": TaskTextForm, "merge": AmendmentForm, "move": MoveForm}
    try:
        if action not in forms_by_action:
            raise DubanError("未知操作")
        form_class = forms_by_action[action]
        form = form_class(request.POST, plan=plan) if form_class is MoveForm else form_class(request.POST)
        if not form.is_valid():
            raise DubanError(form.first_error())
        d = form.cleaned_data
        common = {"version": d["version"], "reason": d["reason"], "user": request.user}
        if action == "text":
            change = amend.edit_task(task, text=d["text"], deadline=d["deadline"], **common)
            note = f"已拆分为 {len(change.tasks)} 项任务" if len(change.tasks) > 1 else "已保存"
        elif action == "merge":
            change = amend.merge_into_previous(task, **common)
            note = f"已并入第 {change.tasks[0].number} 项"
        else:
            change = amend.move_task(task, d["section"], **common)
            note = f"已移到“{d['section'].title}”下"
    except DubanError as exc:
        if not request.htmx:
            messages.error(request, str(exc))
            return _back(request, plan, f"#task-{task.pk}")
        return _refuse(
            request,
            exc,
            f"#tools-{task.pk}",
            lambda e: render_to_string(
                "duban/partials/task_tools.html",
                _row_context(plan, task=task, sections=plan.sections.all(), error=e, data=request.POST),
                request,
            ),
        )
    if not request.htmx:
        messages.success(request, note)
        return _back(request, plan, f"#task-{change.tasks[0].pk}")
    if action == "move":
        # A row changing place: the table body again (its headings follow the tasks), in place.
        tasks = plan.tasks.select_related("section").prefetch_related("assignments")
        body = task_rows(tasks, _base(plan), sections=True, draft=not plan.is_published)
        response = HttpResponse(body + _revision_oob(request, plan, change.revision))
        response["HX-Retarget"] = "#tasks-body"
        response["HX-Reswap"] = "innerHTML"
        return response
    if action == "merge":
        previous = change.tasks[0]
        rows = _rows_html(request, plan, [previous]).replace(
            f'<tr id="task-{previous.pk}"', f'<tr id="task-{previous.pk}" hx-swap-oob="true"', 1
        )
        response = HttpResponse(f"<template>{rows}</template>{_oob(request, plan, change)}")
        response["HX-Reswap"] = "delete"
        return response
    return HttpResponse(_rows_html(request, plan, change.tasks) + _oob(request, plan, change))


@page
def task_units(request, plan_id, task_id):
    plan, task = _task(request, plan_id, task_id)

    def html(editing, error=None, rows=None, reason=""):
        if not editing:
            return units_cell(task, _base(plan), not plan.is_published)
        context = _row_context(plan, task=task, error=error, rows=rows, reason=reason)
        return render_to_string("duban/partials/task_units.html", context, request)

    if request.method != "POST":
        return HttpResponse(html(request.GET.get("edit") == "1"))
    form = UnitsForm(request.POST)
    try:
        if not form.is_valid():
            raise DubanError(form.first_error())
        d = form.cleaned_data
        rows = d["rows"]
        if d["lead"]:  # the candidate leads; the units already there support it
            rows = [(d["lead"], "lead")] + [
                (a.unit_name, "support") for a in task.assignments.all() if a.unit_name != d["lead"]
            ]
        change = amend.set_units(task, rows, version=d["version"], reason=d["reason"], user=request.user)
    except DubanError as exc:
        if not request.htmx:
            messages.error(request, str(exc))
            return _back(request, plan, f"#task-{task.pk}")
        typed = list(zip(request.POST.getlist("unit"), request.POST.getlist("role")))
        reason = request.POST.get("reason", "")
        return _refuse(request, exc, f"#units-{task.pk}", lambda e: html(True, error=e, rows=typed, reason=reason))
    if not request.htmx:
        return _back(request, plan, f"#task-{task.pk}")
    task = Task.objects.prefetch_related("assignments").get(pk=task.pk)
    response = HttpResponse(html(False) + _oob(request, plan, amend.Change(revision=change.revision)))
    if change.reranked:
        response["HX-Refresh"] = "true"  # the tasks not yet reviewed were re-ranked: show them anew
    return response


# --- reporting rounds ---------------------------------------------------------------------------------


def _rounds_html(request, plan, error=None, error_round=None) -> str:
    return render_to_string(
        "duban/partials/rounds.html",
        {
            "plan": plan,
            "rounds": plan.rounds.all(),
            "kinds": ReportingRound.KINDS,
            "error": error,
            "error_round": error_round,
        },
        request,
    )


@page
def rounds(request, plan_id):
    """The reporting schedule: edit a round, add one, delete one nobody has reported for."""
    plan = _plan(request, plan_id)
    if request.method != "POST":
        return render(request, "duban/rounds.html", {"plan": plan, "rounds_html": _rounds_html(request, plan)})
    action = request.POST.get("action")
    rnd = None
    try:
        if action in ("edit", "delete"):
            picked = request.POST.get("round", "")
            rnd = ReportingRound.objects.filter(plan=plan, pk=int(picked)).first() if picked.isdigit() else None
            if rnd is None:
                raise amend.StaleEdit("这个报送轮次已被删除，请刷新页面")
        if action == "delete":
            form = AmendmentForm(request.POST)
            if not form.is_valid():
                raise DubanError(form.first_error())
            amend.delete_round(rnd, reason=form.cleaned_data["reason"], user=request.user)
            note = "报送轮次已删除"
        elif action in ("edit", "add"):
            form = RoundForm(request.POST)
            if not form.is_valid():
                raise DubanError(form.first_error())
            d = form.cleaned_data
            fields = {"kind": d["kind"], "title": d["title"], "due": d["due"], "reason": d["reason"]}
            if action == "add":
                amend.add_round(plan, user=request.user, **fields)
                note = "报送轮次已新增"
            else:
                seen = {"kind": d["seen_kind"], "title": d["seen_title"], "due": d["seen_due"]}
                amend.edit_round(rnd, seen={k: v for k, v in seen.items() if v}, user=request.user, **fields)
                note = "报送轮次已保存"
        else:
            raise DubanError("未知操作")
    except DubanError as exc:
        if not request.htmx:
            messages.error(request, str(exc))
            return redirect("rounds", plan.pk)
        status = 409 if isinstance(exc, amend.StaleEdit) else 422
        return HttpResponse(_rounds_html(request, plan, str(exc), rnd.pk if rnd else "new"), status=status)
    if not request.htmx:
        messages.success(request, note)
        return redirect("rounds", plan.pk)
    return HttpResponse(_rounds_html(request, plan))
