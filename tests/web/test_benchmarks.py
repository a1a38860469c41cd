"""Scale: 300 tasks, 80 units and a year of reports; 100 reports pushed at once.

Rendering is measured server side through the Django test client (median
reported by pytest-benchmark). The pages are measured at 300 tasks always and at
1,500 and 6,000 with DUBAN_BENCH_LARGE=1 (issue 15: under 200 ms at 6,000).
"""

import json
import os
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest

YEAR_END = date(2026, 12, 20)  # every round of the year has passed and been reported


def _build(name: str, n_tasks: int, prefix: str):
    from duban.web.demo import build_government
    from duban.web.models import ProgressReport

    demo = build_government(
        name, n_tasks=n_tasks, n_units=80, today=YEAR_END, seed=7, all_rounds_passed=True, username_prefix=prefix
    )
    assert demo.plan.tasks.count() == n_tasks and demo.government.units.count() == 80
    assert ProgressReport.objects.filter(task__plan=demo.plan).count() > 2 * n_tasks  # a year of reports
    demo.prefix = prefix
    return demo


def _drop(demo):
    from django.contrib.auth.models import User

    from duban.web.models import Assignment, AuditEvent, Government

    # The audit log refuses deletion through the application; the test cleans up underneath it.
    events = AuditEvent.objects.filter(government=demo.government)
    events._raw_delete(events.db)
    Assignment.objects.filter(task__plan__government=demo.government).delete()
    Government.objects.filter(pk=demo.government.pk).delete()
    User.objects.filter(membership__isnull=True).delete()


