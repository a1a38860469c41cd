"""The kinds of job: what each reads from the database first and writes at the end."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse

from duban.web.jobs.runner import handler
from duban.web.models import Government


def _no_context(job) -> dict:
    return {}


def _draft_context(job) -> dict:
    from duban.web.services.plans import draft_context

    history, directory = draft_context(Government.objects.get(pk=job.params["government"]))
    return {"history": history, "directory": directory}


def _publish_draft(job, document) -> tuple[str, str]:
    from duban.web.services import plans

    government = Government.objects.get(pk=job.params["government"])
    user = get_user_model().objects.get(pk=job.user_id)
    plan = plans.import_document(document, government, int(job.params["year"]), user=user)
    what = "起草" if job.kind == "draft" else "读取"
    return f"已{what} {plan.tasks.count()} 项任务，请核对责任单位后发布", reverse("plan_review", args=[plan.pk])


handler("import")((_no_context, _publish_draft))
handler("draft")((_draft_context, _publish_draft))
