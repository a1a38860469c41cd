"""Who may do what: role × action × own/other unit, checked over HTTP and the API.

"own" targets belong to 商务局 (task 1, which 财政局 supports); "other" to 教育局
(task 3).  404 means the object is invisible to that user; 403 means visible
but not allowed.
"""

import json

import pytest

from duban.web.models import ApiToken, ProgressReport

ROLES = ["a_staff", "a_head", "b_staff", "c_staff", "office", "admin", "leader", "x_office", "x_staff", "anonymous"]


def _task(world, which):
    """商务局's task 1 for "own", 教育局's task 3 for "other"."""
    return world.tasks["1" if which == "own" else "3"]


def _report(world, which, state=ProgressReport.DRAFT):
    from duban.web.models import ProgressReport as PR

    if which == "own":
        report = world.reports["a1"]
    else:
        report = PR.objects.create(task=world.tasks["3"], unit=world.units["教育局"], round=world.rounds[0])
    PR.objects.filter(pk=report.pk).update(state=state)
    report.refresh_from_db()
    return report


def view_task(world, c, which):
    return c.get(f"/tasks/{_task(world, which).pk}/")


def view_draft_report(world, c, which):
    return c.get(f"/reports/{_report(world, which).pk}/")


def view_submitted_report(world, c, which):
    return c.get(f"/reports/{_report(world, which, ProgressReport.SUBMITTED).pk}/")


def edit_report(world, c, which):
    r = _report(world, which)
    return c.post(
        f"/reports/{r.pk}/", {"version": r.version, "action": "save", "status": "on_schedule", "done_text": "x"}
    )


def sign_off(world, c, which):
    r = _report(world, which, ProgressReport.AWAITING_HEAD)
    return c.post(f"/reports/{r.pk}/", {"version": r.version, "action": "approve"})


def accept(world, c, which):
    r = _report(world, which, ProgressReport.SUBMITTED)
    return c.post(f"/reports/{r.pk}/", {"version": r.version, "action": "accept"})


def open_report(world, c, which):
    task = _task(world, which)
    return c.get(f"/tasks/{task.pk}/rounds/{world.rounds[0].pk}/report/")


def edit_ledger(world, c, which):
    return c.get(f"/tasks/{_task(world, which).pk}/ledger/")


def dashboard(world, c, which):
    return c.get(f"/plans/{world.plan.pk}/")


def dashboard_section(world, c, which):
    """One section's task rows, unfolded on the dashboard: the same rule, and a leader sees only their areas."""
    return c.get(f"/plans/{world.plan.pk}/sections/{_task(world, which).section_id}/tasks/")


def audit(world, c, which):
    return c.get("/audit/")


def urge(world, c, which):
    return c.post(f"/plans/{world.plan.pk}/urge/", {"unit": world.units["教育局"].pk})


def api_read_report(world, c, which):
    return c.get(f"/api/reports/{_report(world, which).pk}")


def api_push_report(world, c, which):
    task = _task(world, which)
    body = {"task": task.pk, "round": world.rounds[0].pk, "status": "on_schedule", "done_text": "接口报送"}
    return c.post("/api/reports", json.dumps(body), content_type="application/json")


def api_task_status(world, c, which):
    return c.get(f"/api/plans/{world.plan.pk}/tasks")


