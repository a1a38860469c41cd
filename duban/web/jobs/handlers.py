"""The kinds of job: what each reads from the database first and writes at the end."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse

from duban.web.jobs.runner import handler
from duban.web.models import Government


def _no_context(job) -> dict:
    return {}


def _draft_context(job) -> dict:
    from duban.web.services.plans import suggestion_inputs

    return {"inputs": suggestion_inputs(Government.objects.get(pk=job.params["government"]))}


def _publish_draft(job, document) -> tuple[str, str]:
    from duban.web.services import plans

    government = Government.objects.get(pk=job.params["government"])
    user = get_user_model().objects.get(pk=job.user_id)
    plan = plans.import_document(
        document, government, int(job.params["year"]), user=user, kind=job.params.get("plan_kind")
    )
    what = "起草" if job.kind == "draft" else "读取"
    return f"已{what} {plan.tasks.count()} 项任务，请核对责任单位后发布", reverse("plan_review", args=[plan.pk])


def _ledger_context(job) -> dict:
    from duban.web.models import Plan, Unit
    from duban.web.services.ledger_upload import current_ledger, plan_key, plan_unit_name
    from duban.web.services.render_data import document_for

    plan, unit = Plan.objects.get(pk=job.params["plan"]), Unit.objects.get(pk=job.params["unit"])
    return {
        "doc": document_for(plan),
        "unit": plan_unit_name(plan, unit),
        "accept_partial": job.params["partial"],
        "current": current_ledger(plan, unit),
        "plan_key": plan_key(plan),
    }


def _apply_ledger(job, result) -> tuple[str, str]:
    """Write what the check accepted; keep the row results for the result page."""
    from dataclasses import asdict

    from duban.web.jobs.models import Job
    from duban.web.models import Plan, Unit
    from duban.web.services import ledger_upload

    plan, unit = Plan.objects.get(pk=job.params["plan"]), Unit.objects.get(pk=job.params["unit"])
    applied = None
    if result.ledger is not None:
        user = get_user_model().objects.get(pk=job.user_id)
        applied = ledger_upload.apply(plan, unit, result.ledger, user)
        ledger_upload.forget_upload(unit, job.params["digest"])  # the stored upload is used once
    Job.objects.filter(pk=job.pk).update(
        result={"import": result.to_json(), "applied": asdict(applied) if applied else None}
    )
    return (applied.summary() if applied else result.summary()), ""


def _render_context(job) -> dict:
    """What the render's child needs to read the plan itself: the web process does none of the work.
    The child connects to this database (the test database under the tests) and only reads."""
    from django.conf import settings
    from django.db import connection

    context = {"what": job.params["what"], "scope": job.params["scope"], "day": job.params["today"]}
    if getattr(settings, "DUBAN_JOBS_ISOLATED", True):
        context["database"] = dict(connection.settings_dict)
    return context


def _store_file(job, data: bytes) -> tuple[str, str]:
    """Keep the file on the job's row, for ``views.job_file`` to give (``runner.KEEP_HOURS``)."""
    from duban.web.jobs.models import Job
    from duban.web.jobs.runner import keep_hours

    Job.objects.filter(pk=job.pk).update(output=data)
    size = f"{len(data) / 1024 / 1024:.1f} MB" if len(data) >= 1024 * 1024 else f"{max(1, len(data) // 1024)} KB"
    message = f"已生成“{job.params['filename']}”（{size}），请下载（保留 {keep_hours():g} 小时）"
    return message, reverse("job_file", args=[job.pk])


handler("import")((_no_context, _publish_draft))
handler("render")((_render_context, _store_file))
handler("ledger")((_ledger_context, _apply_ledger))
handler("draft")((_draft_context, _publish_draft))
