"""The 上级交办 pages over HTTP: the city office's coverage page (htmx in place), the province's roll-up,
and the province's read-only view of a city — with every write of the city out of the province's reach,
and nothing of a sibling or a parent readable."""

from __future__ import annotations

import re

import pytest

from duban import vocab
from duban.web.models import CoverageLink, Government, Membership, ParentTask, ProgressReport, Task
from duban.web.services import plans
from tests.web.test_cascade import YEAR, city_notice, province_notice

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def tree(db):
    from django.contrib.auth.models import User

    province = Government.objects.create(name="云省", level="province")
    other_province = Government.objects.create(name="别省", level="province")
    yunxi = Government.objects.create(name="云溪市", level="city", parent=province)
    qingchuan = Government.objects.create(name="青川市", level="city", parent=province)
    county = Government.objects.create(name="云溪县", level="county", parent=yunxi)
    province_plan = plans.publish(plans.import_document(province_notice(), province, YEAR))
    yunxi_plan = plans.publish(plans.import_document(city_notice(), yunxi, YEAR))
    qingchuan_plan = plans.publish(plans.import_document(city_notice("青川市"), qingchuan, YEAR))
    county_plan = plans.publish(plans.import_document(city_notice("云溪县"), county, YEAR))
    draft = plans.import_document(city_notice(), yunxi, YEAR + 1)

    users = {}
    for name, gov, role, unit in (
        ("p_office", province, "supervisor", None),
        ("p_admin", province, "admin", None),
        ("p_leader", province, "leader", None),
        ("c_office", yunxi, "supervisor", None),
        ("c_staff", yunxi, "unit_staff", yunxi.units.get(name="农业农村局")),
        ("q_office", qingchuan, "supervisor", None),
        ("z_office", other_province, "supervisor", None),
    ):
        users[name] = User.objects.create_user(name, password="pw")
        Membership.objects.create(user=users[name], government=gov, role=role, unit=unit)
    return type(
        "Tree",
        (),
        {
            "province": province,
            "yunxi": yunxi,
            "plans": {
                "province": province_plan,
                "yunxi": yunxi_plan,
                "qingchuan": qingchuan_plan,
                "county": county_plan,
            },
            "draft": draft,
            "users": users,
            "grain": CoverageLink.objects.get(parent_task__government=yunxi, parent_task__task__number="1"),
            "port": ParentTask.objects.get(government=yunxi, task__number="2"),
        },
    )


def as_(client, tree, name):
    client.force_login(tree.users[name])
    return client


# --- the read-only view of a government below -------------------------------------------------------

VIEW = {
    # user: {plan: status}
    "p_office": {"yunxi": 200, "qingchuan": 200, "county": 200, "province": 404},
    "p_admin": {"yunxi": 200, "qingchuan": 200, "county": 200, "province": 404},
    "c_office": {"yunxi": 404, "qingchuan": 404, "county": 200, "province": 404},
    "q_office": {"yunxi": 404, "qingchuan": 404, "county": 404, "province": 404},
    "z_office": {"yunxi": 404, "qingchuan": 404, "county": 404, "province": 404},
    "p_leader": {"yunxi": 403, "qingchuan": 403, "county": 403, "province": 403},
    "c_staff": {"yunxi": 403, "qingchuan": 403, "county": 403, "province": 403},
}


@pytest.mark.parametrize(
    "user, which, status", [(u, w, s) for u, row in VIEW.items() for w, s in row.items()], ids=lambda v: str(v)
)
def test_who_reads_a_government_below(tree, client, user, which, status):
    response = as_(client, tree, user).get(f"/below/plans/{tree.plans[which].pk}/")
    assert response.status_code == status


def test_a_draft_plan_below_is_not_readable(tree, client):
    assert as_(client, tree, "p_office").get(f"/below/plans/{tree.draft.pk}/").status_code == 404


