"""A unit's workspace: its tasks by role, ledgers, reports, sign-off."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.db import transaction
from django.db.models import F
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from duban.errors import DubanError
from duban.web import audit
from duban.web.jobs.uploads import refused_size_sentence
from duban.web.models import (
    Attachment,
    ChangeRequest,
    Contribution,
    Ledger,
    Milestone,
    Plan,
    ProgressReport,
    ReportingRound,
    Unit,
    Urge,
)
from duban.web.services import reports as report_service
from duban.web.services.overview import overview
from duban.web.views.common import page, today

ROLE_TITLES = {"lead": "牵头任务", "responsible": "负责任务", "support": "配合任务", "monitor": "监测任务"}


def current_plan(actor, plan_id=None) -> Plan | None:
    plans = actor.plans().filter(status=Plan.PUBLISHED)
    if plan_id:
        return plans.filter(pk=plan_id).first()
    return plans.order_by("-year", "-id").first()


@page
def home(request):
    actor = request.actor
    if actor.is_unit:
        return redirect("workspace")
    plan = current_plan(actor)
    if actor.is_office and plan is None:
        return redirect("plan_list")
    if plan is None:
        return render(request, "duban/empty.html", {"why": "还没有已发布的计划"})
    return redirect("dashboard", plan.pk)


@page
def workspace(request, plan_id=None):
    actor = request.actor
    actor.require(actor.is_unit, "工作台只对单位用户开放")
    plan = current_plan(actor, plan_id)
    unit = actor.membership.unit
    if plan is None:
        return render(request, "duban/empty.html", {"why": "还没有已发布的计划"})
    tasks = actor.tasks(plan).select_related("section").prefetch_related("assignments__unit")
    state = {row.task.id: row.state for row in overview(plan, today(), tasks).rows}
    rounds = [r for r in plan.rounds.all() if r.kind != "plan"]
    reports = {
        (r.task_id, r.round_id): r
        for r in ProgressReport.objects.filter(task__plan=plan, unit=unit).only(
            "id", "task_id", "round_id", "state", "status"
        )
    }
    groups: dict[str, list] = {role: [] for role in ROLE_TITLES}
    for task in tasks:
        roles = {a.role for a in task.assignments.all() if a.unit_id in actor.acting_as}
        role = next(r for r in ROLE_TITLES if r in roles)
        cells = [(rnd, reports.get((task.id, rnd.id))) for rnd in rounds] if role in ("lead", "responsible") else []
        groups[role].append({"task": task, "state": state.get(task.id), "cells": cells})
    urges = Urge.objects.filter(unit=unit, plan=plan).select_related("task", "round")[:20]
    unseen = [u.pk for u in urges if u.seen_at is None]
    if unseen:
        Urge.objects.filter(pk__in=unseen).update(seen_at=timezone.now())
    awaiting = []
    if actor.role == "unit_head":
        awaiting = ProgressReport.objects.filter(unit=unit, state=ProgressReport.AWAITING_HEAD).select_related(
            "task", "round"
        )
    return render(
        request,
        "duban/workspace.html",
        {
            "plan": plan,
            "unit": unit,
            "groups": [(ROLE_TITLES[r], rows) for r, rows in groups.items() if rows],
            "rounds": rounds,
            "urges": urges,
            "unseen": set(unseen),
            "awaiting": awaiting,
            "changes": ChangeRequest.objects.filter(unit=unit, task__plan=plan).select_related("task")[:20],
        },
    )


@page
def task_detail(request, task_id):
    actor = request.actor
    task = actor.task(task_id)
    plan = task.plan
    role = actor.role_on(task)
    rounds = [r for r in plan.rounds.all() if r.kind != "plan"]
    ledger = None
    own_reports = {}
    if actor.is_unit:
        ledger = Ledger.objects.filter(task=task, unit_id=actor.unit_id).prefetch_related("milestones").first()
        own_reports = {r.round_id: r for r in ProgressReport.objects.filter(task=task, unit_id=actor.unit_id)}
    visible_reports = actor.reports().filter(task=task).select_related("unit", "round")
    contributions = Contribution.objects.filter(task=task).select_related("unit", "round")
    if actor.is_unit and role == "support":
        contributions = contributions.filter(unit_id=actor.unit_id)
    row = next(iter(overview(plan, today(), type(task).objects.filter(pk=task.pk)).rows), None)
    return render(
        request,
        "duban/task.html",
        {
            "task": task,
            "plan": plan,
            "role": role,
            "state": row.state if row else None,
            "assignments": task.assignments.select_related("unit"),
            "rounds": [(r, own_reports.get(r.id)) for r in rounds],
            "ledger": ledger,
            "can_edit_ledger": actor.can_edit_ledger(task),
            "can_contribute": actor.can_contribute(task),
            "reports": visible_reports if not actor.is_unit else [],
            "ledgers": Ledger.objects.filter(task=task).select_related("unit").prefetch_related("milestones")
            if not actor.is_unit
            else [],
            "contributions": contributions,
            "findings": task.findings.select_related("inspection", "unit"),
            "changes": task.change_requests.filter(unit_id=actor.unit_id)
            if actor.is_unit
            else task.change_requests.all(),
        },
    )


def _parse_date(text: str) -> date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise DubanError(f"日期“{text}”格式不对，请用 2026-06-30 这样的格式") from exc


@page
def ledger_edit(request, task_id):
    actor = request.actor
    task = actor.task(task_id)
    actor.require(actor.can_edit_ledger(task), "只有牵头或负责单位可以填写台账")
    ledger, _ = Ledger.objects.get_or_create(task=task, unit_id=actor.unit_id)
    error = None
    if request.method == "POST":
        try:
            version = int(request.POST.get("version", "0"))
            titles = request.POST.getlist("m_title")
            dues = request.POST.getlist("m_due")
            done = set(request.POST.getlist("m_done"))
            rows = [
                (t.strip(), _parse_date(d), str(i) in done) for i, (t, d) in enumerate(zip(titles, dues)) if t.strip()
            ]
            fields = {
                k: request.POST.get(k, "").strip()
                for k in ("measures", "safeguards", "responsible_leader", "responsible_person")
            }
            before = audit.snapshot(ledger, list(fields))
            before["milestones"] = [(m.title, str(m.due), m.done) for m in ledger.milestones.all()]
            with transaction.atomic():
                updated = Ledger.objects.filter(pk=ledger.pk, version=version).update(
                    version=F("version") + 1, **fields
                )
                if not updated:
                    raise report_service.StaleEdit("这份台账已被他人修改并保存，您的修改未保存：请刷新后重新编辑")
                ledger.milestones.all().delete()
                Milestone.objects.bulk_create(
                    Milestone(ledger=ledger, title=t, due=d, done=x, order=i) for i, (t, d, x) in enumerate(rows)
                )
                after = dict(fields, milestones=[(t, str(d), x) for t, d, x in rows])
                audit.record(request.user, "填写台账", task, before=before, after=after)
        except DubanError as exc:
            error = str(exc)
        else:
            messages.success(request, "台账已保存")
            return redirect("task_detail", task.pk)
        ledger.refresh_from_db()
    milestones = list(ledger.milestones.all())
    blanks = range(len(milestones), len(milestones) + 3)
    return render(
        request,
        "duban/ledger.html",
        {"task": task, "ledger": ledger, "milestones": milestones, "blanks": blanks, "error": error},
        status=409 if error and "他人" in error else (400 if error else 200),
    )


def _task_round(task, round_id) -> ReportingRound:
    """A reporting round of the task's own plan; a round of another plan answers 404."""
    rnd = ReportingRound.objects.filter(plan=task.plan, pk=round_id).first()
    if rnd is None:
        raise Http404
    return rnd