ACTIONS = {
    # action: {role: (own, other)}
    view_task: {
        "a_staff": (200, 404), "a_head": (200, 404), "b_staff": (200, 404), "c_staff": (404, 200),
        "office": (200, 200), "admin": (200, 200), "leader": (200, 404), "x_office": (404, 404), "x_staff": (404, 404),
    },
    view_draft_report: {
        "a_staff": (200, 404), "a_head": (200, 404), "b_staff": (404, 404), "c_staff": (404, 200),
        "office": (200, 200), "admin": (200, 200), "leader": (404, 404), "x_office": (404, 404), "x_staff": (404, 404),
    },
    view_submitted_report: {
        "a_staff": (200, 404), "a_head": (200, 404), "b_staff": (404, 404), "c_staff": (404, 200),
        "office": (200, 200), "admin": (200, 200), "leader": (200, 404), "x_office": (404, 404), "x_staff": (404, 404),
    },
    edit_report: {
        "a_staff": (302, 404), "a_head": (302, 404), "b_staff": (404, 404), "c_staff": (404, 302),
        "office": (403, 403), "admin": (403, 403), "leader": (404, 404), "x_office": (404, 404), "x_staff": (404, 404),
    },
    sign_off: {
        "a_staff": (403, 404), "a_head": (302, 404), "b_staff": (404, 404), "c_staff": (404, 403),
        "office": (403, 403), "admin": (403, 403), "leader": (404, 404), "x_office": (404, 404), "x_staff": (404, 404),
    },
    accept: {
        "a_staff": (403, 404), "a_head": (403, 404), "b_staff": (404, 404), "c_staff": (404, 403),
        "office": (302, 302), "admin": (302, 302), "leader": (403, 404), "x_office": (404, 404), "x_staff": (404, 404),
    },
    open_report: {
        "a_staff": (302, 404), "a_head": (302, 404), "b_staff": (403, 404), "c_staff": (404, 302),
        "office": (403, 403), "admin": (403, 403), "leader": (403, 404), "x_office": (404, 404), "x_staff": (404, 404),
    },
    edit_ledger: {
        "a_staff": (200, 404), "a_head": (200, 404), "b_staff": (403, 404), "c_staff": (404, 200),
        "office": (403, 403), "admin": (403, 403), "leader": (403, 404), "x_office": (404, 404), "x_staff": (404, 404),
    },
    dashboard: {
        "a_staff": (403, 403), "a_head": (403, 403), "b_staff": (403, 403), "c_staff": (403, 403),
        "office": (200, 200), "admin": (200, 200), "leader": (200, 200), "x_office": (404, 404), "x_staff": (403, 403),
    },
    dashboard_section: {
        "a_staff": (403, 403), "a_head": (403, 403), "b_staff": (403, 403), "c_staff": (403, 403),
        "office": (200, 200), "admin": (200, 200), "leader": (200, 404), "x_office": (404, 404), "x_staff": (403, 403),
    },
    audit: {
        "a_staff": (403, 403), "a_head": (403, 403), "b_staff": (403, 403), "c_staff": (403, 403),
        "office": (200, 200), "admin": (200, 200), "leader": (403, 403), "x_office": (200, 200), "x_staff": (403, 403),
    },
    urge: {
        "a_staff": (403, 403), "a_head": (403, 403), "b_staff": (403, 403), "c_staff": (403, 403),
        "office": (302, 302), "admin": (302, 302), "leader": (403, 403), "x_office": (404, 404), "x_staff": (403, 403),
    },
    api_read_report: {
        "a_staff": (200, 404), "a_head": (200, 404), "b_staff": (404, 404), "c_staff": (404, 200),
        "office": (200, 200), "admin": (200, 200), "leader": (404, 404), "x_office": (404, 404), "x_staff": (404, 404),
    },
    api_push_report: {
        "a_staff": (201, 404), "a_head": (201, 404), "b_staff": (403, 404), "c_staff": (404, 201),
        "office": (403, 403), "admin": (403, 403), "leader": (403, 404), "x_office": (404, 404), "x_staff": (404, 404),
    },
    api_task_status: {
        "a_staff": (200, 200), "a_head": (200, 200), "b_staff": (200, 200), "c_staff": (200, 200),
        "office": (200, 200), "admin": (200, 200), "leader": (200, 200), "x_office": (404, 404), "x_staff": (404, 404),
    },
}  # fmt: skip

CASES = [
    pytest.param(action, role, which, expected[role][i], id=f"{action.__name__}-{role}-{which}")
    for action, expected in ACTIONS.items()
    for role in ROLES
    if role != "anonymous"
    for i, which in enumerate(("own", "other"))
]


@pytest.mark.parametrize("action, role, which, status", CASES)
def test_access_rule(world, client, action, role, which, status):
    client.force_login(world.users[role])
    assert action(world, client, which).status_code == status


