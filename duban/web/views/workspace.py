"""A unit's workspace: its tasks by role, ledgers, reports, sign-off."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from duban import vocab
from duban.errors import DubanError
from duban.web.forms import (
    AttachmentForm,
    ChangeRequestForm,
    ContributionForm,
    LedgerForm,
    LedgerStepForm,
    MilestoneChangeForm,
    ReportForm,
)
from duban.web.jobs.uploads import refused_size_sentence
from duban.web.models import (
    Attachment,
    ChangeRequest,
    Contribution,
    Ledger,
    Plan,
    ProgressReport,
    ReportingRound,
    Unit,
    Urge,
)
from duban.web.services import amend as amend_service
from duban.web.services import ledgers as ledger_service
from duban.web.services import plan_choice
from duban.web.services import reports as report_service
from duban.web.services import workspace as workspace_service
from duban.web.services.overview import overview
from duban.web.views.common import page, today

ROLE_TITLES = {key: f"{label}任务" for key, label in vocab.ROLES.labels.items()}


def shown_plans(actor):
    """The published plans a user's pages switch between: for a unit, those it has tasks in (all when none)."""
    plans = actor.plans().filter(status=Plan.PUBLISHED)
    if actor.is_unit:
        own = plans.filter(pk__in=actor.tasks().values("plan_id"))
        if own.exists():
            return own
    return plans