def test_the_read_only_view_offers_no_write(tree, client):
    html = as_(client, tree, "p_office").get(f"/below/plans/{tree.plans['yunxi'].pk}/").content.decode()
    assert "云溪市" in html and "只读" in html
    forms = re.findall(r"<form[^>]*>", html)
    assert all("logout" in f for f in forms), forms  # the sign-out form is the page's only form
    assert "hx-post" not in html
    plan = tree.plans["yunxi"]
    assert f"/plans/{plan.pk}/" not in html  # no link into the city's own (writable) pages
    for task in plan.tasks.all():
        assert f"/tasks/{task.pk}/" not in html


def _writes(tree):
    """Every write of 云溪市's a province office could try: each must be refused as missing (or forbidden)."""
    plan, task = tree.plans["yunxi"], tree.plans["yunxi"].tasks.first()
    unit = task.assignments.first().unit
    rnd = plan.rounds.filter(kind="progress").first()
    report = ProgressReport.objects.create(task=task, unit=unit, round=rnd, state=vocab.SUBMITTED)
    return [
        ("get", f"/plans/{plan.pk}/", {}),
        ("post", f"/plans/{plan.pk}/urge/", {"unit": unit.pk, "message": "快报"}),
        ("post", f"/reports/{report.pk}/", {"version": report.version, "action": "accept"}),
        ("post", f"/plans/{plan.pk}/tasks/{task.pk}/edit/", {"text": "改掉", "reason": "x", "version": 1}),
        ("post", f"/plans/{tree.draft.pk}/publish/", {}),
        ("post", f"/plans/{plan.pk}/rounds/", {"kind": "progress", "title": "x", "due": "2026-10-01"}),
        ("post", f"/coverage/links/{tree.grain.pk}/confirm/", {}),
        ("post", f"/coverage/links/{tree.grain.pk}/reject/", {}),
        ("post", f"/coverage/{tree.port.pk}/link/", {"task": task.pk}),
        ("post", f"/coverage/{tree.port.pk}/add/", {"plan": plan.pk, "text": "省里加的"}),
    ]


@pytest.mark.parametrize("user", ["p_office", "p_admin", "q_office"])
def test_no_write_of_a_city_is_reachable_from_above_or_beside(tree, client, user):
    c = as_(client, tree, user)
    writes = _writes(tree)
    before = (
        Task.objects.filter(plan__government=tree.yunxi).count(),
        list(CoverageLink.objects.filter(parent_task__government=tree.yunxi).values_list("state", flat=True)),
        list(ProgressReport.objects.values_list("state", flat=True)),
        tree.draft.status,
    )
    for method, url, data in writes:
        response = getattr(c, method)(url, data)
        assert response.status_code in (403, 404), (url, response.status_code)
    tree.draft.refresh_from_db()
    after = (
        Task.objects.filter(plan__government=tree.yunxi).count(),
        list(CoverageLink.objects.filter(parent_task__government=tree.yunxi).values_list("state", flat=True)),
        list(ProgressReport.objects.values_list("state", flat=True)),
        tree.draft.status,
    )
    assert after == before


# --- the roll-up -----------------------------------------------------------------------------------------


def test_the_rollup_lists_each_city_with_its_coverage_and_a_read_only_link(tree, client):
    from duban.web.services import cascade

    cascade.confirm(tree.grain)
    html = as_(client, tree, "p_office").get("/rollup/").content.decode()
    row = re.search(rf'<tr id="city-{tree.yunxi.pk}">(.*?)</tr>', html, re.S).group(1)
    cells = re.findall(r'<td class="num[^"]*">(\d+)</td>', row)
    assert cells == ["2", "1", "0", "1"]  # addressed, taken up, awaiting, not taken up
    assert f"/below/plans/{tree.plans['yunxi'].pk}/" in row
    assert "青川市" in html and "云溪县" not in html  # the cities directly below, not the county
    assert as_(client, tree, "c_staff").get("/rollup/").status_code == 403


