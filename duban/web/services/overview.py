"""Where a whole plan stands: every task's colour, counts by section, unit and
status, late reports and lagging tasks.  Loads the plan in a handful of
queries and leaves the judgement to ``duban.track``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from duban.track import (
    COLOURS,
    LAGGING,
    REPORT_LATE,
    REPORT_MISSING,
    MilestoneState,
    TaskState,
    check_indicator,
    report_timeliness,
    task_state,
)
from duban.web.models import Assignment, Milestone, ProgressReport, ReportingRound, Task, Unit

STATUS_ORDER = list(COLOURS)
LOWER_IS_BETTER = ("以内", "以下", "不超过", "控制在")


@dataclass
class TaskRow:
    task: Task
    state: TaskState
    leads: list[str]
    supports: list[str]
    unit_ids: list[int] = field(default_factory=list)


@dataclass
class LateReport:
    unit_id: int
    unit: str
    task: Task
    round: ReportingRound
    timeliness: str
    submitted_at: object | None


@dataclass
class Overview:
    rows: list[TaskRow] = field(default_factory=list)
    by_status: Counter = field(default_factory=Counter)
    by_section: dict = field(default_factory=dict)
    by_unit: dict = field(default_factory=dict)
    late: list[LateReport] = field(default_factory=list)
    rounds: list[ReportingRound] = field(default_factory=list)
    current_round: ReportingRound | None = None

    @property
    def lagging(self) -> list[TaskRow]:
        return [r for r in self.rows if r.state.status == LAGGING]

    @property
    def missing(self) -> list[LateReport]:
        return [r for r in self.late if r.timeliness == REPORT_MISSING]


def lower_is_better(indicator: dict) -> bool:
    return (indicator.get("qualifier") or "") in LOWER_IS_BETTER or "控制在" in (indicator.get("text") or "")


def overview(plan, today: date, tasks=None) -> Overview:
    subset = tasks is not None
    tasks = list((tasks if subset else Task.objects.filter(plan=plan)).select_related("section"))
    task_ids = {t.id for t in tasks}
    # A unit's or a leader's view reads only its own tasks' rows; the office's reads the whole plan.
    scope = {"task_id__in": task_ids} if subset else {"task__plan": plan}
    rounds = list(ReportingRound.objects.filter(plan=plan))
    out = Overview(rounds=rounds)
    passed = [r for r in rounds if r.kind != "plan" and r.due < today]
    out.current_round = passed[-1] if passed else None

    # A collective with known members (各镇人民政府) reports through each member.
    members: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for collective_id, member_id, member_name in Unit.members.through.objects.filter(
        from_unit__government_id=plan.government_id
    ).values_list("from_unit_id", "to_unit_id", "to_unit__name"):
        members[collective_id].append((member_id, member_name))

    primary: dict[int, list[tuple[int, str]]] = defaultdict(list)
    support: dict[int, list[str]] = defaultdict(list)
    for task_id, unit_id, name, role in Assignment.objects.filter(**scope).values_list(
        "task_id", "unit_id", "unit__name", "role"
    ):
        if task_id not in task_ids or unit_id is None:
            continue
        if role in ("lead", "responsible"):
            for unit in members.get(unit_id) or [(unit_id, name)]:
                if unit not in primary[task_id]:
                    primary[task_id].append(unit)
        elif role == "support":
            support[task_id].append(name)

    reports = {}
    for r in ProgressReport.objects.filter(**scope).only(
        "id", "task_id", "unit_id", "round_id", "status", "state", "figures", "submitted_at"
    ):
        reports[(r.task_id, r.unit_id, r.round_id)] = r

    milestones: dict[int, list[MilestoneState]] = defaultdict(list)
    for task_id, title, due, done in Milestone.objects.filter(
        **{"ledger__" + k: v for k, v in scope.items()}
    ).values_list("ledger__task_id", "title", "due", "done"):
        milestones[task_id].append(MilestoneState(title, due, done))

    unit_counts: dict[str, Counter] = defaultdict(Counter)
    section_counts: dict[int | None, Counter] = defaultdict(Counter)
    for task in tasks:
        units = primary.get(task.id, [])
        latest = None
        missing_now = False
        for rnd in reversed(passed):
            got = [reports.get((task.id, uid, rnd.id)) for uid, _ in units]
            got_in = [r for r in got if r is not None and r.is_in]
            if rnd is out.current_round and len(got_in) < len(units):
                missing_now = True
            if got_in:
                latest = (rnd, got_in)
                break
        reported_status = None
        checks = []
        if latest:
            rnd, got_in = latest
            statuses = {r.status for r in got_in}
            for worst in ("behind", "not_started", "on_schedule", "done"):
                if worst in statuses:
                    reported_status = worst
                    break
            figures = {}
            for r in got_in:
                figures.update(r.figures or {})
            for ind in task.indicators:
                if ind.get("name") in figures:
                    checks.append(
                        check_indicator(
                            ind["name"],
                            float(ind["value"]),
                            float(figures[ind["name"]]),
                            ind.get("kind", "level"),
                            rnd.due,
                            plan.year,
                            lower_is_better(ind),
                        )
                    )
        state = task_state(
            today=today,
            reported_status=reported_status,
            milestones=milestones.get(task.id, []),
            indicators=checks,
            report_missing=missing_now,
        )
        row = TaskRow(task, state, [n for _, n in units], support.get(task.id, []), [u for u, _ in units])
        out.rows.append(row)
        out.by_status[state.status] += 1
        section_counts[task.section_id][state.status] += 1
        for _, name in units:
            unit_counts[name][state.status] += 1
        for rnd in passed:
            for uid, name in units:
                r = reports.get((task.id, uid, rnd.id))
                submitted = r.submitted_at if r is not None and r.is_in else None
                verdict = report_timeliness(rnd.due, timezone.localdate(submitted) if submitted else None, today)
                if verdict in (REPORT_LATE, REPORT_MISSING):
                    out.late.append(LateReport(uid, name, task, rnd, verdict, submitted))
    sections = {t.section_id: t.section for t in tasks}
    # Missing before late, the most recent round first: what to chase now.
    out.late.sort(key=lambda x: (x.timeliness != REPORT_MISSING, -x.round.due.toordinal(), x.unit))
    out.by_section = {sections[sid]: counts for sid, counts in section_counts.items()}
    out.by_unit = dict(sorted(unit_counts.items(), key=lambda kv: (-kv[1][LAGGING], kv[0])))
    return out
