"""A progress report's life: draft → awaiting head → submitted → accepted,
with returns back to the unit.  Every write is a compare-and-set on the
report's ``version``, so the second of two people saving the same report is
refused instead of silently overwriting the first.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from duban.errors import DubanError, InputError
from duban.web import audit
from duban.web.models import Attachment, ProgressReport

EDITABLE_FIELDS = ("status", "done_text", "figures", "problems", "next_steps")
STATUS_VALUES = {value for value, _ in ProgressReport.STATUSES}


class StaleEdit(DubanError):
    """Someone else saved the report since this user loaded it."""


def report_for(task, unit, round_) -> ProgressReport:
    report, _ = ProgressReport.objects.get_or_create(task=task, unit=unit, round=round_)
    return report


def clean_figures(task, raw: dict) -> dict:
    """Keep one number per indicator of the task; refuse what is not a number."""
    names = [i["name"] for i in task.indicators]
    figures = {}
    for name in names:
        value = raw.get(name)
        if value in (None, ""):
            continue
        try:
            figures[name] = float(str(value).replace(",", "").replace("，", "").rstrip("%"))
        except ValueError as exc:
            raise InputError(f"指标“{name}”的完成值“{value}”不是数字") from exc
    return figures


def _compare_and_set(report: ProgressReport, version: int, states: tuple[str, ...], **changes) -> ProgressReport:
    updated = ProgressReport.objects.filter(pk=report.pk, version=version, state__in=states).update(
        version=F("version") + 1, updated_at=timezone.now(), **changes
    )
    if not updated:
        current = ProgressReport.objects.get(pk=report.pk)
        if current.version != version:
            raise StaleEdit("这份报告已被他人修改并保存，您的修改未保存：请刷新后在最新版本上重新编辑")
        raise DubanError(f"这份报告当前状态为“{current.get_state_display()}”，不能执行此操作")
    return ProgressReport.objects.get(pk=report.pk)


def save(report: ProgressReport, version: int, data: dict, user=None) -> ProgressReport:
    if data.get("status") and data["status"] not in STATUS_VALUES:
        raise InputError("进展状态无效")
    changes = {k: data[k] for k in EDITABLE_FIELDS if k in data}
    before = audit.snapshot(report, list(EDITABLE_FIELDS))
    with transaction.atomic():
        new = _compare_and_set(report, version, (ProgressReport.DRAFT, ProgressReport.RETURNED), **changes)
        audit.record(user, "保存报告", new, before=before, after=audit.snapshot(new, list(EDITABLE_FIELDS)))
    return new


def _transition(report, version, from_states, to_state, action, user, **extra) -> ProgressReport:
    with transaction.atomic():
        new = _compare_and_set(report, version, from_states, state=to_state, **extra)
        after = {"state": to_state}
        if extra.get("comment"):
            after["comment"] = extra["comment"]
        audit.record(user, action, new, before={"state": report.state}, after=after)
    return new


def send_to_head(report, version, user=None):
    return _transition(
        report,
        version,
        (ProgressReport.DRAFT, ProgressReport.RETURNED),
        ProgressReport.AWAITING_HEAD,
        "提交负责人签批",
        user,
    )


def approve(report, version, user=None):
    return _transition(
        report,
        version,
        (ProgressReport.AWAITING_HEAD,),
        ProgressReport.SUBMITTED,
        "负责人签批报送",
        user,
        submitted_at=timezone.now(),
        comment="",
    )


def head_return(report, version, comment: str, user=None):
    if not comment.strip():
        raise InputError("退回时请填写意见")
    return _transition(
        report, version, (ProgressReport.AWAITING_HEAD,), ProgressReport.RETURNED, "负责人退回", user, comment=comment
    )


def accept(report, version, user=None):
    return _transition(report, version, (ProgressReport.SUBMITTED,), ProgressReport.ACCEPTED, "督查审核通过", user)


def office_return(report, version, comment: str, user=None):
    if not comment.strip():
        raise InputError("退回时请填写意见")
    return _transition(
        report,
        version,
        (ProgressReport.SUBMITTED,),
        ProgressReport.RETURNED,
        "督查退回",
        user,
        comment=comment,
        submitted_at=None,
    )


def attach(report: ProgressReport, name: str, data: bytes, user=None) -> Attachment:
    from duban.web.services.plans import check_upload_size

    check_upload_size(data, "附件")
    digest = hashlib.sha256(data).hexdigest()
    relative = Path("reports") / str(report.pk) / f"{digest[:16]}{Path(name).suffix.lower()[:10]}"
    target = Path(settings.UPLOAD_DIR) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    attachment = Attachment.objects.create(
        report=report, name=Path(name).name[:255], path=str(relative), sha256=digest, size=len(data), uploaded_by=user
    )
    audit.record(user, "上传附件", report, after={"name": attachment.name, "sha256": digest})
    return attachment
