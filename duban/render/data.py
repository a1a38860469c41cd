"""Progress data the renderers read: what units filed, round by round.

The web application builds these from its database (Task, Assignment,
ReportingRound, ProgressReport, Milestone …); the command line reads them
from JSON (``duban.round/1`` and ``duban.ledger/1``).  Plain dataclasses, so
both sides can fill them without knowing about Word or Excel.

Statuses and report states are stored as the English keys below; the
Chinese labels are what appear in documents and spreadsheets.

A round may also carry ``judged``: the colour ``duban.track`` gives each task
(the dashboard's and ``duban status``'s judgement: reported status, overdue
milestones, indicators against 序时进度, a missing report).  When present,
the figures of a bulletin count tasks by it, so they are the ones ``duban
status`` prints; a round assembled from ledgers has none and counts by the
units' reported statuses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from duban import vocab
from duban.track import COLOURS

ROUND_SCHEMA = "duban.round/1"
LEDGER_SCHEMA = "duban.ledger/1"

NOT_STARTED, ON_SCHEDULE, BEHIND, DONE = vocab.REPORT_STATUSES.keys
STATUSES = vocab.REPORT_STATUSES.keys


# The four statuses a unit reports (duban.vocab); a judged round's tracker colours are labelled by
# ``duban.render.summary.status_label``.
STATUS_LABELS = vocab.REPORT_STATUSES.labels

ON_TIME, LATE, MISSING = vocab.COUNTED_TIMELINESS
REPORT_STATES = vocab.COUNTED_TIMELINESS
REPORT_LABELS = {k: vocab.TIMELINESS.label(k) for k in REPORT_STATES}

# When several units report on one task, the task is as far along as its
# least advanced report: one unit behind makes the task behind.
_TASK_STATUS_RANK = {BEHIND: 0, NOT_STARTED: 1, ON_SCHEDULE: 2, DONE: 3}

ROUND_KINDS = vocab.ROUND_KINDS.keys


def _date(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _check(value: str, allowed, what: str) -> str:
    if value not in allowed:
        raise ValueError(f"{what}“{value}”无效，应为 {'、'.join(allowed)} 之一")
    return value


@dataclass
class TaskReport:
    """One unit's progress report on one task in one round.

    ``report`` says whether the report came in (on time, late, missing); a
    missing report still carries the task's last known ``status``.
    """

    task: str  # Task.number
    unit: str  # the reporting unit's name as in the plan
    status: str = NOT_STARTED  # one of STATUSES
    report: str = MISSING  # one of REPORT_STATES
    progress: str = ""  # 进展情况: what was done
    reasons: str = ""  # 滞后原因: why it lags (read when status is behind)
    problems: str = ""  # 存在问题
    next_steps: str = ""  # 下步打算
    figures: dict[str, float] = field(default_factory=dict)  # indicator name → value reached
    submitted: date | None = None

    def __post_init__(self) -> None:
        self.task = str(self.task)
        _check(self.status, STATUSES, "任务状态")
        _check(self.report, REPORT_STATES, "报送状态")

    def to_json(self) -> dict:
        return {
            "task": self.task,
            "unit": self.unit,
            "status": self.status,
            "report": self.report,
            "progress": self.progress,
            "reasons": self.reasons,
            "problems": self.problems,
            "next_steps": self.next_steps,
            "figures": dict(self.figures),
            "submitted": self.submitted.isoformat() if self.submitted else None,
        }

    @classmethod
    def from_json(cls, data: dict) -> TaskReport:
        return cls(
            task=str(data["task"]),
            unit=data["unit"],
            status=data.get("status", NOT_STARTED),
            report=data.get("report", MISSING),
            progress=data.get("progress") or "",
            reasons=data.get("reasons") or "",
            problems=data.get("problems") or "",
            next_steps=data.get("next_steps") or "",
            figures={str(k): float(v) for k, v in (data.get("figures") or {}).items()},
            submitted=_date(data.get("submitted")),
        )


@dataclass
class RoundData:
    """A reporting round (一季度 / 半年 / 前三季度 / 全年) and every report owed in it.

    ``reports`` holds one entry per (task, reporting unit) that owes a report
    in this round — the lead for a led task, each responsible unit otherwise.
    """

    name: str  # "2026年第二季度"
    kind: str = "progress"  # plan | progress | annual
    due: date | None = None
    as_of: date | None = None  # the day the figures were taken
    reports: list[TaskReport] = field(default_factory=list)
    # Task number → duban.track colour (done | on_track | not_started | at_risk | lagging) as of
    # ``as_of``; empty when nobody judged the round (tasks then count by their reports).
    judged: dict[str, str] = field(default_factory=dict)
    judged_reasons: dict[str, str] = field(default_factory=dict)  # task number → why, as duban.track says
    # (task, collective) owed by a collective whose members nobody listed: not counted, named apart.
    no_members: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        _check(self.kind, ROUND_KINDS, "报送轮次类型")
        self.judged = {str(k): _check(v, tuple(COLOURS), "任务判定") for k, v in self.judged.items()}
        self.judged_reasons = {str(k): v for k, v in self.judged_reasons.items() if v}
        self.no_members = [(str(t), str(u)) for t, u in self.no_members]

    def task_colour(self, number: str) -> str | None:
        """The tracker's colour for the task this round, or None when the round carries no judgement of it."""
        return self.judged.get(number)

    def task_status(self, number: str) -> str | None:
        """The task's status this round: the least advanced of its reports."""
        statuses = [r.status for r in self.for_task(number)]
        if not statuses:
            return None
        return min(statuses, key=_TASK_STATUS_RANK.__getitem__)

    def for_task(self, number: str) -> list[TaskReport]:
        return list(self._by("task").get(number, ()))

    def for_unit(self, unit: str) -> list[TaskReport]:
        return list(self._by("unit").get(unit, ()))

    def _by(self, attr: str) -> dict[str, list[TaskReport]]:
        """The reports grouped by ``attr``, in their order: every renderer asks once per task or unit, and a
        scan of all reports each time made a 6,000-task bulletin or year-end account quadratic (1.4 s of
        the bulletin page).  Grouped again whenever ``reports`` is another list or of another length."""
        cached = self.__dict__.get("_grouped_" + attr)  # (the list grouped, its length, the groups)
        if cached is None or cached[0] is not self.reports or cached[1] != len(self.reports):
            grouped: dict[str, list[TaskReport]] = {}
            for r in self.reports:
                grouped.setdefault(getattr(r, attr), []).append(r)
            cached = self.__dict__["_grouped_" + attr] = (self.reports, len(self.reports), grouped)
        return cached[2]

    def to_json(self) -> dict:
        return {
            "schema": ROUND_SCHEMA,
            "name": self.name,
            "kind": self.kind,
            "due": self.due.isoformat() if self.due else None,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "reports": [r.to_json() for r in self.reports],
            **({"judged": dict(self.judged)} if self.judged else {}),
            **({"judged_reasons": dict(self.judged_reasons)} if self.judged_reasons else {}),
            **({"no_members": [list(p) for p in self.no_members]} if self.no_members else {}),
        }

    @classmethod
    def from_json(cls, data: dict) -> RoundData:
        """Raises ``ValueError`` with a readable sentence when ``data`` is not a round."""
        if not isinstance(data, dict) or data.get("schema") != ROUND_SCHEMA:
            raise ValueError(f'这不是 duban 报送轮次 JSON（缺少 "schema": "{ROUND_SCHEMA}"）')
        return cls(
            name=data["name"],
            kind=data.get("kind", "progress"),
            due=_date(data.get("due")),
            as_of=_date(data.get("as_of")),
            reports=[TaskReport.from_json(r) for r in data.get("reports") or []],
            judged=dict(data.get("judged") or {}),
            judged_reasons=dict(data.get("judged_reasons") or {}),
            no_members=[tuple(p) for p in data.get("no_members") or []],
        )


