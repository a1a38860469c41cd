"""Reminder rules: which reminder an obligation is owed on a given day, and who hears it.

Plain Python, no Django.  The web application hands in what is due (``Due``,
built by one adapter from the round's obligations) and a government's
``Rules``; ``step_on`` says which step of the reminder ladder applies today:

- ``before-3``, ``before-1``: so many days before the due date (``Rules.before``);
- ``due``: on the due date;
- ``overdue-1``, ``overdue-4``, …: the first day after it and every ``Rules.overdue_every``
  days while it stays overdue, escalating — the unit's staff first, from
  ``Rules.head_after`` days overdue its head too, from ``Rules.office_after``
  days the office's list for the leader in charge.

Nothing is owed once the obligation is filed.  The step is the *latest* one
whose day has come, so a pass that missed a day (the server was down, the
person's digest had already gone out) sends the step that still applies,
never a pile of stale ones; the caller records each step it sent and never
sends the same one twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

# Who hears a step.
STAFF, HEAD, OFFICE = "staff", "head", "office"
AUDIENCES = {STAFF: "单位联络员", HEAD: "单位负责人", OFFICE: "督查室名单"}


@dataclass(frozen=True)
class Rules:
    """One government's reminder rules (defaults: 3 and 1 days before, on the day, every 3 days overdue)."""

    before: tuple[int, ...] = (3, 1)  # days before the due date
    on_day: bool = True
    overdue_every: int = 3  # 0: no reminders after the due date
    head_after: int = 3  # days overdue from which the unit's head hears it too
    office_after: int = 7  # days overdue from which the office's list hears it too
    quiet_start: time | None = time(22, 0)  # nothing leaves between quiet_start and quiet_end
    quiet_end: time | None = time(8, 0)
    kinds: tuple[str, ...] = ("plan", "progress", "annual")  # round kinds reminded
    stop_after: int = 90  # days overdue after which reminders stop (last year's gaps are not chased forever)

    def __post_init__(self):
        object.__setattr__(self, "before", tuple(sorted({int(d) for d in self.before if int(d) > 0}, reverse=True)))
        if self.overdue_every < 0 or self.head_after < 0 or self.office_after < 0:
            raise ValueError("提醒天数不能为负数")

    def quiet(self, at: time) -> bool:
        """Whether ``at`` falls in the quiet hours (a window may wrap past midnight)."""
        if self.quiet_start is None or self.quiet_end is None or self.quiet_start == self.quiet_end:
            return False
        if self.quiet_start < self.quiet_end:
            return self.quiet_start <= at < self.quiet_end
        return at >= self.quiet_start or at < self.quiet_end

    def next_loud(self, at: datetime) -> datetime:
        """The first moment at or after ``at`` outside the quiet hours."""
        if not self.quiet(at.time()):
            return at
        end = at.replace(hour=self.quiet_end.hour, minute=self.quiet_end.minute, second=0, microsecond=0)
        return end if end > at else end + timedelta(days=1)

    @property
    def first_day_offset(self) -> int:
        """How many days before its due date an obligation can first be reminded."""
        return max(self.before, default=0)


@dataclass(frozen=True)
class Due:
    """One obligation as the reminders need it: what is due, for which unit, in which round, by when."""

    task_id: int
    task_number: str
    task_text: str
    unit_id: int
    unit: str
    round_id: int
    round_title: str
    kind: str  # the round kind: plan / progress / annual
    due: date
    filed: bool
    what: str = "report"  # report / ledger / figures (a monitor's indicator figures)
    revision: bool = False  # returned by the office for revision: owed again by ``due``, its revision deadline
    # Which of the year's plans it is in, when not the work report's (民生实事): 任务 3 of which plan.
    plan_label: str = ""

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.task_id, self.unit_id, self.round_id)

    @property
    def label(self) -> str:
        """What is owed, as a digest line says it."""
        if self.kind == "plan":
            text = "落实方案和工作台账"
        elif self.what == "figures":
            text = f"{self.round_title}监测数据"
        else:
            text = self.round_title
        return text + ("（退回修改）" if self.revision else "")


@dataclass(frozen=True)
class Step:
    key: str  # before-3 / due / overdue-4
    day: date  # the day the step is for
    days: int  # days until the due date (negative: overdue by)
    audience: frozenset[str] = field(default_factory=lambda: frozenset({STAFF}))

    @property
    def label(self) -> str:
        return days_label(self.days)


def days_label(days: int) -> str:
    """还有3天截止 / 今天截止 / 已逾期5天, for ``days`` until the due date."""
    if days > 0:
        return f"还有{days}天截止"
    if days == 0:
        return "今天截止"
    return f"已逾期{-days}天"


def _audience(overdue: int, rules: Rules) -> frozenset[str]:
    who = {STAFF}
    if overdue >= rules.head_after:
        who.add(HEAD)
    if overdue >= rules.office_after:
        who.add(OFFICE)
    return frozenset(who)


def steps(due: date, rules: Rules, until: date) -> list[Step]:
    """Every step of the ladder for an obligation due on ``due``, up to and including ``until``."""
    out = [Step(f"before-{n}", due - timedelta(days=n), n) for n in rules.before]
    if rules.on_day:
        out.append(Step("due", due, 0))
    if rules.overdue_every > 0:
        late = 1
        while due + timedelta(days=late) <= until:
            out.append(Step(f"overdue-{late}", due + timedelta(days=late), -late, _audience(late, rules)))
            late += rules.overdue_every
    return [s for s in out if s.day <= until]


def step_on(item: Due, rules: Rules, today: date) -> Step | None:
    """The step an unfiled obligation is owed on ``today``: the latest whose day has come, or None.

    A report returned for revision climbs its own ladder to its revision deadline (``revise-before-1``, …).
    """
    if item.filed or item.kind not in rules.kinds:
        return None
    step = _step_on(item, rules, today)
    if step is not None and item.revision:
        return Step("revise-" + step.key, step.day, step.days, step.audience)
    return step


def _step_on(item: Due, rules: Rules, today: date) -> Step | None:
    if today < item.due - timedelta(days=rules.first_day_offset) and today < item.due:
        return None
    if (today - item.due).days > rules.stop_after:
        return None
    if rules.overdue_every > 0 and today > item.due:
        # Straight to the latest overdue step, without walking a long overdue ladder.
        late = (today - item.due).days
        late = 1 + ((late - 1) // rules.overdue_every) * rules.overdue_every
        return Step(f"overdue-{late}", item.due + timedelta(days=late), -late, _audience(late, rules))
    ladder = steps(item.due, rules, today)
    return ladder[-1] if ladder else None


@dataclass(frozen=True)
class Owed:
    """A reminder step owed today for one obligation."""

    item: Due
    step: Step


def owed(items: Iterable[Due], rules: Rules, today: date) -> list[Owed]:
    """The steps owed on ``today`` for every obligation, in due-date order."""
    out = []
    for item in items:
        step = step_on(item, rules, today)
        if step is not None:
            out.append(Owed(item, step))
    out.sort(key=lambda o: (o.item.due, o.item.unit, o.item.task_number))
    return out
