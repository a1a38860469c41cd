"""Where a whole plan stands, read from ``duban.track.round``: the stored plan, rounds, reports,
ledgers and milestones become the core's plain values in a handful of queries, and the one
``standing`` they give is what the dashboard, leader and unit views, ``duban status``, the API,
the plan .xlsx, bulletins and the year-end account all show.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone

from duban import vocab
from duban.track import COLOURS, LAGGING, REPORT_MISSING, MilestoneState, TaskState
from duban.track import round as core
from duban.web.models import (
    Assignment,
    Attachment,
    AuditEvent,
    ChangeRequest,
    Contribution,
    Finding,
    Ledger,
    Membership,
    Milestone,
    Plan,
    ProgressReport,
    ReportingRound,
    Section,
    Task,
    Unit,
)

STATUS_ORDER = list(COLOURS)
# The dashboards list this many late reports (missing first), lagging tasks and returned reports; the rest are
# one click away (?late=all, ?lagging=all).
SHOWN = 50
logger = logging.getLogger("duban")


@dataclass
class TaskRow:
    """One task's state as the pages list it; ``task`` is the stored row, read only for the rows a page shows."""

    task_id: int
    number: str
    section_id: int | None
    state: TaskState
    leads: list[str]
    supports: list[str]
    unit_ids: list[int] = field(default_factory=list)
    _task: Task | None = field(default=None, repr=False, compare=False)

    @property
    def task(self) -> Task:
        if self._task is None:  # a page reads its rows' tasks at once (``Overview.attach``); this is the fallback
            self._task = Task.objects.select_related("section").get(pk=self.task_id)
        return self._task


@dataclass
class LateReport:
    unit_id: int | None
    unit: str
    task_id: int
    number: str  # the task's number
    round_id: int
    timeliness: str
    submitted_at: object | None  # the head's first sign-off
    what: str = "report"  # report | ledger | figures
    round: ReportingRound | None = None  # the stored round, attached by ``overview``

    @property
    def label(self) -> str:
        return vocab.TIMELINESS.label(self.timeliness)

    @property
    def task(self) -> Task:
        return Task.objects.get(pk=self.task_id)


@dataclass(frozen=True)
class Returned:
    """A report the office returned for revision and nobody has signed again."""

    unit: str
    task: str  # the task's number
    round: str  # the round's title
    revise_by: date | None


@dataclass
class Account:
    """A plan's standing as the pages show it: plain values read off one ``duban.track.round.standing``
    (``account``), kept in the cache between requests (``kept_account``).  Rows and late items are plain
    tuples — the shape of ``TaskRow`` and ``LateReport`` without their classes — so a kept account of a
    6,000-task plan is read back in milliseconds; ``Overview`` makes objects of the ones a page shows."""

    today: date
    current_round: int | None  # ReportingRound id
    # (task id, number, section id, status, reasons, leads, supports, unit ids), in plan order
    rows: list[tuple]
    by_status: dict[str, int]
    by_section: dict[int | None, dict[str, int]]  # Section id → counts, in plan order
    by_unit: dict[str, dict[str, int]]  # the most lagging first
    late: list[tuple]  # LateReport's fields but the round, missing first
    returned: list[Returned]
    no_members: list[str]  # collectives owing as themselves, with nothing filed
    counts: dict[str, int] = field(default_factory=dict)  # tasks, lagging, late, missing, returned: all of them
    # False: the head of the account (``head``): ``rows`` are the first SHOWN lagging tasks' only, ``late`` and
    # ``returned`` their first SHOWN — what the unfiltered dashboard shows, read back in a millisecond.
    whole: bool = True
    # Task id → that task's ``Part``, in plan order: what the lists above are put together from (``assemble``),
    # so a write to one task changes one part (``kept_account``).  The same tuples as ``rows`` and ``late``:
    # kept once in the cache, not twice.  Empty in a head.
    parts: dict[int, Part] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Part:
    """One task's share of an account: its row, and its late, returned and no-member obligations in the
    core's order (rounds by due date, then units)."""

    row: tuple
    late: tuple = ()
    returned: tuple = ()
    no_members: tuple = ()