@page
def report_open(request, task_id, round_id):
    actor = request.actor
    task = actor.task(task_id)
    actor.require(actor.reports_on(task), "只有牵头或负责单位填写进展报告")
    rnd = _task_round(task, round_id)
    report = report_service.report_for(task, Unit.objects.get(pk=actor.unit_id), rnd)
    return redirect("report_detail", report.pk)


@page
def report_detail(request, report_id):
    actor = request.actor
    report = actor.report(report_id)
    error = None
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "save")
        try:
            version = int(request.POST.get("version", "0"))
            report = _act(request, report, action, version)
        except DubanError as exc:
            error = str(exc)
            status = 409 if isinstance(exc, report_service.StaleEdit) else 400
            report = actor.report(report_id)
        else:
            return redirect("report_detail", report.pk)
    indicators = [
        {
            "name": i["name"],
            "target": i.get("text") or f"{i['value']}{i.get('unit', '')}",
            "value": report.figures.get(i["name"], ""),
        }
        for i in report.task.indicators
    ]
    return render(
        request,
        "duban/report.html",
        {
            "report": report,
            "task": report.task,
            "indicators": indicators,
            "statuses": ProgressReport.STATUSES,
            "can_edit": actor.can_edit_report(report),
            "can_sign": actor.can_sign_off(report),
            "can_review": actor.can_review(report),
            "attachments": report.attachments.all(),
            "contributions": Contribution.objects.filter(task=report.task, round=report.round).select_related("unit"),
            "error": error,
        },
        status=status,
    )


