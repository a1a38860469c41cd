"""A large file in a real browser (Playwright driving /usr/bin/chromium): the link leads to its job's
page, the progress bar polls (htmx) until the job ends, and 下载 gives the file; 取消 stops another."""

import io

import pytest
from docx import Document as Docx

from tests.web.conftest import new_page, shot, sign_in

pytestmark = [pytest.mark.browser]


@pytest.fixture
def published(transactional_db, settings, request):
    from django.contrib.auth.models import User

    from duban.web.jobs import runner
    from duban.web.models import Government, Membership, Unit
    from duban.web.services import plans
    from tests.web.conftest import YEAR, small_notice

    settings.DUBAN_JOBS = "thread"  # the worker threads of the live server's process, as `duban serve` runs them
    settings.DUBAN_JOBS_ISOLATED = True
    settings.DUBAN_RENDER_INLINE_TASKS = 0
    request.addfinalizer(runner.stop_workers)
    gov = Government.objects.create(name="云溪市", level="city")
    for n in ("商务局", "财政局", "教育局"):
        Unit.objects.create(government=gov, name=n)
    plan = plans.publish(plans.import_document(small_notice(), gov, YEAR))
    user = User.objects.create_user("duchaju", password="pw")
    Membership.objects.create(user=user, government=gov, role="supervisor")
    return plan


def test_a_large_file_is_made_in_the_background_and_downloaded(live_server, published, chromium, tmp_path):
    from django.db import connections

    page = new_page(chromium, accept_downloads=True)
    try:
        base, plan = live_server.url, published
        sign_in(page, base, "duchaju")
        page.goto(f"{base}/plans/{plan.pk}/files/")
        page.click("a[href$='notice.docx']")
        page.wait_for_url(f"{base}/jobs/*/")
        assert page.locator("#job-status progress").count() == 1
        link = page.locator("#job-file")
        link.wait_for(timeout=60000)  # the status polls every second until the job is done
        shot(page, "render-job-done")
        assert "已生成“云溪市2026年重点工作责任分解通知.docx”" in page.locator("#job-status").inner_text()
        with page.expect_download() as info:
            link.click()
        assert info.value.suggested_filename == "云溪市2026年重点工作责任分解通知.docx"
        path = tmp_path / "notice.docx"
        info.value.save_as(path)
        text = "\n".join(p.text for p in Docx(io.BytesIO(path.read_bytes())).paragraphs)
        assert "力争社会消费品零售总额突破170亿元" in text
    finally:
        connections.close_all()  # see test_browser: PostgreSQL cannot drop a database still in use
