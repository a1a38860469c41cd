"""The structured document every later stage works from.

A notice (通知/分解方案) and a work report (政府工作报告) both become a
``Document``; a notice carries ``tasks``, a report carries ``targets`` and
``areas``.  Everything here is plain data: no parsing, no I/O, so the web
application, the drafter and the renderers can all build and read it.

The JSON form (``Document.to_json``) is the ``duban.document/1`` schema
described in ``docs/schema.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from duban import vocab

SCHEMA = "duban.document/1"

# Roles a unit can take on a task, in the order a notice names them (duban.vocab.ROLES).
LEAD = vocab.LEAD  # 牵头: coordinates and reports for the task
RESPONSIBLE = vocab.RESPONSIBLE  # 负责 / 按职责分工负责 with no lead: owns its share
SUPPORT = vocab.SUPPORT  # after a lead: contributes to the lead's report
MONITOR = vocab.MONITOR  # 监测: measures an indicator independently
ROLES = vocab.ROLES.keys


@dataclass
class UnitRef:
    """One unit named on a task, as resolved from the clause."""

    name: str
    role: str
    # What the clause literally said before prefixes/suffixes were distributed.
    written: str = ""
    # An alias or inner office given in brackets: 自然资源和规划局(林业局).
    alias: str | None = None
    # 各镇人民政府, 市政府各部门, 区管国有企业: a group, not one unit.
    collective: bool = False

    def to_json(self) -> dict:
        out = {"name": self.name, "role": self.role}
        if self.alias:
            out["alias"] = self.alias
        if self.collective:
            out["collective"] = True
        if self.written and self.written != self.name:
            out["written"] = self.written
        return out

    @classmethod
    def from_json(cls, data: dict) -> UnitRef:
        return cls(
            name=data["name"],
            role=data.get("role", RESPONSIBLE),
            written=data.get("written", ""),
            alias=data.get("alias"),
            collective=bool(data.get("collective", False)),
        )


@dataclass
class Indicator:
    """A measurable figure in a task or target: 增长 5.5%, 4.8 亿斤."""

    name: str
    value: float
    unit: str  # "%", "亿斤", "场次", "亿元", "" for a bare number
    qualifier: str | None  # 以上 / 左右 / 以内 / 不低于 / 突破 / 达到 / …
    kind: str  # growth | level | count | share
    text: str = ""  # the span it was read from
    # Upper bound of a range 5%—6% (value holds the lower bound, qualifier "区间").
    value_max: float | None = None

    def to_json(self) -> dict:
        out = {
            "name": self.name,
            "value": _plain_number(self.value),
            "unit": self.unit,
            "qualifier": self.qualifier,
            "kind": self.kind,
            "text": self.text,
        }
        if self.value_max is not None:
            out["value_max"] = _plain_number(self.value_max)
        return out

    @classmethod
    def from_json(cls, data: dict) -> Indicator:
        return cls(
            name=data.get("name", ""),
            value=float(data["value"]),
            unit=data.get("unit", ""),
            qualifier=data.get("qualifier"),
            kind=data.get("kind", "level"),
            text=data.get("text", ""),
            value_max=float(data["value_max"]) if data.get("value_max") is not None else None,
        )


def _plain_number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


@dataclass
class Task:
    number: str
    section: list[str]
    text: str
    units: list[UnitRef] = field(default_factory=list)
    deadline: str | None = None
    indicators: list[Indicator] = field(default_factory=list)
    # The unit clause exactly as written, for review pages and warnings.
    clause: str | None = None
    # Leaders named in table layouts (牵头领导 / 分管领导).
    leaders: list[str] = field(default_factory=list)
    # Suggested units for a draft, best first: {"name", "score", "role", "why"}.
    candidates: list[dict] = field(default_factory=list)

    def units_in(self, *roles: str) -> list[UnitRef]:
        return [u for u in self.units if u.role in roles]

    @property
    def primary_units(self) -> list[UnitRef]:
        """The units accountable for the task: its leads, else its responsible units."""
        return self.units_in(LEAD) or self.units_in(RESPONSIBLE)

    def to_json(self) -> dict:
        out = {
            "number": self.number,
            "section": list(self.section),
            "text": self.text,
            "units": [u.to_json() for u in self.units],
            "deadline": self.deadline,
            "indicators": [i.to_json() for i in self.indicators],
        }
        if self.clause is not None:
            out["clause"] = self.clause
        if self.leaders:
            out["leaders"] = list(self.leaders)
        if self.candidates:
            out["candidates"] = [dict(c) for c in self.candidates]
        return out

    @classmethod
    def from_json(cls, data: dict) -> Task:
        return cls(
            number=str(data["number"]),
            section=list(data.get("section") or []),
            text=data["text"],
            units=[UnitRef.from_json(u) for u in data.get("units") or []],
            deadline=data.get("deadline"),
            indicators=[Indicator.from_json(i) for i in data.get("indicators") or []],
            clause=data.get("clause"),
            leaders=list(data.get("leaders") or []),
            candidates=[dict(c) for c in data.get("candidates") or []],
        )


@dataclass
class ScheduleItem:
    """One reporting obligation stated in a notice's preamble."""

    what: str  # plan | progress | annual
    due: date | None
    rule: str  # the words it was read from: "6月15日", "每月25日前", "每季度末"

    def to_json(self) -> dict:
        return {"what": self.what, "due": self.due.isoformat() if self.due else None, "rule": self.rule}

    @classmethod
    def from_json(cls, data: dict) -> ScheduleItem:
        due = data.get("due")
        return cls(what=data["what"], due=date.fromisoformat(due) if due else None, rule=data.get("rule", ""))


