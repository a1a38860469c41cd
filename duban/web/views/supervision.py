"""The supervision office's and leaders' pages: dashboard, urging,
inspections, change requests, the report queue and the audit log."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from duban.errors import DubanError
from duban.track import COLOURS
from duban.web import audit
from duban.web.models import (
    AuditEvent,
    ChangeRequest,
    Finding,
    Inspection,
    ProgressReport,
    ReportingRound,
    Unit,
    Urge,
)
from duban.web.services import ledgers as ledger_service
from duban.web.services.overview import STATUS_ORDER, overview
from duban.web.views.common import page, today

# The dashboard lists this many late reports (missing ones first) and lagging tasks; the rest are one click away.
LATE_SHOWN = 100


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


@page
def dashboard(request, plan_id):
    actor = request.actor
    plan = _overseen_plan(actor, plan_id, "总览只对督查人员和市领导开放")
    if not plan.is_published:
        return redirect("plan_review", plan.pk)
    data = overview(plan, today(), actor.tasks(plan))
    rows = data.rows
    section = request.GET.get("section")
    unit = request.GET.get("unit")
    status = request.GET.get("status")
    if section:
        rows = [r for r in rows if str(r.task.section_id) == section]
    if unit:
        rows = [r for r in rows if unit in r.leads]
    if status:
        rows = [r for r in rows if r.state.status == status]
    return render(
        request,
        "duban/dashboard.html",
        {
            "plan": plan,
            "data": data,
            "rows": rows,
            "overall": _bars(data.by_status),
            "sections": [(sec, _bars(c), sum(c.values())) for sec, c in data.by_section.items()],
            "units": [
                (name, [(st, c.get(st, 0)) for st in STATUS_ORDER], sum(c.values()))
                for name, c in list(data.by_unit.items())[:200]
            ],
            "statuses": [(s, COLOURS[s][0]) for s in STATUS_ORDER],
            "filters": {"section": section, "unit": unit, "status": status},
            "late": data.late if request.GET.get("late") == "all" else data.late[:LATE_SHOWN],
            "lagging": data.lagging if request.GET.get("lagging") == "all" else data.lagging[:LATE_SHOWN],
            "lagging_hidden": 0 if request.GET.get("lagging") == "all" else max(0, len(data.lagging) - LATE_SHOWN),
            "late_hidden": 0 if request.GET.get("late") == "all" else max(0, len(data.late) - LATE_SHOWN),
            "today": today(),
            "read_only": not actor.is_office,
        },
    )


@require_POST
@page
def urge(request, plan_id):
    actor = request.actor
    actor.require(actor.is_office, "只有督查人员可以催办")
    plan = actor.plan(plan_id)
    unit = Unit.objects.filter(government=plan.government, pk=request.POST.get("unit")).first()
    if unit is None:
        raise Http404
    task = plan.tasks.filter(pk=request.POST.get("task") or None).first()
    rnd = ReportingRound.objects.filter(plan=plan, pk=request.POST.get("round") or None).first()
    message = request.POST.get("message", "").strip() or (
        f"请抓紧报送{rnd.title}" + (f"（任务 {task.number}）" if task else "") if rnd else "请加快推进并及时报送进展"
    )
    u = Urge.objects.create(plan=plan, unit=unit, task=task, round=rnd, message=message, created_by=request.user)
    audit.record(request.user, "催办", u, government=plan.government, after={"unit": unit.name, "message": message})
    messages.success(request, f"已向{unit.name}发出催办")
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
    state = request.GET.get("state") or ProgressReport.SUBMITTED
    reports = actor.reports().filter(task__plan=plan, state=state).select_related("task", "unit", "round")[:500]
    return render(
        request,
        "duban/report_queue.html",
        {"plan": plan, "reports": reports, "state": state, "states": ProgressReport.STATES},
    )


@page
def inspections(request, plan_id):
    actor = request.actor
    plan = _overseen_plan(actor, plan_id)
    if request.method == "POST":
        actor.require(actor.is_office, "只有督查人员可以记录督查")
        kind = request.POST.get("kind")
        title = request.POST.get("title", "").strip()
        held_on = request.POST.get("held_on") or str(today())
        if kind not in dict(Inspection.KINDS) or not title:
            messages.error(request, "请填写督查类型和名称")
        else:
            ins = Inspection.objects.create(
                plan=plan,
                kind=kind,
                title=title,
                held_on=held_on,
                notes=request.POST.get("notes", ""),
                created_by=request.user,
            )
            audit.record(
                request.user, "记录督查", ins, government=plan.government, after={"title": title, "kind": kind}
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
    task = plan.tasks.filter(pk=request.POST.get("task") or None).first()
    text = request.POST.get("text", "").strip()
    if ins is None or task is None:
        raise Http404
    if not text:
        messages.error(request, "请填写发现的问题")
    else:
        lead = task.assignments.filter(role__in=("lead", "responsible")).select_related("unit").first()
        Finding.objects.create(inspection=ins, task=task, unit=lead.unit if lead else None, text=text)
        audit.record(request.user, "记录督查发现", task, after={"inspection": ins.title, "text": text})
        messages.success(request, "已记录")
    return redirect("inspections", plan.pk)


@page
def changes(request, plan_id):
    actor = request.actor
    plan = _overseen_plan(actor, plan_id)
    items = ChangeRequest.objects.filter(task__in=actor.tasks(plan)).select_related(
        "task", "unit", "decided_by", "milestone"
    )
    return render(request, "duban/changes.html", {"plan": plan, "changes": items})


@require_POST
@page
def change_decide(request, change_id):
    actor = request.actor
    actor.require(actor.is_office, "只有督查人员可以审批")
    cr = ChangeRequest.objects.filter(pk=change_id, task__in=actor.tasks()).select_related("task").first()
    if cr is None:
        raise Http404
    try:
        ledger_service.decide(cr, request.POST.get("decision", ""), request.POST.get("comment", ""), request.user)
    except DubanError as exc:
        messages.error(request, "这项申请已处理" if "已处理" in str(exc) else str(exc))
        return redirect("changes", cr.task.plan_id)
    messages.success(request, "已处理")
    return redirect("changes", cr.task.plan_id)


@page
def audit_log(request):
    actor = request.actor
    actor.require(actor.is_office, "审计日志只对督查人员和管理员开放")
    events = AuditEvent.objects.filter(government_id=actor.government_id)
    action = request.GET.get("action")
    if action:
        events = events.filter(action=action)
    return render(request, "duban/audit.html", {"events": events[:500], "action": action})
