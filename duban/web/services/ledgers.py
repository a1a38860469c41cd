"""A ledger's life (落实方案和工作台账), like a report's: unit staff fill it and send it to the head,
the head signs (its first sign-off is its timeliness against the plan round's due date), the
office accepts it — and an accepted ledger is locked.  On a locked ledger a milestone may still
be ticked done, but moving its date or taking its tick off is a change request (节点变更) that
the office approves; the approval applies it.  Every step is audited and every write is a
compare-and-set on the ledger's ``version`` inside a transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from duban import vocab
from duban.errors import DubanError, InputError
from duban.web import audit
from duban.web.models import ChangeRequest, Ledger, Milestone

FIELDS = ("measures", "safeguards", "responsible_leader", "responsible_person")


class StaleLedger(DubanError):
    """Someone saved the ledger since this user loaded it."""


@dataclass(frozen=True)
class MilestoneRow:
    title: str
    due: date | None
    done: bool


def _milestones(ledger: Ledger) -> list[tuple[str, str, bool]]:
    return [(m.title, str(m.due), m.done) for m in ledger.milestones.all()]


def _cas(ledger: Ledger, version: int, states: tuple[str, ...], **changes) -> Ledger:
    updated = Ledger.objects.filter(pk=ledger.pk, version=version, state__in=states).update(
        version=F("version") + 1, updated_at=timezone.now(), **changes
    )
    if not updated:
        current = Ledger.objects.get(pk=ledger.pk)
        if current.version != version:
            raise StaleLedger("这份台账已被他人修改并保存，您的修改未保存：请刷新后重新编辑")
        raise DubanError(f"这份台账当前状态为“{current.get_state_display()}”，不能执行此操作")
    return Ledger.objects.get(pk=ledger.pk)


def save(ledger: Ledger, version: int, fields: dict, rows: list[MilestoneRow], user=None) -> Ledger:
    """Save the ledger's text and milestones.  A draft or returned ledger takes anything; an
    accepted (locked) one only ticks milestones done — anything else is refused with the way to ask."""
    fields = {k: (fields.get(k) or "").strip() for k in FIELDS}
    before = audit.snapshot(ledger, list(FIELDS))
    before["milestones"] = _milestones(ledger)
    with transaction.atomic():
        if ledger.locked:
            return _tick(ledger, version, fields, rows, user, before)
        new = _cas(ledger, version, (vocab.DRAFT, vocab.RETURNED), **fields)
        new.milestones.all().delete()
        Milestone.objects.bulk_create(
            Milestone(ledger=new, title=r.title, due=r.due, done=r.done, order=i) for i, r in enumerate(rows)
        )
        after = dict(fields, milestones=[(r.title, str(r.due), r.done) for r in rows])
        audit.record(user, "填写台账", new.task, before=before, after=after)
    return new


def _tick(ledger: Ledger, version: int, fields: dict, rows: list[MilestoneRow], user, before) -> Ledger:
    existing = list(ledger.milestones.all())
    locked = "台账已审核锁定"
    if any(fields[k] != getattr(ledger, k) for k in FIELDS):
        raise InputError(f"{locked}，主要措施、保障机制和责任人不能再修改")
    if len(rows) != len(existing):
        raise InputError(f"{locked}，不能增加或删除节点；如需调整请提交节点变更申请")
    ticked = []
    for m, r in zip(existing, rows):
        if r.title != m.title:
            raise InputError(f"{locked}，节点“{m.title}”的工作事项不能修改")
        if r.due != m.due:
            raise InputError(f"{locked}，调整节点“{m.title}”的时间须提交节点变更申请，经督查局同意后生效")
        if m.done and not r.done:
            raise InputError(f"{locked}，取消节点“{m.title}”的完成须提交节点变更申请，经督查局同意后生效")
        if r.done and not m.done:
            ticked.append(m)
    new = _cas(ledger, version, (vocab.ACCEPTED,))
    for m in ticked:
        m.done = True
        m.save(update_fields=["done"])
    audit.record(user, "勾选完成节点", new.task, before=before, after={"milestones": _milestones(new)})
    return new


def _transition(ledger, version, from_states, to_state, action, user, **extra) -> Ledger:
    with transaction.atomic():
        new = _cas(ledger, version, from_states, state=to_state, **extra)
        after = {"state": to_state, "unit": ledger.unit.name}
        if extra.get("comment"):
            after["comment"] = extra["comment"]
        audit.record(user, action, new.task, before={"state": ledger.state}, after=after)
    return new


def send_to_head(ledger, version, user=None) -> Ledger:
    if not ledger.milestones.exists():
        raise InputError("请至少填写一个时序节点再提交")
    return _transition(ledger, version, (vocab.DRAFT, vocab.RETURNED), vocab.AWAITING_HEAD, "台账提交负责人签批", user)


def approve(ledger, version, user=None) -> Ledger:
    """The head signs; the first signature is the ledger's timeliness against the plan deadline."""
    return _transition(
        ledger,
        version,
        (vocab.AWAITING_HEAD,),
        vocab.SUBMITTED,
        "负责人签批台账",
        user,
        first_approved_at=Coalesce(F("first_approved_at"), Value(timezone.now())),
        comment="",
    )


