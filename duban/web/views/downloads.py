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

import io

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header

from duban import vocab
from duban.errors import DubanError
from duban.web.forms import BulletinForm, LedgerImportForm
from duban.web.jobs import runner as jobs
from duban.web.jobs.uploads import refused_size_sentence
from duban.web.models import Plan, ReportingRound, Unit
from duban.web.services import ledger_upload
from duban.web.services import render_data as rd
from duban.web.views import common
from duban.web.views.common import page

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(request, plan, name: str, write) -> HttpResponse:
    """The file ``write(out)`` makes, named after the plan; a refusal goes back to the files page as a message."""
    buffer = io.BytesIO()
    try:
        write(buffer)
    except DubanError as exc:
        return _refused(request, plan, exc)
    # A year holds several plans (vocab.PLAN_KINDS): a file of any but the work report's says which.
    kind = "" if plan.kind == vocab.WORK_REPORT_PLAN else f"{plan.get_kind_display()}·"
    filename = f"{plan.government.name}{plan.year}年{kind}{name}"
    response = HttpResponse(buffer.getvalue(), content_type=DOCX if filename.endswith(".docx") else XLSX)
    # content_disposition_header writes RFC 5987 filename*=utf-8''… for the Chinese name.
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _revised(plan) -> str:
    """What a plan file's name adds once the published plan has been amended: （第2次修订）."""
    return f"（第{plan.revision}次修订）" if plan.revision else ""


def _visible_tasks(actor, plan):
    """The tasks whose figures this user may read: all for the office, a leader's areas for a leader."""
    actor.require(actor.is_office or actor.is_leader, "只有督查人员和市领导可以下载整份计划的文件")
    return None if actor.is_office else actor.tasks(plan)


def _unit_name(actor, plan, unit_id) -> str:
    """The plan's name of a unit this user may act for: own unit, or any for the office."""
    unit = Unit.objects.filter(government=plan.government, pk=unit_id).first()
    if unit is None or (not actor.is_office and unit.pk != actor.unit_id):
        raise Http404("没有这个单位")
    return ledger_upload.plan_unit_name(plan, unit)


def _refused(request, plan, exc: DubanError):
    messages.error(request, str(exc))
    return redirect("files", plan.pk)


def _latest_standing(plan, tasks=None, prefer_annual=False):
    """The latest round past due (the annual one first when asked), or None before any."""
    today = common.today()
    passed = [r for r in rd.report_rounds(plan) if r.due < today]
    if prefer_annual and any(r.kind == "annual" for r in passed):
        passed = [r for r in passed if r.kind == "annual"]
    return rd.standing(plan, passed[-1], today, tasks=tasks) if passed else None


def _yearend_standing(plan, tasks=None):
    """The standing a year-end account is written from: the annual round (全年落实情况) — once it is
    past due, or as soon as a unit has reported in it early; never a progress round."""
    from duban.track.round import IN_STATES

    annual = next((r for r in rd.report_rounds(plan) if r.kind == "annual"), None)
    if annual is None:
        raise DubanError("这份计划没有“全年落实情况”报送轮次，无法生成全年落实情况")
    today = common.today()
    if annual.due >= today and not annual.reports.filter(state__in=IN_STATES).exists():
        raise DubanError(f"全年落实情况（{annual.due:%m-%d} 截止）尚无单位报送，暂不能生成全年落实情况")
    return rd.standing(plan, annual, today, tasks=tasks)


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
def notice(request, plan_id):
    from duban.render.notice import render_notice

    actor = request.actor
    plan = actor.plan(plan_id)
    actor.require(actor.is_office or actor.is_leader, "只有督查人员和市领导可以下载通知")
    return _download(
        request,
        plan,
        f"重点工作责任分解通知{_revised(plan)}.docx",
        lambda out: render_notice(rd.document_for(plan), out),
    )


@page
def plan_table(request, plan_id):
    from duban.render.ledger import export_plan_xlsx

    actor = request.actor
    plan = actor.plan(plan_id)
    tasks = _visible_tasks(actor, plan)

    def write(out):
        standing = _latest_standing(plan, tasks)
        export_plan_xlsx(rd.document_for(plan, tasks), out, standing.data if standing else None)

    return _download(request, plan, f"重点工作任务表{_revised(plan)}.xlsx", write)


@page
def yearend(request, plan_id):
    from duban.render.yearend import render_yearend

    actor = request.actor
    plan = actor.plan(plan_id)
    tasks = _visible_tasks(actor, plan)

    def write(out):
        standing = _yearend_standing(plan, tasks)
        render_yearend(rd.document_for(plan, tasks), standing.data, out)

    return _download(request, plan, "重点工作全年落实情况.docx", write)


@page
def unit_ledger(request, plan_id, unit_id):
    actor = request.actor
    plan = actor.plan(plan_id)
    actor.require(actor.is_office or actor.is_unit, "市领导不填写台账")
    name = _unit_name(actor, plan, unit_id)
    unit = Unit.objects.get(pk=unit_id)
    return _download(request, plan, f"{name}工作台账.xlsx", lambda out: ledger_upload.template(plan, unit, out))


@page
def unit_yearend(request, plan_id, unit_id):
    from duban.render.yearend import render_yearend

    actor = request.actor
    plan = actor.plan(plan_id)
    actor.require(actor.is_office or actor.is_unit, "市领导请下载整份全年落实情况")
    name = _unit_name(actor, plan, unit_id)

    def write(out):
        standing = _yearend_standing(plan)
        render_yearend(rd.document_for(plan), standing.data, out, unit=name)

    return _download(request, plan, f"{name}全年落实情况.docx", write)


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


def _bulletin_round(actor, plan_id, round_id):
    plan = actor.plan(plan_id)
    actor.require(actor.is_office, "只有督查人员可以编辑和下载通报")
    rnd = ReportingRound.objects.filter(plan=plan, pk=round_id, kind__in=rd.REPORT_KINDS).first()
    if rnd is None:
        raise Http404("没有这个报送轮次")
    return plan, rnd


def _draft(plan, rnd):
    from duban.render.bulletin import BulletinDraft

    doc = rd.document_for(plan)
    st = rd.standing(plan, rnd, common.today())
    drafted = rd.bulletin_draft(doc, st)
    text, version = rd.saved_bulletin(rnd)
    draft = BulletinDraft.from_text(text, signer=drafted.signer, when=drafted.date) if text else drafted
    latest = rd.latest_bulletin(rnd)
    if latest is not None and latest.issued:
        draft.number, draft.date = latest.number, timezone.localdate(latest.issued_at)
    return doc, st, drafted, draft, text, version


@page
def bulletin(request, plan_id, round_id):
    from duban.render.summary import round_summary
    from duban.track import COLOURS

    actor = request.actor
    plan, rnd = _bulletin_round(actor, plan_id, round_id)
    status, error = 200, None
    try:
        doc, st, drafted, draft, text, version = _draft(plan, rnd)
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
def bulletin_docx(request, plan_id, round_id):
    from duban.render.bulletin import render_bulletin

    actor = request.actor
    plan, rnd = _bulletin_round(actor, plan_id, round_id)

    def write(out):
        doc, st, _drafted, draft, _text, _version = _draft(plan, rnd)
        render_bulletin(doc, st.data, out, draft)

    return _download(request, plan, f"{rnd.title}督查通报.docx", write)
