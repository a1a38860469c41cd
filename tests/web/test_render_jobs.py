"""Document renders as background jobs: a file over its size runs through the job runner with its
progress, can be cancelled, stops at its time limit having stored nothing, and the finished file is
given only to whoever the direct download would give the same file."""

import io
import time
from datetime import date, timedelta

import pytest
from django.utils import timezone
from docx import Document as Docx

from duban.web.jobs import runner
from duban.web.jobs.models import Job

NOTICE = "/plans/{}/files/notice.docx"


def docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in Docx(io.BytesIO(data)).paragraphs)


@pytest.fixture
def as_jobs(settings):
    """Every file a job (the tests' plans are small: a threshold of 0 makes each one large)."""
    settings.DUBAN_RENDER_INLINE_TASKS = 0
    return settings


def _job_of(response) -> Job:
    assert response.status_code == 302 and response["Location"].startswith("/jobs/"), response
    return Job.objects.get(pk=int(response["Location"].split("/")[2]))


def test_a_small_file_answers_directly_and_a_larger_one_is_a_job(world, login, settings):
    client = login(world.users["office"])
    size = world.plan.tasks.count()
    settings.DUBAN_RENDER_INLINE_TASKS = size
    direct = client.get(NOTICE.format(world.plan.pk))
    assert direct.status_code == 200 and direct["Content-Type"].endswith("wordprocessingml.document")
    assert not Job.objects.exists()

    settings.DUBAN_RENDER_INLINE_TASKS = size - 1
    job = _job_of(client.get(NOTICE.format(world.plan.pk)))
    assert (job.kind, job.status, job.progress) == ("render", "done", 100)
    filename = "云溪市2026年重点工作责任分解通知.docx"
    assert job.message == f"已生成“{filename}”（{len(job.output) // 1024} KB），请下载（保留 24 小时）"
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert f'href="/jobs/{job.pk}/file/"' in page and f"下载“{filename}”" in page
    assert f'href="/plans/{world.plan.pk}/files/"' in page  # back to the files page
    made = client.get(f"/jobs/{job.pk}/file/")
    assert made.status_code == 200
    assert made["Content-Disposition"] == direct["Content-Disposition"]
    assert docx_text(made.content) == docx_text(direct.content)


def test_the_default_thresholds_keep_a_real_plan_direct_and_a_huge_one_a_job():
    from duban.web.jobs.renders import INLINE_TASKS, RECIPES

    assert set(INLINE_TASKS) == set(RECIPES)
    # A real plan (100-600 tasks) gets its notice and ledger templates at once; no file of 10,000 tasks does.
    assert INLINE_TASKS["notice"] >= 600 and INLINE_TASKS["unit_ledger"] >= 600
    assert max(INLINE_TASKS.values()) < 10_000


@pytest.mark.parametrize(
    "url, name",
    [
        ("/plans/{plan}/files/plan.xlsx", "云溪市2026年重点工作任务表.xlsx"),
        ("/plans/{plan}/files/units/{unit}/ledger.xlsx", "云溪市2026年商务局工作台账.xlsx"),
        ("/plans/{plan}/rounds/{round}/bulletin.docx", "云溪市2026年第1次进展情况（6月15日）督查通报.docx"),
    ],
)
def test_every_kind_of_file_is_the_same_through_a_job(world, login, settings, url, name):
    from duban.web.models import ReportingRound

    rnd = ReportingRound.objects.filter(plan=world.plan, kind="progress").order_by("due").first()
    url = url.format(plan=world.plan.pk, unit=world.units["商务局"].pk, round=rnd.pk)
    client = login(world.users["office"])
    direct = client.get(url)
    assert direct.status_code == 200
    settings.DUBAN_RENDER_INLINE_TASKS = 0
    job = _job_of(client.get(url))
    assert job.status == "done" and job.params["filename"] == name
    made = client.get(f"/jobs/{job.pk}/file/")
    assert made["Content-Disposition"] == direct["Content-Disposition"]
    assert made.content[:2] == b"PK" and abs(len(made.content) - len(direct.content)) < 200  # zip timestamps differ


def test_progress_is_reported_by_stage_and_the_page_polls_until_done(world, login, as_jobs, monkeypatch):
    as_jobs.DUBAN_JOBS = "external"  # queued, not run: the page as it is before a worker takes it
    client = login(world.users["office"])
    job = _job_of(client.get(NOTICE.format(world.plan.pk)))
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert job.status == "queued" and f'hx-get="/jobs/{job.pk}/status/"' in page
    assert "<progress" in page and "取消" in page and "/file/" not in page
    # Asking again while it waits gives the same job, not a second one.
    assert _job_of(client.get(NOTICE.format(world.plan.pk))).pk == job.pk
    seen = []
    update = runner._update
    monkeypatch.setattr(runner, "_update", lambda j, p, s: (seen.append((p, s)), update(j, p, s)))
    runner.run_job(job.pk)
    assert seen == [(5, "读取计划和报送情况"), (30, "生成文件"), (95, "写入")]
    status = client.get(f"/jobs/{job.pk}/status/", HTTP_HX_REQUEST="true")
    assert status.status_code == 200 and "hx-trigger" not in status.content.decode()  # done: polling stops
    assert f'href="/jobs/{job.pk}/file/"' in status.content.decode()


