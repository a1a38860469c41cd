"""The reporting round: who owes what, and where everything stands.

Two functions, one rule each, read by everything that counts (the dashboard
and leader views, ``duban status``, the plan .xlsx, bulletins, the year-end
account, the API):

- ``obligations(plan, rounds, members)``: who owes what in each round.  In a
  plan round (落实方案和工作台账) and each progress or annual round, every
  lead and every responsible unit of a task owes its ledger or report; a
  monitor (监测) owes the figures of the task's indicators in each progress
  and annual round.  A collective (各镇人民政府) owes through each of its
  members; a collective whose members nobody has listed owes as itself and
  is shown as 未列明成员 — not missing forever.
- ``standing(obligations, filed, milestones, indicators, today)``: each
  obligation's timeliness, each task's state, and counts by section, area,
  unit and leader.

Timeliness is fair: it is the day the unit's head *first* signed off.  A
report the office returns for revision is 退回修改 with its own deadline and
keeps the timeliness of its first sign-off; a report signed before its round
is due counts for its round (and for the task's state) at once.

Status integrity: a unit's 已完成 is a claim — the task is 待确认 — until the
office accepts the report.

Plain Python, no Django: the web application hands in plain values.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from duban import vocab
from duban.track.status import (
    IndicatorCheck,
    MilestoneState,
    TaskState,
    check_indicator,
    task_state,
)

# A collective nobody has listed the members of: it owes as itself, shown as such.
NO_MEMBERS = "no_members"
NO_MEMBERS_LABEL = "集合单位未列明成员"
LOWER_IS_BETTER = ("以内", "以下", "不超过", "控制在")
# The report states that count as in: signed off by the head (and perhaps accepted).
IN_STATES = (vocab.SUBMITTED, vocab.ACCEPTED)
# When several units report on one task, the task is as far along as its least advanced report.
_WORST_FIRST = (vocab.BEHIND, vocab.NOT_STARTED, vocab.ON_SCHEDULE, vocab.DONE)


@dataclass(frozen=True)
class Round:
    key: object  # the caller's id for the round (a database id, a title)
    kind: str  # vocab.ROUND_KINDS
    title: str
    due: date


@dataclass(frozen=True)
class Obligation:
    task: str  # the task's number
    unit: str  # the unit that owes it
    round: Round
    role: str  # vocab.ROLES: lead / responsible owe a report or ledger, monitor owes figures
    via: str | None = None  # the collective the unit owes for (各镇人民政府), if any
    no_members: bool = False  # the unit is a collective with no listed members

    @property
    def what(self) -> str:
        if self.role == vocab.MONITOR:
            return "figures"
        return "ledger" if self.round.kind == vocab.PLAN_ROUND else "report"


@dataclass(frozen=True)
class PlanTask:
    """What the round needs to know of a task."""

    number: str
    section: tuple[str, ...]  # every heading above it, outermost first
    text: str = ""
    reporting: tuple[str, ...] = ()  # the lead and responsible units as written (a collective unexpanded)
    responsible: tuple[str, ...] = ()  # those of ``reporting`` that are responsible (负责), not leads
    supports: tuple[str, ...] = ()
    monitors: tuple[str, ...] = ()
    leaders: tuple[str, ...] = ()
    indicators: tuple[Mapping, ...] = ()  # duban.doc.model.Indicator.to_json()

    @property
    def area(self) -> str:
        return self.section[0] if self.section else ""


@dataclass
class Obligations:
    year: int
    tasks: list[PlanTask]
    rounds: list[Round]
    items: list[Obligation]
    # Each task's reporting units after expanding collectives, in plan order.
    units_of: dict[str, list[str]] = field(default_factory=dict)
    no_members: list[str] = field(default_factory=list)  # the collectives owing as themselves

    def in_round(self, rnd: Round) -> list[Obligation]:
        return [o for o in self.items if o.round.key == rnd.key]


def _plan_tasks(plan) -> list[PlanTask]:
    """``plan``: PlanTasks already, or anything with ``.tasks`` of ``duban.doc.model.Task``."""
    tasks = plan if isinstance(plan, list | tuple) else plan.tasks
    out = []
    for t in tasks:
        if isinstance(t, PlanTask):
            out.append(t)
            continue
        out.append(
            PlanTask(
                number=str(t.number),
                section=tuple(t.section or ()),
                text=t.text,
                reporting=tuple(u.name for u in t.units if u.role in vocab.REPORTING_ROLES),
                responsible=tuple(u.name for u in t.units if u.role == vocab.RESPONSIBLE),
                supports=tuple(u.name for u in t.units if u.role == vocab.SUPPORT),
                monitors=tuple(u.name for u in t.units if u.role == vocab.MONITOR),
                leaders=tuple(getattr(t, "leaders", ()) or ()),
                indicators=tuple(i.to_json() if hasattr(i, "to_json") else dict(i) for i in t.indicators),
            )
        )
    return out


def obligations(
    plan, rounds: Iterable[Round], members: Mapping[str, Iterable[str]], collectives: Iterable[str] = ()
) -> Obligations:
    """Who owes what in each round.

    ``members``: collective name → its members' names (an empty list when none are listed);
    ``collectives``: other names known to be collectives (a notice's 各有关单位) with no list.
    """
    tasks = _plan_tasks(plan)
    rounds = sorted(rounds, key=lambda r: (r.due, str(r.key)))
    members = {k: list(v) for k, v in members.items()}
    collective = set(members) | set(collectives)
    year = getattr(plan, "year", None) or (rounds[-1].due.year if rounds else date.today().year)

    def expand(names) -> list[tuple[str, str | None, bool]]:
        out: list[tuple[str, str | None, bool]] = []
        for name in names:
            if name in collective and members.get(name):
                out.extend((m, name, False) for m in members[name])
            else:
                out.append((name, None, name in collective))
        seen, unique = set(), []
        for item in out:
            if item[0] not in seen:
                seen.add(item[0])
                unique.append(item)
        return unique

    items: list[Obligation] = []
    units_of: dict[str, list[str]] = {}
    lonely: dict[str, None] = {}  # in order of first appearance (a dict: a list's `in` made this quadratic)
    for task in tasks:
        reporting = expand(task.reporting)
        units_of[task.number] = [u for u, _, _ in reporting]
        lonely.update((u, None) for u, _, alone in reporting if alone)
        monitoring = expand(task.monitors) if task.indicators else []
        for rnd in rounds:
            for unit, via, alone in reporting:
                role = vocab.RESPONSIBLE if (via or unit) in task.responsible else vocab.LEAD
                items.append(Obligation(task.number, unit, rnd, role, via, alone))
            if rnd.kind in vocab.REPORT_ROUND_KINDS:
                for unit, via, alone in monitoring:
                    items.append(Obligation(task.number, unit, rnd, vocab.MONITOR, via, alone))
    return Obligations(year=year, tasks=tasks, rounds=rounds, items=items, units_of=units_of, no_members=list(lonely))


# --- what was filed ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filed:
    """A report, ledger or monitor's figures as filed for one (task, unit, round)."""

    task: str
    unit: str
    round: object  # Round.key
    state: str  # vocab.REPORT_STATES
    first_approved: date | None = None  # the day the head first signed off; None when never
    status: str | None = None  # vocab.REPORT_STATUSES: the report's own verdict
    figures: Mapping[str, float] = field(default_factory=dict)
    revise_by: date | None = None  # returned by the office: the revision's own deadline
    progress: str = ""
    problems: str = ""
    next_steps: str = ""

    def is_in(self, today: date) -> bool:
        """Signed off by the head and not returned for revision.  A sign-off dated after ``today``
        counts too (as late, if after the due date): a round's account taken as of an earlier day
        still knows who reported since."""
        return self.state in IN_STATES and self.first_approved is not None


@dataclass(frozen=True)
class Figure:
    """An indicator's figure known apart from the units' reports (e.g. from a statistics office)."""

    task: str
    name: str
    value: float
    on: date


# --- where everything stands -----------------------------------------------------------------------


@dataclass
class Owed:
    """One obligation as it stands."""

    obligation: Obligation
    timeliness: str  # vocab.TIMELINESS key or NO_MEMBERS
    filed: Filed | None = None
    returned: bool = False  # returned by the office for revision, not yet signed off again
    revise_by: date | None = None

    @property
    def shown(self) -> str:
        """What a page shows: 退回修改 while a return is open, else the timeliness."""
        return vocab.RETURNED_FOR_REVISION if self.returned else self.timeliness

    @property
    def label(self) -> str:
        return NO_MEMBERS_LABEL if self.shown == NO_MEMBERS else vocab.TIMELINESS.label(self.shown)

    @property
    def overdue(self) -> bool:
        """What to chase: a late or missing obligation of a passed round."""
        return self.timeliness in (vocab.LATE, vocab.MISSING)


@dataclass
class TaskStanding:
    task: PlanTask
    state: TaskState
    units: list[str]  # reporting units, collectives expanded
    latest_round: Round | None = None  # the round whose reports the state reads


@dataclass
class Standing:
    today: date
    obligations: Obligations
    items: list[Owed]
    tasks: dict[str, TaskStanding]  # number → standing, in plan order
    current_round: Round | None  # the latest progress / annual round past due
    by_state: Counter = field(default_factory=Counter)
    by_section: dict[tuple[str, ...], Counter] = field(default_factory=dict)
    by_area: dict[str, Counter] = field(default_factory=dict)
    by_unit: dict[str, Counter] = field(default_factory=dict)
    by_leader: dict[str, Counter] = field(default_factory=dict)

    def in_round(self, rnd: Round) -> list[Owed]:
        return [s for s in self.items if s.obligation.round.key == rnd.key]

    @property
    def late(self) -> list[Owed]:
        """Late and missing obligations of passed rounds: missing first, the latest round first."""
        out = [s for s in self.items if s.overdue]
        out.sort(key=lambda s: late_order(s.timeliness, s.obligation.round.due, s.obligation.unit))
        return out

    def report_counts(self, rnd: Round) -> dict[str, int]:
        counts = dict.fromkeys(vocab.TIMELINESS.keys, 0)
        counts[NO_MEMBERS] = 0
        for s in self.in_round(rnd):
            if s.obligation.role != vocab.MONITOR:
                counts[s.timeliness] += 1
        return counts


def late_order(timeliness: str, due: date, unit: str) -> tuple:
    """Where a late or missing obligation comes in the list the office chases: missing first, then the
    latest round first, then by unit; obligations equal on all three stay in plan order (a stable sort)."""
    return (timeliness != vocab.MISSING, -due.toordinal(), unit)


def tally(tasks: Iterable[tuple[str, object, Iterable[str]]]) -> tuple[Counter, dict, dict]:
    """Counts of task states: overall, by section and by unit (the most lagging unit first), of each task's
    (state, section, reporting units) in plan order.  ``standing`` counts with it, and so does a page that
    puts an account together from tasks' standings kept apart (``duban.web.services.overview``)."""
    by_state: Counter = Counter()
    by_section: dict = {}
    by_unit: dict[str, Counter] = {}
    for status, section, units in tasks:
        by_state[status] += 1
        by_section.setdefault(section, Counter())[status] += 1
        for unit in units:
            by_unit.setdefault(unit, Counter())[status] += 1
    by_unit = dict(sorted(by_unit.items(), key=lambda kv: (-kv[1][vocab.LAGGING], kv[0])))
    return by_state, by_section, by_unit


def lower_is_better(indicator: Mapping) -> bool:
    return (indicator.get("qualifier") or "") in LOWER_IS_BETTER or "控制在" in (indicator.get("text") or "")


def timeliness(due: date, filed: Filed | None, today: date) -> tuple[str, bool, date | None]:
    """(timeliness, returned, revise_by) of one obligation as of ``today``.

    The head's first sign-off decides: by the due date on time, after it late.  A report the
    office returned keeps that verdict and is shown 退回修改 until it is signed again.
    """
    first = filed.first_approved if filed is not None else None
    if first is not None:
        verdict = vocab.ON_TIME if first <= due else vocab.LATE
        returned = filed.state not in IN_STATES
        return verdict, returned, filed.revise_by if returned else None
    return (vocab.MISSING if today > due else vocab.PENDING), False, None


def standing(
    obs: Obligations,
    filed: Iterable[Filed],
    milestones: Mapping[str, Iterable[MilestoneState]],
    indicators: Iterable[Figure] = (),
    today: date | None = None,
) -> Standing:
    """Where every obligation and task stands on ``today``.

    ``milestones``: task number → its ledgers' milestones; ``indicators``: figures known apart
    from the reports (a monitor's figures come in ``filed`` like a report).
    """
    today = today or date.today()
    got: dict[tuple[str, str, object], Filed] = {(f.task, f.unit, f.round): f for f in filed}
    extra: dict[str, list[Figure]] = {}
    for fig in indicators:
        if fig.on <= today:
            extra.setdefault(fig.task, []).append(fig)

    items: list[Owed] = []
    by_task: dict[str, list[Owed]] = {}
    for ob in obs.items:
        f = got.get((ob.task, ob.unit, ob.round.key))
        verdict, returned, revise_by = timeliness(ob.round.due, f, today)
        if ob.no_members and verdict in (vocab.MISSING, vocab.PENDING):
            verdict = NO_MEMBERS
        one = Owed(ob, verdict, f, returned, revise_by)
        items.append(one)
        by_task.setdefault(ob.task, []).append(one)

    report_rounds = [r for r in obs.rounds if r.kind in vocab.REPORT_ROUND_KINDS]
    passed = [r for r in report_rounds if r.due < today]
    current = passed[-1] if passed else None

    out = Standing(today=today, obligations=obs, items=items, tasks={}, current_round=current)
    for task in obs.tasks:
        mine = by_task.get(task.number, [])
        reports = [s for s in mine if s.obligation.role != vocab.MONITOR and s.obligation.round.kind != "plan"]
        latest = None
        in_latest: list[Owed] = []
        # The latest round with a report in: a passed round, or one not yet due whose reports came early.
        for rnd in reversed(report_rounds):
            here = [s for s in reports if s.obligation.round.key == rnd.key and s.filed and s.filed.is_in(today)]
            if here:
                latest, in_latest = rnd, here
                break
        reported, accepted = None, False
        if in_latest:
            statuses = {s.filed.status for s in in_latest}
            reported = next((w for w in _WORST_FIRST if w in statuses), None)
            accepted = all(s.filed.state == vocab.ACCEPTED for s in in_latest if s.filed.status == vocab.DONE)
        missing_now = current is not None and any(
            s.obligation.round.key == current.key and s.timeliness == vocab.MISSING for s in reports
        )
        checks = _checks(task, mine, extra.get(task.number, []), today, obs.year)
        state = task_state(
            today=today,
            reported_status=reported,
            done_accepted=accepted,
            milestones=list(milestones.get(task.number, ())),
            indicators=checks,
            report_missing=missing_now,
        )
        units = obs.units_of.get(task.number, [])
        out.tasks[task.number] = TaskStanding(task, state, units, latest)
        out.by_area.setdefault(task.area, Counter())[state.status] += 1
        for leader in task.leaders:
            out.by_leader.setdefault(leader, Counter())[state.status] += 1
    out.by_state, out.by_section, out.by_unit = tally(
        (ts.state.status, ts.task.section, ts.units) for ts in out.tasks.values()
    )
    return out


def _checks(task: PlanTask, mine: list[Owed], extra: list[Figure], today: date, year: int):
    """Each indicator against 序时进度, from the latest figure anyone gave for it by ``today``.

    A monitor measures independently: its figure wins over the reporting units' of the same round.
    """
    if not task.indicators:
        return []
    latest: dict[str, tuple[date, int, float]] = {}  # name → (as of, precedence, value)
    for s in mine:
        f = s.filed
        if f is None or not f.figures or not f.is_in(today) or s.obligation.round.kind == vocab.PLAN_ROUND:
            continue
        rank = 1 if s.obligation.role == vocab.MONITOR else 0
        on = min(s.obligation.round.due, today)
        for name, value in f.figures.items():
            key = (on, rank)
            if name not in latest or key >= latest[name][:2]:
                latest[name] = (on, rank, float(value))
    for fig in extra:
        if fig.name not in latest or (fig.on, 2) >= latest[fig.name][:2]:
            latest[fig.name] = (fig.on, 2, float(fig.value))
    checks: list[IndicatorCheck] = []
    for ind in task.indicators:
        name = ind.get("name")
        if name in latest:
            on, _, value = latest[name]
            checks.append(
                check_indicator(
                    name, float(ind["value"]), value, ind.get("kind", "level"), on, year, lower_is_better(ind)
                )
            )
    return checks
