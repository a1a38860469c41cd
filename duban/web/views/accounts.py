"""Governments in a tree (the site administrator) and a government's accounts (its administrators).

Thin views: a form per POST, a service per write (``duban.web.services.accounts``).  A password set here is
shown once, in the answer to the POST that set it (never in a message kept in the session), and must be
changed at first login.
"""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from duban.errors import DubanError
from duban.web.access import Actor
from duban.web.forms import (
    AccountActionForm,
    AccountChangeForm,
    AccountCreateForm,
    GovernmentAdminForm,
    GovernmentForm,
)
from duban.web.models import LEVELS, Membership
from duban.web.services import accounts as service
from duban.web.views.common import page, password_issued


def _valid(form):
    if not form.is_valid():
        raise DubanError(form.first_error())
    return form.cleaned_data


def site_page(view):
    """The site administrator's pages: signed in as an active superuser, or 403."""

    @login_required
    @never_cache
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        request.actor = Actor.of(request.user)
        if not request.actor.is_site_admin:
            return render(request, "duban/forbidden.html", {"why": "只有系统管理员可以管理政府"}, status=403)
        return view(request, *args, **kwargs)

    return wrapper


# --- the site administrator: the tree of governments --------------------------------------------------------


@site_page
def governments(request):
    if request.method == "POST":
        try:
            if request.POST.get("action") == "admin":
                data = _valid(GovernmentAdminForm(request.POST))
                membership, password = service.create_account(
                    data["government"],
                    data["username"],
                    Membership.ADMIN,
                    full_name=data["full_name"],
                    user=request.user,
                )
                title = f"已为{data['government'].name}新增管理员"
            else:
                data = _valid(GovernmentForm(request.POST))
                government, password = service.create_government(
                    data["name"],
                    data["level"],
                    data["parent"],
                    data["admin_username"],
                    office_name=data["office_name"],
                    admin_full_name=data["admin_full_name"],
                    user=request.user,
                )
                membership = government.memberships.get()
                title = f"已新建{government.name}及其管理员"
        except DubanError as exc:
            messages.error(request, str(exc))
            return redirect("governments")
        return password_issued(
            request, title=title, username=membership.user.username, password=password, back="governments"
        )
    branches = service.tree()
    admins = {}
    for m in Membership.objects.filter(role=Membership.ADMIN).select_related("user").order_by("id"):
        admins.setdefault(m.government_id, []).append(m.user)
    rows = [(b, admins.get(b.government.pk, [])) for b in branches]
    return render(
        request,
        "duban/governments.html",
        {"rows": rows, "levels": LEVELS, "parents": [b.government for b in branches]},
    )


# --- a government's administrator: its accounts ------------------------------------------------------------


def _admin_only(actor):
    actor.require(actor.is_admin, "只有本级政府的管理员可以管理账号")


@page
@never_cache
def accounts(request):
    actor = request.actor
    _admin_only(actor)
    government = actor.membership.government
    areas = service.areas(government)
    if request.method == "POST":
        try:
            data = _valid(AccountCreateForm(request.POST, government=government, areas=areas))
            membership, password = service.create_account(
                government,
                data["username"],
                data["role"],
                data["unit"],
                full_name=data["full_name"],
                sections=data["sections"],
                user=request.user,
            )
        except DubanError as exc:
            messages.error(request, str(exc))
            return redirect("accounts")
        return password_issued(
            request,
            title=f"已新建账号（{membership.get_role_display()}）",
            username=membership.user.username,
            password=password,
            back="accounts",
        )
    members = (
        actor.accounts()
        .select_related("user", "unit", "user__one_time_password")
        .order_by("role", "unit__name", "user__username")
    )
    return render(
        request,
        "duban/accounts.html",
        {
            "government": government,
            "members": members,
            "roles": Membership.ROLES,
            "units": government.units.exclude(kind="collective").only("id", "name"),
            "areas": areas,
        },
    )


@page
@never_cache
def account_edit(request, user_id):
    actor = request.actor
    _admin_only(actor)
    membership = actor.account(user_id)
    government = actor.membership.government
    areas = service.areas(government)
    # An area the leader already holds stays offered, so saving never drops it silently.
    areas += [a for a in membership.sections or [] if a not in areas]
    if request.method == "POST":
        try:
            action = _valid(AccountActionForm(request.POST))
            if action["action"] == "change":
                data = _valid(AccountChangeForm(request.POST, government=government, areas=areas))
                service.change_account(
                    membership,
                    data["role"],
                    data["unit"],
                    full_name=data["full_name"],
                    sections=data["sections"],
                    state=data["state"],
                    user=request.user,
                )
                messages.success(request, "账号已保存")
            elif action["action"] == "reset":
                password = service.reset_password(membership, state=action["state"], user=request.user)
                return password_issued(
                    request,
                    title="已重置密码",
                    username=membership.user.username,
                    password=password,
                    back="accounts",
                )
            else:
                active = action["action"] == "enable"
                service.set_active(membership, active, state=action["state"], user=request.user)
                messages.success(request, "账号已启用" if active else "账号已停用：不能再登录，API 令牌也已失效")
        except DubanError as exc:
            messages.error(request, str(exc))
        return redirect("account_edit", user_id)
    return render(
        request,
        "duban/account_edit.html",
        {
            "m": membership,
            "state": service.state_of(membership),
            "roles": Membership.ROLES,
            "units": government.units.exclude(kind="collective").only("id", "name"),
            "areas": areas,
            "is_self": membership.user_id == request.user.pk,
            "one_time": hasattr(membership.user, "one_time_password"),
        },
    )