@pytest.mark.parametrize("action", list(ACTIONS), ids=lambda a: a.__name__)
def test_anonymous_gets_nothing(world, client, action):
    response = action(world, client, "own")
    if action.__name__.startswith("api_"):
        assert response.status_code == 401
    else:
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_token_auth_and_unit_scoped_task_list(world, client):
    token = ApiToken.issue(world.users["c_staff"])
    listing = client.get(f"/api/plans/{world.plan.pk}/tasks", HTTP_AUTHORIZATION=f"Token {token.key}").json()
    assert [t["number"] for t in listing["tasks"]] == ["3"]
    assert client.get("/api/plans", HTTP_AUTHORIZATION="Token wrong").status_code == 401
    office = ApiToken.issue(world.users["office"])
    listing = client.get(f"/api/plans/{world.plan.pk}/tasks", HTTP_AUTHORIZATION=f"Token {office.key}").json()
    assert [t["number"] for t in listing["tasks"]] == ["1", "2", "3"]
    leader = ApiToken.issue(world.users["leader"])
    listing = client.get(f"/api/plans/{world.plan.pk}/tasks", HTTP_AUTHORIZATION=f"Token {leader.key}").json()
    assert [t["number"] for t in listing["tasks"]] == ["1", "2"]


def test_the_api_task_list_comes_in_batches_a_client_follows(world, client):
    """``limit`` tasks an answer in plan order, ``count`` of all, ``next`` the address of the next batch:
    following it gives every visible task once; junk in either parameter is one sentence with 400."""
    office = {"HTTP_AUTHORIZATION": f"Token {ApiToken.issue(world.users['office']).key}"}
    url = f"/api/plans/{world.plan.pk}/tasks?limit=2"
    seen, answers = [], []
    while url:
        answer = client.get(url, **office).json()
        answers.append(answer)
        seen += [t["number"] for t in answer["tasks"]]
        url = answer["next"]
    assert seen == ["1", "2", "3"] and [len(a["tasks"]) for a in answers] == [2, 1]
    assert {a["count"] for a in answers} == {3} and answers[1]["offset"] == 2
    whole = client.get(f"/api/plans/{world.plan.pk}/tasks", **office).json()
    assert [t["number"] for t in whole["tasks"]] == seen and whole["next"] is None and whole["limit"] == 1000
    for junk in ("limit=0", "limit=abc", "limit=1001", "offset=-1", "offset=1e9"):
        refused = client.get(f"/api/plans/{world.plan.pk}/tasks?{junk}", **office)
        assert refused.status_code == 400 and refused.json()["error"].startswith(junk.split("=")[0] + "："), junk


def test_api_push_with_stale_version_is_refused(world, client):
    token = ApiToken.issue(world.users["a_staff"], scope=ApiToken.PUSH)
    auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    body = {"task": world.tasks["1"].pk, "round": world.rounds[0].pk, "figures": {"社会消费品零售总额": 95}}
    first = client.post("/api/reports", json.dumps(body), content_type="application/json", **auth)
    assert first.status_code == 201
    version = first.json()["version"]
    assert first.json()["figures"] == {"社会消费品零售总额": 95.0}
    ok = client.post(
        f"/api/reports/{first.json()['id']}",
        json.dumps({"version": version, "done_text": "a"}),
        content_type="application/json",
        **auth,
    )
    assert ok.status_code == 200
    stale = client.post(
        f"/api/reports/{first.json()['id']}",
        json.dumps({"version": version, "done_text": "b"}),
        content_type="application/json",
        **auth,
    )
    assert stale.status_code == 409
    assert "已被他人修改" in stale.json()["error"]


def test_session_api_writes_need_csrf(world):
    from django.test import Client

    c = Client(enforce_csrf_checks=True)
    c.force_login(world.users["a_staff"])
    body = {"task": world.tasks["1"].pk, "round": world.rounds[0].pk}
    assert c.post("/api/reports", json.dumps(body), content_type="application/json").status_code == 403


def test_openapi_describes_the_api(client, db):
    spec = client.get("/api/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    assert {"/api/plans/{plan_id}/tasks", "/api/reports", "/api/reports/{report_id}", "/api/tasks/{task_id}"} <= set(
        spec["paths"]
    )


