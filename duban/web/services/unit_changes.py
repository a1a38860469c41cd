"""Renamings and mergers of units (机构改革): the work moves, the history stays.

``rename_unit`` retires a unit under a new name; ``merge_units`` retires several units into one, new
or already in the directory (发展改革委 + 统计局 → 发展改革和统计局).  Either way each retired unit
keeps its row and its name, with ``successor`` (the unit it became) and ``retired_on``, and:

- the work of its *open* plans moves to the successor — every draft plan and every published plan
  of the change's year or later: assignments, ledgers and their milestones, progress reports and
  their attachments, contributions, urges, change requests, inspection findings, reminders;
- its accounts (``Membership``) move whatever the plan, and so does its place in collectives;
- past years' published plans keep it: their pages, documents and bulletins still name it;
- a moved ledger, report or contribution remembers the name it was filed under (``filed_as``);
- its names become the successor's aliases, and ``UnitIndex`` sends next year's notice naming it to
  the successor as a ``renamed`` match.

When the successor already holds the same thing (two merging units both on one task), the two are
combined, never dropped: the stronger role (牵头 > 负责 > 监测 > 配合); one ledger, one report per
round and one contribution per round whose texts keep both (the predecessor's part headed
【原X】), whose figures are the union (a clash keeps the successor's figure and writes the other
beside the text), whose state is the less advanced of the two (so nothing counts as signed or
accepted that was not) and whose head's first sign-off is the later of the two.  Each combination
is an audit event with both rows before and the row after; the change itself is one more.
One transaction: a failure changes nothing.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from duban import vocab
from duban.errors import DubanError
from duban.web import audit
from duban.web.models import (
    Assignment,
    Attachment,
    ChangeRequest,
    Contribution,
    Finding,
    Ledger,
    Membership,
    Plan,
    ProgressReport,
    Reminder,
    Task,
    Unit,
    Urge,
)

# Which role a merged unit keeps on a task both units held: the one that owes most.
ROLE_PRECEDENCE = (vocab.LEAD, vocab.RESPONSIBLE, vocab.MONITOR, vocab.SUPPORT)
# A combined ledger or report is as far along as the less advanced of its two parts.
STATE_ORDER = (vocab.DRAFT, vocab.RETURNED, vocab.AWAITING_HEAD, vocab.SUBMITTED, vocab.ACCEPTED)
# …and says what the worse of the two said of the task.
STATUS_ORDER = (vocab.BEHIND, vocab.NOT_STARTED, vocab.ON_SCHEDULE, vocab.DONE)

LEDGER_FIELDS = [
    "measures",
    "safeguards",
    "responsible_leader",
    "responsible_person",
    "state",
    "first_approved_at",
    "comment",
    "filed_as",
]
REPORT_FIELDS = [
    "status",
    "done_text",
    "figures",
    "problems",
    "next_steps",
    "state",
    "comment",
    "submitted_at",
    "first_approved_at",
    "revise_by",
    "filed_as",
]


def open_plans(government, effective: date):
    """The plans whose work moves: drafts, and published plans of the change's year or later."""
    return Plan.objects.filter(government=government).filter(Q(status=Plan.DRAFT) | Q(year__gte=effective.year))


@transaction.atomic
def rename_unit(government, unit: Unit, new_name: str, user=None, effective: date | None = None, reason: str = ""):
    """``unit`` is now called ``new_name``: a new unit takes its open work, accounts and names."""
    new_name = " ".join((new_name or "").split())
    unit = _live(government, unit)
    if not new_name:
        raise DubanError("请填写新名称")
    if government.units.filter(name=new_name).exists():
        raise DubanError(f"“{new_name}”已存在于名录中：并入已有单位请用“合并”")
    successor = _new_unit(government, new_name, unit.kind)
    effective = effective or timezone.localdate()
    moved = _retire(government, unit, successor, effective, user)
    audit.record(
        user,
        vocab.UNIT_CHANGES.label(vocab.UNIT_RENAME),
        successor,
        before={"name": unit.name},
        after={"name": successor.name, "effective": effective.isoformat(), "reason": reason, "moved": moved},
    )
    return successor


@transaction.atomic
def merge_units(
    government,
    units,
    into: Unit | None = None,
    new_name: str = "",
    user=None,
    effective: date | None = None,
    reason: str = "",
):
    """``units`` become one: ``into`` (a unit of the directory, possibly one of them) or a new unit ``new_name``."""
    new_name = " ".join((new_name or "").split())
    if (into is None) == (not new_name):
        raise DubanError("合并时请选择并入的已有单位，或填写新单位名称（二者选一）")
    retiring = []
    for unit in units:
        unit = _live(government, unit)
        if unit not in retiring and (into is None or unit.pk != into.pk):
            retiring.append(unit)
    if into is not None:
        into = _live(government, into)
        retiring = [u for u in retiring if u.pk != into.pk]
    minimum = 1 if into is not None else 2
    if len(retiring) < minimum:
        raise DubanError("合并至少需要两个单位" if into is None else "请选择要并入的单位（不能只选并入单位本身）")
    if into is None:
        if government.units.filter(name=new_name).exists():
            raise DubanError(f"“{new_name}”已存在于名录中：请改为选择并入该单位")
        into = _new_unit(government, new_name, retiring[0].kind)
    effective = effective or timezone.localdate()
    moved = {u.name: _retire(government, u, into, effective, user) for u in retiring}
    audit.record(
        user,
        vocab.UNIT_CHANGES.label(vocab.UNIT_MERGE),
        into,
        before={"units": [u.name for u in retiring]},
        after={"name": into.name, "effective": effective.isoformat(), "reason": reason, "moved": moved},
    )
    return into


