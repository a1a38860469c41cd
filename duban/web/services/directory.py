"""The office's unit directory and reporting schedule: every write one transaction, usable from commands."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from duban.errors import DubanError
from duban.web import audit
from duban.web.models import Membership, Unit

UNIT_FIELDS = ["name", "kind", "aliases"]


def _unique(what: str):
    """Two offices adding the same name at once: the loser hears why, nothing is half-stored."""
    return DubanError(f"{what}已存在（单位名称和用户名都不能重复）")


@transaction.atomic
def add_unit(government, name: str, kind: str = "department", aliases: list[str] = (), user=None) -> Unit:
    try:
        with transaction.atomic():
            unit = Unit.objects.create(government=government, name=name, kind=kind, aliases=list(aliases))
    except IntegrityError as exc:
        raise _unique(f"单位“{name}”") from exc
    audit.record(user, "新增单位", unit, after=audit.snapshot(unit, UNIT_FIELDS))
    return unit


@transaction.atomic
def edit_unit(unit: Unit, kind: str, aliases: list[str], members=None, user=None) -> Unit:
    before = audit.snapshot(unit, UNIT_FIELDS + ["members"])
    unit.aliases = list(aliases)
    unit.kind = kind
    unit.save()
    if unit.kind == "collective" and members is not None:
        unit.members.set(members)
    audit.record(user, "修改单位", unit, before=before, after=audit.snapshot(unit, list(before)))
    return unit


def add_account(government, unit: Unit, username: str, role: str, full_name: str = "", user=None) -> str:
    """A staff or head account for ``unit``; returns the initial password, to be shown once.

    The office's shortcut on the directory page to ``duban.web.services.accounts.create_account``: one rule.
    """
    from duban.web.services.accounts import create_account

    if role not in (Membership.UNIT_STAFF, Membership.UNIT_HEAD):
        raise DubanError("账号角色只能是联络员或负责人")
    return create_account(government, username, role, unit, full_name=full_name, user=user)[1]


def rename_unit(government, unit: Unit, new_name: str, user=None, effective=None, reason: str = "") -> Unit:
    """A renaming moves the unit's open work to the new name (``services.unit_changes``)."""
    from duban.web.services import unit_changes

    return unit_changes.rename_unit(government, unit, new_name, user=user, effective=effective, reason=reason)


@transaction.atomic
def load_default_directory(government, user=None) -> int:
    """Add the units a government of its level usually has (``duban.draft.catalogue``), keeping existing ones."""
    from duban.draft.catalogue import default_directory
    from duban.web.services.matching import guess_kind

    place = government.name
    for suffix in ("人民政府", "政府", "自治州", "自治县", "省", "市", "县", "区"):
        if place.endswith(suffix) and len(place) > len(suffix) + 1:
            place = place[: -len(suffix)]
            break
    have = set(government.units.values_list("name", flat=True))
    added = []
    for default in default_directory(government.level, place):
        if default.name not in have:
            unit = Unit.objects.create(
                government=government, name=default.name, kind=guess_kind(default.name, default.collective)
            )
            have.add(unit.name)
            added.append(unit.name)
    if added:
        audit.record(user, "载入默认名录", government, after={"units": added})
    return len(added)