def test_a_cancelled_render_stores_nothing_and_has_no_file(world, login, as_jobs):
    as_jobs.DUBAN_JOBS = "external"
    client = login(world.users["office"])
    job = _job_of(client.get(NOTICE.format(world.plan.pk)))
    client.post(f"/jobs/{job.pk}/cancel/")
    runner.run_job(job.pk)
    job.refresh_from_db()
    assert (job.status, job.message, job.output) == ("cancelled", "已取消，未保存任何内容", None)
    assert client.get(f"/jobs/{job.pk}/file/").status_code == 404


def test_a_file_that_cannot_be_made_is_refused_before_any_job(world, login, as_jobs):
    # 1 July: the annual round (15 December) is not due and nobody has reported in it.
    client = login(world.users["office"])
    response = client.get(f"/plans/{world.plan.pk}/files/yearend.docx", follow=True)
    assert "全年落实情况（12-15 截止）尚无单位报送，暂不能生成全年落实情况" in response.content.decode()
    assert not Job.objects.exists()


# --- who gets the finished file ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, asker, who, expected",
    [
        # The notice is one file for the office and the leaders: anyone who may download it gets it.
        (NOTICE, "office", "office", 200),
        (NOTICE, "office", "leader", 200),
        (NOTICE, "office", "a_staff", 403),  # as the direct download: units do not download the notice
        (NOTICE, "office", "x_office", 404),  # another government's plan
        # The task table of a leader holds the tasks of their areas: not the office's file, nor theirs.
        ("/plans/{}/files/plan.xlsx", "office", "leader", 404),
        ("/plans/{}/files/plan.xlsx", "leader", "office", 404),
        ("/plans/{}/files/plan.xlsx", "leader", "leader", 200),
        # A unit's ledger template: that unit's users and the office; another unit never.
        ("/plans/{}/files/units/{unit}/ledger.xlsx", "office", "a_head", 200),
        ("/plans/{}/files/units/{unit}/ledger.xlsx", "a_staff", "office", 200),
        ("/plans/{}/files/units/{unit}/ledger.xlsx", "a_staff", "b_staff", 404),
        ("/plans/{}/files/units/{unit}/ledger.xlsx", "a_staff", "leader", 403),
    ],
)
def test_the_finished_file_obeys_the_access_of_its_direct_download(world, login, as_jobs, url, asker, who, expected):
    url = url.format(world.plan.pk, unit=world.units["商务局"].pk)
    job = _job_of(login(world.users[asker]).get(url))
    assert job.status == "done"
    client = login(world.users[who])
    direct = client.get(url).status_code  # what the direct download answers this person
    got = client.get(f"/jobs/{job.pk}/file/")
    assert got.status_code == expected
    if expected == 200:
        assert got.content == job.output
    else:
        assert direct in (302, 403, 404)  # the person may have their own file (302 to its job) or none
        assert expected == 404 or direct == 403


def test_an_issued_bulletin_through_a_job_is_for_those_who_read_it(world, login, as_jobs):
    from duban.web.models import ReportingRound
    from duban.web.services import render_data as rd

    rnd = ReportingRound.objects.filter(plan=world.plan, kind="progress").order_by("due").first()
    rd.save_bulletin(rnd, "一、总体情况\n各单位按时报送。", 0, world.users["office"])
    issued = rd.issue_bulletin(rnd, 1, world.users["office"], {"task_counts": {}, "report_counts": {}})
    job = _job_of(login(world.users["office"]).get(f"/bulletins/{issued.pk}.docx"))
    assert job.status == "done" and job.params["filename"] == "云溪市2026年督查通报第1期.docx"
    assert "各单位按时报送。" in docx_text(login(world.users["a_staff"]).get(f"/jobs/{job.pk}/file/").content)
    assert login(world.users["x_staff"]).get(f"/jobs/{job.pk}/file/").status_code == 404


# --- keeping and pruning -------------------------------------------------------------------------------


