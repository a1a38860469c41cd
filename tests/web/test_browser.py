"""The issue's walk-through in a real browser (Playwright driving the distribution's Chromium).

Supervisor imports the Jiyuan notice, fixes one unit, publishes; 商务局's staff
fills a ledger and a report; its head signs off; the supervisor sees the
dashboard change, urges a late unit; the audit log shows it all.  Each page is
kept as a screenshot under artifacts/screenshots/.
"""

import re

import pytest

from tests.conftest import CORPUS
from tests.web.conftest import new_page, shot, sign_in

NOTICE = CORPUS / "notice-jiyuan-2026.txt"

pytestmark = [pytest.mark.browser, pytest.mark.corpus]


@pytest.fixture
def browser_page(chromium):
    if not NOTICE.exists():
        pytest.skip(f"corpus not found at {CORPUS}")
    return new_page(chromium)


@pytest.fixture
def city(transactional_db):
    from django.contrib.auth.models import User

    from duban.web.models import Government, Membership, Unit

    gov = Government.objects.create(name="云溪市", level="city")
    for name in ("商务局", "财政局", "发展改革和统计局", "农业农村局", "云溪海关"):
        Unit.objects.create(government=gov, name=name)
    commerce = Unit.objects.get(name="商务局")
    for username, role, unit in (
        ("duchaju", "supervisor", None),
        ("swj_staff", "unit_staff", commerce),
        ("swj_head", "unit_head", commerce),
    ):
        user = User.objects.create_user(username, password="pw")
        Membership.objects.create(user=user, government=gov, role=role, unit=unit)
    return gov


def sign_out(page):
    page.click("text=退出")
    page.wait_for_url(re.compile(r".*/login/.*"))


def test_the_years_cycle_in_a_browser(live_server, city, browser_page):
    from django.db import connections

    try:
        walk(live_server.url, browser_page)
    finally:
        # ORM calls made while Playwright's loop runs get their own connection; close it, or
        # PostgreSQL refuses to drop the test database at the end of the session.
        connections.close_all()


def walk(base, page):
    from duban.web.models import AuditEvent, ProgressReport, Task

    # The supervisor imports the notice.
    sign_in(page, base, "duchaju")
    shot(page, "01-plans")
    page.goto(f"{base}/plans/import/")
    page.set_input_files("input[name=notice]", str(NOTICE))
    page.fill("input[name=year]", "2026")
    shot(page, "02-import")
    page.click("text=上传并读取")
    # Reading a 150-task notice takes seconds; on a loaded 2-core machine more than the 15 s default.
    page.wait_for_url(re.compile(r".*/review/"), timeout=90000)
    assert "济政〔2026〕1号" in page.content()
    shot(page, "03-review")

    # … fixes one unit: 济源海关 → 云溪海关 (inline, htmx) …
    row = page.locator("tr", has_text="进出口总值增长3%")
    row.locator("button.edit-units").click()
    row.locator("input[value='济源海关']").fill("云溪海关")
    row.locator(".unit-cell button", has_text="保存").click()
    row.locator("li", has_text="云溪海关").wait_for()
    assert row.locator(".unit-cell input").count() == 0
    shot(page, "04-unit-fixed")

    # … and publishes: the notice is 济源's, imported here into 云溪市, so the page says so and
    # publishing waits until the office confirms it.
    assert "发文机关“济源市人民政府”不是云溪市" in page.inner_text("#issuer-warning")
    page.check("#issuer-ok")
    page.click("#publish")
    page.wait_for_url(re.compile(r".*/plans/\d+/$"))
    missing_before = int(page.locator(".stat", has_text="未报送").locator("b").inner_text())
    assert missing_before > 50
    shot(page, "05-dashboard-published")
    sign_out(page)

    # 商务局's staff fills the ledger for task 5 and its report for the first round.
    sign_in(page, base, "swj_staff")
    assert "商务局 工作台" in page.content()
    shot(page, "06-workspace")
    page.click("text=社会消费品零售总额增长6%")
    page.click("text=填写台账")
    titles = page.locator("input[name=m_title]")
    dues = page.locator("input[name=m_due]")
    titles.nth(0).fill("出台促消费政策")
    dues.nth(0).fill("2026-03-31")
    page.locator("input[name=m_done]").nth(0).check()
    titles.nth(1).fill("举办消费季活动")
    dues.nth(1).fill("2026-10-31")
    page.fill("textarea[name=measures]", "发放消费券，开展汽车家电以旧换新")
    page.fill("input[name=responsible_leader]", "张局长")
    page.fill("input[name=responsible_person]", "李科长")
    shot(page, "07-ledger")
    page.click("text=保存台账")
    assert "台账已保存" in page.content()
    page.locator("#rounds tr", has_text="第1次进展情况").locator("a", has_text="填报").click()
    page.select_option("select[name=status]", "on_schedule")
    page.fill("textarea[name=done_text]", "上半年社会消费品零售总额增长6.5%")
    page.fill("input[name=figure_0]", "6.5")
    page.fill("textarea[name=next_steps]", "办好秋季消费节")
    shot(page, "08-report")
    page.click("button[value=send]")
    assert page.locator("#state").inner_text() == "待负责人签批"
    sign_out(page)

    # The head signs off.
    sign_in(page, base, "swj_head")
    page.locator("#awaiting a").first.click()
    shot(page, "09-sign-off")
    page.click("button[value=approve]")
    assert page.locator("#state").inner_text() == "已报送"
    report = ProgressReport.objects.get(unit__name="商务局", task__number="5")
    assert report.state == ProgressReport.SUBMITTED and report.figures == {"社会消费品零售总额": 6.5}
    sign_out(page)

    # The supervisor sees the dashboard change and urges a late unit.
    sign_in(page, base, "duchaju")
    missing_after = int(page.locator(".stat", has_text="未报送").locator("b").inner_text())
    assert missing_after == missing_before - 1
    # The tasks are folded by section: unfolding one loads its rows (htmx).
    section = Task.objects.get(plan__status="published", text__contains="社会消费品零售总额增长6%").section_id
    page.click(f"#sec-{section} summary")
    task_row = page.locator(f"#sec-{section} tr", has_text="社会消费品零售总额增长6%")
    assert task_row.locator(".chip").inner_text() == "序时推进"
    shot(page, "10-dashboard-after")
    page.click("#late-more a")
    # The whole list comes 100 to a page, missing reports first: page on to 商务局's late one.
    late = page.locator("#late tr", has_text="逾期报送").filter(has_text="商务局")
    for _ in range(20):
        if late.count():
            break
        page.locator('a[href$="#late"]', has_text="下一页").click()
    assert late.count() == 1
    page.locator("#late tr", has_text="财政局").first.locator("button.urge").click()
    assert "已向财政局发出催办" in page.content()
    shot(page, "11-urged")

    page.goto(f"{base}/audit/")
    shot(page, "12-audit")
    log = page.locator("#audit").inner_text()
    for action in (
        "导入通知",
        "修改责任单位",
        "发布计划",
        "填写台账",
        "保存报告",
        "提交负责人签批",
        "负责人签批报送",
        "催办",
    ):
        assert action in log, action
    assert AuditEvent.objects.filter(action="催办", username="duchaju").count() == 1
