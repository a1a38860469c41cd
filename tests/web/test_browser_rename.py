"""A renaming in a real browser (Playwright driving the distribution's Chromium): the office renames
教育局 on the directory page; 教育局's own account then signs in and finds its tasks and its past
report under the new name, the report still saying it was filed as 教育局."""

from __future__ import annotations

import pytest

from tests.web.conftest import new_page, shot, sign_in

pytestmark = [pytest.mark.browser]


@pytest.fixture
def city(transactional_db):
    from django.contrib.auth.models import User
    from django.db import connections
    from django.utils import timezone

    from duban.web.models import Government, Membership, ProgressReport, Unit
    from duban.web.services import plans
    from tests.web.conftest import YEAR, small_notice

    gov = Government.objects.create(name="云溪市", level="city")
    units = {n: Unit.objects.create(government=gov, name=n) for n in ("商务局", "财政局", "教育局")}
    plan = plans.publish(plans.import_document(small_notice(), gov, YEAR))
    task = plan.tasks.get(number="3")
    first = plan.rounds.filter(kind="progress").first()
    report = ProgressReport.objects.create(
        task=task,
        unit=units["教育局"],
        round=first,
        status="on_schedule",
        done_text="进出口总值增长2.1%，外贸主体新增15家。",
        state="accepted",
        first_approved_at=timezone.now(),
        submitted_at=timezone.now(),
    )
    for username, role, unit in (("duchaju", "supervisor", None), ("jyj_staff", "unit_staff", units["教育局"])):
        user = User.objects.create_user(username, password="pw")
        Membership.objects.create(user=user, government=gov, role=role, unit=unit)
    yield type("City", (), {"gov": gov, "plan": plan, "task": task, "report": report, "old": units["教育局"]})
    connections.close_all()


def test_a_renaming_moves_the_units_work_and_its_account_finds_it(live_server, city, chromium):
    from duban.web.models import AuditEvent, Unit

    base = live_server.url
    page = new_page(chromium)
    page.on("dialog", lambda dialog: dialog.accept())  # the form asks before a renaming
    sign_in(page, base, "duchaju")
    page.goto(f"{base}/units/")
    form = page.locator(f"form.rename:has(input[name=unit][value='{city.old.pk}'])")
    form.locator("input[name=new_name]").fill("教育体育局")
    form.locator("input[name=effective]").fill("2026-03-01")
    form.locator("input[name=reason]").fill("机构改革方案")
    form.locator("button").click()
    page.wait_for_load_state("networkidle")
    assert "教育局已更名为教育体育局" in page.inner_text("body")
    assert "教育体育局" in page.inner_text("#retired") and "2026-03-01" in page.inner_text("#retired")
    shot(page, "rename-directory")
    new = Unit.objects.get(government=city.gov, name="教育体育局")
    assert Unit.objects.get(pk=city.old.pk).successor_id == new.pk
    assert AuditEvent.objects.get(action="单位更名").username == "duchaju"

    page.context.clear_cookies()
    sign_in(page, base, "jyj_staff")
    page.goto(f"{base}/workspace/")
    heading = page.inner_text(".head")
    assert "教育体育局 工作台" in heading and "原教育局" in heading
    body = page.inner_text("main") if page.locator("main").count() else page.inner_text("body")
    assert "进出口总值增长3%" in body  # task 3 is the renamed unit's now
    page.click(f"a[href='/reports/{city.report.pk}/']")
    page.wait_for_load_state("networkidle")
    text = page.inner_text("body")
    assert "教育体育局（以原名称“教育局”报送）" in text and "外贸主体新增15家" in text
    shot(page, "rename-workspace-report")