def _live(government, unit: Unit) -> Unit:
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if unit.government_id != government.pk:
        raise DubanError("只能调整本政府名录中的单位")
    if unit.successor_id is not None:
        raise DubanError(f"“{unit.name}”已于 {unit.retired_on} 撤并到“{unit.current().name}”")
    if unit.kind == vocab.COLLECTIVE:
        raise DubanError(f"“{unit.name}”是集合单位：请调整它的成员，而不是更名或合并它")
    return unit


def _new_unit(government, name: str, kind: str) -> Unit:
    try:
        with transaction.atomic():
            return Unit.objects.create(government=government, name=name[:120], kind=kind)
    except IntegrityError as exc:
        raise DubanError(f"单位“{name}”已存在（单位名称不能重复）") from exc


def _retire(government, old: Unit, new: Unit, effective: date, user) -> dict:
    """Move ``old``'s open work, accounts and names to ``new`` and retire ``old``; what moved, counted."""
    plans = open_plans(government, effective)
    moved: Counter = Counter()
    touched_tasks: set[int] = set()

    for a in Assignment.objects.filter(unit=old, task__plan__in=plans).select_related("task"):
        touched_tasks.add(a.task_id)
        other = Assignment.objects.filter(task_id=a.task_id, unit=new).first()
        if other is None:
            a.unit, a.unit_name, a.match = new, new.name, "renamed"
            a.save(update_fields=["unit", "unit_name", "match"])
            moved["assignments"] += 1
            continue
        keep, drop = (other, a) if _rank(other.role) <= _rank(a.role) else (a, other)
        before = [_assignment_json(other), _assignment_json(a)]
        keep.unit, keep.unit_name = new, new.name
        drop.delete()
        keep.save(update_fields=["unit", "unit_name"])
        audit.record(
            user,
            "合并责任单位",
            a.task,
            before={"assignments": before},
            after={"assignments": [_assignment_json(keep)]},
        )
        moved["assignments combined"] += 1
    if touched_tasks:
        for task in Task.objects.filter(pk__in=touched_tasks):
            task.version += 1
            task.save(update_fields=["version"])

    def move_or_combine(rows, what: str, same: tuple[str, ...], combine, versioned: bool = True) -> None:
        """Each row of the old unit moves to the new one, or is combined with the new unit's own row
        for the same task (and round): the unique constraints allow one of each."""
        for row in rows:
            other = type(row).objects.filter(unit=new, **{f: getattr(row, f) for f in same}).first()
            if other is None:
                row.unit, row.filed_as = new, row.filed_as or old.name
                if versioned:
                    row.version += 1
                row.save()
                moved[what] += 1
            else:
                combine(other, row, old, user)
                moved[f"{what} combined"] += 1

    move_or_combine(Ledger.objects.filter(unit=old, task__plan__in=plans), "ledgers", ("task_id",), _combine_ledger)
    move_or_combine(
        ProgressReport.objects.filter(unit=old, task__plan__in=plans),
        "reports",
        ("task_id", "round_id"),
        _combine_report,
    )
    move_or_combine(
        Contribution.objects.filter(unit=old, task__plan__in=plans),
        "contributions",
        ("task_id", "round_id"),
        _combine_contribution,
        versioned=False,
    )

    moved["urges"] = Urge.objects.filter(unit=old, plan__in=plans).update(unit=new)
    moved["change requests"] = ChangeRequest.objects.filter(unit=old, task__plan__in=plans).update(unit=new)
    moved["findings"] = Finding.objects.filter(unit=old, task__plan__in=plans).update(unit=new)
    # A step already sent to the successor for the same obligation stays with the old unit, as what was sent.
    for reminder in Reminder.objects.filter(unit=old, task__plan__in=plans):
        twin = Reminder.objects.filter(
            task_id=reminder.task_id,
            unit=new,
            round_id=reminder.round_id,
            step=reminder.step,
            recipient=reminder.recipient,
            channel_key=reminder.channel_key,
        )
        if not twin.exists():
            reminder.unit = new
            reminder.save(update_fields=["unit"])
            moved["reminders"] += 1

    accounts = list(Membership.objects.filter(unit=old).values_list("user__username", flat=True))
    Membership.objects.filter(unit=old).update(unit=new)
    moved["accounts"] = len(accounts)
    for collective in old.collectives.all():
        collective.members.remove(old)
        collective.members.add(new)
        moved["collectives"] += 1

    aliases = list(new.aliases or [])
    aliases += [n for n in [old.name, *(old.aliases or [])] if n not in aliases and n != new.name]
    new.aliases = aliases
    new.save(update_fields=["aliases"])
    old.successor, old.retired_on = new, effective
    old.save(update_fields=["successor", "retired_on"])
    out = {k: v for k, v in moved.items() if v}
    if accounts:
        out["account names"] = accounts
    return out


