"""Governments in a tree and the accounts of each: every write one transaction, audited, usable from commands.

The site administrator (a Django superuser who belongs to no government) creates governments under their
parent, each with its first administrator.  A government's administrator (``Membership`` role admin, never a
superuser) manages its own government's administrators, supervisors, leaders and unit accounts: creating them,
changing role, unit and a leader's areas, disabling and enabling, and resetting a password.  A password set
here is one-time (``duban.web.security``): its holder chooses their own at first login.  The password itself is
returned to the caller to be shown once and is never stored or audited.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from duban import vocab
from duban.errors import DubanError
from duban.web import audit
from duban.web.access import UNIT_ROLES
from duban.web.models import Government, Membership, Section, Unit
from duban.web.security import mark_one_time

GOVERNMENT_FIELDS = ["name", "level", "office_name", "parent"]
# A generated password: 12 characters of URL-safe base64, 72 random bits — given once, changed at first login.
PASSWORD_BYTES = 9


def new_password() -> str:
    return secrets.token_urlsafe(PASSWORD_BYTES)


# --- the tree ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Branch:
    government: Government
    depth: int  # 0 at the top of the tree


def tree() -> list[Branch]:
    """Every government, each under its parent (depth first, siblings in the order they were made)."""
    governments = list(Government.objects.order_by("id"))
    children: dict[int | None, list[Government]] = {}
    for g in governments:
        children.setdefault(g.parent_id, []).append(g)
    out, seen = [], set()

    def walk(parent_id, depth):
        for g in children.get(parent_id, []):
            if g.pk not in seen:
                seen.add(g.pk)
                out.append(Branch(g, depth))
                walk(g.pk, depth + 1)

    walk(None, 0)
    for g in governments:  # a parent cycle left by hand in the database: shown at the top rather than lost
        if g.pk not in seen:
            seen.add(g.pk)
            out.append(Branch(g, 0))
            walk(g.pk, 1)
    return out


def check_place(level: str, parent: Government | None, name: str = "新政府") -> None:
    """A government sits below its parent — the one placement rule, ``cascade.check_placement``."""
    from duban.web.services.cascade import check_placement

    if level not in vocab.LEVELS:
        raise DubanError(f"“{level}”不是有效的政府层级")
    if parent is not None:
        check_placement(Government(name=name, level=level), parent)


@transaction.atomic
def create_government(
    name: str,
    level: str,
    parent: Government | None,
    admin_username: str,
    *,
    office_name: str = "",
    admin_full_name: str = "",
    user=None,
) -> tuple[Government, str]:
    """A new government under ``parent`` with its first administrator; returns it and the one-time password."""
    name = name.strip()
    if not name:
        raise DubanError("政府名称不能为空")
    check_place(level, parent, name)
    try:
        with transaction.atomic():
            government = Government.objects.create(
                name=name, level=level, parent=parent, office_name=office_name.strip()
            )
    except IntegrityError as exc:
        raise DubanError(f"政府“{name}”已存在") from exc
    audit.record(
        user, "新建政府", government, government=government, after=audit.snapshot(government, GOVERNMENT_FIELDS)
    )
    _, password = create_account(government, admin_username, Membership.ADMIN, full_name=admin_full_name, user=user)
    from duban.web.services.cascade import cascade_to

    cascade_to(government, user=user)  # the parent's published tasks addressed to it come down (上级交办)
    return government, password


@transaction.atomic
def create_site_admin(username: str, user=None) -> str:
    """The site administrator: a superuser of no government, with a one-time password (returned)."""
    from django.contrib.auth.models import User

    username = _username(username)
    password = new_password()
    try:
        with transaction.atomic():
            account = User.objects.create_user(username, password=password, is_staff=True, is_superuser=True)
    except IntegrityError as exc:
        raise DubanError(f"用户名“{username}”已存在") from exc
    mark_one_time(account)
    audit.record(user, "新建系统管理员", account, government=None, after={"username": username})
    return password


@transaction.atomic
def reset_site_admin(username: str, user=None) -> str:
    from django.contrib.auth.models import User

    account = User.objects.filter(username=username, is_superuser=True).first()
    if account is None:
        raise DubanError(f"没有系统管理员账号 {username}")
    password = new_password()
    account.set_password(password)
    account.is_active = True
    account.save(update_fields=["password", "is_active"])
    mark_one_time(account)
    _unlock(username)
    audit.record(user, "重置密码", account, government=None, after={"username": username})
    return password


def _unlock(username: str) -> int:
    """Lift django-axes' lockout of the username (five wrong passwords): its administrator vouches for it."""
    from axes.utils import reset

    return reset(username=username)


# --- a government's accounts ------------------------------------------------------------------------------


def areas(government: Government) -> list[str]:
    """The section areas (一级标题) of the government's plans, newest plan first: what a leader can be given."""
    seen, out = set(), []
    rows = (
        Section.objects.filter(plan__government=government)
        .exclude(area="")
        .order_by("-plan__year", "-plan_id", "order")
        .values_list("area", flat=True)
    )
    for area in rows:
        if area not in seen:
            seen.add(area)
            out.append(area)
    return out


