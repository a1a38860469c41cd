"""The one task of Django's tasks framework duban enqueues: run a ``Job`` by its id."""

from django_tasks import task


@task()
def run_job_task(job_id: int) -> None:
    from duban.web.jobs.runner import run_job

    run_job(job_id)
