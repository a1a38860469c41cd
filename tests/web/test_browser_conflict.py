"""Two editors, one report and one ledger, in a real browser: the second keeps their words (issue 15.4).

Both open the same page; the first saves; the second saves over a stale version and is refused (409) on a
page that still holds the second editor's text, with the stored text beside it.  The second merges the two
with one click and saves again, and the database holds both.
"""

import pytest

from tests.web.conftest import new_page, shot, sign_in

pytestmark = [pytest.mark.browser]


def _editor(browser, base, username):
    page = new_page(browser)
    sign_in(page, base, username)
    return page


def test_the_second_editor_keeps_their_words(transactional_db, world, live_server, chromium):
    from django.contrib.auth.models import User
    from django.db import connections

    from duban.web.models import Ledger, Membership, ProgressReport

    second = User.objects.create_user("a_staff2", password="pw")
    Membership.objects.create(user=second, role="unit_staff", government=world.gov, unit=world.units["商务局"])
    report = world.reports["a1"]
    try:
        first_page = _editor(chromium, live_server.url, "a_staff")
        second_page = _editor(chromium, live_server.url, "a_staff2")
        url = f"{live_server.url}/reports/{report.pk}/"
        first_page.goto(url)
        second_page.goto(url)

        first_page.fill("textarea[name=done_text]", "第一位编辑：已召开推进会。")
        first_page.click("button[value=save]")
        first_page.wait_for_load_state("networkidle")
        assert "已保存" in first_page.content()

        mine = "第二位编辑：已完成项目签约三个。"
        second_page.fill("textarea[name=done_text]", mine)
        response = None
        with second_page.expect_navigation() as nav:
            second_page.click("button[value=save]")
        response = nav.value
        assert response.status == 409
        # The refused page keeps the second editor's words in the form and shows the stored ones beside them.
        assert second_page.input_value("textarea[name=done_text]") == mine
        panel = second_page.locator("#conflict")
        assert panel.is_visible()
        row = panel.locator(".conflict-row[data-field=done_text]")
        assert row.locator(".conflict-mine").input_value() == mine
        assert row.locator(".conflict-theirs").input_value() == "第一位编辑：已召开推进会。"
        shot(second_page, "conflict-report")
        stored = ProgressReport.objects.get(pk=report.pk)
        assert stored.done_text == "第一位编辑：已召开推进会。"  # nothing of the refused save was stored

        # One click merges the two; saving again builds on the stored version and succeeds.
        row.locator("button[data-conflict=merge]").click()
        merged = second_page.input_value("textarea[name=done_text]")
        assert merged == "第一位编辑：已召开推进会。\n" + mine
        second_page.click("button[value=save]")
        second_page.wait_for_load_state("networkidle")
        assert "已保存" in second_page.content()
        stored = ProgressReport.objects.get(pk=report.pk)
        assert stored.done_text.replace("\r\n", "\n") == merged

        # The same for a ledger: the second editor's measures survive a refusal and can be kept as typed.
        ledger_url = f"{live_server.url}/tasks/{world.tasks['1'].pk}/ledger/"
        first_page.goto(ledger_url)
        second_page.goto(ledger_url)
        first_page.fill("textarea[name=measures]", "措施甲")
        first_page.click("text=保存台账")
        first_page.wait_for_load_state("networkidle")
        second_page.fill("textarea[name=measures]", "措施乙")
        second_page.locator("input[name=m_title]").first.fill("第二位编辑的事项")
        with second_page.expect_navigation() as nav:
            second_page.click("text=保存台账")
        assert nav.value.status == 409
        assert second_page.input_value("textarea[name=measures]") == "措施乙"
        assert second_page.locator("input[name=m_title]").first.input_value() == "第二位编辑的事项"
        ledger_row = second_page.locator("#conflict .conflict-row[data-field=measures]")
        assert ledger_row.locator(".conflict-theirs").input_value() == "措施甲"
        shot(second_page, "conflict-ledger")
        second_page.click("text=保存台账")  # keeps their own words, now on top of the stored version
        second_page.wait_for_load_state("networkidle")
        ledger = Ledger.objects.get(task=world.tasks["1"], unit=world.units["商务局"])
        assert ledger.measures == "措施乙"
        assert [m.title for m in ledger.milestones.all()] == ["第二位编辑的事项"]
    finally:
        connections.close_all()
