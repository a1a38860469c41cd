"""Issue 11's cascade in a real browser: the city office takes up the province's tasks on the coverage
page (confirm, link by hand, add — each in place through htmx), then the province's office reads the
roll-up and opens the city's dashboard read-only."""

from __future__ import annotations

import pytest

from tests.web.conftest import new_page, shot, sign_in

pytestmark = [pytest.mark.browser]


@pytest.fixture
def page(chromium):
    return new_page(chromium)


@pytest.fixture
def tree(transactional_db):
    from django.contrib.auth.models import User
    from django.db import connections

    from duban.web.models import Government, Membership, ParentTask
    from duban.web.services import plans
    from tests.web.test_cascade import YEAR, city_notice, province_notice

    province = Government.objects.create(name="云省", level="province")
    yunxi = Government.objects.create(name="云溪市", level="city", parent=province)
    Government.objects.create(name="青川市", level="city", parent=province)
    plans.publish(plans.import_document(province_notice(), province, YEAR))
    city_plan = plans.publish(plans.import_document(city_notice(), yunxi, YEAR))
    for username, gov in (("shengduchashi", province), ("duchaju", yunxi)):
        user = User.objects.create_user(username, password="pw")
        Membership.objects.create(user=user, government=gov, role="supervisor")
    yield type(
        "Tree",
        (),
        {
            "yunxi": yunxi,
            "city_plan": city_plan,
            "grain": ParentTask.objects.get(government=yunxi, task__number="1"),
            "port": ParentTask.objects.get(government=yunxi, task__number="2"),
        },
    )
    connections.close_all()


def test_the_city_takes_up_the_provinces_tasks_and_the_province_reads_it(live_server, tree, page):
    base = live_server.url
    sign_in(page, base, "duchaju")
    page.click("nav >> text=上级交办")
    grain, port = page.locator(f"#pt-{tree.grain.pk}"), page.locator(f"#pt-{tree.port.pk}")
    assert "待确认" in grain.inner_text() and "共同指标：粮食产量" in grain.inner_text()
    assert "未承接" in port.inner_text()
    shot(page, "coverage-before")

    grain.locator("button.confirm").click()  # htmx: the block answers in place
    page.locator(f"#pt-{tree.grain.pk}.cs-taken_up").wait_for()
    assert "已确认" in page.locator(f"#pt-{tree.grain.pk}").inner_text()

    port.locator("a.open-link").click()
    page.locator(f"#pt-{tree.port.pk} form.link-form").wait_for()
    sport = tree.city_plan.tasks.get(number="2")
    page.select_option(f"#pt-{tree.port.pk} select[name=task]", str(sport.pk))
    page.click(f"#pt-{tree.port.pk} form.link-form button")
    page.locator(f"#pt-{tree.port.pk}.cs-taken_up").wait_for()
    assert "人工关联" in page.locator(f"#pt-{tree.port.pk}").inner_text()

    page.locator(f"#pt-{tree.port.pk} a.open-add").click()
    page.locator(f"#pt-{tree.port.pk} form.add-form").wait_for()
    page.fill(f"#pt-{tree.port.pk} textarea[name=text]", "配合推进云溪港综合保税区扩区。")
    page.click(f"#pt-{tree.port.pk} form.add-form button")
    page.locator(f"#pt-{tree.port.pk} >> text=新增承接").wait_for()
    assert page.locator("#coverage-rows").inner_text().count("配合推进云溪港综合保税区扩区") == 1
    page.reload()  # what was shown in place was stored
    assert "新增承接" in page.locator(f"#pt-{tree.port.pk}").inner_text()
    shot(page, "coverage-after")

    page.context.clear_cookies()
    sign_in(page, base, "shengduchashi")
    page.click("nav >> text=下级汇总")
    row = page.locator(f"#city-{tree.yunxi.pk}")
    cells = row.locator("td.num").all_inner_texts()
    assert cells == ["2", "2", "0", "0"]  # addressed, taken up, awaiting, not taken up
    assert "未启动" in row.inner_text()  # the taking-up tasks' standing, from the city's (absent) reports
    shot(page, "rollup")
    row.locator("a").first.click()
    page.wait_for_load_state("networkidle")
    assert "只读" in page.inner_text("h1 + p") and "云溪市" in page.inner_text("h1 + p")
    assert page.locator("main form").count() == 0 and page.locator("[hx-post]").count() == 0
    assert "配合推进云溪港综合保税区扩区" in page.inner_text("#city-tasks")
    shot(page, "city-read-only")