def test_every_openapi_path_is_served():
    import re as _re

    from django.urls import resolve

    from duban.web.views.api import OPENAPI

    for path, methods in OPENAPI["paths"].items():
        match = resolve(_re.sub(r"\{[a-z_]+\}", "1", path))
        assert match.url_name.startswith("api_"), path
        assert set(methods) <= {"get", "post"}


# --- accounts: a government's administrator manages its own accounts, nobody else's (issue 11) ------------


def account_list(world, c, which):
    return c.get("/accounts/")


def account_page(world, c, which):
    """own: an account of 云溪市; other: an account of another government (青川县)."""
    return c.get(f"/accounts/{world.users['a_staff' if which == 'own' else 'x_staff'].pk}/")


def account_disable(world, c, which):
    from duban.web.services.accounts import state_of

    target = world.users["b_head" if which == "own" else "x_staff"]
    return c.post(f"/accounts/{target.pk}/", {"action": "disable", "state": state_of(target.membership)})


def governments_page(world, c, which):
    return c.get("/governments/")


def django_admin(world, c, which):
    return c.get("/admin/" if which == "own" else "/admin/duban/auditevent/")


ACCOUNT_ACTIONS = {
    account_list: {"admin": (200, 200), "x_office": (403, 403)},
    account_page: {"admin": (200, 404), "x_office": (403, 403)},
    account_disable: {"admin": (302, 404), "x_office": (403, 403)},
    governments_page: {"admin": (403, 403), "x_office": (403, 403)},
    django_admin: {"admin": (403, 403), "x_office": (403, 403)},
}
# Everyone but the administrator of the government is refused its account pages; nobody but the site
# administrator reaches the government tree or Django's /admin/.
for _action, _expected in ACCOUNT_ACTIONS.items():
    for _role in ROLES:
        if _role != "anonymous":
            _expected.setdefault(_role, (403, 403))

ACCOUNT_CASES = [
    pytest.param(action, role, which, expected[role][i], id=f"{action.__name__}-{role}-{which}")
    for action, expected in ACCOUNT_ACTIONS.items()
    for role in ROLES
    if role != "anonymous"
    for i, which in enumerate(("own", "other"))
]


@pytest.mark.parametrize("action, role, which, status", ACCOUNT_CASES)
def test_account_access_rule(world, client, action, role, which, status):
    client.force_login(world.users[role])
    assert action(world, client, which).status_code == status


def test_site_admin_reaches_the_tree_and_admin_but_no_government(world, client):
    from django.contrib.auth.models import User

    root = User.objects.create_superuser("root", password="pw")
    client.force_login(root)
    assert client.get("/governments/").status_code == 200
    assert client.get("/admin/duban/auditevent/").status_code == 200
    assert client.get("/").url == "/governments/"
    assert client.get(f"/plans/{world.plan.pk}/").status_code == 403  # belongs to no government
    assert client.get("/accounts/").status_code == 403
    # A superuser who has been disabled is nobody.
    User.objects.filter(pk=root.pk).update(is_active=False)
    assert client.get("/governments/").status_code == 302


# --- two sibling governments under one province: neither's admin or supervisor reaches the other --------------
# Every URL of the application is tried with the ids of the sibling's objects, by GET and by POST, and the
# id-free pages (lists, the audit log, the account list) must not show a word of the sibling's data.