def head(acc: Account) -> Account:
    """The part of ``acc`` the unfiltered dashboard shows: every count, and the first SHOWN of each list."""
    lagging = [t for t in acc.rows if t[3] == LAGGING][:SHOWN]
    return replace(acc, rows=lagging, late=acc.late[:SHOWN], returned=acc.returned[:SHOWN], whole=False, parts={})


def _row(t: tuple) -> TaskRow:
    task_id, number, section_id, status, reasons, leads, supports, unit_ids = t
    return TaskRow(
        task_id, number, section_id, TaskState(status, list(reasons)), list(leads), list(supports), list(unit_ids)
    )


class Rows(Sequence):
    """Task rows over an account's tuples, each made into a ``TaskRow`` when it is read (a page, a slice)."""

    def __init__(self, items: list[tuple]):
        self._items = items

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [_row(t) for t in self._items[i]]
        return _row(self._items[i])


@dataclass
class Overview:
    """An ``Account`` with the stored rounds beside it; the stored tasks and sections are read for what a page
    shows (``attach``, ``sections``), not for the whole plan."""

    account: Account
    rounds: list[ReportingRound] = field(default_factory=list)
    current_round: ReportingRound | None = None

    def select(self, section: int | None = None, unit: str | None = None, status: str | None = None):
        """The rows of the tasks in ``section``, led by ``unit``, in ``status`` (each when given), plan order:
        a list whose rows are made as they are read, so a page of 100 of 6,000 makes 100."""
        if not self.account.whole:
            raise ValueError("the head of an account has no task rows but the first lagging ones")
        out = self.account.rows
        if section:
            out = [t for t in out if t[2] == section]
        if unit:
            out = [t for t in out if unit in t[5]]
        if status:
            out = [t for t in out if t[3] == status]
        return Rows(out)

    @cached_property
    def rows(self) -> list[TaskRow]:
        return list(self.select())

    @property
    def lagging(self) -> Rows:
        return self.select(status=LAGGING) if self.account.whole else Rows(self.account.rows)

    @property
    def by_status(self) -> dict[str, int]:
        return self.account.by_status

    @property
    def by_section(self) -> dict[int | None, dict[str, int]]:
        return self.account.by_section

    @property
    def by_unit(self) -> dict[str, dict[str, int]]:
        return self.account.by_unit

    def late_reports(self, limit: int | None = None) -> list[LateReport]:
        """The late and missing obligations (missing first), the first ``limit`` of them when given."""
        return self.as_late(self.account.late if limit is None else self.account.late[:limit])

    def as_late(self, items) -> list[LateReport]:
        """``items`` of the account's late list (a page of it) as the pages show them, with their rounds."""
        by_id = {r.id: r for r in self.rounds}
        return [LateReport(*t, round=by_id.get(t[4])) for t in items]

    @cached_property
    def late(self) -> list[LateReport]:
        return self.late_reports()

    @property
    def missing(self) -> list[LateReport]:
        return [r for r in self.late if r.timeliness == REPORT_MISSING]

    @property
    def returned(self) -> list[Returned]:
        return self.account.returned

    @property
    def no_members(self) -> list[str]:
        return self.account.no_members

    @staticmethod
    def attach(rows):
        """Read the stored tasks (and their sections) of ``rows`` in one query; returns ``rows``."""
        rows = list(rows)
        want = [r.task_id for r in rows if r._task is None]
        if want:
            found = Task.objects.select_related("section").defer("candidates").in_bulk(want)
            for r in rows:
                if r._task is None:
                    r._task = found.get(r.task_id)
        return rows

    @staticmethod
    def sections(ids) -> dict[int, Section]:
        return Section.objects.in_bulk([i for i in ids if i is not None])


@dataclass
class Loaded:
    """The stored plan as the core's values, and the maps back to the stored rows."""

    plan: object
    tasks: list[StoredTask]
    rounds: list[ReportingRound]
    obligations: core.Obligations
    filed: list[core.Filed]
    milestones: dict[str, list[MilestoneState]]
    round_of: dict[int, core.Round]
    unit_ids: dict[str, int]
    first_approved_at: dict[tuple[str, str, int], object]  # (task, unit, round id) → datetime

    def standing(self, today: date) -> core.Standing:
        return core.standing(self.obligations, self.filed, self.milestones, (), today)


