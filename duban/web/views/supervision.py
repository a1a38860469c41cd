"""The supervision office's and leaders' pages: dashboard, urging,
inspections, change requests, the report queue and the audit log."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from duban.errors import DubanError
from duban.track import COLOURS
from duban.web.forms import (
    ID_MAX,
    AuditFilterForm,
    ChangeDecisionForm,
    DashboardFilterForm,
    FindingForm,
    InspectionForm,
    ReportQueueForm,
    UrgeForm,
)
from duban.web.models import (
    AuditEvent,
    ChangeRequest,
    Inspection,
    ProgressReport,
    Urge,
)
from duban.web.services import ledgers as ledger_service
from duban.web.services import plan_choice
from duban.web.services import supervision as supervision_service
from duban.web.services.overview import SHOWN, STATUS_ORDER, Overview, overview
from duban.web.views.common import page, today

# The dashboard lists this many late reports (missing ones first) and lagging tasks; the rest are one click away.
LATE_SHOWN = SHOWN
# Pages of the dashboard's lists: a screenful each, so a 6,000-task plan renders what a 300-task one does.
TASKS_PER_PAGE = 100
UNITS_PER_PAGE = 20
SECTIONS_PER_PAGE = 20
REPORTS_PER_PAGE = 100


def _overseen_plan(actor, plan_id, why: str = "没有权限"):
    """A plan whose supervision pages this user may read: the office's and the leaders', nobody else's.

    The role is checked before the plan is looked up, so a unit user is refused rather than told there is no plan.
    """
    actor.require(actor.is_office or actor.is_leader, why)
    return actor.plan(plan_id)


def _bars(counter) -> list[dict]:
    total = sum(counter.values()) or 1
    return [
        {
            "status": s,
            "label": COLOURS[s][0],
            "colour": COLOURS[s][1],
            "n": counter.get(s, 0),
            "pct": 100 * counter.get(s, 0) / total,
        }
        for s in STATUS_ORDER
    ]


def _page(items, number, size):
    """One page of ``items`` (out-of-range numbers give the last page, never an error)."""
    return Paginator(items, size).get_page(number)


def _shown(page_):
    """A page of task rows with their stored tasks read, in one query."""
    if page_ is not None:
        page_.object_list = Overview.attach(page_.object_list)
    return page_


@page
def dashboard(request, plan_id):
    """Counts, the lagging and late lists, and the tasks folded by section: a section's tasks come on demand
    (``dashboard_section``) and a filter (?section=, ?unit=, ?status=) shows its matching tasks a page at a time,
    so the page costs what it shows, not what the plan holds."""
    actor = request.actor
    plan = _overseen_plan(actor, plan_id, "总览只对督查人员和市领导开放")
    if not plan.is_published:
        return redirect("plan_review", plan.pk)
    chosen = DashboardFilterForm(request.GET).filters()
    section, unit, status = chosen["section"], chosen["unit"], chosen["status"]
    show_all_late, show_all_lagging = chosen["late"] == "all", chosen["lagging"] == "all"
    filtered = bool(section or unit or status)
    # Unfiltered, the page shows the account's counts and the head of each list: only that part is read back.
    data = overview(plan, today(), actor.tasks(plan), whole=filtered or show_all_late or show_all_lagging)
    counts = data.account.counts
    rows = _shown(_page(data.select(section, unit, status), chosen["page"], TASKS_PER_PAGE)) if filtered else None
    # Only the page of sections shown is read from the database; the counts are the account's.
    sections = _page(list(data.by_section.items()), chosen["sections_page"], SECTIONS_PER_PAGE)
    stored = Overview.sections(sid for sid, _ in sections.object_list)
    sections.object_list = [(stored.get(sid), _bars(c), sum(c.values())) for sid, c in sections.object_list]
    units = [(name, [(st, c.get(st, 0)) for st in STATUS_ORDER], sum(c.values())) for name, c in data.by_unit.items()]
    query = request.GET.copy()
    # The whole lists (?late=all, ?lagging=all) come a page at a time: 11,000 late obligations of a 6,000-task
    # plan at the year's end are 5 MB of HTML on one page.
    if show_all_late:
        late = _page(data.account.late, chosen["late_page"], TASKS_PER_PAGE)
        late.object_list = data.as_late(late.object_list)
    else:
        late = data.late_reports(LATE_SHOWN)
    if show_all_lagging:
        lagging = _shown(_page(data.lagging, chosen["lagging_page"], TASKS_PER_PAGE))
    else:
        lagging = Overview.attach(data.lagging[:LATE_SHOWN])
    return render(
        request,
        "duban/dashboard.html",
        {
            "plan": plan,
            "switch": plan_choice.switch(actor.plans().filter(status=plan.PUBLISHED), plan, "dashboard"),
            "data": data,
            "rows": rows,
            "filtered": filtered,
            "overall": _bars(data.by_status),
            "sections": sections,
            "units": _page(units, chosen["units_page"], UNITS_PER_PAGE),
            "statuses": [(s, COLOURS[s][0]) for s in STATUS_ORDER],
            "filters": {"section": section, "unit": unit, "status": status},
            "query": {
                k: _without(query, k) for k in ("page", "units_page", "sections_page", "late_page", "lagging_page")
            },
            "late": late,
            "late_count": counts["late"],
            "missing_count": counts["missing"],
            "lagging": lagging,
            "lagging_count": counts["lagging"],
            "lagging_hidden": 0 if show_all_lagging else max(0, counts["lagging"] - LATE_SHOWN),
            "late_hidden": 0 if show_all_late else max(0, counts["late"] - LATE_SHOWN),
            "returned": data.returned[:LATE_SHOWN],
            "returned_count": counts["returned"],
            "today": today(),
            "read_only": not actor.is_office,
            "urge_url": reverse("urge", args=[plan.pk]),
        },
    )


def _without(query, key) -> str:
    """The current address's query without ``key``, ready for ``?{{ that }}&key=n``."""
    q = query.copy()
    q.pop(key, None)
    return q.urlencode()


