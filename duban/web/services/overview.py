"""Where a whole plan stands, read from ``duban.track.round``: the stored plan, rounds, reports,
ledgers and milestones become the core's plain values in a handful of queries, and the one
``standing`` they give is what the dashboard, leader and unit views, ``duban status``, the API,
the plan .xlsx, bulletins and the year-end account all show.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from duban import vocab
from duban.track import COLOURS, LAGGING, REPORT_MISSING, MilestoneState, TaskState
from duban.track import round as core
from duban.web.models import (
    Assignment,
    Ledger,
    Membership,
    Milestone,
    ProgressReport,
    ReportingRound,
    Section,
    Task,
    Unit,
)

STATUS_ORDER = list(COLOURS)


@dataclass
class TaskRow:
    task: Task
    state: TaskState
    leads: list[str]
    supports: list[str]
    unit_ids: list[int] = field(default_factory=list)


@dataclass
class LateReport:
    unit_id: int | None
    unit: str
    task: Task
    round: ReportingRound
    timeliness: str
    submitted_at: object | None  # the head's first sign-off
    what: str = "report"  # report | ledger | figures

    @property
    def label(self) -> str:
        return vocab.TIMELINESS.label(self.timeliness)


@dataclass
class Overview:
    rows: list[TaskRow] = field(default_factory=list)
    by_status: Counter = field(default_factory=Counter)
    by_section: dict = field(default_factory=dict)
    by_unit: dict = field(default_factory=dict)
    late: list[LateReport] = field(default_factory=list)
    rounds: list[ReportingRound] = field(default_factory=list)
    current_round: ReportingRound | None = None
    standing: core.Standing | None = None  # the core's account, for whoever needs more
    loaded: Loaded | None = None

    @property
    def lagging(self) -> list[TaskRow]:
        return [r for r in self.rows if r.state.status == LAGGING]

    @property
    def missing(self) -> list[LateReport]:
        return [r for r in self.late if r.timeliness == REPORT_MISSING]

    @property
    def returned(self) -> list[core.Owed]:
        """Reports the office returned for revision and not yet signed again."""
        return [s for s in self.standing.items if s.returned] if self.standing else []

    @property
    def no_members(self) -> list[core.Owed]:
        return [s for s in self.standing.items if s.timeliness == core.NO_MEMBERS] if self.standing else []


@dataclass
class Loaded:
    """The stored plan as the core's values, and the maps back to the stored rows."""

    plan: object
    tasks: list[Task]
    rounds: list[ReportingRound]
    obligations: core.Obligations
    filed: list[core.Filed]
    milestones: dict[str, list[MilestoneState]]
    round_of: dict[int, core.Round]
    unit_ids: dict[str, int]
    first_approved_at: dict[tuple[str, str, int], object]  # (task, unit, round id) → datetime

    def standing(self, today: date) -> core.Standing:
        return core.standing(self.obligations, self.filed, self.milestones, (), today)


def _day(moment) -> date | None:
    return timezone.localdate(moment) if moment else None


