"""A unit on hundreds of tasks sees its workspace a page of each role at a time, every task on some page."""

import re
from datetime import date

import pytest


@pytest.mark.django_db
def test_a_busy_units_workspace_pages_each_role(client, monkeypatch):
    from django.contrib.auth.models import User

    from duban.web.demo import build_government
    from duban.web.models import Assignment
    from duban.web.views import workspace
    from duban.web.views.workspace import ROLE_TITLES

    TASKS_PER_PAGE = 30  # a page of 30 here stands for the 100 of a province's unit on 300 tasks
    monkeypatch.setattr(workspace, "TASKS_PER_PAGE", TASKS_PER_PAGE)
    demo = build_government("繁忙市", n_tasks=120, n_units=2, today=date(2026, 7, 1), username_prefix="wp_")
    user = User.objects.get(username="wp_unit01")
    unit = user.membership.unit
    roles: dict[int, set] = {}
    for task_id, role in Assignment.objects.filter(task__plan=demo.plan, unit=unit).values_list("task_id", "role"):
        roles.setdefault(task_id, set()).add(role)
    strongest = {t: next(r for r in ROLE_TITLES if r in rs) for t, rs in roles.items()}
    role, n = max(((r, sum(1 for v in strongest.values() if v == r)) for r in ROLE_TITLES), key=lambda x: x[1])
    assert n > TASKS_PER_PAGE  # the test needs a role with more than a page
    client.force_login(user)
    seen = set()
    pages = -(-n // TASKS_PER_PAGE)
    for number in range(1, pages + 1):
        html = client.get(f"/workspace/?{role}_page={number}").content.decode()
        assert f"{ROLE_TITLES[role]}（{n}）" in html and f"第 {number}/{pages} 页" in html
        section = html.split(f"{ROLE_TITLES[role]}（{n}）")[1].split("</section>")[0]
        seen |= set(re.findall(r'href="/tasks/(\d+)/"', section))
    assert {int(t) for t in seen} == {t for t, r in strongest.items() if r == role}
    assert client.get(f"/workspace/?{role}_page=junk").status_code == 200  # junk: the first page, never an error
