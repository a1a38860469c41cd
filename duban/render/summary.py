"""The figures of a reporting round, each traceable to the reports it counts.

Counting rules (``duban status`` and the dashboard count the same way):

- a **task** counts once.  When the round carries the tracker's judgement
  (``RoundData.judged``, filled by the web application from ``duban.track``)
  it counts under that colour — 已完成 / 序时推进 / 未启动 / 需关注 / 滞后, the
  five ``duban status`` prints — and every judged task counts, reports owed
  or not.  Without a judgement (a round assembled from ledgers) it counts with
  the status of its least advanced report (``RoundData.task_status``).
  Tasks of the plan not counted are listed apart as ``unreported_tasks``;
- a **report** is one (task, unit) entry of ``RoundData.reports``;
- a unit **did well** when it owes at least one report, sent all of them on
  time, and none of its tasks is behind or not started;
- a unit **lags** when one of its reports is late or missing or one of its
  tasks is behind.  Under a judgement a task coloured 滞后 is behind for the
  units whose report says behind, or for all its units when none does; one
  coloured 已完成 or 未启动 is that for all its units; 序时推进 and 需关注 take
  each unit's own report.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from duban.doc.model import Document
from duban.render.data import (
    BEHIND,
    DONE,
    LATE,
    MISSING,
    NOT_STARTED,
    ON_SCHEDULE,
    ON_TIME,
    REPORT_STATES,
    STATUS_LABELS,
    STATUSES,
    RoundData,
)
from duban.track import AT_RISK, CLAIMED, COLOURS, LAGGING, ON_TRACK

# The keys a judged round counts by, in the order ``duban status`` prints them.
TRACK_COLOURS = tuple(COLOURS)
# The order a sentence reads the figures in, for either set of keys: finished, going well, trouble, idle.
READING_ORDER = (DONE, CLAIMED, ON_SCHEDULE, ON_TRACK, AT_RISK, BEHIND, LAGGING, NOT_STARTED)


def status_label(key: str) -> str:
    """The label of a task status or of a tracker colour, as documents print it."""
    return STATUS_LABELS[key] if key in STATUS_LABELS else COLOURS[key][0]


@dataclass
class UnitStanding:
    unit: str
    reports: int = 0
    on_time: list[str] = field(default_factory=list)  # task numbers
    late: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    behind: list[str] = field(default_factory=list)
    not_started: list[str] = field(default_factory=list)
    done: list[str] = field(default_factory=list)

    @property
    def did_well(self) -> bool:
        return bool(self.reports) and len(self.on_time) == self.reports and not self.behind and not self.not_started

    @property
    def lags(self) -> bool:
        return bool(self.late or self.missing or self.behind)

    def to_json(self) -> dict:
        return {
            "unit": self.unit,
            "reports": self.reports,
            "on_time": self.on_time,
            "late": self.late,
            "missing": self.missing,
            "behind": self.behind,
            "not_started": self.not_started,
            "done": self.done,
        }


@dataclass
class LaggingTask:
    number: str
    text: str
    units: list[str]  # the units whose report says behind (under a judgement: all its units when none says so)
    reasons: list[tuple[str, str]]  # (unit, why it lags), one per such unit; unit "" for the tracker's own reason

    def to_json(self) -> dict:
        return {
            "number": self.number,
            "text": self.text,
            "units": self.units,
            "reasons": [{"unit": u, "reason": r} for u, r in self.reasons],
        }


@dataclass
class RoundSummary:
    round: str
    task_counts: dict[str, int]  # status (or tracker colour, when judged) → number of tasks
    report_counts: dict[str, int]  # report state → number of reports
    tasks_by_status: dict[str, list[str]]  # status → task numbers: the evidence for task_counts
    reports_by_state: dict[str, list[tuple[str, str]]]  # state → (task, unit): the evidence for report_counts
    units: list[UnitStanding]
    lagging_tasks: list[LaggingTask]
    unreported_tasks: list[str]  # plan tasks not counted: no report owed this round and no judgement
    judged: bool = False  # counted by duban.track's colours rather than by the reports

    @property
    def tasks(self) -> int:
        return sum(self.task_counts.values())

    @property
    def reports(self) -> int:
        return sum(self.report_counts.values())

    @property
    def reading_order(self) -> list[str]:
        """The keys of ``task_counts`` in the order a sentence reads them (已完成 first, 未启动 last)."""
        # 待确认 is named only when a claim waits for the office.
        return [k for k in READING_ORDER if k in self.task_counts and (k != CLAIMED or self.task_counts[k])]

    @property
    def attention_tasks(self) -> list[str]:
        """Tasks coloured 需关注 (judged rounds only)."""
        return self.tasks_by_status.get(AT_RISK, [])

    def status_of(self, number: str) -> str | None:
        """The key a task is counted under, None when it is not counted."""
        return next((k for k, numbers in self.tasks_by_status.items() if number in numbers), None)

    @property
    def good_units(self) -> list[UnitStanding]:
        return sorted((u for u in self.units if u.did_well), key=lambda u: (-len(u.done), u.unit))

    @property
    def lagging_units(self) -> list[UnitStanding]:
        return sorted(
            (u for u in self.units if u.lags),
            key=lambda u: (-(len(u.behind) + len(u.missing) + len(u.late)), u.unit),
        )

    def to_json(self) -> dict:
        return {
            "round": self.round,
            "counted_by": "duban.track" if self.judged else "reports",
            "task_labels": {k: status_label(k) for k in self.task_counts},
            "tasks": self.tasks,
            "task_counts": self.task_counts,
            "reports": self.reports,
            "report_counts": self.report_counts,
            "tasks_by_status": self.tasks_by_status,
            "reports_by_state": {k: [list(p) for p in v] for k, v in self.reports_by_state.items()},
            "good_units": [u.unit for u in self.good_units],
            "lagging_units": [u.unit for u in self.lagging_units],
            "units": [u.to_json() for u in self.units],
            "lagging_tasks": [t.to_json() for t in self.lagging_tasks],
            "unreported_tasks": self.unreported_tasks,
        }


def _task_order(doc: Document):
    order = {t.number: i for i, t in enumerate(doc.tasks)}
    return lambda number: (order.get(number, len(order)), number)


def round_summary(doc: Document, round_data: RoundData) -> RoundSummary:
    """Count ``round_data`` against ``doc``; raises ``DubanError`` for reports on tasks the plan does not have."""
    from duban.errors import DubanError

    numbers = {t.number for t in doc.tasks}
    reported = {r.task for r in round_data.reports}
    unknown = sorted((reported | set(round_data.judged)) - numbers)
    if unknown:
        raise DubanError(f"报送数据中的任务 {'、'.join(unknown[:5])} 不在这份计划中")
    order = _task_order(doc)
    judged = bool(round_data.judged)
    if judged:
        unjudged = sorted(reported - set(round_data.judged), key=order)
        if unjudged:
            raise DubanError(f"报送数据判定了部分任务的状态，但没有判定任务 {'、'.join(unjudged[:5])}")
        counted = sorted(round_data.judged, key=order)
        tasks_by_status: dict[str, list[str]] = {c: [] for c in TRACK_COLOURS}
        for number in counted:
            tasks_by_status[round_data.judged[number]].append(number)
    else:
        counted = sorted(reported, key=order)
        tasks_by_status = {s: [] for s in STATUSES}
        for number in counted:
            tasks_by_status[round_data.task_status(number)].append(number)

    blamed = _blamed_reports(round_data) if judged else {}
    reports_by_state: dict[str, list[tuple[str, str]]] = {s: [] for s in REPORT_STATES}
    units: dict[str, UnitStanding] = {}
    for report in sorted(round_data.reports, key=lambda r: (order(r.task), r.unit)):
        reports_by_state[report.report].append((report.task, report.unit))
        standing = units.setdefault(report.unit, UnitStanding(report.unit))
        standing.reports += 1
        {ON_TIME: standing.on_time, LATE: standing.late, MISSING: standing.missing}[report.report].append(report.task)
        status = _unit_status(report, round_data.judged.get(report.task), blamed) if judged else report.status
        if status == BEHIND:
            standing.behind.append(report.task)
        elif status == NOT_STARTED:
            standing.not_started.append(report.task)
        elif status == DONE:
            standing.done.append(report.task)

    texts = {t.number: t.text for t in doc.tasks}
    lagging = []
    for number in tasks_by_status[LAGGING if judged else BEHIND]:
        behind = blamed.get(number) if judged else [r for r in round_data.for_task(number) if r.status == BEHIND]
        tracker = round_data.judged_reasons.get(number, "")
        reasons = [(r.unit, r.reasons or r.problems or tracker or "未说明原因") for r in behind]
        lagging.append(
            LaggingTask(number=number, text=texts[number], units=[r.unit for r in behind], reasons=reasons)
            if behind
            else LaggingTask(number=number, text=texts[number], units=[], reasons=[("", tracker or "未说明原因")])
        )
    counted_set = set(counted)
    return RoundSummary(
        round=round_data.name,
        task_counts={s: len(v) for s, v in tasks_by_status.items()},
        report_counts={s: len(v) for s, v in reports_by_state.items()},
        tasks_by_status=tasks_by_status,
        reports_by_state=reports_by_state,
        units=sorted(units.values(), key=lambda u: u.unit),
        lagging_tasks=lagging,
        unreported_tasks=[t.number for t in doc.tasks if t.number not in counted_set],
        judged=judged,
    )


def _blamed_reports(round_data: RoundData) -> dict[str, list]:
    """For each task the tracker colours 滞后: the reports that say behind, else all of its reports."""
    blamed = {}
    for number, colour in round_data.judged.items():
        if colour == LAGGING:
            reports = round_data.for_task(number)
            blamed[number] = [r for r in reports if r.status == BEHIND] or reports
    return blamed


def _unit_status(report, colour: str, blamed: dict[str, list]) -> str:
    """Where a unit stands on a judged task (see the counting rules above)."""
    if colour == LAGGING:
        return BEHIND if any(r is report for r in blamed[report.task]) else report.status
    if colour in (DONE, NOT_STARTED):
        return colour  # the tracker's done / not_started are the reports' keys too
    if colour == ON_TRACK:
        return ON_SCHEDULE
    return report.status  # 需关注: what the unit itself reported