@pytest.fixture
def siblings(world):
    """河南省 with two cities: 云溪市 (the world) and 青川市, which has its own plan, units, accounts and reports."""

    from duban.doc.model import UnitRef
    from duban.web.jobs.models import Job
    from duban.web.models import (
        Attachment,
        Bulletin,
        ChangeRequest,
        Channel,
        Delivery,
        Government,
        Inspection,
        Ledger,
        Membership,
        OneTimePassword,
        Unit,
    )
    from duban.web.services import accounts
    from duban.web.services import plans as plan_service
    from tests.web.conftest import YEAR, small_notice

    province = Government.objects.create(name="河南省", level="province")
    Government.objects.filter(pk=world.gov.pk).update(parent=province)
    sib = Government.objects.create(name="青川市", level="city", parent=province, office_name="青川市人民政府办公室")
    units = {n: Unit.objects.create(government=sib, name=n) for n in ("发改委", "住建局")}
    notice = small_notice()
    notice.title = "青川市人民政府关于明确2026年重点工作责任单位的通知"
    for i, task in enumerate(notice.tasks):
        task.text = f"青川独有任务{i}：建设棚户区改造项目。"
        task.units = [UnitRef("发改委", "lead"), UnitRef("住建局", "support")]
        task.indicators = []
    plan = plan_service.publish(plan_service.import_document(notice, sib, YEAR))
    for area in {s.area for s in plan.sections.all()}:
        plan.sections.filter(area=area).update(area="青川" + area)
    s_users = {}
    for name, role, unit in (
        ("s_admin", Membership.ADMIN, None),
        ("s_office", Membership.SUPERVISOR, None),
        ("s_staff", Membership.UNIT_STAFF, units["发改委"]),
        ("s_leader", Membership.LEADER, None),
    ):
        s_users[name] = accounts.create_account(sib, name, role, unit, full_name=f"青川{name}")[0].user
    OneTimePassword.objects.filter(user__in=s_users.values()).delete()  # as if each had chosen their own
    task = plan.tasks.order_by("order").first()
    rnd = plan.rounds.filter(kind="progress").order_by("due").first()
    report = ProgressReport.objects.create(
        task=task, unit=units["发改委"], round=rnd, state=ProgressReport.SUBMITTED, done_text="青川独有进展"
    )
    ids = {
        "plan_id": plan.pk,
        "task_id": task.pk,
        "round_id": rnd.pk,
        "report_id": report.pk,
        "unit_id": units["发改委"].pk,
        "section_id": task.section_id,
        "user_id": s_users["s_staff"].pk,
        "ledger_id": Ledger.objects.create(task=task, unit=units["发改委"], measures="青川独有措施").pk,
        "attachment_id": Attachment.objects.create(
            report=report, name="青川独有附件.pdf", path="none.pdf", sha256="0" * 64, size=1
        ).pk,
        "inspection_id": Inspection.objects.create(
            plan=plan, kind="special", title="青川独有督查", held_on="2026-06-01"
        ).pk,
        "change_id": ChangeRequest.objects.create(
            task=task, unit=units["发改委"], kind="extension", reason="青川独有理由"
        ).pk,
        "bulletin_id": Bulletin.objects.create(
            round=rnd, version=1, number=1, text="青川独有通报", issued_at=__import__("django.utils.timezone").utils.timezone.now()
        ).pk,
        "channel_id": Channel.objects.create(government=sib, kind="webhook", name="青川独有渠道", url="http://x").pk,
        "delivery_id": Delivery.objects.create(
            government=sib, channel="inapp", channel_key="inapp", recipient=f"user:{s_users['s_staff'].pk}",
            user=s_users["s_staff"], day="2026-07-01", subject="青川独有提醒", body="青川独有提醒", state="failed",
        ).pk,
        "job_id": Job.objects.create(
            kind="import", user=s_users["s_admin"], title="青川独有导入", upload=b"", upload_name="x.docx",
            params={}, time_limit=60,
        ).pk,
    }  # fmt: skip
    return type(
        "Siblings",
        (),
        {"province": province, "gov": sib, "plan": plan, "units": units, "users": s_users, "ids": ids, "task": task},
    )


# Words that only the sibling's data holds: none may appear on a page of the other city.
SIBLING_WORDS = ("青川市", "青川独有", "发改委", "住建局", "s_admin", "s_office", "s_staff", "s_leader", "青川s_")


def _routes():
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns, prefix):
        for p in patterns:
            if isinstance(p, URLResolver):
                if not str(p.pattern).startswith("admin/"):
                    yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and not str(p.pattern).startswith(("^", "logout")):
                yield prefix + str(p.pattern)  # (signing out would end the sweep)

    return sorted(set(walk(get_resolver().url_patterns, "")))


