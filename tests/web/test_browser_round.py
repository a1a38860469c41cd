"""Issue 9's walks in a real browser (Playwright driving the distribution's Chromium):

- a report signed on time, returned by the office and resubmitted stays on time;
- a unit's 已完成 waits for the office (待确认 until it accepts);
- a locked ledger's milestone moves only through an approved request.

The round walked is due two weeks after the real today, so the head's real sign-off is on time;
the pages are then read as of five days after it is due.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.web.conftest import new_page, shot, sign_in

pytestmark = [pytest.mark.browser]


@pytest.fixture
def page(chromium):
    return new_page(chromium)


@pytest.fixture
def city(transactional_db, monkeypatch):
    from django.contrib.auth.models import User
    from django.db import connections
    from django.utils import timezone

    from duban.web.models import Government, Membership, Unit
    from duban.web.services import plans
    from duban.web.views import common
    from tests.web.conftest import YEAR, small_notice

    gov = Government.objects.create(name="云溪市", level="city")
    units = {n: Unit.objects.create(government=gov, name=n) for n in ("商务局", "财政局", "教育局")}
    plan = plans.publish(plans.import_document(small_notice(), gov, YEAR))
    annual = plan.rounds.get(kind="annual")
    annual.due = timezone.localdate() + timedelta(days=14)
    annual.save()
    later = annual.due + timedelta(days=5)
    monkeypatch.setattr(common, "today", lambda: later)
    for module in ("workspace", "supervision", "api", "plans"):
        monkeypatch.setattr(__import__(f"duban.web.views.{module}", fromlist=["today"]), "today", lambda: later)
    for username, role, unit in (
        ("duchaju", "supervisor", None),
        ("swj_staff", "unit_staff", units["商务局"]),
        ("swj_head", "unit_head", units["商务局"]),
    ):
        user = User.objects.create_user(username, password="pw")
        Membership.objects.create(user=user, government=gov, role=role, unit=unit)
    yield type("City", (), {"plan": plan, "annual": annual, "task": plan.tasks.get(number="1"), "today": later})
    connections.close_all()


def as_(pg, base, username, path):
    pg.context.clear_cookies()
    sign_in(pg, base, username)
    pg.goto(f"{base}{path}")


def file_report(pg, base, city, status, text):
    """商务局's staff writes the annual report and sends it to the head; the head signs."""
    as_(pg, base, "swj_staff", f"/tasks/{city.task.pk}/rounds/{city.annual.pk}/report/")
    pg.select_option("select[name=status]", status)
    pg.fill("textarea[name=done_text]", text)
    pg.click("button[value=send]")
    pg.wait_for_selector("#state")
    report_url = pg.url
    as_(pg, base, "swj_head", report_url.replace(base, ""))
    pg.click("#sign button[value=approve]")
    pg.wait_for_selector("#state")
    assert pg.inner_text("#state") == "已报送"
    return report_url.replace(base, "")


def late_rows(pg):
    return [t for t in pg.locator("#late tr").all_inner_texts() if "商务局" in t and "全年" in t]


def test_a_returned_and_resubmitted_on_time_report_stays_on_time(live_server, city, page):
    from duban.web.models import ProgressReport
    from duban.web.services.overview import overview

    base = live_server.url
    report_url = file_report(page, base, city, "on_schedule", "消费季活动已开展三场。")
    first = ProgressReport.objects.get(round=city.annual).first_approved_at

    # The office returns it for revision: 退回修改 with its own deadline, not late, not missing.
    as_(page, base, "duchaju", report_url)
    page.fill("#review textarea[name=comment]", "请补充量化数据")
    page.click("#review button[value=office_return]")
    page.wait_for_selector("#return-comment")
    assert page.inner_text("#state") == "退回修改"
    assert "前修改后重新报送" in page.inner_text("#return-comment")
    shot(page, "i9-returned")
    page.goto(f"{base}/plans/{city.plan.pk}/")
    assert late_rows(page) == []
    assert "商务局 · 任务 1" in page.inner_text("#returned")

    # Revised, sent again, signed again: still on time, by the first signature.
    as_(page, base, "swj_staff", report_url)
    page.fill("textarea[name=done_text]", "消费季活动已开展三场，带动消费1.2亿元。")
    page.click("button[value=send]")
    page.wait_for_selector("#state")
    as_(page, base, "swj_head", report_url)
    page.click("#sign button[value=approve]")
    page.wait_for_selector("#first-signed")
    as_(page, base, "duchaju", f"/plans/{city.plan.pk}/")
    assert late_rows(page) == []
    assert page.locator("#returned").count() == 0
    shot(page, "i9-resubmitted-dashboard")
    report = ProgressReport.objects.get(round=city.annual)
    assert report.first_approved_at == first and report.submitted_at > first
    owed = [s for s in overview(city.plan, city.today).standing.in_round(_round(city)) if s.obligation.unit == "商务局"]
    (owed,) = owed
    assert (owed.timeliness, owed.returned) == ("on_time", False)


