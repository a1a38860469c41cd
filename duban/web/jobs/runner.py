"""Running a job: in the background, with progress, a cancel button and a hard time limit.

A job is a ``Job`` row (what the person sees) and a task of Django's tasks framework
(``django-tasks`` with its database backend: the queue lives in the application's own
database).  ``DUBAN_JOBS`` chooses who runs the queue:

- ``thread`` (default): worker threads inside the web process — the embedded set-up
  needs nothing else;
- ``external``: ``django-admin db_worker`` processes started by the operator;
- ``inline``: the request runs the job itself (tests, ``duban import``).

The expensive half (``work``) runs in a child process the runner can stop at any time:
at the time limit (``duban.limits``: ``DUBAN_MAX_JOB_SECONDS``) or when the person
cancels, the child is killed and nothing is written.  Writing happens only after the
child's result came back, in one transaction that checks the limit and the cancel
flag once more before it commits.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connections, transaction
from django.utils import timezone

from duban.errors import DubanError
from duban.limits import ENV
from duban.limits import current as current_limits
from duban.web.jobs import work
from duban.web.jobs.models import Job

log = logging.getLogger(__name__)
POLL_SECONDS = 0.2
# A job that ends within this time answers its upload directly; a longer one gets its progress page.
WAIT_SECONDS = 2


class Stopped(Exception):
    """The job was cancelled or ran out of time; its sentence says which."""

    def __init__(self, status: str, message: str):
        super().__init__(message)
        self.status = status


@dataclass
class Handler:
    """How a kind of job reads the database before its work and writes the result after."""

    prepare: object  # (job) -> kwargs for the work function
    finish: object  # (job, result) -> (message, result_url); runs inside the job's transaction


HANDLERS: dict[str, Handler] = {}


def handler(kind: str):
    def register(pair: tuple):
        HANDLERS[kind] = Handler(*pair)
        return pair

    return register


# --- submitting -------------------------------------------------------------------------------------------------------


def mode() -> str:
    return getattr(settings, "DUBAN_JOBS", "thread")


def submit(kind: str, user, title: str, data: bytes, name: str, params: dict) -> Job:
    """Queue a job (or, inline, run it) and return it."""
    job = Job.objects.create(
        kind=kind,
        user=user,
        title=title[:200],
        upload=data,
        upload_name=name[:255],
        params=params,
        time_limit=current_limits().job_seconds,
    )
    if mode() == "inline":
        run_job(job.pk)
    else:
        from duban.web.jobs.tasks import run_job_task

        transaction.on_commit(lambda: run_job_task.enqueue(job.pk))
        if mode() == "thread":
            ensure_workers()
    job.refresh_from_db()
    return job


def wait(job: Job, seconds: float) -> Job:
    """The job after at most ``seconds``: a short job ends before its page is shown."""
    end = time.monotonic() + seconds
    while not job.is_finished and time.monotonic() < end:
        time.sleep(POLL_SECONDS)
        job.refresh_from_db()
    return job


def cancel(job: Job) -> None:
    updated = Job.objects.filter(pk=job.pk, status=Job.QUEUED).update(
        status=Job.CANCELLED, message="已取消，未保存任何内容", finished=timezone.now(), cancel_requested=True
    )
    if not updated:
        Job.objects.filter(pk=job.pk, status=Job.RUNNING).update(cancel_requested=True)


# --- running ----------------------------------------------------------------------------------------------------------


def run_job(job_id: int) -> None:
    """Run one job to its end; every way it can end is recorded on the row with one sentence."""
    from duban.web.jobs import handlers  # noqa: F401  (registers the kinds of job)

    started = timezone.now()
    if not Job.objects.filter(pk=job_id, status=Job.QUEUED).update(status=Job.RUNNING, started=started, stage="开始"):
        return  # cancelled while queued, or already run
    job = Job.objects.get(pk=job_id)
    deadline = time.monotonic() + job.time_limit
    try:
        spec = HANDLERS[job.kind]
        kwargs = spec.prepare(job)
        result = _compute(job, kwargs, deadline)
        _update(job, 95, "写入")
        with transaction.atomic():
            message, url = spec.finish(job, result)
            _check(job, deadline)  # raising here rolls the writes back
        _end(job, Job.DONE, message, url)
    except Stopped as exc:
        _end(job, exc.status, str(exc))
    except DubanError as exc:
        _end(job, Job.FAILED, str(exc))
    except DatabaseError as exc:
        _end(job, Job.FAILED, f"保存失败，未保存任何内容（{type(exc).__name__}）")
    except Exception as exc:  # a bug of ours: still one sentence, and the log has the rest
        log.exception("job %s failed", job_id)
        _end(job, Job.FAILED, f"内部错误（{type(exc).__name__}），未保存任何内容，请报告此问题")


def _timeout_message(job: Job) -> str:
    return (
        f"运行超过时间上限 {job.time_limit} 秒，已停止，未保存任何内容"
        f"（如确需处理，可用环境变量 {ENV['job_seconds']} 调高上限）"
    )


def _check(job: Job, deadline: float) -> None:
    if time.monotonic() > deadline:
        raise Stopped(Job.TIMED_OUT, _timeout_message(job))
    if Job.objects.filter(pk=job.pk, cancel_requested=True).exists():
        raise Stopped(Job.CANCELLED, "已取消，未保存任何内容")


def _update(job: Job, progress: int, stage: str) -> None:
    Job.objects.filter(pk=job.pk).update(progress=progress, stage=stage[:100])


def _end(job: Job, status: str, message: str, url: str = "") -> None:
    Job.objects.filter(pk=job.pk).update(
        status=status,
        message=message,
        result_url=url,
        progress=100 if status == Job.DONE else job.progress,
        finished=timezone.now(),
    )


def _compute(job: Job, kwargs: dict, deadline: float):
    function = work.WORK[job.kind]
    data, name = bytes(job.upload), job.upload_name
    if not getattr(settings, "DUBAN_JOBS_ISOLATED", True):

        def progress(percent: int, stage: str) -> None:
            _check(job, deadline)
            _update(job, percent, stage)

        result = function(data, name, progress, **kwargs)
        _check(job, deadline)
        return result
    return _in_child(job, function, data, name, kwargs, deadline)


def _in_child(job: Job, function, data: bytes, name: str, kwargs: dict, deadline: float):
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=work.child_main, args=(send, job.kind, data, name, kwargs), daemon=True)
    child.start()
    send.close()
    try:
        while True:
            if receive.poll(POLL_SECONDS):
                try:
                    what, *rest = receive.recv()
                except EOFError:
                    raise DubanError("处理过程意外中断（可能是内存不足），未保存任何内容") from None
                if what == "progress":
                    _update(job, *rest)
                elif what == "done":
                    return rest[0]
                else:
                    raise DubanError(rest[0])
            _check(job, deadline)
            if not child.is_alive() and not receive.poll():
                raise DubanError("处理过程意外中断（可能是内存不足），未保存任何内容")
    finally:
        if child.is_alive():
            child.kill()
        child.join(5)
        receive.close()


# --- pruning ----------------------------------------------------------------------------------------------------------

# Hours a finished job keeps its upload and its output (a rendered file waiting to be downloaded), and a
# ledger upload waits for its confirmation: a day covers "start it, come back after lunch"; after that the
# bytes are deleted and the row (who, what, when, how it ended) stays.  Setting DUBAN_JOB_KEEP_HOURS.
KEEP_HOURS = 24


def keep_hours() -> float:
    return float(getattr(settings, "DUBAN_JOB_KEEP_HOURS", KEEP_HOURS))


def prune(now=None) -> int:
    """Delete the bytes of jobs finished more than ``keep_hours()`` ago, their rows in the task queue,
    and ledger uploads left unconfirmed as long; returns how many jobs were pruned.  Run by every
    reminder pass (``duban remind``, ``--loop``, ``duban serve``'s background thread)."""
    from datetime import timedelta
    from pathlib import Path

    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    cutoff = now - timedelta(hours=keep_hours())
    pruned = Job.objects.filter(status__in=Job.FINISHED, finished__lt=cutoff, pruned=False).update(
        upload=b"", output=None, pruned=True
    )
    DBTaskResult.objects.filter(finished_at__lt=cutoff).delete()  # the queue's own record of each run
    stored = Path(settings.UPLOAD_DIR) / "ledger-imports"
    if stored.is_dir():
        for path in stored.glob("*.xlsx"):
            try:
                if path.stat().st_mtime < cutoff.timestamp():
                    path.unlink()
            except FileNotFoundError:  # another process pruned it first
                pass
    return pruned


# --- the in-process worker ----------------------------------------------------------------------------------------------

_workers: list[threading.Thread] = []
_lock = threading.Lock()


def ensure_workers() -> None:
    """Start the worker threads of this process once (``DUBAN_JOB_WORKERS``, default 2)."""
    with _lock:
        alive = [t for t in _workers if t.is_alive()]
        _workers[:] = alive
        for i in range(len(alive), getattr(settings, "DUBAN_JOB_WORKERS", 2)):
            thread = threading.Thread(target=_work_forever, name=f"duban-job-worker-{i}", daemon=True)
            thread.start()
            _workers.append(thread)


def stop_workers(timeout: float = 5) -> None:
    """Ask the worker threads to stop after their current job, and wait for them (tests, shutdown)."""
    with _lock:
        for worker in _running:
            worker.running = False
        for thread in _workers:
            thread.join(timeout)
        _workers.clear()
        _running.clear()


_running: list = []


def _work_forever() -> None:
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(
        queue_names=["default"],
        interval=0.5,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=threading.current_thread().name,
        excluded_queue_names=[],
    )
    _running.append(worker)
    try:
        worker.run()
    finally:
        # This thread's connections, even healthy ones (CONN_MAX_AGE keeps them): a stopped worker holds
        # no session, so PostgreSQL can drop the test database after the tests.
        connections.close_all()