@dataclass(frozen=True)
class StoredSection:
    """What ``load`` reads of a Section."""

    id: int
    path: list
    title: str
    area: str


@dataclass(frozen=True)
class StoredTask:
    """What ``load`` reads of a Task: plain values, not a model instance (6,000 of those cost a third of a second)."""

    id: int
    number: str
    text: str
    indicators: list
    section_id: int | None
    section: StoredSection | None

    @property
    def pk(self) -> int:
        return self.id


def _json_text(name: str):
    """A JSON column read as its text (``_json``): most tasks have no indicators and most reports no figures,
    and Django decoding every row's ``[]`` or ``{}`` was 0.4 s of reading a 6,000-task plan."""
    return Cast(name, TextField())


def _json(text: str | None, empty):
    return json.loads(text) if text and text not in ("[]", "{}", "null") else empty


def _stored_tasks(qs) -> list[StoredTask]:
    columns = ("id", "number", "text", "indicators_text", "section_id", "section__path", "section__title")
    out = []
    rows = qs.prefetch_related(None).annotate(indicators_text=_json_text("indicators"))
    for tid, number, text, indicators, sid, path, title, area in rows.values_list(*columns, "section__area"):
        section = StoredSection(sid, path or [], title, area) if sid is not None else None
        out.append(StoredTask(tid, number, text, _json(indicators, []), sid, section))
    return out


def in_plan_order(tasks):
    """``tasks`` (a Task queryset) in plan order, ties by id: the same order on every read and database."""
    return tasks.order_by("order", "id")


def _day(moment, zone) -> date | None:
    """The local day of ``moment`` (``timezone.localdate`` without its per-call look-up of the zone)."""
    return moment.astimezone(zone).date() if moment else None


def load(plan, tasks=None, texts: bool = False) -> Loaded:
    """Everything ``duban.track.round`` needs about ``plan`` (only ``tasks``, a Task queryset, when given);
    ``texts``: the reports' progress, problems and next steps too (for bulletins and year-end accounts)."""
    subset = tasks is not None
    # The drafting suggestions (``candidates``) are never read from here: a published plan's can be long.
    tasks = _stored_tasks(in_plan_order(tasks if subset else Task.objects.filter(plan=plan)))
    zone = timezone.get_current_timezone()
    task_ids = {t.id for t in tasks}
    number = {t.id: t.number for t in tasks}
    # A few tasks' rows are asked for by id; for many, the plan's are read and the others' passed over below:
    # thousands of ids in one IN (…) cost more to send and plan than the rows they leave out.
    scope = {"task_id__in": task_ids} if subset and len(task_ids) <= PATCH_AT_MOST else {"task__plan": plan}
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
    columns = ["task_id", "unit_id", "round_id", "state", "status", "figures_text", "first_approved_at"]
    columns += ["submitted_at", "revise_by"] + (["done_text", "problems", "next_steps"] if texts else [])
    stored = ProgressReport.objects.filter(**scope).annotate(figures_text=_json_text("figures"))
    for r in stored.values(*columns):
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
                first_approved=_day(approved, zone),
                status=r["status"],
                figures=_json(r["figures_text"], {}),
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
                filed.append(core.Filed(number[task_id], unit, rid, state, _day(approved, zone)))
    for task_id, title, due, done in Milestone.objects.filter(
        **{"ledger__" + k: v for k, v in scope.items()}
    ).values_list("ledger__task_id", "title", "due", "done"):
        if task_id in number:
            milestones[number[task_id]].append(MilestoneState(title, due, done))
    return Loaded(plan, tasks, rounds, obligations, filed, dict(milestones), round_of, unit_ids, first)


