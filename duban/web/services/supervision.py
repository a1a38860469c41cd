"""The supervision office's writes: urging, inspections and their findings, deciding change requests.

One transaction each, taking cleaned values, usable from the pages and from commands.
"""

from __future__ import annotations

from django.db import transaction

from duban.web import audit
from duban.web.models import Finding, Inspection, Urge


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
