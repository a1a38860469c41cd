"""Issue 9's amendment and Excel walks in a real browser (Playwright driving /usr/bin/chromium).

1. The office amends a published plan in place — splits a task, changes a task's
   units, corrects the 文号 — without the page reloading; the notice .docx it then
   downloads reads back through ``duban parse`` with every amendment.
2. A unit downloads its ledger template (carrying what the application holds),
   changes one cell and blanks another; meanwhile its report is changed in the
   application; the upload changes only the changed cell, keeps the blanked
   value, refuses the conflicting row with the reason, and loses no done tick.

Neither needs the corpus.  Screenshots go to artifacts/screenshots/.
"""

import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from tests.web.conftest import new_page, shot, sign_in

pytestmark = [pytest.mark.browser]


@pytest.fixture
def browser_page(chromium):
    return new_page(chromium, accept_downloads=True)


@pytest.fixture
def published(transactional_db):
    from django.contrib.auth.models import User

    from duban.web.models import Government, Membership, Unit
    from duban.web.services import plans
    from tests.web.conftest import YEAR, small_notice

    gov = Government.objects.create(name="云溪市", level="city")
    units = {n: Unit.objects.create(government=gov, name=n) for n in ("商务局", "财政局", "教育局")}
    plan = plans.publish(plans.import_document(small_notice(), gov, YEAR))
    for username, role, unit in (("duchaju", "supervisor", None), ("swj_staff", "unit_staff", units["商务局"])):
        user = User.objects.create_user(username, password="pw")
        Membership.objects.create(user=user, government=gov, role=role, unit=unit)
    return plan, units


def settled(page):
    """htmx has finished swapping and settling (a click during the settle delay is dropped, as for a person)."""
    # A locator, not wait_for_function: the page's Content-Security-Policy refuses the eval that would need.
    page.locator(".htmx-request, .htmx-swapping, .htmx-settling").first.wait_for(state="detached")


def closing_connections(walk):
    from django.db import connections

    try:
        walk()
    finally:
        connections.close_all()  # see test_browser: PostgreSQL cannot drop a database still in use


def test_an_amended_published_plan_reads_back_with_the_amendment(live_server, published, browser_page, tmp_path):
    closing_connections(lambda: amend_walk(live_server.url, browser_page, published, tmp_path))


def amend_walk(base, page, published, tmp_path):
    plan, _units = published
    sign_in(page, base, "duchaju")
    page.goto(f"{base}/plans/{plan.pk}/review/")
    page.evaluate("window.__stayed = 'yes'")  # gone if anything reloads the page

    # Split task 2 in place, with the reason the revision needs; task 3 becomes 4 without a reload.
    row = page.locator("#tasks-body tr", has_text="一般公共预算收入增长3.5%")
    row.locator("button.open-tools").click()
    tools = row.locator(".task-tools")
    tools.wait_for()
    settled(page)
    tools.locator("textarea[name=text]").fill("一般公共预算收入增长4%。\n\n税收收入占比稳步提高。")
    tools.locator("input[name=deadline]").fill("2026年12月底")
    tools.locator("button.save-text").click()
    # Without a reason the server refuses, and says why, in place.
    page.locator(".task-tools .error", has_text="须写明修订原因").wait_for()
    settled(page)
    page.locator(".task-tools input[name=reason]").fill("按省里下达的目标调整")
    page.locator(".task-tools button.save-text").click()
    page.locator("#tasks-body tr[id^=task-]", has_text="税收收入占比稳步提高").locator(".task-text").wait_for()
    settled(page)
    assert page.locator("#tasks-body tr[id^=task-]").count() == 4
    trade = page.locator("#tasks-body tr[id^=task-]", has_text="进出口总值增长3%")
    assert trade.locator("span[id^=num-]").inner_text() == "4"
    shot(page, "amend-01-split")

    # Task 1: 教育局 joins as a supporting unit.
    first = page.locator("#tasks-body tr", has_text="力争社会消费品零售总额突破170亿元")
    first.locator("button.edit-units").click()
    first.locator("input[placeholder=新增单位]").wait_for()
    settled(page)
    first.locator("input[placeholder=新增单位]").fill("教育局")
    first.locator("input[name=reason]").fill("教育局负责校园消费场景")
    first.locator(".unit-cell button.primary").click()
    first.locator(".chips li", has_text="教育局").wait_for()
    settled(page)

    # The 文号, corrected in the page header.
    page.click("button.edit-header")
    page.locator("#plan-header input[name=doc_number]").wait_for()
    settled(page)
    page.fill("#plan-header input[name=doc_number]", "云政〔2026〕3号")
    page.fill("#plan-header input[name=reason]", "文号录入有误")
    page.click("#plan-header button.save-header")
    page.locator("#plan-header .doc-number", has_text="云政〔2026〕3号").wait_for()
    page.locator("#revisions tr.revision").nth(2).wait_for()
    assert page.locator("#revisions tr.revision").count() == 3
    assert page.locator("#tasks-body tr").count() == 4 + 2  # four tasks under two headings, nothing else
    assert page.evaluate("window.__stayed") == "yes"  # every change landed in place
    shot(page, "amend-02-revisions")

    # The notice downloaded now is the current revision, and reads back with every amendment.
    page.goto(f"{base}/plans/{plan.pk}/files/")
    with page.expect_download() as info:
        page.click("a[href$='notice.docx']")
    docx = tmp_path / "notice.docx"
    info.value.save_as(docx)
    assert "第3次修订" in info.value.suggested_filename
    duban = Path(sys.executable).with_name("duban")
    parsed = subprocess.run([str(duban), "parse", str(docx), "--json"], capture_output=True, text=True, timeout=120)
    assert parsed.returncode == 0, parsed.stderr
    doc = json.loads(parsed.stdout)
    assert doc["doc_number"] == "云政〔2026〕3号"
    tasks = {t["number"]: t for t in doc["tasks"]}
    assert sorted(tasks) == ["1", "2", "3", "4"]
    assert tasks["2"]["text"].startswith("一般公共预算收入增长4%") and tasks["2"]["deadline"] == "2026年12月底"
    assert tasks["3"]["text"].startswith("税收收入占比稳步提高") and tasks["3"]["deadline"] == "2026年12月底"
    assert [(u["name"], u["role"]) for u in tasks["3"]["units"]] == [("财政局", "responsible")]
    assert tasks["4"]["text"].startswith("进出口总值增长3%")
    assert [(u["name"], u["role"]) for u in tasks["4"]["units"]] == [("教育局", "lead")]
    assert [(u["name"], u["role"]) for u in tasks["1"]["units"]] == [
        ("商务局", "lead"),
        ("财政局", "support"),
        ("教育局", "support"),
    ]