def _rank(role: str) -> int:
    return ROLE_PRECEDENCE.index(role) if role in ROLE_PRECEDENCE else len(ROLE_PRECEDENCE)


def _assignment_json(a: Assignment) -> dict:
    return {"unit": a.unit_name, "role": a.role, "written": a.written}


def _join(mine: str, theirs: str, old_name: str) -> str:
    """Both units' words, the predecessor's headed with its name; one copy when they say the same."""
    mine, theirs = mine or "", theirs or ""
    if not theirs.strip() or theirs.strip() == mine.strip():
        return mine
    if not mine.strip():
        return f"【原{old_name}】{theirs}"
    return f"{mine}\n【原{old_name}】{theirs}"


def _join_short(mine: str, theirs: str, limit: int) -> str:
    """Two names (责任领导) in one field of ``limit`` characters; the other one stays in the audit log if too long."""
    if not theirs or theirs == mine:
        return mine
    if not mine:
        return theirs
    both = f"{mine}、{theirs}"
    return both if len(both) <= limit else mine


def _less_advanced(a: str, b: str) -> str:
    order = {s: i for i, s in enumerate(STATE_ORDER)}
    return min(a, b, key=lambda s: order.get(s, 0))


def _later_if_both(a, b):
    return max(a, b) if a is not None and b is not None else None


def _combine_contribution(keep: Contribution, other: Contribution, old: Unit, user) -> None:
    before = [{"unit": keep.unit.name, "text": keep.text}, {"unit": old.name, "text": other.text}]
    keep.text = _join(keep.text, other.text, old.name)
    keep.save()
    other.delete()
    audit.record(user, "合并配合情况", keep.task, before={"contributions": before}, after={"text": keep.text})


def _combine_ledger(keep: Ledger, other: Ledger, old: Unit, user) -> None:
    before = [audit.snapshot(keep, LEDGER_FIELDS), audit.snapshot(other, LEDGER_FIELDS)]
    before[1]["milestones"] = [
        {"title": m.title, "due": m.due.isoformat() if m.due else None, "done": m.done} for m in other.milestones.all()
    ]
    for field in ("measures", "safeguards", "comment"):
        setattr(keep, field, _join(getattr(keep, field), getattr(other, field), old.name))
    for field in ("responsible_leader", "responsible_person"):
        setattr(keep, field, _join_short(getattr(keep, field), getattr(other, field), 100))
    keep.state = _less_advanced(keep.state, other.state)
    keep.first_approved_at = _later_if_both(keep.first_approved_at, other.first_approved_at)
    last = keep.milestones.aggregate(m=Max("order"))["m"] or 0
    for n, milestone in enumerate(other.milestones.order_by("order", "due", "id"), start=1):
        milestone.ledger, milestone.order = keep, last + n
        milestone.save(update_fields=["ledger", "order"])
    keep.version = max(keep.version, other.version) + 1
    keep.save()
    other.delete()
    audit.record(user, "合并台账", keep, before={"ledgers": before}, after=audit.snapshot(keep, LEDGER_FIELDS))


def _combine_report(keep: ProgressReport, other: ProgressReport, old: Unit, user) -> None:
    before = [audit.snapshot(keep, REPORT_FIELDS), audit.snapshot(other, REPORT_FIELDS)]
    figures = dict(keep.figures or {})
    clashes = []
    for name, value in (other.figures or {}).items():
        if name not in figures:
            figures[name] = value
        elif figures[name] != value:
            clashes.append(f"{name}：{value}")
    keep.figures = figures
    theirs = other.done_text or ""
    if clashes:
        theirs = (theirs + "\n" if theirs else "") + "报送的指标值：" + "；".join(clashes)
    keep.done_text = _join(keep.done_text, theirs, old.name)
    for field in ("problems", "next_steps", "comment"):
        setattr(keep, field, _join(getattr(keep, field), getattr(other, field), old.name))
    statuses = {s: i for i, s in enumerate(STATUS_ORDER)}
    keep.status = min(keep.status, other.status, key=lambda s: statuses.get(s, 0))
    keep.state = _less_advanced(keep.state, other.state)
    keep.submitted_at = _later_if_both(keep.submitted_at, other.submitted_at)
    keep.first_approved_at = _later_if_both(keep.first_approved_at, other.first_approved_at)
    dates = [d for d in (keep.revise_by, other.revise_by) if d is not None]
    keep.revise_by = max(dates) if dates else None
    Attachment.objects.filter(report=other).update(report=keep)
    keep.version = max(keep.version, other.version) + 1
    keep.save()
    other.delete()
    audit.record(user, "合并进展报告", keep, before={"reports": before}, after=audit.snapshot(keep, REPORT_FIELDS))