def state_of(membership: Membership) -> str:
    """What an editor saw of the account; a save made on another state is refused (two admins at once)."""
    user = membership.user
    seen = [membership.role, membership.unit_id, list(membership.sections or []), user.is_active, user.first_name]
    return hashlib.sha256(json.dumps(seen, ensure_ascii=False).encode()).hexdigest()[:16]


def _username(username: str) -> str:
    from django.contrib.auth.validators import UnicodeUsernameValidator
    from django.core.exceptions import ValidationError

    username = (username or "").strip()
    if not username or len(username) > 150:
        raise DubanError("用户名应为 1–150 个字符")
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError as exc:
        raise DubanError("用户名只能包含字母、数字和 @ . + - _") from exc
    return username


def _place(government: Government, role: str, unit: Unit | None, sections) -> tuple[Unit | None, list[str]]:
    """The unit and areas the role takes: a unit account names its unit, a leader their areas, others neither."""
    if role not in vocab.USER_ROLES:
        raise DubanError(f"“{role}”不是有效的角色")
    if role in UNIT_ROLES:
        if unit is None:
            raise DubanError(f"{vocab.USER_ROLES.label(role)}须选择所在单位")
        if unit.government_id != government.pk:
            raise DubanError("没有这个单位")
        if unit.kind == vocab.COLLECTIVE:
            raise DubanError(f"“{unit.name}”是集合，不是一个单位：请选择具体单位")
    else:
        unit = None
    sections = [s for s in dict.fromkeys(str(s).strip() for s in sections or ()) if s]
    if role != Membership.LEADER:
        sections = []
    return unit, sections


def _snapshot(membership: Membership) -> dict:
    return {
        "username": membership.user.username,
        "full_name": membership.user.first_name,
        "role": membership.role,
        "unit": membership.unit.name if membership.unit else "",
        "sections": list(membership.sections or []),
        "active": membership.user.is_active,
    }


@transaction.atomic
def create_account(
    government: Government,
    username: str,
    role: str,
    unit: Unit | None = None,
    *,
    full_name: str = "",
    sections=(),
    user=None,
) -> tuple[Membership, str]:
    """A new account of ``government``; returns its membership and one-time password (to be shown once)."""
    from django.contrib.auth.models import User

    username = _username(username)
    unit, sections = _place(government, role, unit, sections)
    password = new_password()
    try:
        with transaction.atomic():
            account = User.objects.create_user(username, password=password, first_name=full_name.strip()[:150])
    except IntegrityError as exc:
        raise DubanError(f"用户名“{username}”已存在") from exc
    membership = Membership.objects.create(user=account, government=government, role=role, unit=unit, sections=sections)
    mark_one_time(account)  # changed by its owner at first login
    audit.record(user, "新建账号", membership, government=government, after=_snapshot(membership))
    return membership, password


def _locked(membership: Membership, state: str | None) -> Membership:
    current = (
        Membership.objects.select_for_update(of=("self", "user")).select_related("user", "unit").get(pk=membership.pk)
    )
    if state is not None and state != state_of(current):
        raise DubanError("此账号已被他人修改：请刷新页面，看过现在的内容后再改")
    return current


def _not_self(membership: Membership, user, what: str) -> None:
    if user is not None and membership.user_id == getattr(user, "pk", None):
        raise DubanError(f"不能{what}：请另一位管理员操作")


@transaction.atomic
def change_account(
    membership: Membership,
    role: str,
    unit: Unit | None = None,
    *,
    full_name: str = "",
    sections=(),
    state: str | None = None,
    user=None,
) -> Membership:
    """Change an account's role, unit, name or a leader's areas."""
    current = _locked(membership, state)
    unit, sections = _place(current.government, role, unit, sections)
    if role != current.role:
        _not_self(current, user, "更改自己的角色")
    before = _snapshot(current)
    current.role, current.unit, current.sections = role, unit, sections
    current.save(update_fields=["role", "unit", "sections"])
    current.user.first_name = full_name.strip()[:150]
    current.user.save(update_fields=["first_name"])
    after = _snapshot(current)
    if after != before:
        audit.record(user, "修改账号", current, government=current.government, before=before, after=after)
    return current


@transaction.atomic
def set_active(membership: Membership, active: bool, *, state: str | None = None, user=None) -> Membership:
    """Disable (the account can no longer sign in, its API tokens stop working) or enable again."""
    current = _locked(membership, state)
    if not active:
        _not_self(current, user, "停用自己的账号")
    if active:
        _unlock(current.user.username)
    if current.user.is_active != active:
        current.user.is_active = active
        current.user.save(update_fields=["is_active"])
        audit.record(
            user,
            "启用账号" if active else "停用账号",
            current,
            government=current.government,
            before={"active": not active},
            after={"active": active},
        )
    return current


@transaction.atomic
def reset_password(membership: Membership, *, state: str | None = None, user=None) -> str:
    """A new one-time password for the account (returned, to be shown once); its sessions end."""
    current = _locked(membership, state)
    _not_self(current, user, "在这里重置自己的密码（修改自己的密码请点右上角的姓名）")
    password = new_password()
    current.user.set_password(password)  # a new password hash also ends the sessions signed in with the old one
    current.user.save(update_fields=["password"])
    mark_one_time(current.user)
    _unlock(current.user.username)
    audit.record(user, "重置密码", current, government=current.government, after={"username": current.user.username})
    return password
