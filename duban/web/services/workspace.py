"""A unit's writes: its ledger, its part of a lead's report, its change requests, urges seen.

Each function is one transaction and takes cleaned values (``duban.web.forms``), so the pages, the API
and the commands share them.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from duban.errors import DubanError
from duban.web import audit
from duban.web.models import ChangeRequest, Contribution, Ledger, Milestone, Urge

LEDGER_FIELDS = ("measures", "safeguards", "responsible_leader", "responsible_person")


class StaleLedger(DubanError):
    """Someone else saved the ledger since this user loaded it."""


def ledger_for(task, unit_id) -> Ledger:
    """The unit's ledger of the task, made empty the first time it is opened."""
    ledger, _ = Ledger.objects.get_or_create(task=task, unit_id=unit_id)
    return ledger


@transaction.atomic
def save_ledger(ledger: Ledger, version: int, fields: dict, milestones: list[tuple], user=None) -> Ledger:
    """Replace the ledger's text and milestones if nobody saved it since ``version`` was loaded."""
    fields = {k: fields[k] for k in LEDGER_FIELDS if k in fields}
    before = audit.snapshot(ledger, list(LEDGER_FIELDS))
    before["milestones"] = [(m.title, str(m.due), m.done) for m in ledger.milestones.all()]
    updated = Ledger.objects.filter(pk=ledger.pk, version=version).update(version=F("version") + 1, **fields)
    if not updated:
        raise StaleLedger("这份台账已被他人修改并保存，您的修改未保存：请对照下方已保存的版本修改后再保存")
    ledger.milestones.all().delete()
    Milestone.objects.bulk_create(
        Milestone(ledger=ledger, title=t, due=d, done=x, order=i) for i, (t, d, x) in enumerate(milestones)
    )
    after = dict(fields, milestones=[(t, str(d), x) for t, d, x in milestones])
    audit.record(user, "填写台账", ledger.task, before=before, after=after)
    return Ledger.objects.get(pk=ledger.pk)


@transaction.atomic
def contribute(task, rnd, unit, text: str, user=None) -> Contribution:
    contribution, _ = Contribution.objects.update_or_create(task=task, round=rnd, unit=unit, defaults={"text": text})
    audit.record(user, "提交配合情况", task, after={"round": rnd.title, "text": text})
    return contribution


@transaction.atomic
def request_change(task, unit, kind: str, reason: str, new_deadline: str = "", user=None) -> ChangeRequest:
    cr = ChangeRequest.objects.create(
        task=task, unit=unit, kind=kind, reason=reason, new_deadline=new_deadline, created_by=user
    )
    audit.record(user, "申请" + cr.get_kind_display(), task, after={"reason": reason, "new_deadline": new_deadline})
    return cr


def mark_urges_seen(urge_ids: list[int]) -> None:
    if urge_ids:
        Urge.objects.filter(pk__in=urge_ids, seen_at__isnull=True).update(seen_at=timezone.now())
