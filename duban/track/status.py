"""Task colours and report timeliness.

A task's colour combines three signals, worst first:

1. what its units reported (behind → lagging; done → done),
2. its milestones (a milestone past its date and not done → lagging),
3. its indicators against time-proportional progress (序时进度): a level or
   count target (200 个项目, 300 亿元) is expected to be ``share`` done by a
   date, where ``share`` is the part of the year elapsed; a growth or share
   target (增长 5.5%) is a rate, compared with the target directly.

A task whose report for a passed round is missing is at risk: nobody knows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from duban import vocab

# Task states, from best to worst (duban.vocab.TASK_STATES).
DONE = vocab.TASK_DONE
CLAIMED = vocab.TASK_CLAIMED  # the unit says 已完成; the office has not accepted it yet
ON_TRACK = vocab.ON_TRACK
NOT_STARTED = vocab.TASK_NOT_STARTED
AT_RISK = vocab.AT_RISK
LAGGING = vocab.LAGGING

# key → (label, colour), read from the vocabulary.
COLOURS = {w.key: (w.label, w.colour) for w in vocab.TASK_STATES.words}
SEVERITY = {key: i for i, key in enumerate(vocab.TASK_STATES.keys)}

# Report timeliness for one obligation (duban.vocab.TIMELINESS).
REPORT_ON_TIME = vocab.ON_TIME
REPORT_LATE = vocab.LATE  # the head first signed off after the due date
REPORT_MISSING = vocab.MISSING  # due date passed, never signed off
REPORT_PENDING = vocab.PENDING  # not due yet, not signed off
REPORT_RETURNED = vocab.RETURNED_FOR_REVISION  # returned by the office, its own deadline not yet passed

# Below this fraction of the expected figure a task is lagging; between it and 1 at risk.
LAG_THRESHOLD = 0.9
RATE_KINDS = ("growth", "share")


def expected_share(on: date, year: int) -> float:
    """The part of ``year`` elapsed at the end of day ``on``: 序时进度 (30 June ≈ 0.5)."""
    start = date(year, 1, 1)
    days_in_year = (date(year + 1, 1, 1) - start).days
    elapsed = (on - start).days + 1
    return min(1.0, max(0.0, elapsed / days_in_year))


@dataclass
class IndicatorCheck:
    name: str
    target: float
    actual: float
    expected: float  # what the figure should be by now
    ratio: float  # actual / expected
    verdict: str  # ON_TRACK | AT_RISK | LAGGING


def check_indicator(
    name: str, target: float, actual: float, kind: str, on: date, year: int, lower_is_better: bool = False
) -> IndicatorCheck:
    """Compare a reported figure with what the target implies by ``on``."""
    if kind in RATE_KINDS:
        expected = target
    else:
        expected = target * expected_share(on, year)
    if lower_is_better:
        # 控制在 5.5% 以内: staying at or below the ceiling is on track.
        ratio = (expected / actual) if actual else 1.0
    elif expected == 0:
        ratio = 1.0
    else:
        ratio = actual / expected
    if ratio >= 1.0:
        verdict = ON_TRACK
    elif ratio >= LAG_THRESHOLD:
        verdict = AT_RISK
    else:
        verdict = LAGGING
    return IndicatorCheck(name=name, target=target, actual=actual, expected=expected, ratio=ratio, verdict=verdict)


@dataclass
class MilestoneState:
    title: str
    due: date | None
    done: bool


@dataclass
class TaskState:
    status: str
    reasons: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return COLOURS[self.status][0]

    @property
    def colour(self) -> str:
        return COLOURS[self.status][1]


def task_state(
    *,
    today: date,
    reported_status: str | None,
    done_accepted: bool = True,
    milestones: list[MilestoneState] = (),
    indicators: list[IndicatorCheck] = (),
    report_missing: bool = False,
) -> TaskState:
    """The colour of one task from everything known about it.

    ``reported_status`` is the latest submitted report's own verdict:
    ``not_started`` / ``on_schedule`` / ``behind`` / ``done`` or None.  A ``done`` the office
    has not accepted yet (``done_accepted`` False) is a claim: 待确认.
    """
    if reported_status == vocab.DONE:
        if done_accepted:
            return TaskState(DONE, ["单位报告已完成，督查审核通过"])
        return TaskState(CLAIMED, ["单位报告已完成，待督查确认"])
    status = ON_TRACK if reported_status == vocab.ON_SCHEDULE else NOT_STARTED
    reasons: list[str] = []

    def worsen(to: str, why: str) -> None:
        nonlocal status
        reasons.append(why)
        if SEVERITY[to] > SEVERITY[status]:
            status = to

    if reported_status == vocab.BEHIND:
        worsen(LAGGING, "单位报告进度滞后")
    overdue = [m for m in milestones if m.due and m.due < today and not m.done]
    for m in overdue:
        worsen(LAGGING, f"节点“{m.title}”已过期（{m.due.isoformat()}）未完成")
    for check in indicators:
        if check.verdict != ON_TRACK:
            worsen(
                check.verdict,
                f"{check.name}：实际 {check.actual:g}，序时应达 {check.expected:g}（{check.ratio:.0%}）",
            )
    if report_missing:
        worsen(AT_RISK, "本轮进展报告未报送")
    if status == NOT_STARTED and milestones and any(m.done for m in milestones):
        status = ON_TRACK
    return TaskState(status, reasons)


def report_timeliness(due: date, submitted_on: date | None, today: date) -> str:
    """On time, late, missing (due and not in) or pending (not yet due); ``submitted_on`` is the
    head's first sign-off (see ``duban.track.round.timeliness``)."""
    if submitted_on is not None:
        return REPORT_ON_TIME if submitted_on <= due else REPORT_LATE
    return REPORT_MISSING if today > due else REPORT_PENDING