@dataclass
class Milestone:
    """A 时序节点: what is to be done by when."""

    due: date
    what: str
    done: bool = False  # ticked in the application; a template never shows it, but its row stamp does

    def to_json(self) -> dict:
        return {"due": self.due.isoformat(), "what": self.what} | ({"done": True} if self.done else {})

    @classmethod
    def from_json(cls, data: dict) -> Milestone:
        return cls(due=date.fromisoformat(data["due"]), what=data.get("what", ""), done=bool(data.get("done")))


@dataclass
class LedgerEntry:
    """A unit's implementation plan for one task (落实方案和工作台账)."""

    task: str
    work_items: str = ""  # 工作事项
    milestones: list[Milestone] = field(default_factory=list)  # 时序节点
    measures: str = ""  # 主要措施
    safeguards: str = ""  # 保障机制
    leader: str = ""  # 责任领导
    person: str = ""  # 责任人

    def to_json(self) -> dict:
        return {
            "task": self.task,
            "work_items": self.work_items,
            "milestones": [m.to_json() for m in self.milestones],
            "measures": self.measures,
            "safeguards": self.safeguards,
            "leader": self.leader,
            "person": self.person,
        }

    @classmethod
    def from_json(cls, data: dict) -> LedgerEntry:
        return cls(
            task=str(data["task"]),
            work_items=data.get("work_items", ""),
            milestones=[Milestone.from_json(m) for m in data.get("milestones") or []],
            measures=data.get("measures", ""),
            safeguards=data.get("safeguards", ""),
            leader=data.get("leader", ""),
            person=data.get("person", ""),
        )


