"""The page of a background job: a progress bar that polls (htmx), a cancel button, the end in one sentence."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from duban.web.jobs import runner
from duban.web.jobs.models import Job
from duban.web.views.common import page


def _own(request, job_id) -> Job:
    job = Job.objects.filter(pk=job_id, user=request.user).defer("upload", "output").first()
    if job is None:
        raise Http404("没有这个后台任务")
    return job


def finished_response(request, job: Job):
    """A finished job that made something goes to it, its sentence shown once as a message."""
    if job.status == Job.DONE and job.kind == "ledger":  # its result page is the row-by-row check
        if request.htmx:
            return HttpResponse(status=204, headers={"HX-Redirect": f"/jobs/{job.pk}/"})
        from duban.web.views.downloads import ledger_job_result

        return ledger_job_result(request, job)
    if job.kind == "render":  # its page offers the file; a redirect to it would download it at every poll
        return None
    if job.status == Job.DONE and job.result_url:
        if not job.delivered:
            messages.success(request, job.message)
            Job.objects.filter(pk=job.pk).update(delivered=True)
        if request.htmx:
            return HttpResponse(status=204, headers={"HX-Redirect": job.result_url})
        return redirect(job.result_url)
    return None


@page
def job_page(request, job_id):
    job = _own(request, job_id)
    return finished_response(request, job) or render(request, "jobs/job.html", {"job": job})


@page
def job_status(request, job_id):
    job = _own(request, job_id)
    return finished_response(request, job) or render(request, "jobs/_status.html", {"job": job})


@page
@require_POST
def job_cancel(request, job_id):
    job = _own(request, job_id)
    if not job.is_finished:
        runner.cancel(job)
    if request.htmx:
        job.refresh_from_db()
        return render(request, "jobs/_status.html", {"job": job})
    return redirect("job", job.pk)


@page
def job_file(request, job_id):
    """The file a render job made — to whoever ``renders.authorize`` gives the same file now: the person
    who asked, or another with the same access; everyone else gets what the direct download gives them."""
    from duban.errors import DubanError
    from duban.web.jobs import renders

    job = Job.objects.filter(pk=job_id, kind="render", status=Job.DONE).defer("upload").first()
    if job is None:
        raise Http404("没有这个文件")
    try:
        spec = renders.authorize(request.actor, job.params["what"], **job.params["ids"])
    except DubanError:
        raise Http404("没有这个文件") from None
    if spec.scope != job.params["scope"]:  # e.g. a leader of other areas: their file would hold other tasks
        raise Http404("没有这个文件")
    if job.pruned or job.output is None:
        messages.error(
            request,
            f"“{spec.filename}”生成已超过 {runner.keep_hours():g} 小时，文件已清理，请重新下载生成",
        )
        return redirect(renders.back_url(spec))
    return renders.file_response(bytes(job.output), job.params["filename"])