def test_the_rollup_refuses_a_bad_year_quietly(tree, client):
    c = as_(client, tree, "p_office")
    for year in ("abc", "99999999999999999999", "-1", "2026.5"):
        assert c.get("/rollup/", {"year": year}).status_code == 200


# --- the city office's coverage page ------------------------------------------------------------------


def test_the_coverage_page_shows_each_task_with_its_suggestions_and_reasons(tree, client):
    html = as_(client, tree, "c_office").get("/coverage/").content.decode()
    assert f'id="pt-{tree.grain.parent_task_id}"' in html and f'id="pt-{tree.port.pk}"' in html
    assert "共同指标：粮食产量" in html and "待确认" in html and "未承接" in html
    assert as_(client, tree, "c_staff").get("/coverage/").status_code == 403


def test_confirming_in_place_answers_with_the_block(tree, client):
    c = as_(client, tree, "c_office")
    response = c.post(f"/coverage/links/{tree.grain.pk}/confirm/", **HX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith(f'<section class="card coverage-row cs-taken_up" id="pt-{tree.grain.parent_task_id}"')
    assert "已确认" in html
    again = c.post(f"/coverage/links/{tree.grain.pk}/confirm/", **HX)
    assert again.status_code == 422 and "已承接" in again.content.decode()


def test_linking_and_adding_refuse_junk_in_one_sentence(tree, client):
    c = as_(client, tree, "c_office")
    for junk in ("", "abc", "99999999999999999999999", str(tree.plans["qingchuan"].tasks.first().pk)):
        response = c.post(f"/coverage/{tree.port.pk}/link/", {"task": junk}, **HX)
        assert response.status_code == 422 and "本级任务" in response.content.decode()
    response = c.post(f"/coverage/{tree.port.pk}/add/", {"plan": tree.plans["yunxi"].pk, "text": " "}, **HX)
    assert response.status_code == 422 and "任务内容" in response.content.decode()
    assert not CoverageLink.objects.filter(parent_task=tree.port).exists()
    sport = tree.plans["yunxi"].tasks.get(number="2")
    response = c.post(f"/coverage/{tree.port.pk}/link/", {"task": sport.pk}, **HX)
    assert response.status_code == 200 and "人工关联" in response.content.decode()
    response = c.post(f"/coverage/{tree.port.pk}/add/", {"plan": tree.plans["yunxi"].pk, "text": "建设云溪港。"})
    assert response.status_code == 302 and response["Location"].endswith(f"#pt-{tree.port.pk}")
    assert set(CoverageLink.objects.filter(parent_task=tree.port).values_list("state", flat=True)) == {
        vocab.LINKED_BY_HAND,
        vocab.ADDED_LINK,
    }


def test_a_sibling_cannot_touch_the_citys_coverage(tree, client):
    c = as_(client, tree, "q_office")
    assert c.get(f"/coverage/{tree.port.pk}/").status_code == 404
    assert c.post(f"/coverage/links/{tree.grain.pk}/confirm/", **HX).status_code == 404
    tree.grain.refresh_from_db()
    assert tree.grain.state == vocab.SUGGESTED_LINK


def test_a_decision_on_a_stale_page_is_refused_not_overwritten(tree, client):
    c = as_(client, tree, "c_office")
    # Someone else rejected the suggestion after this page showed it as suggested.
    from duban.web.services import cascade

    cascade.reject(tree.grain)
    response = c.post(f"/coverage/links/{tree.grain.pk}/confirm/", {"seen": "suggested"}, **HX)
    assert response.status_code == 422 and "已被他人改为“不承接”" in response.content.decode()
    tree.grain.refresh_from_db()
    assert tree.grain.state == vocab.REJECTED_LINK
    junk = c.post(f"/coverage/links/{tree.grain.pk}/reject/", {"seen": "<script>"}, **HX)
    assert junk.status_code == 422 and "承接状态" in junk.content.decode()
