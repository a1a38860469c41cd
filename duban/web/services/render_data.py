"""Stored plans and reports as the inputs ``duban.render`` draws from.

``plan_document`` and ``round_data`` are what ``duban render … --government
NAME --year Y`` calls; the download and bulletin pages use the same
functions, so a file made from the command line and one downloaded from the
web application agree.

Counting: a round's figures are the ones ``duban status`` (and the
dashboard) shows, not a second opinion.  Each task's colour comes from
``duban.track`` through ``services.overview`` as of the round's ``as_of``
day and travels in ``RoundData.judged`` (with the tracker's reasons), which
``round_summary`` — hence the bulletin, its charts and the year-end account —
counts by.  The reports' own statuses follow the colour where the four
statuses can say it (滞后 → behind for the units whose milestones are overdue,
else all; 已完成, 序时推进, 未启动 for all its units; 需关注 keeps what the
units reported), so the task table agrees too.  Reports are on time / late /
missing by ``duban.track.report_timeliness``, exactly as ``duban status``
lists late reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from duban.doc.model import Document
from duban.errors import DubanError
from duban.render.data import BEHIND, DONE, LATE, MISSING, NOT_STARTED, ON_SCHEDULE, ON_TIME, RoundData, TaskReport
from duban.track import AT_RISK, LAGGING, ON_TRACK, REPORT_LATE, REPORT_ON_TIME, report_timeliness
from duban.track import DONE as TRACK_DONE
from duban.track import NOT_STARTED as TRACK_NOT_STARTED
from duban.web.models import Assignment, Government, Milestone, Plan, ProgressReport, ReportingRound

# The dashboard's colour → the status the round data carries (需关注 keeps what units reported).
STATUS_OF_COLOUR = {TRACK_DONE: DONE, ON_TRACK: ON_SCHEDULE, TRACK_NOT_STARTED: NOT_STARTED, LAGGING: BEHIND}
REPORT_KINDS = ("progress", "annual")


# --- plans -------------------------------------------------------------------------------------------


def published_plan(government: str | Government, year: int | None = None) -> Plan:
    """The government's published plan for ``year`` (latest year when None); DubanError when there is none."""
    name = government.name if isinstance(government, Government) else government
    plans = Plan.objects.filter(government__name=name, status=Plan.PUBLISHED).select_related("government")
    if year:
        plans = plans.filter(year=year)
    plan = plans.order_by("-year", "-id").first()
    if plan is None:
        raise DubanError(f"没有找到{name}{f' {year} 年' if year else ''}已发布的计划")
    return plan


def document_for(plan: Plan, tasks=None) -> Document:
    """The stored plan as a ``Document``; ``tasks`` (a Task queryset) keeps only those tasks."""
    from duban.web.services.export import plan_document as stored_document

    doc = stored_document(plan)
    if plan.published_at:
        doc.date = timezone.localdate(plan.published_at)
    if tasks is not None:
        keep = set(tasks.values_list("number", flat=True))
        doc.tasks = [t for t in doc.tasks if t.number in keep]
    return doc


def plan_document(government: str | Government, year: int) -> Document:
    """The published plan of ``government`` for ``year``: tasks, sections, units and roles, schedule, 文号."""
    return document_for(published_plan(government, year))


# --- rounds ------------------------------------------------------------------------------------------


def report_rounds(plan: Plan) -> list[ReportingRound]:
    return [r for r in plan.rounds.all() if r.kind in REPORT_KINDS]


def pick_round(plan: Plan, round_name: str | None, today: date) -> ReportingRound:
    """The round named ``round_name`` (its title), else the latest one whose due date has passed."""
    rounds = report_rounds(plan)
    if round_name:
        for rnd in rounds:
            if rnd.title == round_name:
                return rnd
        names = "、".join(r.title for r in rounds) or "无"
        raise DubanError(
            f"{plan.government.name} {plan.year} 年的计划没有名为“{round_name}”的报送轮次（现有：{names}）"
        )
    passed = [r for r in rounds if r.due < today]
    if not passed:
        raise DubanError(f"{plan.government.name} {plan.year} 年还没有已过截止日期的报送轮次")
    return passed[-1]


