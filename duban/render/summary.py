"""The figures of a reporting round, each traceable to the reports it counts.

Counting rules (the web application's ``duban status`` should count the same way):

- a **task** counts once, with the status of its least advanced report this
  round (``RoundData.task_status``); tasks of the plan that owe no report this
  round are counted apart as ``unreported_tasks``;
- a **report** is one (task, unit) entry of ``RoundData.reports``;
- a unit **did well** when it owes at least one report, sent all of them on
  time, and none of its tasks is behind or not started;
- a unit **lags** when one of its reports is late or missing or one of its
  reported tasks is behind.
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
    ON_TIME,
    REPORT_STATES,
    STATUSES,
    RoundData,
)


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
    units: list[str]  # the units whose report says behind
    reasons: list[tuple[str, str]]  # (unit, why it lags), one per such unit

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
    task_counts: dict[str, int]  # status → number of tasks
    report_counts: dict[str, int]  # report state → number of reports
    tasks_by_status: dict[str, list[str]]  # status → task numbers: the evidence for task_counts
    reports_by_state: dict[str, list[tuple[str, str]]]  # state → (task, unit): the evidence for report_counts
    units: list[UnitStanding]
    lagging_tasks: list[LaggingTask]
    unreported_tasks: list[str]  # plan tasks with no report owed this round

    @property
    def tasks(self) -> int:
        return sum(self.task_counts.values())

    @property
    def reports(self) -> int:
        return sum(self.report_counts.values())

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
    unknown = sorted({r.task for r in round_data.reports} - numbers)
    if unknown:
        raise DubanError(f"报送数据中的任务 {'、'.join(unknown[:5])} 不在这份计划中")
    order = _task_order(doc)
    reported = sorted({r.task for r in round_data.reports}, key=order)

    tasks_by_status: dict[str, list[str]] = {s: [] for s in STATUSES}
    for number in reported:
        tasks_by_status[round_data.task_status(number)].append(number)
    reports_by_state: dict[str, list[tuple[str, str]]] = {s: [] for s in REPORT_STATES}
    units: dict[str, UnitStanding] = {}
    for report in sorted(round_data.reports, key=lambda r: (order(r.task), r.unit)):
        reports_by_state[report.report].append((report.task, report.unit))
        standing = units.setdefault(report.unit, UnitStanding(report.unit))
        standing.reports += 1
        {ON_TIME: standing.on_time, LATE: standing.late, MISSING: standing.missing}[report.report].append(report.task)
        if report.status == BEHIND:
            standing.behind.append(report.task)
        elif report.status == NOT_STARTED:
            standing.not_started.append(report.task)
        elif report.status == DONE:
            standing.done.append(report.task)

    texts = {t.number: t.text for t in doc.tasks}
    lagging = []
    for number in tasks_by_status[BEHIND]:
        behind = [r for r in round_data.for_task(number) if r.status == BEHIND]
        lagging.append(
            LaggingTask(
                number=number,
                text=texts[number],
                units=[r.unit for r in behind],
                reasons=[(r.unit, r.reasons or r.problems or "未说明原因") for r in behind],
            )
        )
    return RoundSummary(
        round=round_data.name,
        task_counts={s: len(v) for s, v in tasks_by_status.items()},
        report_counts={s: len(v) for s, v in reports_by_state.items()},
        tasks_by_status=tasks_by_status,
        reports_by_state=reports_by_state,
        units=sorted(units.values(), key=lambda u: u.unit),
        lagging_tasks=lagging,
        unreported_tasks=[t.number for t in doc.tasks if t.number not in set(reported)],
    )