def current_plan(actor, plan_id=None) -> Plan | None:
    """The plan the URL names, else the default (``plan_choice.default_plan``: latest year, work report first)."""
    if plan_id:
        return actor.plans().filter(status=Plan.PUBLISHED, pk=plan_id).first()
    return plan_choice.default_plan(shown_plans(actor))


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
    ledgers = {
        ledger.task_id: ledger
        for ledger in Ledger.objects.filter(task__plan=plan, unit=unit).only("id", "task_id", "state", "unit_id")
    }
    plan_round = next((r for r in plan.rounds.all() if r.kind == vocab.PLAN_ROUND), None)
    groups: dict[str, list] = {role: [] for role in ROLE_TITLES}
    for task in tasks:
        roles = {a.role for a in task.assignments.all() if a.unit_id in actor.acting_as}
        role = next(r for r in ROLE_TITLES if r in roles)
        owes = role in vocab.REPORTING_ROLES or (role == vocab.MONITOR and task.indicators)
        cells = [(rnd, reports.get((task.id, rnd.id))) for rnd in rounds] if owes else []
        ledger = ledgers.get(task.id, False) if role in vocab.REPORTING_ROLES else None
        groups[role].append({"task": task, "state": state.get(task.id), "cells": cells, "ledger": ledger})
    urges = Urge.objects.filter(unit=unit, plan=plan).select_related("task", "round")[:20]
    unseen = [u.pk for u in urges if u.seen_at is None]
    workspace_service.mark_urges_seen(unseen)
    awaiting, awaiting_ledgers = [], []
    if actor.role == "unit_head":
        awaiting_ledgers = Ledger.objects.filter(task__plan=plan, unit=unit, state=vocab.AWAITING_HEAD).select_related(
            "task"
        )
        awaiting = ProgressReport.objects.filter(unit=unit, state=ProgressReport.AWAITING_HEAD).select_related(
            "task", "round"
        )
    return render(
        request,
        "duban/workspace.html",
        {
            "plan": plan,
            "switch": plan_choice.switch(shown_plans(actor), plan, "workspace_plan"),
            "unit": unit,
            "groups": [(ROLE_TITLES[r], rows) for r, rows in groups.items() if rows],
            "rounds": rounds,
            "urges": urges,
            "unseen": set(unseen),
            "awaiting": awaiting,
            "awaiting_ledgers": awaiting_ledgers,
            "awaiting_count": len(awaiting) + len(awaiting_ledgers),
            "plan_round": plan_round,
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


def _conflict_context(form, stored: dict) -> dict:
    """What the conflict panel shows: the editor's words beside the stored ones, field by field."""
    return {"conflict": form.conflict_rows(stored)}


@page
def ledger_edit(request, task_id):
    actor = request.actor
    task = actor.task(task_id)
    actor.require(actor.can_edit_ledger(task), "只有牵头或负责单位可以填写台账")
    ledger = workspace_service.ledger_for(task, actor.unit_id)
    error, status, extra = None, 200, {}
    if request.method == "POST":
        form = LedgerForm(request.POST)
        if not form.is_valid():
            error, status = form.first_error(), 400
        else:
            data = form.cleaned_data
            rows = [ledger_service.MilestoneRow(t, d, x) for t, d, x in data["milestones"]]
            try:
                ledger_service.save(ledger, data["version"], data, rows, user=request.user)
            except ledger_service.StaleLedger as exc:
                error, status = str(exc), 409
                ledger.refresh_from_db()
                extra = _conflict_context(form, LedgerForm.stored_values(ledger))
            except DubanError as exc:
                error, status = str(exc), 400
            else:
                messages.success(request, "台账已保存")
                return redirect("task_detail", task.pk)
        ledger.refresh_from_db()
        milestones = _posted_milestones(form.data)
        values = {k: form.data.get(k, "") for k in ledger_service.FIELDS}
    else:
        milestones = [
            {"title": m.title, "due": m.due.isoformat() if m.due else "", "done": m.done}
            for m in ledger.milestones.all()
        ]
        values = {k: getattr(ledger, k) for k in ledger_service.FIELDS}
    blanks = range(len(milestones), len(milestones) + 3)
    return render(
        request,
        "duban/ledger.html",
        {
            "task": task,
            "ledger": ledger,
            "values": values,
            "milestones": milestones,
            "blanks": blanks,
            "error": error,
            **extra,
        },
        status=status,
    )


def _own_or_overseen_ledger(actor, ledger_id) -> Ledger:
    ledger = Ledger.objects.filter(pk=ledger_id, task__in=actor.tasks()).select_related("task", "unit").first()
    if ledger is None or (actor.is_unit and ledger.unit_id not in actor.acting_as):
        raise Http404("没有这份台账")
    return ledger


@require_POST
@page
def ledger_step(request, ledger_id):
    """A ledger's sign-off and acceptance: staff send it, the head signs or returns it, the office
    accepts (locks) or returns it."""
    actor = request.actor
    ledger = _own_or_overseen_ledger(actor, ledger_id)
    form = LedgerStepForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.first_error())
        return redirect("task_detail", ledger.task_id)
    action, version, comment = form.cleaned_data["action"], form.cleaned_data["version"], form.cleaned_data["comment"]
    head = actor.role == "unit_head" and ledger.unit_id == actor.unit_id
    steps = {
        "send": (
            actor.is_unit and ledger.unit_id == actor.unit_id,
            "已提交单位负责人签批",
            ledger_service.send_to_head,
        ),
        "approve": (head, "已签批，台账已报送督查局", ledger_service.approve),
        "head_return": (head, "已退回经办人修改", lambda *a, **k: ledger_service.head_return(a[0], a[1], comment, **k)),
        "accept": (actor.is_office, "台账已审核通过并锁定", ledger_service.accept),
        "office_return": (
            actor.is_office,
            "台账已退回单位修改",
            lambda *a, **k: ledger_service.office_return(a[0], a[1], comment, **k),
        ),
    }
    allowed, done, step = steps[action]
    actor.require(allowed, "您不能对这份台账执行此操作")
    try:
        step(ledger, version, user=request.user)
    except DubanError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("task_detail", ledger.task_id)


@require_POST
@page
def milestone_change(request, ledger_id):
    """On a locked ledger, moving a milestone or taking its tick off is a request the office approves."""
    actor = request.actor
    ledger = _own_or_overseen_ledger(actor, ledger_id)
    actor.require(actor.is_unit and ledger.unit_id == actor.unit_id, "只有本单位可以申请节点变更")
    form = MilestoneChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.first_error())
        return redirect("task_detail", ledger.task_id)
    milestone = ledger.milestones.filter(pk=form.cleaned_data["milestone"]).first()
    if milestone is None:
        messages.error(request, "这份台账没有这个节点")
        return redirect("task_detail", ledger.task_id)
    try:
        ledger_service.request_change(
            milestone,
            form.cleaned_data["reason"],
            form.cleaned_data["new_due"],
            form.cleaned_data["undo_done"],
            user=request.user,
        )
    except DubanError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "节点变更申请已提交督查局，同意后生效")
    return redirect("task_detail", ledger.task_id)


def _posted_milestones(post) -> list[dict]:
    """The milestone rows as the editor typed them, to show again after a refusal."""
    titles, dues, done = post.getlist("m_title"), post.getlist("m_due"), set(post.getlist("m_done"))
    dues = dues + [""] * (len(titles) - len(dues))
    return [{"title": t, "due": d, "done": str(i) in done} for i, (t, d) in enumerate(zip(titles, dues)) if t.strip()]


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
    actor.require(
        actor.reports_on(task) or actor.files_figures(task), "只有牵头或负责单位填写进展报告，监测单位填写指标数据"
    )
    rnd = _task_round(task, round_id)
    report = report_service.report_for(task, Unit.objects.get(pk=actor.unit_id), rnd)
    return redirect("report_detail", report.pk)


