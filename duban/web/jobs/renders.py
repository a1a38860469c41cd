"""Word and Excel files made from a stored plan: small ones in the request, large ones as a background job.

Each file is a recipe in three parts:

- ``authorize(actor, **ids)`` — in the request, cheap: who may have the file (the checks of
  ``duban.web.access`` the direct downloads always made), its name, its size in tasks, and its
  ``scope`` (the ids it is made from, with the tasks the person may see).  The file of a finished
  job is given by running ``authorize`` again for whoever asks: only a person it answers with the
  same scope gets it — the one who asked, or someone with the same access (another supervision
  officer of the government; not a leader of other areas, nor a unit);
- ``prepare(scope)`` — reads the database: the core's inputs (a ``Document``, a ``RoundData`` …);
- the writer of ``duban.web.jobs.work.WRITERS`` — plain ``duban.render``, in the job's child
  process (killed at the time limit or on 取消; the file is stored only when it came back whole).

``INLINE_TASKS`` says up to how many tasks each file is made in the request.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.http import Http404
from django.urls import reverse

from duban.errors import DubanError
from duban.web.models import Plan, ReportingRound, Task, Unit

# Up to how many tasks of the plan a file is written in the request; a larger one runs as a background
# job.  Measured on one core of the development machine, a plan with a year of reports, 300 and
# 1,500 tasks (reading the plan and its standing included; docs/limits.md "Renders"):
#   notice 0.5 s / 2.5 s; task table 1.0 / 4.4; year-end account 2.1 / 13.8; a unit's ledger
#   template 0.3 / 0.6; a unit's year-end account 0.4 / 1.1; a round's bulletin 2.3 / 4.0 (over a
#   second of it is its charts); an issued bulletin (frozen figures) about 1.5 at 1,500.
# Each threshold keeps the request's own work near 1.5 s, so on a busy machine it stays within "a
# couple of seconds"; real plans (100-600 tasks) get most files at once.  The setting
# DUBAN_RENDER_INLINE_TASKS (one number) overrides them all — the tests set 0 to make every file a job.
INLINE_TASKS = {
    "notice": 800,
    "plan_table": 400,
    "yearend": 200,
    "unit_ledger": 2_000,
    "unit_yearend": 1_500,
    "bulletin": 300,
    "issued_bulletin": 1_500,
}


def _today():
    from duban.web.views.common import today

    return today()


def inline_tasks(what: str) -> int:
    override = getattr(settings, "DUBAN_RENDER_INLINE_TASKS", None)
    return INLINE_TASKS[what] if override is None else int(override)


@dataclass
class Spec:
    """One file a person asked for, after the access checks."""

    what: str
    plan: Plan
    filename: str
    size: int  # tasks it is made from
    scope: dict  # the ids it is made from (JSON): equal scopes make equal files
    ids: dict = field(default_factory=dict)  # what the URL gave, to authorize again


def _revised(plan) -> str:
    """What a plan file's name adds once the published plan has been amended: （第2次修订）."""
    return f"（第{plan.revision}次修订）" if plan.revision else ""


def _name(plan, name: str) -> str:
    from duban import vocab

    # A year holds several plans (vocab.PLAN_KINDS): a file of any but the work report's says which.
    kind = "" if plan.kind == vocab.WORK_REPORT_PLAN else f"{plan.get_kind_display()}·"
    return f"{plan.government.name}{plan.year}年{kind}{name}"


def _visible(actor, plan) -> list[int] | None:
    """The tasks whose figures this user may read: all (None) for the office, a leader's areas for a leader."""
    actor.require(actor.is_office or actor.is_leader, "只有督查人员和市领导可以下载整份计划的文件")
    return None if actor.is_office else sorted(actor.tasks(plan).values_list("pk", flat=True))


def _tasks(scope):
    return None if scope.get("tasks") is None else Task.objects.filter(pk__in=scope["tasks"])


def _count(plan, tasks) -> int:
    return plan.tasks.count() if tasks is None else len(tasks)


def _unit(actor, plan, unit_id) -> Unit:
    """A unit this user may act for: own unit, or any for the office; another unit's id answers 404."""
    unit = Unit.objects.filter(government=plan.government, pk=unit_id).first()
    if unit is None or (not actor.is_office and unit.pk != actor.unit_id):
        raise Http404("没有这个单位")
    return unit


def _annual(plan, day) -> ReportingRound:
    """The round a year-end account is written from: the annual round (全年落实情况) — once it is past
    due, or as soon as a unit has reported in it early; never a progress round."""
    from duban.track.round import IN_STATES
    from duban.web.services import render_data as rd

    annual = next((r for r in rd.report_rounds(plan) if r.kind == "annual"), None)
    if annual is None:
        raise DubanError("这份计划没有“全年落实情况”报送轮次，无法生成全年落实情况")
    if annual.due >= day and not annual.reports.filter(state__in=IN_STATES).exists():
        raise DubanError(f"全年落实情况（{annual.due:%m-%d} 截止）尚无单位报送，暂不能生成全年落实情况")
    return annual


