"""Issue 11's several plans a year and year over year in a real browser (Playwright driving Chromium):

- the office imports a 民生实事 notice beside the year's work report, publishes it, and switches
  between the two plans and between the years on the dashboard;
- the year-over-year page of the work report, and its .xlsx download.
"""

from __future__ import annotations

import io
import re

import pytest

from tests.web.conftest import new_page, shot, sign_in
from tests.web.test_plans_years import LIVELIHOOD_TEXT, last_years_notice

pytestmark = [pytest.mark.browser]


@pytest.fixture
def page(chromium):
    return new_page(chromium)


@pytest.fixture
def city(transactional_db):
    from django.contrib.auth.models import User
    from django.db import connections

    from duban.web.models import Government, Membership, Unit
    from duban.web.services import plans
    from tests.web.conftest import YEAR, small_notice

    gov = Government.objects.create(name="云溪市", level="city")
    for name in ("商务局", "财政局", "教育局"):
        Unit.objects.create(government=gov, name=name)
    last = plans.publish(plans.import_document(last_years_notice(), gov, YEAR - 1))
    work = plans.publish(plans.import_document(small_notice(), gov, YEAR))
    user = User.objects.create_user("duchaju", password="pw")
    Membership.objects.create(user=user, government=gov, role="supervisor")
    yield type("City", (), {"gov": gov, "work": work, "last": last})
    connections.close_all()


def test_a_second_plan_in_the_same_year_and_switching_between_them(live_server, city, page, tmp_path):
    from duban.web.models import Plan

    base = live_server.url
    notice = tmp_path / "民生实事.txt"
    notice.write_text(LIVELIHOOD_TEXT, encoding="utf-8")
    sign_in(page, base, "duchaju")
    assert page.url.endswith(f"/plans/{city.work.pk}/")

    page.goto(f"{base}/plans/import/")
    page.select_option("select[name=plan_kind]", "livelihood")
    page.set_input_files("input[name=notice]", str(notice))
    page.fill("input[name=year]", "2026")
    shot(page, "i11-01-import-livelihood")
    page.click("text=上传并读取")
    page.wait_for_url(re.compile(r".*/review/"), timeout=90000)
    assert page.locator(".plan-kind").first.inner_text() == "民生实事"
    page.click("#publish")
    page.wait_for_url(re.compile(r".*/plans/\d+/$"))
    livelihood = Plan.objects.get(government=city.gov, kind="livelihood")
    assert livelihood.is_published and page.url.endswith(f"/plans/{livelihood.pk}/")
    switch = page.locator("nav.plan-switch")
    assert switch.locator("[aria-current=page]").first.inner_text() == "民生实事"
    shot(page, "i11-02-livelihood-dashboard")

    # To the work report and back, by the switcher: the URL follows.
    switch.get_by_role("link", name="政府工作报告重点工作").click()
    page.wait_for_url(f"{base}/plans/{city.work.pk}/")
    assert "力争社会消费品零售总额" in page.content() or "深挖消费潜力" in page.content()
    assert page.locator(".plan-kind").first.inner_text() == "政府工作报告重点工作"
    page.locator("nav.plan-switch").get_by_role("link", name="民生实事").click()
    page.wait_for_url(f"{base}/plans/{livelihood.pk}/")
    # To last year: only the work report was there, so the year link lands on it.
    page.locator("nav.plan-switch").get_by_role("link", name="2025 年").click()
    page.wait_for_url(f"{base}/plans/{city.last.pk}/")
    shot(page, "i11-03-last-year")

    page.goto(f"{base}/plans/")
    rows = page.locator("table.grid tbody tr")
    assert rows.count() == 3
    assert sorted(rows.nth(i).locator("td.plan-kind").inner_text() for i in range(3)) == sorted(
        ["政府工作报告重点工作", "政府工作报告重点工作", "民生实事"]
    )


def test_the_year_over_year_page_and_its_download(live_server, city, page):
    from openpyxl import load_workbook

    base = live_server.url
    sign_in(page, base, "duchaju")
    page.get_by_role("link", name="与上年对比").click()
    page.wait_for_url(f"{base}/plans/{city.work.pk}/yoy/")
    assert page.locator("h1").inner_text() == "与上年对比 · 2026 年与 2025 年"
    counts = [int(x) for x in page.locator("#yoy-counts b").all_inner_texts()]
    assert counts == [3, 0, 1, 1]
    moved = page.locator("#yoy-carried tr.moved")
    assert moved.count() == 1 and "商务局" in moved.inner_text() and "教育局" in moved.inner_text()
    assert "+10亿元" in page.locator("#yoy-targets").inner_text()
    assert "举办国际马拉松赛事" in page.locator("#yoy-dropped").inner_text()
    shot(page, "i11-04-year-over-year")
    with page.expect_download() as info:
        page.get_by_role("link", name="下载对比表（.xlsx）").click()
    download = info.value
    assert download.suggested_filename == "云溪市2026年与2025年政府工作报告重点工作对比.xlsx"
    wb = load_workbook(io.BytesIO(open(download.path(), "rb").read()))
    assert [r[0] for r in wb["不再列出的任务"].iter_rows(min_row=2, values_only=True)] == ["4"]
