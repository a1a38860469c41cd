"""Word and Excel in the web application: downloads, a unit's ledger upload, and round bulletins.

Who may do what (server side, through ``duban.web.access.Actor``):

- the notice: supervision staff and leaders;
- the task table and the year-end account: supervision staff (whole plan),
  leaders (the tasks of their areas);
- a unit's ledger template and year-end account: that unit's own users, and
  supervision staff for any unit; another unit's id answers 404;
- ledger upload: unit users, for their own unit only;
- bulletins: supervision staff.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render

from duban.errors import DubanError
from duban.web.forms import BulletinForm, LedgerImportForm
from duban.web.jobs import renders
from duban.web.jobs import runner as jobs
from duban.web.jobs.uploads import refused_size_sentence
from duban.web.models import Plan, Unit
from duban.web.services import ledger_upload
from duban.web.services import render_data as rd
from duban.web.services.overview import SHOWN
from duban.web.views import common
from duban.web.views.common import page


def answer(request, what: str, **ids):
    """The file ``what``: written in the request when it is small (``renders.INLINE_TASKS``), else a
    background job whose page shows the progress, a cancel button and at the end the file; a refusal
    goes back to the files page as a message."""
    spec = renders.authorize(request.actor, what, **ids)  # Denied / 404: the checks of duban.web.access
    if spec.size > renders.inline_tasks(what):
        job = renders.running(request.user, spec) or jobs.submit(
            "render", request.user, f"生成“{spec.filename}”", b"", spec.filename, renders.params(spec)
        )
        return redirect("job", job.pk)
    try:
        from duban.web.jobs.work import write_file

        data = write_file(what, renders.prepare(what, spec.scope, common.today()))
    except DubanError as exc:
        return _refused(request, spec.plan, exc)
    return renders.file_response(data, spec.filename)


def _refused(request, plan, exc: DubanError):
    messages.error(request, str(exc))
    return redirect("files", plan.pk)


def refusing(view):
    """A file that cannot be made (no annual round yet) is a message on the files page, not an error page."""
    from functools import wraps

    @wraps(view)
    def wrapper(request, plan_id, *args, **kwargs):
        try:
            return view(request, plan_id, *args, **kwargs)
        except DubanError as exc:
            return _refused(request, request.actor.plan(plan_id), exc)

    return wrapper


@page
def files(request, plan_id):
    """Every file this user may download for the plan, in one place."""
    actor = request.actor
    plan = actor.plan(plan_id)
    if actor.is_unit:
        units = Unit.objects.filter(pk=actor.unit_id)
    elif actor.is_office:
        units = Unit.objects.filter(assignments__task__plan=plan).distinct().order_by("name")
    else:
        units = Unit.objects.none()
    today = common.today()
    rounds = [r for r in rd.report_rounds(plan) if r.due < today] if actor.is_office else []
    return render(request, "duban/downloads.html", {"plan": plan, "units": units, "rounds": rounds})


@page
@refusing
def notice(request, plan_id):
    return answer(request, "notice", plan_id=plan_id)


@page
@refusing
def plan_table(request, plan_id):
    return answer(request, "plan_table", plan_id=plan_id)


@page
@refusing
def yearend(request, plan_id):
    return answer(request, "yearend", plan_id=plan_id)


@page
@refusing
def unit_ledger(request, plan_id, unit_id):
    return answer(request, "unit_ledger", plan_id=plan_id, unit_id=unit_id)


@page
@refusing
def unit_yearend(request, plan_id, unit_id):
    return answer(request, "unit_yearend", plan_id=plan_id, unit_id=unit_id)


# --- ledger upload -----------------------------------------------------------------------------------


@page
def ledger_import(request, plan_id):
    """Upload a filled template → row-by-row results; keep the good rows only on a second, confirming POST."""
    actor = request.actor
    plan = actor.plan(plan_id)
    actor.require(actor.is_unit, "只有单位用户可以上传本单位台账")
    unit = Unit.objects.get(pk=actor.unit_id)
    context = {"plan": plan, "unit": unit}
    if request.method != "POST":
        return render(request, "duban/ledger_import.html", context)
    form = LedgerImportForm(request.POST, request.FILES)
    kept = None  # the digest of an upload stored by this request
    try:
        if refused_size_sentence(request, "台账"):
            raise DubanError(refused_size_sentence(request, "台账"))
        if not form.is_valid():
            raise DubanError(form.first_error())
        confirming = form.cleaned_data["confirm"] == "1"
        if confirming:
            digest = form.cleaned_data["digest"]
            data = ledger_upload.stored_upload(unit, digest)
        else:
            upload = form.cleaned_data["file"]
            if upload is None:
                raise DubanError("请选择要上传的台账文件（.xlsx）")
            data = upload.read()
            digest = kept = ledger_upload.keep_upload(unit, data)
        ledger_upload.precheck(data)  # refused at once, before any job is queued
        params = {"plan": plan.pk, "unit": unit.pk, "digest": digest, "partial": confirming}
        job = jobs.submit("ledger", request.user, f"上传台账 · {unit.name}", data, "台账.xlsx", params)
        job = jobs.wait(job, jobs.WAIT_SECONDS)
        if not job.is_finished:
            return redirect("job", job.pk)  # a long check: its page shows the progress
        if job.status != job.DONE:
            raise DubanError(job.message)
    except DubanError as exc:
        if kept:
            ledger_upload.forget_upload(unit, kept)  # a refused file is not kept for a confirmation
        context["error"] = str(exc)
        return render(request, "duban/ledger_import.html", context, status=400)
    return ledger_job_result(request, job)


def ledger_job_result(request, job):
    """The row-by-row result of a ledger check (a background job), with what was written."""
    plan = Plan.objects.get(pk=job.params["plan"])
    unit = Unit.objects.get(pk=job.params["unit"])
    result, applied = ledger_upload.checked_from_job(job)
    if applied and not job.delivered:
        messages.success(request, applied.summary())
        type(job).objects.filter(pk=job.pk).update(delivered=True)
    context = {
        "plan": plan,
        "unit": unit,
        "result": result,
        "applied": applied,
        "digest": job.params["digest"],
        "may_confirm": result.ledger is None and not result.structural and bool(result.accepted),
    }
    return render(
        request, "duban/ledger_import_result.html", context, status=200 if result.ledger or not result.problems else 422
    )


# --- bulletins ---------------------------------------------------------------------------------------


@page
def bulletin(request, plan_id, round_id):
    from duban.render.summary import round_summary
    from duban.track import COLOURS

    actor = request.actor
    plan, rnd = renders.bulletin_round(actor, plan_id, round_id)
    status, error = 200, None
    try:
        doc, st, drafted, draft, text, version = renders.bulletin_draft(plan, rnd, common.today())
    except DubanError as exc:
        return _refused(request, plan, exc)
    conflict = []
    if request.method == "POST" and request.POST.get("action") == "issue":
        return _issue(request, plan, rnd, doc, st)
    if request.method == "POST":
        form = BulletinForm(request.POST)
        edited = form.data.get("text", "")
        try:
            if not form.is_valid():
                raise DubanError(form.first_error())
            version = rd.save_bulletin(rnd, form.cleaned_data["text"], form.cleaned_data["version"], request.user)
        except rd.StaleBulletin as exc:
            error, status = str(exc), 409
            # The editor keeps their words; the stored version is shown beside them, and saving again builds on it.
            stored_text, version = rd.saved_bulletin(rnd)
            conflict = form.conflict_rows({"text": stored_text or ""})
        except DubanError as exc:
            error, status = str(exc), 400
        else:
            messages.success(request, f"通报已保存（第 {version} 版）")
            return redirect("bulletin", plan.pk, rnd.pk)
        text = edited
    summary = round_summary(doc, st.data)
    counts = st.by_colour
    context = {
        "plan": plan,
        "round": rnd,
        "as_of": st.as_of,
        "text": text if text is not None else drafted.to_text(),
        "version": version,
        "saved": version > 0,
        "error": error,
        "conflict": conflict,
        "colours": [(COLOURS[c][0], COLOURS[c][1], counts[c]) for c in COLOURS],
        "summary": summary,
        "attention": st.attention,
        "latest": rd.latest_bulletin(rnd),
        # The side lists show the first SHOWN units and tasks; the text below, the bulletin itself, has them all.
        "shown": f":{SHOWN}",
        "shown_n": SHOWN,
    }
    return render(request, "duban/bulletin_edit.html", context, status=status)


def _issue(request, plan, rnd, doc, st):
    """印发 the latest saved version: numbered, its figures frozen, published to units and leaders."""
    from duban.render.summary import round_summary
    from duban.web.forms import BulletinIssueForm

    form = BulletinIssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.first_error())
        return redirect("bulletin", plan.pk, rnd.pk)
    summary = round_summary(doc, st.data)
    figures = {
        "task_counts": summary.task_counts,
        "report_counts": summary.report_counts,
        "as_of": st.as_of.isoformat(),
    }
    try:
        issued = rd.issue_bulletin(rnd, form.cleaned_data["version"], request.user, figures)
    except DubanError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"通报已印发（第 {issued.number} 期），各单位和市领导可在“督查通报”中查看")
    return redirect("bulletin", plan.pk, rnd.pk)


@page
@refusing
def bulletin_docx(request, plan_id, round_id):
    return answer(request, "bulletin", plan_id=plan_id, round_id=round_id)