@page
def report_detail(request, report_id):
    actor = request.actor
    report = actor.report(report_id)
    error, status, extra = None, 200, {}
    values = {k: getattr(report, k) for k in ReportForm.conflict_fields}
    figures = report.figures
    if request.method == "POST":
        form = ReportForm(request.POST, task=report.task)
        if not form.is_valid():
            error, status = form.first_error(), 400
        else:
            try:
                report = _act(request, report, form.cleaned_data, sent=set(form.data))
            except DubanError as exc:
                error = str(exc)
                status = 409 if isinstance(exc, report_service.StaleEdit) else 400
            else:
                return redirect("report_detail", report.pk)
        report = actor.report(report_id)
        if form.data.get("action") in ("save", "send"):
            # What the editor typed stays in the form; on a conflict the stored words are shown beside it.
            values = {k: form.data.get(k, "") for k in ReportForm.conflict_fields}
            figures = {i["name"]: form.data.get(f"figure_{n}", "") for n, i in enumerate(report.task.indicators)}
            if status == 409:
                extra = _conflict_context(form, form.stored_values(report))
    indicators = [
        {
            "name": i["name"],
            "target": i.get("text") or f"{i['value']}{i.get('unit', '')}",
            "value": figures.get(i["name"], ""),
            "unit": i.get("unit", ""),
        }
        for i in report.task.indicators
    ]
    return render(
        request,
        "duban/report.html",
        {
            "report": report,
            "values": values,
            "task": report.task,
            "indicators": indicators,
            "statuses": ProgressReport.STATUSES,
            "monitor": actor.files_figures(report.task) and not actor.reports_on(report.task),
            "can_edit": actor.can_edit_report(report),
            "can_sign": actor.can_sign_off(report),
            "can_review": actor.can_review(report),
            "attachments": report.attachments.all(),
            "contributions": Contribution.objects.filter(task=report.task, round=report.round).select_related("unit"),
            "error": error,
            **extra,
        },
        status=status,
    )


def _act(request, report, data, sent=()):
    actor = request.actor
    action, version = data["action"], data["version"]

    def require(allowed: bool, refusal: str):
        # Refused because someone acted since this page was loaded: say so (409), not "not allowed".
        if not allowed and report.version != version:
            raise report_service.StaleEdit(
                f"这份报告已被他人处理，当前状态为“{report.get_state_display()}”：您的操作未执行，请查看最新版本"
            )
        actor.require(allowed, refusal)

    if action in ("save", "send"):
        require(actor.can_edit_report(report), "这份报告现在不能修改")
        monitor = actor.files_figures(report.task) and not actor.reports_on(report.task)
        # A field the page did not send keeps what is stored (the status select is always sent by the page);
        # a monitor files figures only.
        fields = () if monitor else ("status", "done_text", "problems", "next_steps")
        changes = {k: data[k] for k in fields if k in sent}
        changes["figures"] = data["figures"]
        if action == "send":
            report = report_service.save_and_send(report, version, changes, user=request.user)
            messages.success(request, "已提交单位负责人签批")
        else:
            report = report_service.save(report, version, changes, user=request.user)
            messages.success(request, "已保存")
        return report
    comment = data.get("comment", "")
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
            lambda: report_service.head_return(report, version, comment, user=request.user),
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
            lambda: report_service.office_return(
                report, version, comment, user=request.user, revise_by=data.get("revise_by")
            ),
        ),
    }
    allowed, refusal, done, step = steps[action]
    require(allowed(report), refusal)
    report = step()  # raises on a stale version: no success message then
    messages.success(request, done)
    return report


@require_POST
@page
def attachment_upload(request, report_id):
    actor = request.actor
    report = actor.report(report_id)
    actor.require(actor.can_edit_report(report), "这份报告现在不能添加附件")
    sentence = refused_size_sentence(request, "附件")
    form = AttachmentForm(request.POST, request.FILES)
    if sentence:
        messages.error(request, sentence)
    elif not form.is_valid():
        messages.error(request, form.first_error())
    else:
        upload = form.cleaned_data["file"]
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
    form = ContributionForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.first_error())
    else:
        unit = Unit.objects.get(pk=actor.unit_id)
        workspace_service.contribute(task, rnd, unit, form.cleaned_data["text"], user=request.user)
        messages.success(request, "配合情况已提交，牵头单位可以看到")
    return redirect("task_detail", task.pk)


@require_POST
@page
def change_request(request, task_id):
    actor = request.actor
    task = actor.task(task_id)
    actor.require(actor.reports_on(task), "只有牵头或负责单位可以申请延期或调整")
    form = ChangeRequestForm(request.POST)
    try:
        if not form.is_valid():
            raise DubanError(form.first_error())
        amend_service.request_change(task, actor.membership.unit, user=request.user, **form.cleaned_data)
    except DubanError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "申请已提交督查局")
    return redirect("task_detail", task.pk)
