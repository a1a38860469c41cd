"""Governments in a tree and a government's accounts, managed in the application (issue 11, item 1)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duban.errors import DubanError
from duban.web.models import AuditEvent, Government, Membership, OneTimePassword
from duban.web.services import accounts
from duban.web.services.accounts import state_of
from tests.web.test_junk_input import _all_rows_valid


@pytest.fixture
def root(db):
    return User.objects.create_superuser("root", password="pw")


def _password(response) -> str:
    return re.search(r'id="issued-password">([^<]+)<', response.content.decode()).group(1)


# --- the tree ----------------------------------------------------------------------------------------------


def test_site_admin_builds_province_city_county_from_the_page(root, client):
    client.force_login(root)
    made = {}
    for name, level, parent in (
        ("河南省", "province", None),
        ("郑州市", "city", "河南省"),
        ("中牟县", "county", "郑州市"),
    ):
        data = {"action": "create", "name": name, "level": level, "admin_username": f"adm-{level}"}
        if parent:
            data["parent"] = made[parent].pk
        response = client.post("/governments/", data)
        assert response.status_code == 200 and "no-store" in response["Cache-Control"]
        made[name] = Government.objects.get(name=name)
        admin = User.objects.get(username=f"adm-{level}")
        assert admin.check_password(_password(response))
        assert (admin.membership.government, admin.membership.role) == (made[name], Membership.ADMIN)
        assert not admin.is_superuser and not admin.is_staff
        assert OneTimePassword.objects.filter(user=admin).exists()
    assert made["中牟县"].ancestors() == [made["郑州市"], made["河南省"]]
    page = client.get("/governments/").content.decode()
    assert page.index("河南省") < page.index("郑州市") < page.index("中牟县")
    assert 'class="depth-2">' in page  # the county two steps in
    events = AuditEvent.objects.filter(action="新建政府", username="root")
    assert events.count() == 3 and events.first().after["parent"] == made["郑州市"].pk
    # The new government's own audit log shows how it was made.
    assert events.first().government == made["中牟县"]


@pytest.mark.parametrize(
    "level, parent_level, ok",
    [
        ("city", "province", True),
        ("county", "province", True),  # 省直管县
        ("district", "city", True),
        ("county", "city", True),
        ("province", "province", False),
        ("city", "city", False),
        ("city", "county", False),
        ("county", "district", False),
        ("province", None, True),
    ],
)
def test_a_government_sits_below_its_parent(db, level, parent_level, ok):
    parent = Government.objects.create(name="上级", level=parent_level) if parent_level else None
    if ok:
        government, password = accounts.create_government("下级", level, parent, "adm")
        assert government.parent == parent and password
    else:
        with pytest.raises(DubanError, match="层级不符"):
            accounts.create_government("下级", level, parent, "adm")
        assert not Government.objects.filter(name="下级").exists() and not User.objects.filter(username="adm").exists()


def test_a_failed_government_leaves_nothing_behind(db):
    User.objects.create_user("taken")
    with pytest.raises(DubanError, match="用户名“taken”已存在"):
        accounts.create_government("郑州市", "city", None, "taken")
    assert not Government.objects.filter(name="郑州市").exists()
    assert not AuditEvent.objects.filter(action="新建政府").exists()


def test_the_site_admin_gives_a_government_another_admin(world, root, client):
    client.force_login(root)
    response = client.post("/governments/", {"action": "admin", "government": world.gov.pk, "username": "adm2"})
    adm2 = User.objects.get(username="adm2")
    assert adm2.check_password(_password(response)) and adm2.membership.government == world.gov
    assert adm2.membership.role == Membership.ADMIN


def test_bad_government_input_reads_as_one_sentence(root, client):
    client.force_login(root)
    Government.objects.create(name="河南省", level="province")
    for data, words in (
        ({"name": "  ", "level": "city", "admin_username": "a"}, "政府名称：这个字段是必填项"),
        ({"name": "郑州市", "level": "zzz", "admin_username": "a"}, "“zzz”不是有效的政府层级"),
        ({"name": "郑州市", "level": "city", "parent": "abc", "admin_username": "a"}, "没有这个上级政府"),
        ({"name": "河南省", "level": "province", "admin_username": "a"}, "“河南省”已存在"),
        ({"name": "郑州市", "level": "city", "admin_username": "有 空格"}, "管理员用户名："),
        (
            {"name": "县", "level": "province", "parent": Government.objects.get().pk, "admin_username": "a"},
            "层级不符：省级的县不能放在省级的河南省之下",
        ),
    ):
        page = client.post("/governments/", dict(data, action="create"), follow=True).content.decode()
        assert words in page, (data, words)
    assert Government.objects.count() == 1 and not User.objects.filter(username="a").exists()


# --- a government's accounts --------------------------------------------------------------------------------


def test_admin_creates_a_supervisor_and_a_leader_with_areas_picked(world, login):
    client = login(world.users["admin"])
    page = client.get("/accounts/").content.decode()
    areas = re.findall(r'name="sections" value="([^"]+)"', page)
    assert areas == ["二、聚焦推动高质量发展", "三、持续深化改革开放"]  # the plan's section areas, in its order
    response = client.post("/accounts/", {"username": "dc2", "role": "supervisor", "full_name": "督查 李"})
    dc2 = User.objects.get(username="dc2")
    assert dc2.check_password(_password(response)) and dc2.first_name == "督查 李"
    response = client.post("/accounts/", {"username": "ld2", "role": "leader", "sections": [areas[1]]})
    ld2 = User.objects.get(username="ld2").membership
    assert ld2.sections == ["三、持续深化改革开放"] and ld2.unit is None
    # What the leader then reads: the tasks of their area only.
    from duban.web.access import Actor

    assert [t.number for t in Actor.of(ld2.user).tasks()] == ["3"]
    event = AuditEvent.objects.filter(action="新建账号", object_id=str(ld2.pk)).get()
    assert (event.username, event.government, event.after["sections"]) == ("admin", world.gov, [areas[1]])
    assert "password" not in str(event.after) and _password(response) not in str(event.after)


def test_unit_accounts_need_their_unit_of_this_government(world, login):
    client = login(world.users["admin"])
    page = client.post("/accounts/", {"username": "u1", "role": "unit_staff"}, follow=True).content.decode()
    assert "所在单位：单位联络员须选择所在单位" in page
    other = world.users["x_staff"].membership.unit
    page = client.post(
        "/accounts/", {"username": "u1", "role": "unit_staff", "unit": other.pk}, follow=True
    ).content.decode()
    assert "没有这个单位" in page
    page = client.post(
        "/accounts/", {"username": "u1", "role": "leader", "sections": ["不存在的领域"]}, follow=True
    ).content.decode()
    assert "“不存在的领域”不是本政府计划中的领域" in page
    assert not User.objects.filter(username="u1").exists()
    client.post("/accounts/", {"username": "u1", "role": "unit_head", "unit": world.units["教育局"].pk})
    assert User.objects.get(username="u1").membership.unit == world.units["教育局"]


def test_change_role_unit_and_areas(world, login):
    client = login(world.users["admin"])
    target = world.users["a_staff"]
    response = client.post(
        f"/accounts/{target.pk}/",
        {
            "action": "change",
            "state": state_of(target.membership),
            "role": "unit_head",
            "unit": world.units["财政局"].pk,
            "full_name": "王 负责人",
        },
    )
    assert response.status_code == 302
    m = Membership.objects.get(user=target)
    assert (m.role, m.unit, m.user.first_name) == ("unit_head", world.units["财政局"], "王 负责人")
    event = AuditEvent.objects.filter(action="修改账号").get()
    assert event.before["unit"] == "商务局" and event.after["unit"] == "财政局" and event.username == "admin"
    # Now a leader: the unit goes, the areas come.
    client.post(
        f"/accounts/{target.pk}/",
        {"action": "change", "state": state_of(m), "role": "leader", "unit": world.units["财政局"].pk,
         "sections": ["二、聚焦推动高质量发展"]},
    )  # fmt: skip
    m.refresh_from_db()
    assert (m.role, m.unit, m.sections) == ("leader", None, ["二、聚焦推动高质量发展"])


def test_a_stale_edit_is_refused_not_silently_overwritten(world, login):
    client = login(world.users["admin"])
    target = world.users["leader"]
    seen = state_of(target.membership)
    accounts.change_account(target.membership, "leader", sections=["三、持续深化改革开放"], user=world.users["admin"])
    page = client.post(
        f"/accounts/{target.pk}/",
        {"action": "change", "state": seen, "role": "leader", "sections": ["二、聚焦推动高质量发展"]},
        follow=True,
    ).content.decode()
    assert "此账号已被他人修改" in page
    assert Membership.objects.get(user=target).sections == ["三、持续深化改革开放"]


def test_an_area_held_but_no_longer_in_a_plan_stays_offered(world, login):
    Membership.objects.filter(user=world.users["leader"]).update(sections=["一、往年的领域", "二、聚焦推动高质量发展"])
    page = login(world.users["admin"]).get(f"/accounts/{world.users['leader'].pk}/").content.decode()
    assert 'value="一、往年的领域" checked' in page and 'value="二、聚焦推动高质量发展" checked' in page


def test_disable_enable_and_reset(world, login, client):
    admin = login(world.users["admin"])
    target = world.users["a_staff"]
    admin.post(f"/accounts/{target.pk}/", {"action": "disable", "state": state_of(target.membership)})
    target.refresh_from_db()
    assert not target.is_active
    # A disabled account signs in nowhere and its API tokens stop working.
    from django.test import Client

    from duban.web.models import ApiToken

    token = ApiToken.issue(target)
    assert Client().get("/api/plans", HTTP_AUTHORIZATION=f"Token {token.key}").status_code == 401
    refused = Client().post("/login/", {"username": "a_staff", "password": "pw"})
    assert refused.status_code == 200 and "_auth_user_id" not in refused.client.session
    admin.post(f"/accounts/{target.pk}/", {"action": "enable", "state": state_of(target.membership)})
    target.refresh_from_db()
    assert target.is_active
    response = admin.post(f"/accounts/{target.pk}/", {"action": "reset", "state": state_of(target.membership)})
    password = _password(response)
    target.refresh_from_db()
    assert target.check_password(password) and not target.check_password("pw")
    assert OneTimePassword.objects.filter(user=target).exists()
    actions = list(
        AuditEvent.objects.filter(object_type="Membership", object_id=str(target.membership.pk)).values_list(
            "action", flat=True
        )
    )
    assert actions == ["重置密码", "启用账号", "停用账号"]
    assert password not in str(list(AuditEvent.objects.values_list("before", "after")))


def test_a_reset_password_is_one_time_at_login(world, login):
    from django.test import Client

    target = world.users["b_staff"]
    password = accounts.reset_password(target.membership, user=world.users["admin"])
    c = Client()
    response = c.post("/login/", {"username": "b_staff", "password": password})
    assert response.status_code == 302
    assert c.get("/workspace/").url == "/password/"


def test_an_admin_cannot_lock_themselves_out(world, login):
    client = login(world.users["admin"])
    me = world.users["admin"]
    for data, words in (
        ({"action": "disable"}, "不能停用自己的账号"),
        ({"action": "reset"}, "不能在这里重置自己的密码"),
        ({"action": "change", "role": "supervisor"}, "不能更改自己的角色"),
    ):
        page = client.post(f"/accounts/{me.pk}/", dict(data, state=state_of(me.membership)), follow=True)
        assert words in page.content.decode(), words
    me.refresh_from_db()
    assert me.is_active and me.membership.role == "admin"


def test_the_office_s_unit_accounts_are_the_same_accounts(world, login):
    """An account the supervision office makes on the unit directory is one the admin then manages."""
    login(world.users["office"]).post(
        "/units/", {"action": "account", "unit": world.units["教育局"].pk, "username": "jy1", "role": "unit_staff"}
    )
    assert "jy1" in login(world.users["admin"]).get("/accounts/").content.decode()


def test_a_reset_lifts_the_lockout_of_five_wrong_passwords(world, login):
    from django.test import Client

    for _ in range(5):
        Client().post("/login/", {"username": "c_staff", "password": "wrong"})
    assert Client().post("/login/", {"username": "c_staff", "password": "pw"}).status_code == 429
    password = accounts.reset_password(world.users["c_staff"].membership, user=world.users["admin"])
    assert Client().post("/login/", {"username": "c_staff", "password": password}).status_code == 302


ACCOUNT_FIELDS = {
    "/governments/": ["action", "name", "level", "parent", "office_name", "admin_username", "admin_full_name"],
    "/accounts/": ["username", "full_name", "role", "unit", "sections"],
    "edit": ["action", "state", "role", "unit", "sections", "full_name"],
}


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    which=st.sampled_from(sorted(ACCOUNT_FIELDS)),
    values=st.lists(st.tuples(st.integers(0, 8), st.text(max_size=40)), min_size=1, max_size=7),
)
def test_arbitrary_text_into_the_account_forms(world, which, values):
    """Never a server error; a refusal is one Chinese sentence; whatever is stored still validates."""
    from django.test import Client

    client = Client(raise_request_exception=False)
    if which == "/governments/":
        client.force_login(User.objects.get_or_create(username="root", defaults={"is_superuser": True})[0])
        url = which
    else:
        client.force_login(world.users["admin"])
        url = "/accounts/" if which == "/accounts/" else f"/accounts/{world.users['b_head'].pk}/"
    names = ACCOUNT_FIELDS[which]
    data = {names[i % len(names)]: text for i, text in values}
    response = client.post(url, data)
    assert response.status_code < 500
    if response.status_code == 302:
        page = client.get(response.url).content.decode()
        refusals = re.findall(r'<li class="msg-error">([^<]*)</li>', page)
        assert all(re.search(r"[\u4e00-\u9fff]", r) for r in refusals), refusals
    assert _all_rows_valid() == []


def test_the_upgrade_takes_superuser_from_government_accounts_only(world):
    """Migration 0014: the old ``serve --init`` administrators lose superuser and staff; the site's keeps it."""
    import importlib

    from django.apps import apps

    demote = importlib.import_module("duban.web.migrations.0014_i11_tree").demote
    User.objects.filter(pk=world.users["admin"].pk).update(is_superuser=True, is_staff=True)
    User.objects.filter(pk=world.users["office"].pk).update(is_staff=True)
    site = User.objects.create_superuser("site", password="pw")
    demote(apps, None)
    for name in ("admin", "office"):
        user = User.objects.get(pk=world.users[name].pk)
        assert not user.is_superuser and not user.is_staff
    site.refresh_from_db()
    assert site.is_superuser and site.is_staff


@pytest.mark.parametrize("field", ["username", "full_name"])
def test_a_nul_in_a_name_is_refused_before_the_database_sees_it(world, login, field):
    """PostgreSQL cannot store or even compare a NUL: the form refuses it with a sentence."""
    data = {"username": "nul_user", "role": "supervisor", field: "a\x00b"}
    page = login(world.users["admin"]).post("/accounts/", data, follow=True).content.decode()
    refusal = re.search(r'class="msg-error">([^<]+)<', page).group(1)
    assert refusal.startswith("用户名：" if field == "username" else "姓名："), refusal
    assert not User.objects.filter(username__startswith="nul").exists()
