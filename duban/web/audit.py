"""Recording every change: one AuditEvent per action, with before/after fields."""

from __future__ import annotations

from django.forms.models import model_to_dict

from duban.web.models import AuditEvent


def snapshot(obj, fields: list[str] | None = None) -> dict:
    data = model_to_dict(obj, fields=fields)
    return {k: _plain(v) for k, v in data.items()}


def _plain(value):
    if isinstance(value, (str, int, float, bool, type(None), dict)):
        return value
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "pk"):
        return value.pk
    return str(value)


def record(user, action: str, obj, *, government=None, before: dict | None = None, after: dict | None = None):
    """Append one event. ``user`` may be None for the command line."""
    if government is None:
        government = _government_of(obj)
    return AuditEvent.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        username=getattr(user, "username", "") or "命令行",
        government=government,
        action=action,
        object_type=type(obj).__name__,
        object_id=str(getattr(obj, "pk", "") or ""),
        object_repr=str(obj)[:300],
        before=before,
        after=after,
    )


def _government_of(obj):
    for path in (
        "government",
        "plan.government",
        "task.plan.government",
        "report.task.plan.government",
        "round.plan.government",
    ):
        cur = obj
        for attr in path.split("."):
            cur = getattr(cur, attr, None)
            if cur is None:
                break
        if cur is not None:
            return cur
    return None