@page
def dashboard_section(request, plan_id, section_id):
    """One section's task rows for the folded dashboard (htmx), read with the dashboard's own access rule:
    only the tasks this user may see, and a section with none of them is not there (404)."""
    actor = request.actor
    plan = _overseen_plan(actor, plan_id, "总览只对督查人员和市领导开放")
    if section_id > ID_MAX:
        raise Http404
    visible = actor.tasks(plan)
    if not plan.is_published or not visible.filter(section_id=section_id).exists():
        raise Http404
    chosen = DashboardFilterForm(request.GET).filters()
    # The rows of the section, read off the account of everything this user sees (the dashboard's, kept).
    rows = _shown(_page(overview(plan, today(), visible).select(section=section_id), chosen["page"], TASKS_PER_PAGE))
    return render(request, "duban/partials/section_tasks.html", {"plan": plan, "rows": rows, "section_id": section_id})


@require_POST
@page
def urge(request, plan_id):
    actor = request.actor
    actor.require(actor.is_office, "只有督查人员可以催办")
    plan = actor.plan(plan_id)
    form = UrgeForm(request.POST, plan=plan)
    if not form.is_valid():
        messages.error(request, form.first_error())
        return redirect("dashboard", plan.pk)
    data = form.cleaned_data
    supervision_service.urge(
        plan, data["unit"], task=data["task"], rnd=data["round"], message=data["message"], user=request.user
    )
    messages.success(request, f"已向{data['unit'].name}发出催办")
    return redirect("dashboard", plan.pk)


@page
def urges(request, plan_id):
    actor = request.actor
    plan = _overseen_plan(actor, plan_id)
    return render(
        request,
        "duban/urges.html",
        {"plan": plan, "urges": Urge.objects.filter(plan=plan).select_related("unit", "task", "round", "created_by")},
    )