@dataclass
class RoundEntry:
    """One row of a round sheet in a unit's ledger: its progress on one task."""

    task: str
    status: str | None = None  # one of STATUSES, None when left blank
    progress: str = ""  # 进展情况
    figures: dict[str, float] = field(default_factory=dict)  # indicator name → 指标完成值
    problems: str = ""  # 存在问题
    next_steps: str = ""  # 下步打算

    def to_json(self) -> dict:
        return {
            "task": self.task,
            "status": self.status,
            "progress": self.progress,
            "figures": dict(self.figures),
            "problems": self.problems,
            "next_steps": self.next_steps,
        }

    @classmethod
    def from_json(cls, data: dict) -> RoundEntry:
        status = data.get("status")
        if status is not None:
            _check(status, STATUSES, "任务状态")
        return cls(
            task=str(data["task"]),
            status=status,
            progress=data.get("progress", ""),
            figures={str(k): float(v) for k, v in (data.get("figures") or {}).items()},
            problems=data.get("problems", ""),
            next_steps=data.get("next_steps", ""),
        )


@dataclass
class UnitLedger:
    """Everything one unit keeps for its tasks: the plan per task and each round's progress."""

    unit: str
    entries: list[LedgerEntry] = field(default_factory=list)
    rounds: dict[str, list[RoundEntry]] = field(default_factory=dict)  # round name → rows

    def entry(self, task: str) -> LedgerEntry | None:
        return next((e for e in self.entries if e.task == task), None)

    def to_json(self) -> dict:
        return {
            "schema": LEDGER_SCHEMA,
            "unit": self.unit,
            "entries": [e.to_json() for e in self.entries],
            "rounds": {name: [r.to_json() for r in rows] for name, rows in self.rounds.items()},
        }

    @classmethod
    def from_json(cls, data: dict) -> UnitLedger:
        """Raises ``ValueError`` with a readable sentence when ``data`` is not a ledger."""
        if not isinstance(data, dict) or data.get("schema") != LEDGER_SCHEMA:
            raise ValueError(f'这不是 duban 台账 JSON（缺少 "schema": "{LEDGER_SCHEMA}"）')
        return cls(
            unit=data["unit"],
            entries=[LedgerEntry.from_json(e) for e in data.get("entries") or []],
            rounds={name: [RoundEntry.from_json(r) for r in rows] for name, rows in (data.get("rounds") or {}).items()},
        )