def test_pruning_deletes_the_bytes_of_old_finished_jobs_and_stale_ledger_uploads(world, login, as_jobs, settings):
    import os

    from duban.web.services import ledger_upload

    client = login(world.users["office"])
    old = _job_of(client.get(NOTICE.format(world.plan.pk)))
    fresh = _job_of(client.get(f"/plans/{world.plan.pk}/files/plan.xlsx"))
    Job.objects.filter(pk=old.pk).update(finished=timezone.now() - timedelta(hours=25), upload=b"x")
    unit = world.units["商务局"]
    stale, kept = ledger_upload.keep_upload(unit, b"PK-stale"), ledger_upload.keep_upload(unit, b"PK-kept")
    stale_path = ledger_upload._stored(unit, stale)
    day_ago = time.time() - 25 * 3600
    os.utime(stale_path, (day_ago, day_ago))

    assert runner.prune() == 1
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.pruned, old.output, bytes(old.upload)) == (True, None, b"")
    assert (old.status, old.message.startswith("已生成")) == ("done", True)  # the record stays
    assert fresh.output and not fresh.pruned
    assert not stale_path.exists() and ledger_upload.stored_upload(unit, kept) == b"PK-kept"
    response = client.get(f"/jobs/{old.pk}/file/", follow=True)
    assert response.redirect_chain[-1][0] == f"/plans/{world.plan.pk}/files/"
    assert "生成已超过 24 小时，文件已清理，请重新下载生成" in response.content.decode()
    assert "文件已超过保留时间，已清理" in client.get(f"/jobs/{old.pk}/").content.decode()
    assert runner.prune() == 0  # once


def test_a_reminder_pass_prunes_too(world, login, as_jobs):
    from duban.commands.remind import once

    job = _job_of(login(world.users["office"]).get(NOTICE.format(world.plan.pk)))
    Job.objects.filter(pk=job.pk).update(finished=timezone.now() - timedelta(days=2))
    assert once(None, False, False, date(2026, 7, 1)) == 0
    assert Job.objects.get(pk=job.pk).pruned
    # A dry run changes nothing, and leaves the jobs alone.
    other = _job_of(login(world.users["office"]).get(f"/plans/{world.plan.pk}/files/plan.xlsx"))
    Job.objects.filter(pk=other.pk).update(finished=timezone.now() - timedelta(days=2))
    once(None, True, False, date(2026, 7, 1))
    assert not Job.objects.get(pk=other.pk).pruned


# --- the child process: time limit and cancel -----------------------------------------------------------


@pytest.fixture
def big_plan(db):
    """300 tasks with a year of reports: its bulletin takes seconds to render."""
    from duban.web.demo import build_government

    return build_government("大城市", n_tasks=300, n_units=30, today=date(2026, 12, 31), seed=3, username_prefix="bg_")


def _bulletin_url(demo):
    rnd = demo.plan.rounds.filter(kind="progress").order_by("due").first()
    return f"/plans/{demo.plan.pk}/rounds/{rnd.pk}/bulletin.docx"


def _office(demo):
    from duban.web.models import Membership

    return Membership.objects.filter(government=demo.government, role="supervisor").first().user


@pytest.mark.django_db(transaction=True)  # the child reads the plan from the database itself
def test_a_render_past_its_time_limit_is_killed_and_stores_nothing(big_plan, login, as_jobs):
    as_jobs.DUBAN_JOBS = "external"
    as_jobs.DUBAN_JOBS_ISOLATED = True
    client = login(_office(big_plan))
    job = _job_of(client.get(_bulletin_url(big_plan)))
    Job.objects.filter(pk=job.pk).update(time_limit=1)
    started = time.perf_counter()
    runner.run_job(job.pk)
    assert time.perf_counter() - started < 6
    job.refresh_from_db()
    assert (job.status, job.output) == ("timeout", None)
    assert job.message == (
        "运行超过时间上限 1 秒，已停止，未保存任何内容（如确需处理，可用环境变量 DUBAN_MAX_JOB_SECONDS 调高上限）"
    )
    assert client.get(f"/jobs/{job.pk}/file/").status_code == 404
    assert "已超时" in client.get(f"/jobs/{job.pk}/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_worker_threads_render_in_a_child_and_cancel_kills_it(big_plan, login, as_jobs, request):
    as_jobs.DUBAN_JOBS = "thread"
    as_jobs.DUBAN_JOBS_ISOLATED = True
    request.addfinalizer(runner.stop_workers)
    client = login(_office(big_plan))
    job = _job_of(client.get(_bulletin_url(big_plan)))
    deadline = time.monotonic() + 30
    while Job.objects.get(pk=job.pk).stage != "生成文件" and time.monotonic() < deadline:
        time.sleep(0.05)  # the child is rendering
    client.post(f"/jobs/{job.pk}/cancel/")
    job = runner.wait(job, 10)
    assert (job.status, job.message, job.output) == ("cancelled", "已取消，未保存任何内容", None)

    done = _job_of(client.get(_bulletin_url(big_plan)))  # asked again: a new job, run to its end
    done = runner.wait(done, 60)
    assert done.pk != job.pk and done.status == "done"
    assert "督查通报" in docx_text(client.get(f"/jobs/{done.pk}/file/").content)
