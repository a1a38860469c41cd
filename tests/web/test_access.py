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
