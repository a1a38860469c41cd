"""上级交办 pages: the city office's coverage page (confirm, link, add — htmx in place), the province's
roll-up of its cities, and a city's dashboard read-only for the province.  Writes go through
``duban.web.services.cascade``; standing comes from ``services.overview``."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST

from duban import vocab
from duban.errors import DubanError
from duban.web.forms import CoverageAddForm, CoverageDecideForm, CoverageLinkForm, CoverageYearForm
from duban.web.models import ParentTask, Plan, Task
from duban.web.services import cascade
from duban.web.services.overview import overview
from duban.web.views import common
from duban.web.views.common import page
from duban.web.views.supervision import _bars


def _year(request, government) -> int:
    form = CoverageYearForm(request.GET)
    if form.is_valid() and form.cleaned_data["year"]:
        return form.cleaned_data["year"]
    years = cascade.years_of(government)
    return years[0] if years else common.today().year


def _office(request):
    actor = request.actor
    actor.require(actor.is_office, "上级交办任务只对督查人员开放")
    return actor, actor.membership.government


def _counts(rows) -> list[tuple[str, str, str, int]]:
    return [(w.key, w.label, w.colour, sum(r.state == w.key for r in rows)) for w in vocab.COVERAGE_STATES.words]


# --- the city office's coverage page -------------------------------------------------------------------


def _row_context(government, row, year, error=None, editing=""):
    own = Task.objects.filter(plan__government=government, plan__year=year).select_related("plan")
    return {
        "row": row,
        "year": year,
        "error": error,
        "editing": editing,
        "own_tasks": own,
        "own_plans": Plan.objects.filter(government=government, year=year),
        "units": government.units.all(),
        "linked_ids": {link.task_id for link in row.links},
    }


def _row_of(government, parent_task: ParentTask):
    year = parent_task.task.plan.year
    return next(r for r in cascade.coverage_of(government, year) if r.parent_task.pk == parent_task.pk), year


def _row_html(request, government, parent_task, error=None, editing=""):
    row, year = _row_of(government, parent_task)
    return render_to_string(
        "duban/partials/coverage_row.html", _row_context(government, row, year, error, editing), request
    )


@page
def coverage(request):
    actor, government = _office(request)
    year = _year(request, government)
    rows = cascade.coverage_of(government, year)
    return render(
        request,
        "duban/coverage.html",
        {
            "government": government,
            "year": year,
            "years": cascade.years_of(government),
            "rows": [_row_context(government, r, year) for r in rows],
            "counts": _counts(rows),
            "plans": Plan.objects.filter(government=government, year=year),
        },
    )


@page
def coverage_row(request, parent_task_id):
    """One 上级交办 task's block, optionally with its link or add form open (?edit=link|add)."""
    actor, government = _office(request)
    parent_task = actor.parent_task(parent_task_id)
    editing = request.GET.get("edit", "")
    return HttpResponse(
        _row_html(request, government, parent_task, editing=editing if editing in ("link", "add") else "")
    )


def _answer(request, government, parent_task, done: str, error: str | None = None, editing=""):
    if not request.htmx:
        (messages.error if error else messages.success)(request, error or done)
        return redirect(reverse("coverage") + f"?year={parent_task.task.plan.year}#pt-{parent_task.pk}")
    return HttpResponse(
        _row_html(request, government, parent_task, error=error, editing=editing), status=422 if error else 200
    )


@require_POST
@page
def coverage_decide(request, link_id, decision):
    actor, government = _office(request)
    link = actor.coverage_link(link_id)
    form = CoverageDecideForm(request.POST)
    try:
        if not form.is_valid():
            raise DubanError(form.first_error())
        seen = form.cleaned_data["seen"] or None
        if decision == "confirm":
            cascade.confirm(link, user=request.user, seen=seen)
        else:
            cascade.reject(link, user=request.user, seen=seen)
    except DubanError as exc:
        return _answer(request, government, link.parent_task, "", str(exc))
    said = "已确认承接" if decision == "confirm" else "已标为不承接"
    return _answer(request, government, link.parent_task, f"任务{link.task.number}{said}")


