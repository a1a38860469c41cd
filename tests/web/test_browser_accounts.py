"""Issue 11's government tree in a real browser (Playwright driving /usr/bin/chromium).

The site administrator creates 郑州市 under 河南省 with its first administrator; that administrator signs in
with the one-time password shown once, is held on the password page until choosing their own, then creates
a supervisor and a leader whose areas are ticked from the plan's sections.  The leader then signs in and sees
only the tasks of the area picked.  Screenshots go to artifacts/screenshots/.
"""

import pytest

from tests.web.conftest import new_page, shot, sign_in

pytestmark = [pytest.mark.browser]


@pytest.fixture
def province(transactional_db):
    from django.contrib.auth.models import User

    from duban.web.models import Government

    User.objects.create_superuser("root", password="pw")
    return Government.objects.create(name="河南省", level="province")


def test_site_admin_creates_a_city_whose_admin_creates_its_accounts(live_server, province, chromium):
    from django.db import connections

    try:
        walk(live_server.url, new_page(chromium), province)
    finally:
        connections.close_all()  # PostgreSQL cannot drop a database still in use


def _sign_out(page):
    page.click("header .who button.link")
    page.wait_for_url("**/login/**")


def _change_password(page, old, new):
    page.wait_for_url("**/password/")
    page.fill("input[name=old_password]", old)
    page.fill("input[name=new_password1]", new)
    page.fill("input[name=new_password2]", new)
    page.click("button.primary")
    page.wait_for_load_state("networkidle")


def walk(base, page, province):
    from duban.web.models import Government, Membership
    from duban.web.services import plans
    from tests.web.conftest import YEAR, small_notice

    # 1. The site administrator lands on the tree and creates a city under the province.
    sign_in(page, base, "root")
    assert page.url.endswith("/governments/")
    form = page.locator("#new-government")
    form.locator("select[name=parent]").select_option(label="河南省")
    form.locator("input[name=name]").fill("郑州市")
    form.locator("select[name=level]").select_option("city")
    form.locator("input[name=office_name]").fill("郑州市人民政府办公室")
    form.locator("input[name=admin_username]").fill("zz_admin")
    form.locator("input[name=admin_full_name]").fill("郑州 管理员")
    form.locator("button.primary").click()
    page.wait_for_selector("#issued-password")
    first_password = page.inner_text("#issued-password").strip()
    assert page.inner_text("#issued-username").strip() == "zz_admin" and len(first_password) >= 10
    shot(page, "i11-government-created")
    page.goto(f"{base}/governments/")
    row = page.locator("#governments tr", has_text="郑州市")
    assert "zz_admin" in row.inner_text() and row.locator("td.depth-1").count() == 1
    city = Government.objects.get(name="郑州市")
    assert city.parent == province and city.office_name == "郑州市人民政府办公室"
    _sign_out(page)

    # The city's notice (imported and published as the office would), so its plan has sections.
    plans.publish(plans.import_document(small_notice(), city, YEAR))

    # 2. Its administrator signs in with the one-time password and must choose their own first.
    sign_in(page, base, "zz_admin", first_password)
    _change_password(page, first_password, "郑州自己的密码2026")
    page.goto(f"{base}/accounts/")
    assert page.url.endswith("/accounts/")
    assert page.locator("header nav a", has_text="政府").count() == 0  # the tree is the site administrator's

    # 3. A supervisor.
    form = page.locator("#new-account")
    form.locator("input[name=username]").fill("zz_duchaju")
    form.locator("input[name=full_name]").fill("督查 张")
    form.locator("select[name=role]").select_option("supervisor")
    form.locator("button.primary").click()
    page.wait_for_selector("#issued-password")
    assert page.inner_text("#issued-username").strip() == "zz_duchaju"
    page.click("#issued a.button")

    # 4. A leader, the area ticked from the plan's sections.
    form = page.locator("#new-account")
    labels = form.locator("fieldset.areas label")
    assert [t.strip() for t in labels.all_inner_texts()] == ["二、聚焦推动高质量发展", "三、持续深化改革开放"]
    form.locator("input[name=username]").fill("zz_leader")
    form.locator("select[name=role]").select_option("leader")
    form.locator("fieldset.areas label", has_text="三、持续深化改革开放").locator("input").check()
    form.locator("button.primary").click()
    page.wait_for_selector("#issued-password")
    leader_password = page.inner_text("#issued-password").strip()
    page.click("#issued a.button")
    table = page.locator("#accounts").inner_text()
    assert "zz_duchaju" in table and "zz_leader" in table and "三、持续深化改革开放" in table
    shot(page, "i11-accounts")
    made = {m.user.username: m for m in Membership.objects.filter(government=city).select_related("user")}
    assert made["zz_duchaju"].role == "supervisor" and made["zz_leader"].role == "leader"
    assert made["zz_leader"].sections == ["三、持续深化改革开放"]
    assert not any(m.user.is_superuser or m.user.is_staff for m in made.values())
    _sign_out(page)

    # 5. The leader reads only the area picked.
    sign_in(page, base, "zz_leader", leader_password)
    _change_password(page, leader_password, "领导自己的密码2026")
    body = page.locator("main").inner_text()
    assert "任务（1，" in body and "三、持续深化改革开放" in body and "二、聚焦推动高质量发展" not in body
    shot(page, "i11-leader-area")
