"""The supervision office's writes: urging, inspections and their findings, deciding change requests.

One transaction each, taking cleaned values, usable from the pages and from commands.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from duban.errors import DubanError
from duban.web import audit
from duban.web.models import ChangeRequest, Finding, Inspection, Urge


def default_urge_message(task, rnd) -> str:
    if rnd is None:
        return "请加快推进并及时报送进展"
    return f"请抓紧报送{rnd.title}" + (f"（任务 {task.number}）" if task else "")


@transaction.atomic
def urge(plan, unit, *, task=None, rnd=None, message: str = "", user=None) -> Urge:
    message = message or default_urge_message(task, rnd)
    u = Urge.objects.create(plan=plan, unit=unit, task=task, round=rnd, message=message, created_by=user)
    audit.record(user, "催办", u, government=plan.government, after={"unit": unit.name, "message": message})
    return u


@transaction.atomic
def record_inspection(plan, kind: str, title: str, held_on, notes: str = "", user=None) -> Inspection:
    ins = Inspection.objects.create(plan=plan, kind=kind, title=title, held_on=held_on, notes=notes, created_by=user)
    audit.record(user, "记录督查", ins, government=plan.government, after={"title": title, "kind": kind})
    return ins


@transaction.atomic
def add_finding(inspection, task, text: str, user=None) -> Finding:
    lead = task.assignments.filter(role__in=("lead", "responsible")).select_related("unit").first()
    finding = Finding.objects.create(inspection=inspection, task=task, unit=lead.unit if lead else None, text=text)
    audit.record(user, "记录督查发现", task, after={"inspection": inspection.title, "text": text})
    return finding


@transaction.atomic
def decide_change(cr: ChangeRequest, decision: str, comment: str = "", user=None) -> ChangeRequest:
    """Approve or refuse a pending request once; an approved extension moves the task's deadline."""
    cr = ChangeRequest.objects.select_for_update().select_related("task").get(pk=cr.pk)
    if cr.state != ChangeRequest.PENDING:
        raise DubanError("这项申请已处理")
    if decision not in (ChangeRequest.APPROVED, ChangeRequest.REFUSED):
        raise DubanError("审批结果无效")
    before = {"state": cr.state, "deadline": cr.task.deadline}
    cr.state = decision
    cr.decision = comment
    cr.decided_by = user
    cr.decided_at = timezone.now()
    cr.save()
    if decision == ChangeRequest.APPROVED and cr.kind == "extension" and cr.new_deadline:
        cr.task.deadline = cr.new_deadline
        cr.task.save(update_fields=["deadline"])
    audit.record(
        user,
        "同意申请" if decision == ChangeRequest.APPROVED else "不同意申请",
        cr.task,
        before=before,
        after={"state": decision, "deadline": cr.task.deadline, "comment": comment},
    )
    return cr
