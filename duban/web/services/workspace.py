"""A unit's writes: its ledger, its part of a lead's report, its change requests, urges seen.

Each function is one transaction and takes cleaned values (``duban.web.forms``), so the pages, the API
and the commands share them.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from duban.web import audit
from duban.web.models import Contribution, Ledger, Urge


def ledger_for(task, unit_id) -> Ledger:
    """The unit's ledger of the task, made empty the first time it is opened."""
    ledger, _ = Ledger.objects.get_or_create(task=task, unit_id=unit_id)
    return ledger


@transaction.atomic
def contribute(task, rnd, unit, text: str, user=None) -> Contribution:
    contribution, _ = Contribution.objects.update_or_create(task=task, round=rnd, unit=unit, defaults={"text": text})
    audit.record(user, "提交配合情况", task, after={"round": rnd.title, "text": text})
    return contribution


def mark_urges_seen(urge_ids: list[int]) -> None:
    if urge_ids:
        Urge.objects.filter(pk__in=urge_ids, seen_at__isnull=True).update(seen_at=timezone.now())