# --- the recipes: authorize (request) and prepare (database reads; the job's worker for a large file) ---------------


def _auth_notice(actor, plan_id):
    plan = actor.plan(plan_id)
    actor.require(actor.is_office or actor.is_leader, "只有督查人员和市领导可以下载通知")
    name = _name(plan, f"重点工作责任分解通知{_revised(plan)}.docx")
    return Spec("notice", plan, name, plan.tasks.count(), {"plan": plan.pk})


def _prep_notice(scope, day):
    from duban.web.services.render_data import document_for

    return {"doc": document_for(Plan.objects.get(pk=scope["plan"]))}


def _auth_plan_table(actor, plan_id):
    plan = actor.plan(plan_id)
    tasks = _visible(actor, plan)
    name = _name(plan, f"重点工作任务表{_revised(plan)}.xlsx")
    return Spec("plan_table", plan, name, _count(plan, tasks), {"plan": plan.pk, "tasks": tasks})


def _prep_plan_table(scope, day):
    from duban.web.services import render_data as rd

    plan, tasks = Plan.objects.get(pk=scope["plan"]), _tasks(scope)
    passed = [r for r in rd.report_rounds(plan) if r.due < day]  # the latest round past due
    standing = rd.standing(plan, passed[-1], day, tasks=tasks) if passed else None
    return {"doc": rd.document_for(plan, tasks), "data": standing.data if standing else None}


def _auth_yearend(actor, plan_id):
    plan = actor.plan(plan_id)
    tasks = _visible(actor, plan)
    _annual(plan, _today())
    name = _name(plan, "重点工作全年落实情况.docx")
    return Spec("yearend", plan, name, _count(plan, tasks), {"plan": plan.pk, "tasks": tasks})


def _prep_yearend(scope, day, unit: str | None = None):
    from duban.web.services import render_data as rd

    plan, tasks = Plan.objects.get(pk=scope["plan"]), _tasks(scope)
    standing = rd.standing(plan, _annual(plan, day), day, tasks=tasks)
    inputs = {"doc": rd.document_for(plan, tasks), "data": standing.data}
    return {**inputs, "unit": unit} if unit else inputs


def _auth_unit_ledger(actor, plan_id, unit_id):
    from duban.web.services.ledger_upload import plan_unit_name

    plan = actor.plan(plan_id)
    actor.require(actor.is_office or actor.is_unit, "市领导不填写台账")
    unit = _unit(actor, plan, unit_id)
    name = _name(plan, f"{plan_unit_name(plan, unit)}工作台账.xlsx")
    return Spec("unit_ledger", plan, name, plan.tasks.count(), {"plan": plan.pk, "unit": unit.pk})


def _prep_unit_ledger(scope, day):
    from duban.web.services.ledger_upload import template_inputs

    return template_inputs(Plan.objects.get(pk=scope["plan"]), Unit.objects.get(pk=scope["unit"]))


def _auth_unit_yearend(actor, plan_id, unit_id):
    from duban.web.services.ledger_upload import plan_unit_name

    plan = actor.plan(plan_id)
    actor.require(actor.is_office or actor.is_unit, "市领导请下载整份全年落实情况")
    unit = _unit(actor, plan, unit_id)
    name = _name(plan, f"{plan_unit_name(plan, unit)}全年落实情况.docx")
    _annual(plan, _today())
    return Spec("unit_yearend", plan, name, plan.tasks.count(), {"plan": plan.pk, "unit": unit.pk})


def _prep_unit_yearend(scope, day):
    from duban.web.services.ledger_upload import plan_unit_name

    plan = Plan.objects.get(pk=scope["plan"])
    return _prep_yearend({"plan": plan.pk}, day, unit=plan_unit_name(plan, Unit.objects.get(pk=scope["unit"])))


def bulletin_round(actor, plan_id, round_id):
    """The plan and the reporting round of a bulletin the supervision office edits or downloads."""
    from duban.web.services import render_data as rd

    plan = actor.plan(plan_id)
    actor.require(actor.is_office, "只有督查人员可以编辑和下载通报")
    rnd = ReportingRound.objects.filter(plan=plan, pk=round_id, kind__in=rd.REPORT_KINDS).first()
    if rnd is None:
        raise Http404("没有这个报送轮次")
    return plan, rnd