def parts(loaded: Loaded, today: date) -> tuple[dict[int, Part], int | None]:
    """Each of ``loaded``'s tasks' ``Part`` of its one standing on ``today`` (in plan order), and the current
    round's id: every figure is the core's, read off it."""
    st = loaded.standing(today)
    ids = {t.number: t.id for t in loaded.tasks}
    section_of = {t.id: t.section_id for t in loaded.tasks}
    late: dict[int, list] = defaultdict(list)
    returned: dict[int, list] = defaultdict(list)
    lonely: dict[int, list] = defaultdict(list)
    for owed in st.items:
        ob = owed.obligation
        tid = ids[ob.task]
        if owed.overdue:
            first = loaded.first_approved_at.get((ob.task, ob.unit, ob.round.key)) if owed.filed else None
            late[tid].append(
                (loaded.unit_ids.get(ob.unit), ob.unit, tid, ob.task, ob.round.key, owed.timeliness, first, ob.what)
            )
        if owed.returned:
            returned[tid].append(Returned(ob.unit, ob.task, ob.round.title, owed.revise_by))
        if owed.timeliness == core.NO_MEMBERS:
            lonely[tid].append(ob.unit)
    out: dict[int, Part] = {}
    for number, ts in st.tasks.items():
        tid = ids[number]
        row = (
            tid,
            number,
            section_of[tid],
            ts.state.status,
            tuple(ts.state.reasons),
            tuple(ts.units),
            tuple(ts.task.supports),
            tuple(loaded.unit_ids.get(u) for u in ts.units),
        )
        out[tid] = Part(row, tuple(late.get(tid, ())), tuple(returned.get(tid, ())), tuple(lonely.get(tid, ())))
    return out, (st.current_round.key if st.current_round else None)


def assemble(pieces: dict[int, Part], today: date, current_round: int | None, due: dict[int, date]) -> Account:
    """The account of tasks' ``pieces`` (in plan order): its lists and counts, counted by the core's rules
    (``duban.track.round.tally`` and ``late_order``), so an account put together from parts kept apart is the
    one the whole standing gives.  ``due``: round id → due date."""
    rows = [p.row for p in pieces.values()]
    late = [t for p in pieces.values() for t in p.late]
    late.sort(key=lambda t: core.late_order(t[5], due[t[4]], t[1]))
    returned = [r for p in pieces.values() for r in p.returned]
    no_members = list(dict.fromkeys(u for p in pieces.values() for u in p.no_members))
    by_state, by_section, by_unit = core.tally((r[3], r[2], r[5]) for r in rows)
    counts = {
        "tasks": len(rows),
        "lagging": by_state.get(LAGGING, 0),
        "late": len(late),
        "missing": sum(1 for t in late if t[5] == REPORT_MISSING),
        "returned": len(returned),
    }
    return Account(
        today=today,
        current_round=current_round,
        rows=rows,
        # Plain dicts, not Counters: a Counter is rebuilt through Python code when read back (20 ms for 2,000).
        by_status=dict(by_state),
        by_section={section: dict(c) for section, c in by_section.items()},
        by_unit={unit: dict(c) for unit, c in by_unit.items()},
        late=late,
        returned=returned,
        no_members=no_members,
        counts=counts,
        parts=pieces,
    )


def account(loaded: Loaded, today: date) -> Account:
    """What the pages show of ``loaded``'s one standing on ``today``."""
    pieces, current = parts(loaded, today)
    return assemble(pieces, today, current, {rid: r.due for rid, r in loaded.round_of.items()})


# --- the account kept between requests ---------------------------------------------------------------
#
# A page's account is kept in Django's default cache (docs/deploy.md) under the plan and the set of tasks
# it covers, beside the plan's fingerprint and the day it was taken on; it is used only while both are
# still what they are now.  The fingerprint is read from the database on every request, so a stale
# account is never shown: any write a page could show moves it, on every server and process alike.

# Bump when Account or what it holds changes shape: older kept accounts are then recomputed, never misread.
ACCOUNT_FORMAT = 3
# A kept account nobody has read for this long leaves the cache (a new day needs a new one anyway).
ACCOUNT_TTL = 60 * 60 * 24