@page
def report_queue(request, plan_id):
    actor = request.actor
    plan = _overseen_plan(actor, plan_id)
    queue = ReportQueueForm(request.GET)
    state = (queue.cleaned_data.get("state") if queue.is_valid() else None) or ProgressReport.SUBMITTED
    reports = actor.reports().filter(task__plan=plan, state=state).select_related("task", "unit", "round")
    shown = _page(reports.order_by("id"), request.GET.get("page"), REPORTS_PER_PAGE)
    return render(
        request,
        "duban/report_queue.html",
        {
            "plan": plan,
            "reports": shown,
            "state": state,
            "states": ProgressReport.STATES,
            "query": _without(request.GET.copy(), "page"),
        },
    )


@page
def inspections(request, plan_id):
    actor = request.actor
    plan = _overseen_plan(actor, plan_id)
    if request.method == "POST":
        actor.require(actor.is_office, "只有督查人员可以记录督查")
        form = InspectionForm(request.POST)
        if not form.is_valid():
            messages.error(request, form.first_error())
        else:
            data = form.cleaned_data
            supervision_service.record_inspection(
                plan, data["kind"], data["title"], data["held_on"] or today(), data["notes"], user=request.user
            )
            messages.success(request, "督查已记录")
        return redirect("inspections", plan.pk)
    return render(
        request,
        "duban/inspections.html",
        {
            "plan": plan,
            "inspections": plan.inspections.prefetch_related("findings__task", "findings__unit"),
            "kinds": Inspection.KINDS,
            "tasks": actor.tasks(plan).only("id", "number", "text"),
            "today": today(),
        },
    )


@require_POST
@page
def finding_add(request, plan_id, inspection_id):
    actor = request.actor
    actor.require(actor.is_office, "只有督查人员可以记录督查发现")
    plan = actor.plan(plan_id)
    ins = Inspection.objects.filter(plan=plan, pk=inspection_id).first()
    if ins is None:
        raise Http404
    form = FindingForm(request.POST, plan=plan)
    if not form.is_valid():
        messages.error(request, form.first_error())
    else:
        supervision_service.add_finding(ins, form.cleaned_data["task"], form.cleaned_data["text"], user=request.user)
        messages.success(request, "已记录")
    return redirect("inspections", plan.pk)


@page
def changes(request, plan_id):
    actor = request.actor
    plan = _overseen_plan(actor, plan_id)
    items = ChangeRequest.objects.filter(task__in=actor.tasks(plan)).select_related(
        "task", "unit", "decided_by", "milestone"
    )
    items = items.prefetch_related("revisions")
    return render(request, "duban/changes.html", {"plan": plan, "changes": items})


@require_POST
@page
def change_decide(request, change_id):
    actor = request.actor
    actor.require(actor.is_office, "只有督查人员可以审批")
    cr = ChangeRequest.objects.filter(pk=change_id, task__in=actor.tasks()).select_related("task").first()
    if cr is None:
        raise Http404
    form = ChangeDecisionForm(request.POST)
    if cr.state != ChangeRequest.PENDING:
        messages.error(request, "这项申请已处理")
        return redirect("changes", cr.task.plan_id)
    if not form.is_valid():
        messages.error(request, form.first_error())
        return redirect("changes", cr.task.plan_id)
    try:
        ledger_service.decide(cr, form.cleaned_data["decision"], form.cleaned_data["comment"], user=request.user)
    except DubanError as exc:
        messages.error(request, str(exc))
        return redirect("changes", cr.task.plan_id)
    messages.success(request, "已处理")
    return redirect("changes", cr.task.plan_id)


@page
def audit_log(request):
    actor = request.actor
    actor.require(actor.is_office, "审计日志只对督查人员和管理员开放")
    events = AuditEvent.objects.filter(government_id=actor.government_id)
    chosen = AuditFilterForm(request.GET)
    action = chosen.cleaned_data.get("action") if chosen.is_valid() else None
    if action:
        events = events.filter(action=action)
    return render(request, "duban/audit.html", {"events": events[:500], "action": action})