def test_the_excel_round_trip_changes_only_what_changed_and_refuses_a_conflicting_row(
    live_server, published, browser_page, tmp_path
):
    closing_connections(lambda: excel_walk(live_server.url, browser_page, published, tmp_path))


def excel_walk(base, page, published, tmp_path):
    from openpyxl import load_workbook

    from duban.web.models import Ledger, Milestone, ProgressReport

    plan, units = published
    task = plan.tasks.get(number="1")
    ledger = Ledger.objects.create(
        task=task, unit=units["商务局"], measures="发放消费券", safeguards="专班调度", responsible_leader="王副局长"
    )
    Milestone.objects.create(ledger=ledger, title="出台促消费政策", due=date(2026, 3, 31), done=True, order=0)
    Milestone.objects.create(ledger=ledger, title="完成步行街改造", due=date(2026, 6, 30), order=1)
    first_round = plan.rounds.filter(kind="progress").first()
    report = ProgressReport.objects.create(
        task=task, unit=units["商务局"], round=first_round, status="on_schedule", done_text="步行街改造完成六成"
    )

    sign_in(page, base, "swj_staff")
    page.goto(f"{base}/plans/{plan.pk}/files/")
    with page.expect_download() as info:
        page.click("a[href$='ledger.xlsx']")
    path = tmp_path / "ledger.xlsx"
    info.value.save_as(path)

    book = load_workbook(path)
    sheet = book["台账"]
    assert sheet["I2"].value == "发放消费券"  # the template carries what the application holds
    sheet["I2"] = "发放消费券；引进首店经济"  # one real change
    sheet["K2"] = None  # a blanked cell: must not erase 王副局长
    progress = book[first_round.title]
    assert progress["F2"].value == "步行街改造完成六成"
    progress["F2"] = "步行街改造完成八成"
    book.save(path)

    # Meanwhile in the application the report is corrected by someone else.
    ProgressReport.objects.filter(pk=report.pk).update(done_text="步行街改造完成七成（系统内更正）")

    page.goto(f"{base}/plans/{plan.pk}/ledger-import/")
    page.set_input_files("input[name=file]", str(path))
    page.click("text=上传并检查")
    refused = page.locator("#rows tr.outcome-rejected")
    refused.first.wait_for()
    assert refused.count() == 1
    assert "此行在系统中也被修改了（您改动了进展情况）" in refused.inner_text()
    assert page.locator("#rows tr.outcome-accepted").count() == 1
    shot(page, "excel-01-conflict")
    page.click("#confirm button.primary")
    page.locator("#applied").wait_for()
    shot(page, "excel-02-applied")

    ledger.refresh_from_db()
    report.refresh_from_db()
    assert (ledger.measures, ledger.safeguards, ledger.responsible_leader) == (
        "发放消费券；引进首店经济",
        "专班调度",
        "王副局长",
    )
    assert [(m.title, m.done) for m in ledger.milestones.all()] == [("出台促消费政策", True), ("完成步行街改造", False)]
    assert report.done_text == "步行街改造完成七成（系统内更正）"
    assert re.search(r"台账 1 项", page.locator("#applied").inner_text())