def as_of_for(plan: Plan, rnd: ReportingRound, today: date) -> date:
    """The day a round's figures are taken: today while it is the latest round past due,
    else the due date of the round after it (the last day it was the current one)."""
    later = [r for r in report_rounds(plan) if rnd.due < r.due < today]
    return later[0].due if later else today


@dataclass
class RoundStanding:
    """A round as ``duban.render`` reads it, and the dashboard's own view of the same day."""

    plan: Plan
    round: ReportingRound
    as_of: date
    data: RoundData  # ``data.judged``: task number → duban.track colour as of ``as_of``

    @property
    def colours(self) -> dict[str, str]:
        return self.data.judged

    @property
    def attention(self) -> list[str]:
        """Task numbers coloured 需关注, in plan order."""
        return [n for n, colour in self.colours.items() if colour == AT_RISK]

    @property
    def by_colour(self) -> dict[str, int]:
        from duban.web.services.overview import STATUS_ORDER

        counts = dict.fromkeys(STATUS_ORDER, 0)
        for colour in self.colours.values():
            counts[colour] += 1
        return counts


def standing(plan: Plan, rnd: ReportingRound, today: date, tasks=None) -> RoundStanding:
    """Every report owed in ``rnd``, statuses judged as ``duban status --today AS_OF`` judges them."""
    from duban.web.services.overview import overview

    as_of = as_of_for(plan, rnd, today)
    view = overview(plan, as_of, tasks=tasks)
    states = {row.task.id: row.state for row in view.rows}
    task_ids = set(states)

    primary: dict[int, list[tuple[int, str]]] = {}
    for task_id, unit_id, name in Assignment.objects.filter(
        task__plan=plan, role__in=("lead", "responsible"), unit__isnull=False
    ).values_list("task_id", "unit_id", "unit_name"):
        if task_id in task_ids:
            primary.setdefault(task_id, []).append((unit_id, name))

    earlier_ids = [r.id for r in report_rounds(plan) if r.due < rnd.due]
    in_states = (ProgressReport.SUBMITTED, ProgressReport.ACCEPTED)
    this_round = {(r.task_id, r.unit_id): r for r in ProgressReport.objects.filter(round=rnd, task_id__in=task_ids)}
    last_status: dict[tuple[int, int], str] = {}
    for r in ProgressReport.objects.filter(round_id__in=earlier_ids, state__in=in_states).order_by("round__due"):
        last_status[(r.task_id, r.unit_id)] = r.status
    overdue: dict[tuple[int, int], list[str]] = {}
    for task_id, unit_id, title, due in Milestone.objects.filter(
        ledger__task_id__in=task_ids, done=False, due__lt=as_of
    ).values_list("ledger__task_id", "ledger__unit_id", "title", "due"):
        overdue.setdefault((task_id, unit_id), []).append(f"节点“{title}”已过期（{due.isoformat()}）未完成")

    reports: list[TaskReport] = []
    judged: dict[str, str] = {}
    reasons: dict[str, str] = {}
    for row in view.rows:
        task, state = row.task, row.state
        judged[task.number] = state.status
        reasons[task.number] = "；".join(state.reasons)
        owed = []
        for unit_id, name in primary.get(task.id, []):
            report = this_round.get((task.id, unit_id))
            is_in = report is not None and report.state in in_states
            submitted = timezone.localdate(report.submitted_at) if is_in and report.submitted_at else None
            if is_in and submitted is None:
                submitted = rnd.due  # signed off before submission times were kept: count it as in
            verdict = report_timeliness(rnd.due, submitted, as_of)
            owed.append(
                TaskReport(
                    task=task.number,
                    unit=name,
                    status=report.status if is_in else last_status.get((task.id, unit_id), NOT_STARTED),
                    report={REPORT_ON_TIME: ON_TIME, REPORT_LATE: LATE}.get(verdict, MISSING),
                    progress=report.done_text if is_in else "",
                    problems=report.problems if is_in else "",
                    next_steps=report.next_steps if is_in else "",
                    figures={k: float(v) for k, v in (report.figures or {}).items()} if is_in else {},
                    submitted=submitted,
                )
            )
        _judge(owed, state, [overdue.get((task.id, uid), []) for uid, _ in primary.get(task.id, [])])
        reports.extend(owed)
    data = RoundData(
        name=rnd.title,
        kind=rnd.kind,
        due=rnd.due,
        as_of=as_of,
        reports=reports,
        judged=judged,
        judged_reasons=reasons,
    )
    return RoundStanding(plan, rnd, as_of, data)


