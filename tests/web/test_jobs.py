"""Background jobs: an upload that takes long runs in the background, shows its progress, can be
cancelled, and stops at its time limit having written nothing."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from duban.web.jobs import runner
from duban.web.jobs.models import Job
from duban.web.models import Plan
from tests.badinput import notice_text


@pytest.fixture
def office(db, login):
    from django.contrib.auth.models import User

    from duban.web.models import Government, Membership

    gov = Government.objects.create(name="清河市")
    user = User.objects.create_user("job-office", password="pw")
    Membership.objects.create(user=user, government=gov, role="supervisor")
    return login(user), gov, user


def _upload(text: str, name: str = "notice.txt"):
    return SimpleUploadedFile(name, text.encode("utf-8"))


def test_a_quick_job_answers_its_upload_directly(office):
    client, gov, _ = office
    response = client.post("/plans/import/", {"notice": _upload(notice_text(12)), "year": "2026", "kind": "notice"})
    plan = Plan.objects.get(government=gov)
    assert response.status_code == 302 and response["Location"] == f"/plans/{plan.pk}/review/"
    assert plan.tasks.count() == 12
    job = Job.objects.get()
    assert (job.status, job.progress, job.message) == ("done", 100, "已读取 12 项任务，请核对责任单位后发布")


def test_a_job_that_fails_says_why_on_the_upload_page(office):
    client, gov, _ = office
    response = client.post("/plans/import/", {"notice": _upload("今天天气很好。\n" * 20), "year": "2026"})
    assert response.status_code == 400
    assert "不像一份任务分解通知" in response.content.decode()
    assert not Plan.objects.exists()
    assert Job.objects.get().status == "failed"


def test_a_zip_bomb_is_refused_at_once_and_queues_nothing(office):
    from tests.badinput import zip_bomb_docx

    client, gov, _ = office
    bomb = zip_bomb_docx()
    started = time.perf_counter()
    response = client.post("/plans/import/", {"notice": SimpleUploadedFile("bomb.docx", bomb), "year": "2026"})
    assert time.perf_counter() - started < 1
    assert response.status_code == 400
    assert "可能是压缩炸弹，未处理" in response.content.decode()
    assert not Job.objects.exists() and not Plan.objects.exists()


def _job(user, gov, text: str, *, limit: int | None = None) -> Job:
    job = Job.objects.create(
        kind="import",
        user=user,
        title="导入通知“big.txt”",
        upload=text.encode(),
        upload_name="big.txt",
        params={"government": gov.pk, "year": 2026},
        time_limit=limit or 60,
    )
    return job


def test_the_job_page_polls_while_running_and_goes_to_the_result_when_done(office):
    client, gov, user = office
    job = _job(user, gov, notice_text(5))
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert f'hx-get="/jobs/{job.pk}/status/"' in page and 'hx-trigger="every 1s"' in page
    assert "排队中" in page and "<progress" in page and "取消" in page
    runner.run_job(job.pk)
    response = client.get(f"/jobs/{job.pk}/status/", HTTP_HX_REQUEST="true")
    plan = Plan.objects.get()
    assert response.status_code == 204 and response["HX-Redirect"] == f"/plans/{plan.pk}/review/"
    # The message is shown once, on the page it leads to.
    assert "已读取 5 项任务" in client.get(response["HX-Redirect"]).content.decode()
    assert "已读取 5 项任务" not in client.get(response["HX-Redirect"]).content.decode()


def test_another_users_job_is_not_found(office, world, login):
    _, gov, user = office
    job = _job(user, gov, notice_text(3))
    other = login(world.users["office"])
    assert other.get(f"/jobs/{job.pk}/").status_code == 404
    assert other.post(f"/jobs/{job.pk}/cancel/").status_code == 404


def test_cancelling_a_queued_job_stops_it_before_it_starts(office):
    client, gov, user = office
    job = _job(user, gov, notice_text(3))
    client.post(f"/jobs/{job.pk}/cancel/")
    runner.run_job(job.pk)
    job.refresh_from_db()
    assert (job.status, job.message) == ("cancelled", "已取消，未保存任何内容")
    assert not Plan.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_job_past_its_time_limit_is_killed_and_writes_nothing(office, settings):
    """The child process is killed at the limit: nothing waits for the parse to finish."""
    settings.DUBAN_JOBS_ISOLATED = True
    _, gov, user = office
    job = _job(user, gov, notice_text(40_000), limit=1)
    started = time.perf_counter()
    runner.run_job(job.pk)
    assert time.perf_counter() - started < 5
    job.refresh_from_db()
    assert job.status == "timeout"
    assert job.message == (
        "运行超过时间上限 1 秒，已停止，未保存任何内容（如确需处理，可用环境变量 DUBAN_MAX_JOB_SECONDS 调高上限）"
    )
    assert not Plan.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_worker_threads_run_a_job_in_a_child_process_and_cancel_kills_it(office, settings, request):
    settings.DUBAN_JOBS = "thread"
    request.addfinalizer(runner.stop_workers)
    settings.DUBAN_JOBS_ISOLATED = True
    client, gov, user = office
    quick = runner.submit(
        "import", user, "导入通知“a.txt”", notice_text(8).encode(), "a.txt", {"government": gov.pk, "year": 2026}
    )
    quick = runner.wait(quick, 20)
    assert (quick.status, quick.message) == ("done", "已读取 8 项任务，请核对责任单位后发布")
    assert Plan.objects.get().tasks.count() == 8

    slow = runner.submit(
        "import", user, "导入通知“b.txt”", notice_text(40_000).encode(), "b.txt", {"government": gov.pk, "year": 2026}
    )
    deadline = time.monotonic() + 20
    while Job.objects.get(pk=slow.pk).status != "running" and time.monotonic() < deadline:
        time.sleep(0.1)
    client.post(f"/jobs/{slow.pk}/cancel/")
    slow = runner.wait(slow, 10)
    assert (slow.status, slow.message) == ("cancelled", "已取消，未保存任何内容")
    assert Plan.objects.count() == 1
