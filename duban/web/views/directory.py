"""The office's unit directory and reporting schedule: both editable after import."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render

from duban.errors import DubanError
from duban.web.forms import AccountForm, MergeForm, RenameForm, UnitActionForm, UnitAddForm, UnitEditForm
from duban.web.models import UNIT_KINDS
from duban.web.services import directory as directory_service
from duban.web.views.common import page, password_issued


@page
def units(request):
    actor = request.actor
    actor.require(actor.is_office, "只有督查人员可以维护单位名录")
    government = actor.membership.government
    if request.method == "POST":
        try:
            shown = _unit_action(request, government)
        except DubanError as exc:
            messages.error(request, str(exc))
        else:
            if shown is not None:  # a new account's one-time password, on its own page
                return shown
            messages.success(request, "单位名录已更新")
        return redirect("units")
    return render(
        request,
        "duban/units.html",
        {
            "units": government.units.filter(successor__isnull=True).prefetch_related(
                "members", "members_staff__user", "predecessors"
            ),
            "retired": government.units.filter(successor__isnull=False).select_related("successor"),
            "all_units": government.units.filter(successor__isnull=True).exclude(kind="collective").only("id", "name"),
            "kinds": UNIT_KINDS,
        },
    )


def _valid(form):
    if not form.is_valid():
        raise DubanError(form.first_error())
    return form.cleaned_data


def _unit_action(request, government):
    """One POST of the directory page: which form it is, then that form's service; a page to show instead of
    going back to the directory, or None."""
    action = _valid(UnitActionForm(request.POST))["action"]
    user = request.user
    if action == "defaults":
        added = directory_service.load_default_directory(government, user)
        messages.info(request, f"已从默认名录新增 {added} 个单位")
    elif action == "add":
        data = _valid(UnitAddForm(request.POST, government=government))
        directory_service.add_unit(government, data["name"], data["kind"], data["aliases"], user=user)
    elif action == "edit":
        data = _valid(UnitEditForm(request.POST, government=government))
        directory_service.edit_unit(data["unit"], data["kind"], data["aliases"], data["members"], user=user)
    elif action == "account":
        data = _valid(AccountForm(request.POST, government=government))
        password = directory_service.add_account(
            government, data["unit"], data["username"], data["role"], data["full_name"], user=user
        )
        return password_issued(
            request,
            title=f"已为{data['unit'].name}新建账号",
            username=data["username"],
            password=password,
            back="units",
        )
    elif action == "rename":
        data = _valid(RenameForm(request.POST, government=government))
        new = directory_service.rename_unit(
            government, data["unit"], data["new_name"], user=user, effective=data["effective"], reason=data["reason"]
        )
        messages.info(
            request, f"{data['unit'].name}已更名为{new.name}：生效年度起的任务、台账、报告和账号已转到新名称下"
        )
    elif action == "merge":
        from duban.web.services import unit_changes

        data = _valid(MergeForm(request.POST, government=government))
        into = unit_changes.merge_units(
            government,
            data["units"],
            into=data["into"],
            new_name=data["new_name"],
            user=user,
            effective=data["effective"],
            reason=data["reason"],
        )
        messages.info(request, f"已合并为{into.name}：生效年度起的任务、台账、报告和账号已转到{into.name}下")