@require_POST
@page
def coverage_link(request, parent_task_id):
    actor, government = _office(request)
    parent_task = actor.parent_task(parent_task_id)
    own = Task.objects.filter(plan__government=government, plan__year=parent_task.task.plan.year)
    form = CoverageLinkForm(request.POST, tasks=own)
    try:
        if not form.is_valid():
            raise DubanError(form.first_error())
        task = form.cleaned_data["task"]
        cascade.link_task(parent_task, task, user=request.user)
    except DubanError as exc:
        return _answer(request, government, parent_task, "", str(exc), editing="link")
    return _answer(request, government, parent_task, f"已关联任务{task.number}")


@require_POST
@page
def coverage_add(request, parent_task_id):
    actor, government = _office(request)
    parent_task = actor.parent_task(parent_task_id)
    form = CoverageAddForm(
        request.POST,
        plans=Plan.objects.filter(government=government, year=parent_task.task.plan.year),
        units=government.units.all(),
    )
    try:
        if not form.is_valid():
            raise DubanError(form.first_error())
        d = form.cleaned_data
        task = cascade.add_task(parent_task, d["plan"], text=d["text"], unit=d["unit"], user=request.user)
    except DubanError as exc:
        return _answer(request, government, parent_task, "", str(exc), editing="add")
    return _answer(request, government, parent_task, f"已新增任务{task.number}承接上级任务")


@require_POST
@page
def coverage_suggest(request):
    """Pair again: after the plan's tasks were edited, the suggestions follow (decisions stay)."""
    actor, government = _office(request)
    form = CoverageYearForm(request.POST)
    if not form.is_valid() or not form.cleaned_data["year"]:
        messages.error(request, form.first_error() if form.errors else "年度：请选择年度")
        return redirect("coverage")
    year = form.cleaned_data["year"]
    n = cascade.suggest_links(government, year, user=request.user)
    messages.success(request, f"已重新配对：建议承接 {n} 条")
    return redirect(reverse("coverage") + f"?year={year}")


# --- the province: its cities, read only --------------------------------------------------------------


@page
def rollup(request):
    actor, government = _office(request)
    # The roll-up's years are those of the province's own published plans, latest first.
    years = sorted(set(government.plans.filter(status=Plan.PUBLISHED).values_list("year", flat=True)), reverse=True)
    form = CoverageYearForm(request.GET)
    chosen = form.cleaned_data["year"] if form.is_valid() else None
    year = chosen or (years[0] if years else common.today().year)
    cities = cascade.rollup(government, year, common.today())
    return render(
        request,
        "duban/rollup.html",
        {
            "government": government,
            "year": year,
            "years": years,
            "cities": cities,
            "states": vocab.TASK_STATES.words,
            "coverage_states": vocab.COVERAGE_STATES.words,
        },
    )


@page
def city_view(request, plan_id):
    """A city's published plan as its own office sees the dashboard's counts and tasks — to read only."""
    actor = request.actor
    actor.require(actor.is_office, "下级政府的总览只对上级督查人员开放")
    plan = actor.below_plan(plan_id)
    data = overview(plan, common.today(), Task.objects.filter(plan=plan))
    rows = cascade.coverage_of(plan.government, plan.year)
    mine = [r for r in rows if r.task.plan.government_id == actor.government_id]
    return render(
        request,
        "duban/city_view.html",
        {
            "plan": plan,
            "data": data,
            "overall": _bars(data.by_status),
            "sections": [(sec, _bars(c), sum(c.values())) for sec, c in data.by_section.items()],
            "coverage_rows": mine,
            "counts": _counts(mine),
            "today": common.today(),
            "missing_label": vocab.TIMELINESS.label(vocab.MISSING),
        },
    )