def bulletin_draft(plan, rnd, day):
    """The round's bulletin as it stands: the saved text (or the drafted one), numbered once issued."""
    from django.utils import timezone

    from duban.render.bulletin import BulletinDraft
    from duban.web.services import render_data as rd
    from duban.web.services.overview import collection_paused

    with collection_paused():  # tens of thousands of plain rows made at once (services.overview)
        doc = rd.document_for(plan)
        st = rd.standing(plan, rnd, day)
        drafted = rd.bulletin_draft(doc, st)
    text, version = rd.saved_bulletin(rnd)
    draft = BulletinDraft.from_text(text, signer=drafted.signer, when=drafted.date) if text else drafted
    latest = rd.latest_bulletin(rnd)
    if latest is not None and latest.issued:
        draft.number, draft.date = latest.number, timezone.localdate(latest.issued_at)
    return doc, st, drafted, draft, text, version


def _auth_bulletin(actor, plan_id, round_id):
    plan, rnd = bulletin_round(actor, plan_id, round_id)
    name = _name(plan, f"{rnd.title}督查通报.docx")
    return Spec("bulletin", plan, name, plan.tasks.count(), {"plan": plan.pk, "round": rnd.pk})


def _prep_bulletin(scope, day):
    plan = Plan.objects.get(pk=scope["plan"])
    rnd = ReportingRound.objects.get(pk=scope["round"])
    doc, st, _drafted, draft, _text, _version = bulletin_draft(plan, rnd, day)
    return {"doc": doc, "data": st.data, "draft": draft}


def issued(actor, bulletin_id):
    """An issued bulletin of a plan this user sees; 404 otherwise."""
    from duban.web.models import Bulletin

    bulletin = (
        Bulletin.objects.filter(pk=bulletin_id, issued_at__isnull=False, round__plan__in=actor.plans())
        .select_related("round__plan__government")
        .first()
    )
    if bulletin is None:
        raise Http404("没有这份通报")
    return bulletin


def signer(bulletin) -> str:
    from duban.render.official import office_name

    government = bulletin.round.plan.government
    return government.office_name or office_name(government.name)


def _auth_issued(actor, bulletin_id):
    bulletin = issued(actor, bulletin_id)
    plan = bulletin.round.plan
    name = _name(plan, f"督查通报第{bulletin.number}期.docx")
    return Spec("issued_bulletin", plan, name, plan.tasks.count(), {"plan": plan.pk, "bulletin": bulletin.pk})


def _prep_issued(scope, day):
    from django.utils import timezone

    from duban.render.bulletin import BulletinDraft
    from duban.web.models import Bulletin
    from duban.web.services.render_data import document_for

    bulletin = Bulletin.objects.select_related("round__plan__government").get(pk=scope["bulletin"])
    draft = BulletinDraft.from_text(bulletin.text, signer=signer(bulletin), when=timezone.localdate(bulletin.issued_at))
    draft.number = bulletin.number
    figures = {k: v for k, v in (bulletin.figures or {}).items() if k in ("task_counts", "report_counts", "as_of")}
    return {"doc": document_for(bulletin.round.plan), "draft": draft, "figures": figures}


RECIPES = {
    "notice": (_auth_notice, _prep_notice),
    "plan_table": (_auth_plan_table, _prep_plan_table),
    "yearend": (_auth_yearend, _prep_yearend),
    "unit_ledger": (_auth_unit_ledger, _prep_unit_ledger),
    "unit_yearend": (_auth_unit_yearend, _prep_unit_yearend),
    "bulletin": (_auth_bulletin, _prep_bulletin),
    "issued_bulletin": (_auth_issued, _prep_issued),
}


def authorize(actor, what: str, **ids) -> Spec:
    """The file ``what`` as this user may have it; Denied / Http404 as the direct download, DubanError
    when it cannot be made (no annual round yet)."""
    spec = RECIPES[what][0](actor, **ids)
    spec.ids = ids
    return spec


def prepare(what: str, scope: dict, day) -> dict:
    """The writer's inputs for the file ``what`` of ``scope`` as of ``day`` (the day it was asked for)."""
    return RECIPES[what][1](scope, day)


def back_url(spec: Spec) -> str:
    return reverse("files", args=[spec.plan.pk])


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_response(data: bytes, filename: str):
    from django.http import HttpResponse
    from django.utils.http import content_disposition_header

    response = HttpResponse(data, content_type=DOCX if filename.endswith(".docx") else XLSX)
    # content_disposition_header writes RFC 5987 filename*=utf-8''… for the Chinese name.
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def running(user, spec: Spec):
    """This user's unfinished job for the same file, if any: asking twice does not queue it twice."""
    from duban.web.jobs.models import Job

    for job in Job.objects.filter(user=user, kind="render", status__in=(Job.QUEUED, Job.RUNNING)).defer(
        "upload", "output"
    ):
        if job.params.get("what") == spec.what and job.params.get("scope") == spec.scope:
            return job
    return None


def params(spec: Spec) -> dict:
    return {
        "what": spec.what,
        "ids": spec.ids,
        "scope": spec.scope,
        "today": _today().isoformat(),
        "filename": spec.filename,
        "back": back_url(spec),
    }