def fingerprint(plan) -> tuple:
    """What a published ``plan``'s standing is read from, in a few queries that cost the same at 6,000 tasks
    as at 300: the plan row, its rounds, its government's units, collectives' members and leaders as they
    are, and the government's latest audit event.

    Every change is recorded with who and when (``duban.web.audit.record``, in the change's own
    transaction): a report or ledger saved, sent, signed, returned, accepted or imported, a task amended,
    a unit or round added or changed.  The latest event's id is therefore a change counter nobody has to
    bump; sign-ins and other changes of accounts (object ``User``) are left out, they change no figure.
    The directory and the rounds are read whole, so an edit made in /admin/ (not audited) moves it too.
    Only published plans are kept (``kept_account``): a draft's tasks change without a revision.

    Index 1, the events, is what ``touched`` reads the changed tasks from; the rest is what, changed, changes
    every task.
    """
    gov = plan.government_id
    events = AuditEvent.objects.filter(government_id=gov).exclude(object_type="User")
    return (
        Plan.objects.filter(pk=plan.pk).values_list("status", "created_at", "year", "revision").first(),
        # The count beside the latest id: a transaction that commits after a later one's event (ids are given
        # out before commit) moves the count though not the latest id.
        (events.order_by("-id").values_list("id", flat=True).first(), events.count()),
        tuple(ReportingRound.objects.filter(plan=plan).order_by("id").values_list("id", "kind", "title", "due")),
        tuple(Unit.objects.filter(government_id=gov).order_by("id").values_list("id", "name", "kind")),
        tuple(
            Unit.members.through.objects.filter(from_unit__government_id=gov)
            .order_by("id")
            .values_list("from_unit_id", "to_unit_id")
        ),
        tuple(
            Membership.objects.filter(government_id=gov, role=Membership.LEADER)
            .order_by("id")
            .values_list("id", "user__username", "user__first_name", "sections")
        ),
    )


def _scope(tasks) -> str:
    """A name for the set of tasks a page covers: the query that selects them (a leader's areas, a unit's tasks)."""
    if tasks is None:
        return "plan"
    try:
        sql, params = tasks.query.sql_with_params()
    except EmptyResultSet:
        return "none"
    return hashlib.sha256(repr((sql, params)).encode()).hexdigest()[:32]