def load(plan, tasks=None, texts: bool = False) -> Loaded:
    """Everything ``duban.track.round`` needs about ``plan`` (only ``tasks``, a Task queryset, when given);
    ``texts``: the reports' progress, problems and next steps too (for bulletins and year-end accounts)."""
    subset = tasks is not None
    # The drafting suggestions (``candidates``) are never read from here: a published plan's can be long.
    tasks = list((tasks if subset else Task.objects.filter(plan=plan)).select_related("section").defer("candidates"))
    task_ids = {t.id for t in tasks}
    number = {t.id: t.number for t in tasks}
    scope = {"task_id__in": task_ids} if subset else {"task__plan": plan}
    rounds = list(ReportingRound.objects.filter(plan=plan))
    round_of = {r.id: core.Round(r.id, r.kind, r.title, r.due) for r in rounds}

    roles: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    unit_ids: dict[str, int] = {}
    collectives: set[str] = set()
    for task_id, unit_id, name, kind, role in Assignment.objects.filter(**scope, unit__isnull=False).values_list(
        "task_id", "unit_id", "unit__name", "unit__kind", "role"
    ):
        if task_id not in task_ids:
            continue
        roles[task_id][role].append(name)
        unit_ids[name] = unit_id
        if kind == vocab.COLLECTIVE:
            collectives.add(name)
    members: dict[str, list[str]] = defaultdict(list)
    # Members in the order their units were made — the same on every database (Django adds a
    # collective's members from a set, so the link rows' own order is no order at all).
    for collective, member_id, member in (
        Unit.members.through.objects.filter(from_unit__government_id=plan.government_id)
        .order_by("to_unit_id")
        .values_list("from_unit__name", "to_unit_id", "to_unit__name")
    ):
        members[collective].append(member)
        unit_ids.setdefault(member, member_id)
    # A leader is in charge of the areas (一级标题) named in their membership.
    leaders_of: dict[str, list[str]] = defaultdict(list)
    for user, full_name, areas in Membership.objects.filter(
        government_id=plan.government_id, role=Membership.LEADER
    ).values_list("user__username", "user__first_name", "sections"):
        for area in areas or ():
            leaders_of[area].append(full_name or user)

    plan_tasks = []
    for t in tasks:
        path = tuple(t.section.path or [t.section.title]) if t.section else ()
        r = roles.get(t.id, {})
        plan_tasks.append(
            core.PlanTask(
                number=t.number,
                section=path,
                text=t.text,
                reporting=tuple(r.get(vocab.LEAD, []) + r.get(vocab.RESPONSIBLE, [])),
                responsible=tuple(r.get(vocab.RESPONSIBLE, [])),
                supports=tuple(r.get(vocab.SUPPORT, [])),
                monitors=tuple(r.get(vocab.MONITOR, [])),
                leaders=tuple(leaders_of.get(t.section.area if t.section else "", ())),
                indicators=tuple(t.indicators or ()),
            )
        )
    obligations = core.obligations(
        plan_tasks, round_of.values(), {c: members.get(c, []) for c in collectives}, collectives
    )
    obligations.year = plan.year

    names = {v: k for k, v in unit_ids.items()}
    filed: list[core.Filed] = []
    first: dict[tuple[str, str, int], object] = {}
    columns = ["task_id", "unit_id", "round_id", "state", "status", "figures", "first_approved_at", "submitted_at"]
    columns += ["revise_by"] + (["done_text", "problems", "next_steps"] if texts else [])
    for r in ProgressReport.objects.filter(**scope).values(*columns):
        unit = names.get(r["unit_id"])
        if unit is None or r["task_id"] not in number:
            continue
        approved = r["first_approved_at"] or r["submitted_at"]
        key = (number[r["task_id"]], unit, r["round_id"])
        first[key] = approved
        filed.append(
            core.Filed(
                task=key[0],
                unit=unit,
                round=r["round_id"],
                state=r["state"],
                first_approved=_day(approved),
                status=r["status"],
                figures=r["figures"] or {},
                revise_by=r["revise_by"],
                progress=r.get("done_text", ""),
                problems=r.get("problems", ""),
                next_steps=r.get("next_steps", ""),
            )
        )
    plan_rounds = [r.id for r in rounds if r.kind == vocab.PLAN_ROUND]
    milestones: dict[str, list[MilestoneState]] = defaultdict(list)
    if plan_rounds:
        for task_id, unit_id, state, approved in Ledger.objects.filter(**scope).values_list(
            "task_id", "unit_id", "state", "first_approved_at"
        ):
            unit = names.get(unit_id)
            if unit is None or task_id not in number:
                continue
            for rid in plan_rounds:
                first[(number[task_id], unit, rid)] = approved
                filed.append(core.Filed(number[task_id], unit, rid, state, _day(approved)))
    for task_id, title, due, done in Milestone.objects.filter(
        **{"ledger__" + k: v for k, v in scope.items()}
    ).values_list("ledger__task_id", "title", "due", "done"):
        if task_id in number:
            milestones[number[task_id]].append(MilestoneState(title, due, done))
    return Loaded(plan, tasks, rounds, obligations, filed, dict(milestones), round_of, unit_ids, first)


def overview(plan, today: date, tasks=None, loaded: Loaded | None = None) -> Overview:
    loaded = loaded or load(plan, tasks)
    st = loaded.standing(today)
    by_round = {r.id: r for r in loaded.rounds}
    out = Overview(rounds=loaded.rounds, standing=st, loaded=loaded)
    out.current_round = by_round.get(st.current_round.key) if st.current_round else None
    tasks = {t.number: t for t in loaded.tasks}
    for number, ts in st.tasks.items():
        task = tasks[number]
        out.rows.append(
            TaskRow(task, ts.state, list(ts.units), list(ts.task.supports), [loaded.unit_ids.get(u) for u in ts.units])
        )
    out.by_status = Counter(st.by_state)
    sections = {tuple(t.section.path or [t.section.title]) if t.section else (): t.section for t in loaded.tasks}
    out.by_section = {sections.get(path): counts for path, counts in st.by_section.items()}
    out.by_unit = st.by_unit
    for owed in st.late:
        ob = owed.obligation
        out.late.append(
            LateReport(
                loaded.unit_ids.get(ob.unit),
                ob.unit,
                tasks[ob.task],
                by_round[ob.round.key],
                owed.timeliness,
                loaded.first_approved_at.get((ob.task, ob.unit, ob.round.key)) if owed.filed else None,
                ob.what,
            )
        )
    return out


__all__ = ["Loaded", "Overview", "Section", "TaskRow", "LateReport", "STATUS_ORDER", "load", "overview"]