def _act(request, report, action, version):
    actor = request.actor
    if action in ("save", "send"):
        actor.require(actor.can_edit_report(report), "这份报告现在不能修改")
        data = {k: request.POST.get(k, "").strip() for k in ("status", "done_text", "problems", "next_steps")}
        data["figures"] = report_service.clean_figures(
            report.task, {i["name"]: request.POST.get(f"figure_{n}") for n, i in enumerate(report.task.indicators)}
        )
        report = report_service.save(report, version, data, user=request.user)
        if action == "send":
            report = report_service.send_to_head(report, report.version, user=request.user)
            messages.success(request, "已提交单位负责人签批")
        else:
            messages.success(request, "已保存")
        return report
    # each step: who may take it, what it does, what to say once it has been done
    steps = {
        "approve": (
            actor.can_sign_off,
            "只有本单位负责人可以签批",
            "已签批，报告已报送督查局",
            lambda: report_service.approve(report, version, user=request.user),
        ),
        "head_return": (
            actor.can_sign_off,
            "只有本单位负责人可以退回",
            "已退回经办人修改",
            lambda: report_service.head_return(report, version, request.POST.get("comment", ""), user=request.user),
        ),
        "accept": (
            actor.can_review,
            "只有督查人员可以审核",
            "已审核通过",
            lambda: report_service.accept(report, version, user=request.user),
        ),
        "office_return": (
            actor.can_review,
            "只有督查人员可以退回",
            "已退回单位",
            lambda: report_service.office_return(report, version, request.POST.get("comment", ""), user=request.user),
        ),
    }
    if action in steps:
        allowed, refusal, done, step = steps[action]
        actor.require(allowed(report), refusal)
        report = step()  # raises on a stale version: no success message then
        messages.success(request, done)
        return report
    raise DubanError("未知操作")


@require_POST
@page
def attachment_upload(request, report_id):
    actor = request.actor
    report = actor.report(report_id)
    actor.require(actor.can_edit_report(report), "这份报告现在不能添加附件")
    upload = request.FILES.get("file")
    if refused_size_sentence(request, "附件"):
        messages.error(request, refused_size_sentence(request, "附件"))
    elif upload is None:
        messages.error(request, "请选择文件")
    else:
        try:
            report_service.attach(report, upload.name, upload.read(), user=request.user)
            messages.success(request, f"已上传附件“{upload.name}”")
        except DubanError as exc:
            messages.error(request, str(exc))
    return redirect("report_detail", report.pk)


@page
def attachment_download(request, attachment_id):
    from django.conf import settings

    attachment = Attachment.objects.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    request.actor.report(attachment.report_id)  # 404 unless the user may read the report
    path = settings.UPLOAD_DIR / attachment.path
    if not path.exists():
        raise Http404("附件文件不存在")
    return FileResponse(path.open("rb"), as_attachment=True, filename=attachment.name)


@require_POST
@page
def contribute(request, task_id, round_id):
    actor = request.actor
    task = actor.task(task_id)
    actor.require(actor.can_contribute(task), "只有配合单位可以提交配合情况")
    rnd = _task_round(task, round_id)
    text = request.POST.get("text", "").strip()
    if not text:
        messages.error(request, "请填写配合工作情况")
    else:
        contribution, _ = Contribution.objects.update_or_create(
            task=task, round=rnd, unit_id=actor.unit_id, defaults={"text": text}
        )
        audit.record(request.user, "提交配合情况", task, after={"round": rnd.title, "text": text})
        messages.success(request, "配合情况已提交，牵头单位可以看到")
    return redirect("task_detail", task.pk)


@require_POST
@page
def change_request(request, task_id):
    actor = request.actor
    task = actor.task(task_id)
    actor.require(actor.reports_on(task), "只有牵头或负责单位可以申请延期或调整")
    kind = request.POST.get("kind", "extension")
    reason = request.POST.get("reason", "").strip()
    if kind not in dict(ChangeRequest.KINDS) or not reason:
        messages.error(request, "请选择类型并填写理由")
    else:
        cr = ChangeRequest.objects.create(
            task=task,
            unit_id=actor.unit_id,
            kind=kind,
            reason=reason,
            new_deadline=request.POST.get("new_deadline", "").strip(),
            created_by=request.user,
        )
        audit.record(
            request.user,
            "申请" + cr.get_kind_display(),
            task,
            after={"reason": reason, "new_deadline": cr.new_deadline},
        )
        messages.success(request, "申请已提交督查局")
    return redirect("task_detail", task.pk)