@contextmanager
def collection_paused():
    """Reading a kept account, or a plan's rows and their standing, makes tens of thousands of objects at
    once, next to none of them cyclic: Python's cyclic collector, run after every few hundred allocations
    and walking everything alive each time, would otherwise cost more than the reading (a third of
    computing a 6,000-task account afresh)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


# Events on these objects change the standing of the task they belong to, and no other task's (an event on a
# Task, of that task): a write to them costs what it changes (``touched``).
OF_A_TASK = {
    model.__name__: (model, column)
    for model, column in (
        (Task, "id"),
        (ProgressReport, "task_id"),
        (Ledger, "task_id"),
        (Contribution, "task_id"),
        (ChangeRequest, "task_id"),
        (Finding, "task_id"),
        (Milestone, "ledger__task_id"),
        (Attachment, "report__task_id"),
    )
}
# Events on these change nothing an account reads (urges, inspections, bulletins, reminders and their
# channels, jobs, API tokens, a city's coverage decisions).  An event of any type in neither set — a plan,
# a unit, a round, an account — has the account computed afresh.
READ_BY_NO_ACCOUNT = {
    "Urge",
    "Inspection",
    "Bulletin",
    "Delivery",
    "Channel",
    "ReminderRules",
    "Job",
    "ApiToken",
    "CoverageLink",
}
# More changed tasks than this since the kept account and reading the whole plan again is the cheaper way.
PATCH_AT_MOST = 500


def touched(government_id: int, since: tuple, now: tuple) -> set[int] | None:
    """The ids of the tasks whose standing the events between fingerprints' ``since`` and ``now`` (their
    index 1: latest id, count) may have changed; None when some event could change any task, when more than
    PATCH_AT_MOST tasks changed, or when an event was committed out of order (the count moved by more than
    the events after ``since``'s latest): then the whole plan is read again."""
    (was, was_count), (latest, count) = since, now
    if latest is None or was is None:
        return None if latest != was else set()
    events = AuditEvent.objects.filter(government_id=government_id, id__gt=was, id__lte=latest).exclude(
        object_type="User"
    )
    found = list(events.values_list("object_type", "object_id")[: PATCH_AT_MOST + 1])
    if len(found) > PATCH_AT_MOST or count - was_count != len(found):
        return None
    wanted: dict[str, set[int]] = defaultdict(set)
    for kind, object_id in found:
        if kind in READ_BY_NO_ACCOUNT:
            continue
        if kind not in OF_A_TASK or not object_id.isdigit():
            return None
        wanted[kind].add(int(object_id))
    out: set[int] = set(wanted.pop("Task", ()))  # a task since deleted drops out of the plan's order
    for kind, ids in wanted.items():
        model, column = OF_A_TASK[kind]
        pairs = dict(model.objects.filter(pk__in=ids).values_list("pk", column))
        if len(pairs) != len(ids):  # a row since deleted: which task it was is not known
            return None
        out.update(pairs.values())
    return out if len(out) <= PATCH_AT_MOST else None


def _patched(plan, today: date, tasks, base, now) -> Account | None:
    """``base`` (a kept whole account with its fingerprint) brought to ``now``: the touched tasks' parts
    computed afresh, every other task's kept; None when that cannot be done (another day, a change to the
    plan, its rounds or directory, or events ``touched`` cannot place)."""
    if base is None or base[0] != ACCOUNT_FORMAT or base[2] != today:
        return None
    was, acc = base[1], base[3]
    # The plan's revision aside: an amendment records its event on the task it changed, or on the plan.
    if was[0][:3] != now[0][:3] or was[2:] != now[2:] or not acc.whole:
        return None
    if was == now:
        return acc
    changed = touched(plan.government_id, was[1], now[1])
    if changed is None:
        return None
    scope = tasks if tasks is not None else Task.objects.filter(plan=plan)
    order = list(in_plan_order(scope).values_list("id", "number", "section_id"))
    # An amendment renumbers the tasks after the one it split, merged or moved, and names only that one: a
    # task whose number or heading is not the kept one's, or that the kept account lacks, is changed too.
    for tid, number, section_id in order:
        kept = acc.parts.get(tid)
        if kept is None or kept.row[1] != number or kept.row[2] != section_id:
            changed.add(tid)
    if len(changed) > PATCH_AT_MOST:
        return None
    fresh: dict[int, Part] = {}
    if changed:
        fresh, current = parts(load(plan, scope.filter(id__in=changed)), today)
        if fresh and current != acc.current_round:
            return None
    pieces: dict[int, Part] = {}
    for tid, _number, _section in order:
        piece = fresh.get(tid) if tid in changed else acc.parts.get(tid)
        if piece is None:  # a changed task that reads as none (cannot happen): read the whole plan again
            return None
        pieces[tid] = piece
    return assemble(pieces, today, acc.current_round, {r[0]: r[3] for r in now[2]})


def _read(key: str):
    try:
        with collection_paused():
            return cache.get(key)
    except Exception:  # a kept account written by other code, or a cache that cannot be read: compute afresh
        logger.warning("kept account %s could not be read", key, exc_info=True)
        return None


# The whole accounts this process put together last, by key: a base to patch with nothing to read back
# (unpickling a 6,000-task account costs 30 ms).  Each comes with its fingerprint, so one another process
# has moved past is patched like any other base; at most this many are held (a unit's is small, the office's
# of 6,000 tasks about 10 MB).
ACCOUNTS_IN_MEMORY = 32
# A patched whole account is written back to the shared cache once this many events have passed since the
# whole one there: writing 6,000 tasks' account costs 100 ms, and a process with no copy in memory patches
# the one in the cache by the events since, a few milliseconds for 50.  Heads are always written.
WRITE_WHOLE_EVERY = 50
_memory: OrderedDict[str, tuple] = OrderedDict()
_memory_lock = threading.Lock()


def _recalled(key: str):
    with _memory_lock:
        return _memory.get(key)


def _remember(key: str, entry: tuple) -> None:
    with _memory_lock:
        _memory[key] = entry
        _memory.move_to_end(key)
        while len(_memory) > ACCOUNTS_IN_MEMORY:
            _memory.popitem(last=False)


def _write(entries: dict) -> None:
    try:
        cache.set_many(entries, ACCOUNT_TTL)
    except Exception:  # a full disk: the page is still right, only slower next time
        logger.warning("accounts %s could not be kept", list(entries), exc_info=True)


def kept_account(plan, today: date, tasks=None, whole: bool = True) -> Account:
    """The account of ``plan`` (only ``tasks``, a Task queryset, when given) on ``today``: the one kept in the
    cache while the plan's fingerprint and the day are unchanged; after writes to some tasks only, a kept one
    (this process's, else the cache's) with those tasks' parts computed afresh (``_patched``); else computed
    afresh.  ``whole`` False: only its ``head``, kept apart so the dashboard reads a few kilobytes, not every row.

    Each entry is (ACCOUNT_FORMAT, fingerprint, day, account); this process's also says how many events the
    whole one in the cache had (``WRITE_WHOLE_EVERY``)."""
    key = f"duban:account:{plan.pk}:{_scope(tasks)}"
    now = fingerprint(plan)
    if now[0] is None or now[0][0] != Plan.PUBLISHED:  # a draft's tasks change without a revision: never kept
        with collection_paused():
            acc = account(load(plan, tasks), today)
        return acc if whole else head(acc)
    kept = _read(f"{key}:{'whole' if whole else 'head'}")
    if kept is not None and kept[:3] == (ACCOUNT_FORMAT, now, today):
        return kept[3]
    with collection_paused():
        return _brought_up_to_date(plan, today, tasks, whole, key, now, kept)


def _brought_up_to_date(plan, today: date, tasks, whole: bool, key: str, now: tuple, kept) -> Account:
    """``kept_account`` past its kept copy: patched from this process's or the cache's, else afresh; kept."""
    fresh, written = None, None
    mine = _recalled(key)
    if mine is not None:
        fresh, written = _patched(plan, today, tasks, mine[:4], now), mine[4]
    if fresh is None:
        shared = kept if whole else _read(f"{key}:whole")
        fresh = _patched(plan, today, tasks, shared, now)
        written = shared[1][1][1] if fresh is not None else None
    if fresh is None:
        fresh, written = account(load(plan, tasks), today), None
    top = head(fresh)
    entries = {f"{key}:head": (ACCOUNT_FORMAT, now, today, top)}
    if written is None or now[1][1] - written >= WRITE_WHOLE_EVERY:
        entries[f"{key}:whole"] = (ACCOUNT_FORMAT, now, today, fresh)
        written = now[1][1]
    _write(entries)
    _remember(key, (ACCOUNT_FORMAT, now, today, fresh, written))
    return fresh if whole else top


def keep_accounts(today: date) -> int:
    """Bring up to date the kept accounts of every published plan of this year and last, as the office's and
    each leader's dashboards ask for them: run by every reminder pass, so the first page of a day, or after a
    change of units or rounds, finds its account kept.  Returns how many accounts it looked at."""
    from duban.web.access import Actor

    seen: set[tuple[int, str]] = set()
    for plan in Plan.objects.filter(status=Plan.PUBLISHED, year__gte=today.year - 1).order_by("id"):
        staff = (
            Membership.objects.filter(government_id=plan.government_id, user__is_active=True)
            .filter(role__in=(Membership.SUPERVISOR, Membership.ADMIN, Membership.LEADER))
            .select_related("user")
            .order_by("id")
        )
        for membership in staff:
            tasks = Actor.of(membership.user).tasks(plan)  # the very query the dashboard asks with
            if (plan.pk, _scope(tasks)) not in seen:
                seen.add((plan.pk, _scope(tasks)))
                kept_account(plan, today, tasks, whole=False)
    return len(seen)


def overview(
    plan, today: date, tasks=None, loaded: Loaded | None = None, keep: bool = True, whole: bool = True
) -> Overview:
    """Where ``plan`` (only ``tasks`` when given) stands on ``today``, for the pages.

    ``keep``: use and keep the cached account (``kept_account``); False computes it afresh, as does
    passing ``loaded``.  ``whole`` False: only the account's ``head`` (the unfiltered dashboard).
    """
    if loaded is not None or not keep:
        with collection_paused():
            acc = account(loaded or load(plan, tasks), today)
        acc = acc if whole else head(acc)
        rounds = loaded.rounds if loaded is not None else list(ReportingRound.objects.filter(plan=plan))
    else:
        acc = kept_account(plan, today, tasks, whole)
        rounds = list(ReportingRound.objects.filter(plan=plan))
    return Overview(acc, rounds, next((r for r in rounds if r.id == acc.current_round), None))


__all__ = [
    "Account",
    "Loaded",
    "Overview",
    "Section",
    "TaskRow",
    "LateReport",
    "Returned",
    "STATUS_ORDER",
    "account",
    "fingerprint",
    "keep_accounts",
    "kept_account",
    "load",
    "overview",
]