def _round(city):
    from duban.track.round import Round

    a = city.annual
    return Round(a.pk, a.kind, a.title, a.due)


def test_a_units_done_waits_for_the_office(live_server, city, page):
    base = live_server.url
    report_url = file_report(page, base, city, "done", "消费品零售总额已突破170亿元。")

    def chip_of_task_1():
        page.goto(f"{base}/tasks/{city.task.pk}/")
        return page.inner_text(".head .chip.big")

    as_(page, base, "duchaju", report_url)
    assert chip_of_task_1() == "待确认"
    shot(page, "i9-claimed")
    page.goto(f"{base}{report_url}")
    assert "待督查审核确认" in page.inner_text("#claim")
    page.click("#review button[value=accept]")
    page.wait_for_selector("#state")
    assert chip_of_task_1() == "已完成"
    shot(page, "i9-accepted-done")


def test_a_locked_ledgers_milestone_moves_only_through_an_approved_request(live_server, city, page):
    from duban.web.models import ChangeRequest, Ledger, Milestone

    base = live_server.url
    task_url = f"/tasks/{city.task.pk}/"
    as_(page, base, "swj_staff", f"{task_url}ledger/")
    page.fill("input[name=m_title] >> nth=0", "完成消费季方案")
    page.fill("input[name=m_due] >> nth=0", "2026-05-31")
    page.fill("textarea[name=measures]", "建立工作专班")
    page.click("button.primary")
    page.wait_for_selector("#ledger-state")
    page.click("#ledger button[value=send]")
    page.wait_for_selector("#ledger-state")
    as_(page, base, "swj_head", task_url)
    page.click("#ledger-sign button[value=approve]")
    page.wait_for_selector("#ledger-state")
    as_(page, base, "duchaju", task_url)
    page.click(".ledger-review button[value=accept]")
    page.wait_for_selector(".ledger-review", state="detached")
    assert Ledger.objects.get().locked

    # The unit moves the date on the locked ledger: refused, nothing changes.
    as_(page, base, "swj_staff", f"{task_url}ledger/")
    page.fill("input[name=m_due] >> nth=0", "2026-12-31")
    page.click("button.primary")
    page.wait_for_selector(".error")
    assert "节点变更申请" in page.inner_text(".error")
    assert str(Milestone.objects.get().due) == "2026-05-31"
    shot(page, "i9-locked-refused")

    # It asks instead; until the office approves, the milestone stays where it was.
    page.goto(f"{base}{task_url}")
    page.fill("#milestone-change input[name=new_due]", "2026-12-31")
    page.fill("#milestone-change textarea[name=reason]", "场地改造推迟")
    page.click("#milestone-change button")
    page.wait_for_selector("#change-list")
    assert str(Milestone.objects.get().due) == "2026-05-31"
    as_(page, base, "duchaju", f"/plans/{city.plan.pk}/changes/")
    assert "节点变更" in page.inner_text("table")
    page.click("button[value=approved]")
    page.wait_for_load_state("networkidle")
    assert str(Milestone.objects.get().due) == "2026-12-31"
    assert ChangeRequest.objects.get().state == "approved"
    shot(page, "i9-milestone-moved")
    as_(page, base, "swj_staff", task_url)
    assert "2026-12-31" in page.inner_text("#ledger") and "已同意" in page.inner_text("#change-list")
