"""A progress report's life: draft → awaiting head → submitted → accepted,
with returns back to the unit.  Every write is a compare-and-set on the
report's ``version``, so the second of two people saving the same report is
refused instead of silently overwriting the first.
"""

from __future__ import annotations

import hashlib
import math
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
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


def number(value) -> float:
    """A figure as typed: 1,234.5 / 1，234 / 12% / a JSON number; never NaN or infinity."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, (int, float)):
        result = float(value)
    elif isinstance(value, str):
        result = float(value.strip().replace(",", "").replace("，", "").rstrip("%"))
    else:
        raise ValueError(value)
    if not math.isfinite(result):
        raise ValueError(value)
    return result


def clean_figures(task, raw: dict) -> dict:
    """Keep one number per indicator of the task; refuse what is not a number."""
    if not isinstance(raw, dict):
        raise InputError("指标完成值应为 {指标名称: 数值}")
    names = [i["name"] for i in task.indicators]
    figures = {}
    for name in names:
        value = raw.get(name)
        if value in (None, ""):
            continue
        try:
            figures[name] = number(value)
        except (ValueError, OverflowError) as exc:
            raise InputError(f"指标“{name}”的完成值“{str(value)[:40]}”不是数字") from exc
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
    if "status" in data and data["status"] not in STATUS_VALUES:
        raise InputError("进展状态无效")
    changes = {k: data[k] for k in EDITABLE_FIELDS if k in data}
    before = audit.snapshot(report, list(EDITABLE_FIELDS))
    with transaction.atomic():
        new = _compare_and_set(report, version, (ProgressReport.DRAFT, ProgressReport.RETURNED), **changes)
        audit.record(user, "保存报告", new, before=before, after=audit.snapshot(new, list(EDITABLE_FIELDS)))
    return new


@transaction.atomic
def save_and_send(report: ProgressReport, version: int, data: dict, user=None) -> ProgressReport:
    """Save and send to the head as one change: both are stored, or (on a stale version) neither."""
    saved = save(report, version, data, user=user)
    return send_to_head(saved, saved.version, user=user)


@transaction.atomic
def push(task, unit, round_, data: dict, *, version: int | None = None, send: bool = False, user=None, may_edit=None):
    """An API push: find or make the unit's report, save it, perhaps send it — one transaction.

    The report's row is locked first, so what the caller is told (saved, or refused as stale) is what the
    database holds once this returns: a refusal leaves nothing behind, a success is all committed together.
    ``version`` None means "the version stored now"; ``may_edit(report)`` is checked on the locked row.
    """
    return update(report_for(task, unit, round_), data, version=version, send=send, user=user, may_edit=may_edit)


@transaction.atomic
def update(report: ProgressReport, data: dict, *, version=None, send=False, user=None, may_edit=None):
    """Save one known report (and perhaps send it) under its row lock; see ``push``."""
    locked = ProgressReport.objects.select_for_update().get(pk=report.pk)
    if version is not None and locked.version != version:
        raise StaleEdit("这份报告已被他人修改并保存，您的修改未保存：请刷新后在最新版本上重新编辑")
    if may_edit is not None:
        may_edit(locked)
    saved = save(locked, locked.version if version is None else version, data, user=user)
    return send_to_head(saved, saved.version, user=user) if send else saved


def _transition(report, version, from_states, to_state, action, user, **extra) -> ProgressReport:
    with transaction.atomic():
        new = _compare_and_set(report, version, from_states, state=to_state, **extra)
        after = {"state": to_state}
        if extra.get("comment"):
            after["comment"] = extra["comment"]
        if extra.get("revise_by"):
            after["revise_by"] = extra["revise_by"].isoformat()
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
    """The head signs: submitted now.  The first sign-off is kept — it is the report's timeliness,
    which a later return for revision does not move (duban.track.round.timeliness)."""
    now = timezone.now()
    return _transition(
        report,
        version,
        (ProgressReport.AWAITING_HEAD,),
        ProgressReport.SUBMITTED,
        "负责人签批报送",
        user,
        submitted_at=now,
        first_approved_at=Coalesce(F("first_approved_at"), Value(now)),
        revise_by=None,
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


# A report the office returns is revised within this many days unless the office says otherwise.
REVISION_DAYS = 5


def office_return(report, version, comment: str, user=None, revise_by: date | None = None):
    """退回修改: the report goes back to its unit with its own deadline; it stays as timely as its
    first sign-off, and is neither late nor missing because of the return."""
    if not comment.strip():
        raise InputError("退回时请填写意见")
    today = timezone.localdate()
    revise_by = revise_by or today + timedelta(days=REVISION_DAYS)
    if revise_by < today:
        raise InputError("修改期限不能早于今天")
    return _transition(
        report,
        version,
        (ProgressReport.SUBMITTED,),
        ProgressReport.RETURNED,
        "督查退回",
        user,
        comment=comment,
        submitted_at=None,
        revise_by=revise_by,
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
