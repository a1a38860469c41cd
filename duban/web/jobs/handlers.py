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


handler("import")((_no_context, _publish_draft))
handler("ledger")((_ledger_context, _apply_ledger))
handler("draft")((_draft_context, _publish_draft))