def _fill(route, ids):
    import re as _re

    return "/" + _re.sub(r"<int:(\w+)>", lambda m: str(ids.get(m.group(1), 999999)), route)


# What a refused request may answer: invisible (404), seen but not allowed (403), or a method the URL does not
# take (405, before any object is looked up).
REFUSED = {403, 404, 405}


@pytest.mark.parametrize("who", ["admin", "office"])
def test_sibling_government_s_admin_and_supervisor_reach_nothing(world, siblings, who):
    from django.test import Client

    client = Client(raise_request_exception=False)
    client.force_login(world.users[who])
    routes = _routes()
    with_ids = [r for r in routes if "<int:" in r]
    # Every kind of object the sibling holds has its id in the sweep (ids of other kinds: no such object).
    assert len(with_ids) >= 45 and len(siblings.ids) >= 15
    reached, leaked, tried = [], [], 0
    for route in routes:
        url = _fill(route, siblings.ids)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            tried += 1
            body = response.content.decode(errors="replace")
            if "<int:" in route and response.status_code not in REFUSED:
                reached.append((method, url, response.status_code))
            words = [w for w in SIBLING_WORDS if w in body]
            if words:
                leaked.append((method, url, response.status_code, words))
    # The sibling's ids in the fields of the pages' own forms and of the API.
    posts = [
        ("/units/", {"action": "edit", "unit": siblings.units["发改委"].pk, "kind": "department"}),
        ("/units/", {"action": "account", "unit": siblings.units["发改委"].pk, "username": "sneak", "role": "unit_staff"}),
        ("/accounts/", {"username": "sneak2", "role": "unit_staff", "unit": siblings.units["发改委"].pk}),
        (f"/plans/{world.plan.pk}/urge/", {"unit": siblings.units["发改委"].pk}),
    ]  # fmt: skip
    for url, data in posts:
        response = client.post(url, data, follow=True)
        tried += 1
        body = response.content.decode()
        if any(w in body for w in SIBLING_WORDS):
            leaked.append(("post", url, response.status_code, data))
    api = client.post(
        "/api/reports",
        json.dumps({"task": siblings.task.pk, "round": siblings.ids["round_id"], "done_text": "越权"}),
        content_type="application/json",
    )
    assert api.status_code in REFUSED
    from django.contrib.auth.models import User

    from duban.web.models import AuditEvent, Membership

    assert not User.objects.filter(username__startswith="sneak").exists()
    assert not Membership.objects.filter(government=world.gov, unit__government=siblings.gov).exists()
    assert all(u.is_active for u in User.objects.filter(membership__government=siblings.gov))
    assert not AuditEvent.objects.filter(government=siblings.gov, user=world.users[who]).exists()
    print(f"sibling sweep as {who}: {tried} requests, {len(reached)} reached, {len(leaked)} leaked")
    assert tried > 100
    assert reached == []
    assert leaked == []


@pytest.mark.parametrize("who", ["s_admin", "s_office"])
def test_and_the_other_way_round(world, siblings, who):
    """青川市's admin and supervisor on 云溪市's objects: the same refusals."""
    from django.test import Client

    client = Client(raise_request_exception=False)
    client.force_login(siblings.users[who])
    ids = {
        "plan_id": world.plan.pk,
        "task_id": world.tasks["1"].pk,
        "round_id": world.rounds[0].pk,
        "report_id": world.reports["a1"].pk,
        "unit_id": world.units["商务局"].pk,
        "section_id": world.tasks["1"].section_id,
        "user_id": world.users["a_staff"].pk,
    }
    reached, leaked = [], []
    for route in _routes():
        params = __import__("re").findall(r"<int:(\w+)>", route)
        if any(p not in ids for p in params):
            continue
        url = _fill(route, ids)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if params and response.status_code not in REFUSED:
                reached.append((method, url, response.status_code))
            body = response.content.decode(errors="replace")
            words = [w for w in ("云溪市", "社会消费品零售总额", "财政局", "教育局", "a_staff") if w in body]
            if words:
                leaked.append((method, url, words))
    assert reached == [] and leaked == []