def head_return(ledger, version, comment: str, user=None) -> Ledger:
    if not comment.strip():
        raise InputError("退回时请填写意见")
    return _transition(
        ledger, version, (vocab.AWAITING_HEAD,), vocab.RETURNED, "负责人退回台账", user, comment=comment.strip()
    )


def accept(ledger, version, user=None) -> Ledger:
    """The office accepts the ledger: from now on it is locked."""
    return _transition(ledger, version, (vocab.SUBMITTED,), vocab.ACCEPTED, "督查审核台账（锁定）", user)


def office_return(ledger, version, comment: str, user=None) -> Ledger:
    if not comment.strip():
        raise InputError("退回时请填写意见")
    return _transition(
        ledger, version, (vocab.SUBMITTED,), vocab.RETURNED, "督查退回台账", user, comment=comment.strip()
    )


# --- milestone changes on a locked ledger ----------------------------------------------------------


def request_change(milestone: Milestone, reason: str, new_due: date | None, undo_done: bool, user=None):
    """A unit asks to move a locked ledger's milestone or take its tick off."""
    ledger = milestone.ledger
    if not ledger.locked:
        raise InputError("台账尚未审核锁定，可直接修改节点")
    reason = (reason or "").strip()
    if not reason:
        raise InputError("请填写变更理由")
    if new_due is None and not undo_done:
        raise InputError("请填写新的时序节点，或选择取消完成")
    if new_due is not None and new_due == milestone.due and not undo_done:
        raise InputError("新的时序节点与原节点相同")
    if undo_done and not milestone.done:
        raise InputError(f"节点“{milestone.title}”尚未完成，无需取消")
    with transaction.atomic():
        cr = ChangeRequest.objects.create(
            task=ledger.task,
            unit=ledger.unit,
            kind="milestone",
            reason=reason,
            milestone=milestone,
            new_due=new_due,
            undo_done=undo_done,
            new_deadline=new_due.isoformat() if new_due else "",
            created_by=user,
        )
        audit.record(
            user,
            "申请节点变更",
            ledger.task,
            before={"milestone": milestone.title, "due": str(milestone.due), "done": milestone.done},
            after={"new_due": str(new_due) if new_due else None, "undo_done": undo_done, "reason": reason},
        )
    return cr


def decide(cr: ChangeRequest, decision: str, comment: str = "", user=None) -> ChangeRequest:
    """The office decides a request; an approved one applies what it asks (a new deadline, a
    milestone's new date or its tick taken off)."""
    if decision not in (ChangeRequest.APPROVED, ChangeRequest.REFUSED):
        raise InputError("请选择同意或不同意")
    with transaction.atomic():
        updated = ChangeRequest.objects.filter(pk=cr.pk, state=ChangeRequest.PENDING).update(
            state=decision, decision=(comment or "").strip(), decided_by=user, decided_at=timezone.now()
        )
        if not updated:
            raise DubanError("这项申请已处理")
        cr.refresh_from_db()
        task = cr.task
        before = {"state": ChangeRequest.PENDING, "deadline": task.deadline}
        after = {"state": decision, "comment": cr.decision}
        if decision == ChangeRequest.APPROVED:
            if cr.kind == "extension" and cr.new_deadline:
                task.deadline = cr.new_deadline
                task.save(update_fields=["deadline"])
                after["deadline"] = task.deadline
            if cr.kind == "milestone" and cr.milestone_id:
                m = Milestone.objects.select_for_update().get(pk=cr.milestone_id)
                before["milestone"] = {"title": m.title, "due": str(m.due), "done": m.done}
                if cr.new_due:
                    m.due = cr.new_due
                if cr.undo_done:
                    m.done = False
                m.save(update_fields=["due", "done"])
                Ledger.objects.filter(pk=m.ledger_id).update(version=F("version") + 1)
                after["milestone"] = {"title": m.title, "due": str(m.due), "done": m.done}
        audit.record(
            user, "同意申请" if decision == ChangeRequest.APPROVED else "不同意申请", task, before=before, after=after
        )
    return cr