@dataclass
class Target:
    """A main expected target (主要预期目标) of a work report."""

    text: str
    indicators: list[Indicator] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"text": self.text, "indicators": [i.to_json() for i in self.indicators]}

    @classmethod
    def from_json(cls, data: dict) -> Target:
        return cls(text=data["text"], indicators=[Indicator.from_json(i) for i in data.get("indicators") or []])


@dataclass
class Paragraph:
    """A paragraph of a report's year-work part: its bold lead phrase and the rest."""

    lead: str | None
    text: str

    def to_json(self) -> dict:
        return {"lead": self.lead, "text": self.text}


@dataclass
class Area:
    """A numbered area （一）… of a report's year-work part."""

    heading: str
    paragraphs: list[Paragraph] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"heading": self.heading, "paragraphs": [p.to_json() for p in self.paragraphs]}


@dataclass
class Document:
    kind: str  # notice | report | draft
    title: str | None = None
    issuer: str | None = None
    doc_number: str | None = None
    date: date | None = None
    year: int | None = None
    recipients: str | None = None
    schedule: list[ScheduleItem] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    # Reports only.
    targets: list[Target] = field(default_factory=list)
    areas: list[Area] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # True when the preamble says the first-listed unit leads (列第一位的为牵头单位).
    first_listed_leads: bool = False
    source: str | None = None  # file name it was read from
    # Lines of the input the parser could not place, each also a warning: {"line": n, "text": …}.
    unplaced: list[dict] = field(default_factory=list)

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def sections(self) -> list[list[str]]:
        """Distinct heading paths in document order."""
        seen: list[list[str]] = []
        for task in self.tasks:
            if not seen or seen[-1] != task.section:
                if task.section not in seen:
                    seen.append(list(task.section))
        return seen

    def to_json(self) -> dict:
        out = {
            "schema": SCHEMA,
            "kind": self.kind,
            "title": self.title,
            "issuer": self.issuer,
            "doc_number": self.doc_number,
            "date": self.date.isoformat() if self.date else None,
            "year": self.year,
            "recipients": self.recipients,
            "schedule": [s.to_json() for s in self.schedule],
            "first_listed_leads": self.first_listed_leads,
            "tasks": [t.to_json() for t in self.tasks],
            "warnings": list(self.warnings),
            "unplaced": [dict(u) for u in self.unplaced],
        }
        if self.kind == "report":
            out["targets"] = [t.to_json() for t in self.targets]
            out["areas"] = [a.to_json() for a in self.areas]
        if self.source:
            out["source"] = self.source
        return out

    @classmethod
    def from_json(cls, data: dict) -> Document:
        """Read a document back from JSON (``duban parse --json`` / ``duban draft``).

        Raises ``ValueError`` with a readable sentence when it is not one.
        """
        if not isinstance(data, dict) or data.get("schema") != SCHEMA:
            raise ValueError(f'这不是 duban 文档 JSON（缺少 "schema": "{SCHEMA}"）')
        d = data.get("date")
        doc = cls(
            kind=data.get("kind", "notice"),
            title=data.get("title"),
            issuer=data.get("issuer"),
            doc_number=data.get("doc_number"),
            date=date.fromisoformat(d) if d else None,
            year=data.get("year"),
            recipients=data.get("recipients"),
            schedule=[ScheduleItem.from_json(s) for s in data.get("schedule") or []],
            tasks=[Task.from_json(t) for t in data.get("tasks") or []],
            targets=[Target.from_json(t) for t in data.get("targets") or []],
            warnings=list(data.get("warnings") or []),
            first_listed_leads=bool(data.get("first_listed_leads", False)),
            source=data.get("source"),
            unplaced=[dict(u) for u in data.get("unplaced") or [] if isinstance(u, dict)],
        )
        for a in data.get("areas") or []:
            doc.areas.append(
                Area(heading=a["heading"], paragraphs=[Paragraph(p.get("lead"), p["text"]) for p in a["paragraphs"]])
            )
        return doc