@pytest.fixture(scope="module")
def big(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        demo = _build("大江市", 300, "dj_")
        yield demo
        _drop(demo)


# 1,500 and 6,000 tasks take a minute or more to build; DUBAN_BENCH_LARGE=1 measures them too.
LARGE = pytest.mark.skipif(not os.environ.get("DUBAN_BENCH_LARGE"), reason="DUBAN_BENCH_LARGE=1 builds 1,500 and 6,000")
SIZES = [300, pytest.param(1500, marks=LARGE), pytest.param(6000, marks=LARGE)]


@pytest.fixture(scope="module", params=SIZES, ids=lambda n: f"{n}tasks")
def sized(request, big, django_db_blocker):
    """A government of 80 units and a year of reports, its plan of 300, 1,500 or 6,000 tasks."""
    if request.param == 300:
        yield big
        return
    with django_db_blocker.unblock():
        demo = _build(f"大江{request.param}市", request.param, f"dk{request.param}_")
        yield demo
        _drop(demo)


@pytest.fixture
def at_year_end(monkeypatch):
    from duban.web.views import supervision, workspace

    monkeypatch.setattr(supervision, "today", lambda: YEAR_END)
    monkeypatch.setattr(workspace, "today", lambda: YEAR_END)


def _first_section(demo):
    return demo.plan.tasks.order_by("order").first().section_id


# page: (who, address, what the page must show)
PAGES = {
    "dashboard": ("duchaju", lambda d: f"/plans/{d.plan.pk}/", "未报送的报告和台账"),
    "leader_dashboard": ("leader", lambda d: f"/plans/{d.plan.pk}/", "只读"),
    "section_rows": ("duchaju", lambda d: f"/plans/{d.plan.pk}/sections/{_first_section(d)}/tasks/", "chip"),
    "filtered_dashboard": ("duchaju", lambda d: f"/plans/{d.plan.pk}/?status=lagging", "符合条件"),
    "workspace": ("unit01", lambda d: "/workspace/", "发展改革委 工作台"),
    "report_queue": ("duchaju", lambda d: f"/plans/{d.plan.pk}/reports/", "报告"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("kept", ["warm", "cold", "whole"])
def test_page_at_scale(sized, page, kept, client, at_year_end, benchmark):
    """Median server time of each page at 300, 1,500 and 6,000 tasks (aim: under 200 ms at 6,000, the
    dashboard under 150 ms at 300), and its HTML size, printed and kept in the benchmark's extra_info.

    ``warm``: the plan's account is kept (duban.web.services.overview.kept_account) from the request before;
    ``cold``: the first request after a write to one task, as in a reporting peak — a unit's report saved
    before each round, so that task's part of the account is computed afresh;
    ``whole``: the first request after a change that may change any task (an event on the plan, as an
    amendment records), so the whole plan's standing is computed afresh."""
    from django.contrib.auth.models import User

    from duban import vocab
    from duban.web import audit
    from duban.web.models import ProgressReport
    from duban.web.services import reports
    from duban.web.views.supervision import SECTIONS_PER_PAGE, TASKS_PER_PAGE

    who, address, shown = PAGES[page]
    office = User.objects.get(username=sized.prefix + "duchaju", membership__government=sized.government)
    client.force_login(User.objects.get(username=sized.prefix + who, membership__government=sized.government))
    url = address(sized)
    client.get(url)  # the account kept, and every template compiled
    drafts = ProgressReport.objects.filter(task__plan=sized.plan, state__in=(vocab.DRAFT, vocab.RETURNED))

    def report_saved():
        r = drafts.order_by("updated_at", "id").first()  # a different report each round
        status = vocab.BEHIND if r.status != vocab.BEHIND else vocab.ON_SCHEDULE
        reports.save(r, r.version, {"status": status, "done_text": "基准测试"}, user=office)

    def plan_changed():
        audit.record(None, "基准测试：一次写入", sized.plan, government=sized.government)

    setup = {"warm": None, "cold": report_saved, "whole": plan_changed}[kept]
    response = benchmark.pedantic(client.get, args=(url,), setup=setup, rounds=5, iterations=1)
    assert response.status_code == 200
    html = response.content.decode()
    assert shown in html
    n = sized.plan.tasks.count()
    benchmark.extra_info.update(tasks=n, html_bytes=len(response.content), kept=kept)
    print(f"\n{page} ({kept}) at {n} tasks: {len(response.content):,} bytes of HTML")
    if page in ("dashboard", "leader_dashboard"):
        # Folded: no task's row is on the page, only its section to unfold, a page of sections at most.
        assert 'id="task-rows"' not in html and 0 < html.count('<details class="fold"') <= SECTIONS_PER_PAGE
    if page in ("section_rows", "filtered_dashboard"):
        rows = html.split('id="task-rows"')[-1]  # the section's rows, or the filtered table
        assert 0 < rows.count('<span class="chip c-') <= TASKS_PER_PAGE


@pytest.mark.django_db(transaction=True)
def test_100_reports_pushed_concurrently_all_land(live_server, benchmark):
    import urllib.request

    from duban.web.demo import build_government
    from duban.web.models import ApiToken, Assignment, Membership, ProgressReport, ReportingRound

    demo = build_government("并发市", n_tasks=100, n_units=20, today=date(2026, 7, 1), username_prefix="bf_")
    rnd = ReportingRound.objects.create(plan=demo.plan, kind="progress", title="并发轮次", due=date(2026, 10, 30))
    tokens = {
        m.unit_id: ApiToken.issue(m.user, scope=ApiToken.PUSH).key
        for m in Membership.objects.filter(government=demo.government, role="unit_staff")
    }
    pushes = [
        (a.task_id, tokens[a.unit_id])
        for a in Assignment.objects.filter(task__plan=demo.plan, role__in=("lead", "responsible")).order_by("task_id")
    ]
    assert len(pushes) == 100

    def push(item):
        task_id, token = item
        body = json.dumps(
            {"task": task_id, "round": rnd.pk, "status": "on_schedule", "done_text": "并发报送", "send_to_head": True}
        ).encode()
        request = urllib.request.Request(
            f"{live_server.url}/api/reports",
            data=body,
            headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status

    def burst():
        with ThreadPoolExecutor(max_workers=20) as pool:
            return list(pool.map(push, pushes))

    statuses = benchmark.pedantic(burst, rounds=1, iterations=1)
    assert statuses == [201] * 100
    landed = ProgressReport.objects.filter(round=rnd)
    assert landed.count() == 100
    assert set(landed.values_list("state", flat=True)) == {ProgressReport.AWAITING_HEAD}


# --- the review (amend) page and its in-place edits (issue 9: under 500 ms and 100 ms) ------------------


@pytest.fixture
def office_client(big, client):
    from django.contrib.auth.models import User

    client.force_login(User.objects.get(username="dj_duchaju", membership__government=big.government))
    return client


@pytest.mark.django_db
def test_review_page_of_a_300_task_plan(big, office_client, benchmark):
    response = benchmark(office_client.get, f"/plans/{big.plan.pk}/review/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<tr id="task-') >= 300 and "修订记录" in html


@pytest.mark.django_db
def test_splitting_a_task_in_place(big, office_client, benchmark):
    from duban.web.models import Task

    def setup():
        task = Task.objects.filter(plan=big.plan).order_by("order")[10]
        data = {"action": "text", "text": f"{task.text}\n\n拆出的一项。", "version": task.version, "reason": "拆分考核"}
        return (f"/plans/{big.plan.pk}/tasks/{task.pk}/edit/", data), {"HTTP_HX_REQUEST": "true"}

    response = benchmark.pedantic(office_client.post, setup=setup, rounds=15)
    assert response.status_code == 200, response.content.decode()[:500]
    html = response.content.decode()
    assert html.count("<tr id=") == 2 and html.count('hx-swap-oob="true"') >= 280  # later numbers moved, not the page


@pytest.mark.django_db
def test_changing_a_tasks_units_in_place(big, office_client, benchmark):
    from duban.web.models import Task

    task = Task.objects.filter(plan=big.plan).order_by("order")[20]
    names = list(big.government.units.order_by("name").values_list("name", flat=True)[:3])
    turn = iter(range(1000))

    def setup():
        task.refresh_from_db()
        lead = names[next(turn) % 2]
        data = {"unit": [lead, names[2]], "role": ["lead", "support"], "version": task.version, "reason": "调整分工"}
        return (f"/plans/{big.plan.pk}/tasks/{task.pk}/units/", data), {"HTTP_HX_REQUEST": "true"}

    response = benchmark.pedantic(office_client.post, setup=setup, rounds=20)
    assert response.status_code == 200, response.content.decode()[:500]
    assert f'id="units-{task.pk}"' in response.content.decode()