def _judge(owed: list[TaskReport], state, overdue_by_unit: list[list[str]]) -> None:
    """Give the task's reports the status the dashboard gives the task."""
    if state.status == AT_RISK or not owed:
        return
    status = STATUS_OF_COLOUR[state.status]
    if status != BEHIND:
        for report in owed:
            report.status = status
        return
    for report in owed:
        if report.status == BEHIND and not report.reasons:
            report.reasons = report.problems
    if any(r.status == BEHIND for r in owed):
        return
    # Lagging on milestones or indicators though no unit said so: the units whose milestones
    # are overdue lag, else all of them, for the reasons duban.track gives.
    blamed = [(r, why) for r, why in zip(owed, overdue_by_unit) if why] or [(r, state.reasons) for r in owed]
    for report, why in blamed:
        report.status = BEHIND
        report.reasons = "；".join(why) or "进度滞后"


def round_data(government: str | Government, year: int, round_name: str | None = None, today=None) -> RoundData:
    """Every report owed in the named round (default: the latest round past due) from ProgressReports."""
    plan = published_plan(government, year)
    today = today or timezone.localdate()
    return standing(plan, pick_round(plan, round_name, today), today).data


# --- bulletins ---------------------------------------------------------------------------------------


def bulletin_draft(doc: Document, st: RoundStanding):
    """The bulletin's draft for the round: ``bulletin_text`` counts by the judgement ``st.data`` carries."""
    from duban.render.bulletin import bulletin_text

    return bulletin_text(doc, st.data)


# Bulletin drafts are kept as an append-only series of audit events on their round: every saved
# version is in the audit log by construction, and no table or migration is needed.
BULLETIN_SAVED = "保存通报"


class StaleBulletin(DubanError):
    """Someone saved the bulletin since this user loaded it."""


def saved_bulletin(rnd: ReportingRound) -> tuple[str | None, int]:
    """The latest saved text of the round's bulletin (None if never saved) and its version (0 if never)."""
    from duban.web.models import AuditEvent

    event = (
        AuditEvent.objects.filter(action=BULLETIN_SAVED, object_type="ReportingRound", object_id=str(rnd.pk))
        .order_by("-at", "-id")
        .first()
    )
    if event is None:
        return None, 0
    return event.after["text"], int(event.after["version"])


def save_bulletin(rnd: ReportingRound, text: str, version: int, user=None) -> int:
    """Save an edited bulletin if nobody saved one since ``version`` was loaded; returns the new version."""
    from django.db import transaction

    from duban.render.bulletin import BulletinDraft
    from duban.web import audit

    BulletinDraft.from_text(text)  # refuses an empty text in one sentence
    with transaction.atomic():
        # The round's row is the lock: two saves of one bulletin queue here.
        ReportingRound.objects.select_for_update().filter(pk=rnd.pk).first()
        _text, current = saved_bulletin(rnd)
        if current != version:
            raise StaleBulletin("这份通报已被他人修改并保存，您的修改未保存：请刷新后在最新版本上重新编辑")
        audit.record(
            user, BULLETIN_SAVED, rnd, before={"version": current}, after={"version": current + 1, "text": text}
        )
    return current + 1
