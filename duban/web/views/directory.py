"""The office's unit directory and reporting schedule: both editable after import."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import redirect, render

from duban.web import audit
from duban.web.models import UNIT_KINDS, ReportingRound, Unit
from duban.web.views.common import page


def _split(text: str) -> list[str]:
    return [p.strip() for p in text.replace("，", ",").replace("、", ",").split(",") if p.strip()]


@page
def units(request):
    actor = request.actor
    actor.require(actor.is_office, "只有督查人员可以维护单位名录")
    government = actor.membership.government
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            with transaction.atomic():
                if action == "defaults":
                    added = load_default_directory(government, request.user)
                    messages.info(request, f"已从默认名录新增 {added} 个单位")
                elif action == "add":
                    unit = Unit.objects.create(
                        government=government,
                        name=request.POST["name"].strip(),
                        kind=request.POST.get("kind", "department"),
                        aliases=_split(request.POST.get("aliases", "")),
                    )
                    audit.record(
                        request.user, "新增单位", unit, after=audit.snapshot(unit, ["name", "kind", "aliases"])
                    )
                else:
                    unit = Unit.objects.filter(government=government, pk=request.POST.get("unit")).first()
                    if unit is None:
                        raise Http404
                    before = audit.snapshot(unit, ["name", "kind", "aliases", "members"])
                    if action == "edit":
                        unit.aliases = _split(request.POST.get("aliases", ""))
                        unit.kind = request.POST.get("kind", unit.kind)
                        unit.save()
                        if unit.kind == "collective":
                            unit.members.set(government.units.filter(pk__in=request.POST.getlist("members")))
                        audit.record(
                            request.user, "修改单位", unit, before=before, after=audit.snapshot(unit, list(before))
                        )
                    elif action == "account":
                        password = _add_account(request, government, unit)
                        messages.info(
                            request,
                            f"已为{unit.name}新建账号 {request.POST['username'].strip()}，初始密码 {password}（只显示这一次）",
                        )
                    elif action == "rename":
                        new = Unit.objects.create(
                            government=government,
                            name=request.POST["new_name"].strip(),
                            kind=unit.kind,
                            aliases=list(unit.aliases) + [unit.name],
                            renamed_from=unit,
                        )
                        audit.record(
                            request.user, "单位更名", new, before={"name": unit.name}, after={"name": new.name}
                        )
        except (KeyError, IntegrityError):
            messages.error(request, "名称为空或已存在（单位名称和用户名都不能重复）")
        else:
            messages.success(request, "单位名录已更新")
        return redirect("units")
    return render(
        request,
        "duban/units.html",
        {
            "units": government.units.select_related("renamed_from").prefetch_related("members", "members_staff__user"),
            "all_units": government.units.exclude(kind="collective").only("id", "name"),
            "kinds": UNIT_KINDS,
        },
    )


def _add_account(request, government, unit) -> str:
    """A staff or head account for ``unit``; the initial password is shown to the office once."""
    import secrets

    from django.contrib.auth.models import User

    from duban.web.models import Membership
    from duban.web.security import mark_one_time

    username = request.POST["username"].strip()
    role = request.POST.get("role")
    if not username or role not in (Membership.UNIT_STAFF, Membership.UNIT_HEAD):
        raise KeyError("username")
    password = secrets.token_urlsafe(8)
    user = User.objects.create_user(username, password=password, first_name=request.POST.get("full_name", "").strip())
    Membership.objects.create(user=user, government=government, unit=unit, role=role)
    mark_one_time(user)  # changed by its owner at first login
    audit.record(request.user, "新建账号", unit, after={"username": username, "role": role})
    return password


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


@page
def rounds(request, plan_id):
    actor = request.actor
    actor.require(actor.is_office, "只有督查人员可以调整报送安排")
    plan = actor.plan(plan_id)
    if request.method == "POST":
        try:
            with transaction.atomic():
                before = [(r.title, str(r.due)) for r in plan.rounds.all()]
                for rnd in plan.rounds.all():
                    due = request.POST.get(f"due_{rnd.pk}")
                    title = request.POST.get(f"title_{rnd.pk}", "").strip()
                    if due:
                        rnd.due = date.fromisoformat(due)
                    if title:
                        rnd.title = title
                    rnd.save()
                if request.POST.get("new_title") and request.POST.get("new_due"):
                    ReportingRound.objects.create(
                        plan=plan,
                        kind=request.POST.get("new_kind", "progress"),
                        title=request.POST["new_title"].strip(),
                        due=date.fromisoformat(request.POST["new_due"]),
                        rule="手工添加",
                    )
                after = [(r.title, str(r.due)) for r in plan.rounds.all()]
                audit.record(request.user, "调整报送安排", plan, before={"rounds": before}, after={"rounds": after})
        except ValueError:
            messages.error(request, "日期格式不对，请用 2026-06-30 这样的格式")
        else:
            messages.success(request, "报送安排已保存")
        return redirect("rounds", plan.pk)
    return render(
        request, "duban/rounds.html", {"plan": plan, "rounds": plan.rounds.all(), "kinds": ReportingRound.KINDS}
    )
