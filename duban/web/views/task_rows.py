"""The task rows of the review and amend page, written directly rather than through the template engine.

A 300-task plan is some 9,000 template variable lookups; as plain string building the
rows cost a few milliseconds, which keeps the page and every in-place answer fast.
The editing forms (``partials/task_units.html``, ``partials/task_tools.html``) stay
templates: they are rendered one at a time.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from duban.web.models import MATCHES, ROLES

ROLE_LABELS = dict(ROLES)
MATCH_LABELS = dict(MATCHES)


def _candidates(task, base: str) -> str:
    """A drafted task's three best suggested units, each with its reason; one click makes it the lead."""
    pk = task.pk
    items = []
    for c in (task.candidates or [])[:3]:
        name = escape(c.get("name", ""))
        items.append(
            f'<li><form method="post" action="{base}{pk}/units/" hx-post="{base}{pk}/units/" '
            f'hx-target="#units-{pk}" hx-swap="outerHTML"><input type="hidden" name="lead" value="{name}">'
            f'<button class="small" title="设为牵头单位">{name}</button></form>'
            f"<small>{escape(c.get('why', ''))}</small></li>"
        )
    return f'<ol class="candidates">{"".join(items)}</ol>' if items else ""


def units_cell(task, base: str, draft: bool = False) -> str:
    """The unit chips of a task and its 修改 button (``#units-<id>``); on a draft, the suggested candidates."""
    pk = task.pk
    chips = []
    for a in task.assignments.all():
        note = ROLE_LABELS.get(a.role, a.role)
        if a.match != "exact":
            note += " · " + MATCH_LABELS.get(a.match, a.match)
            if a.written and a.written != a.unit_name:
                note += f"（原文：{a.written}）"
        chips.append(f'<li class="m m-{escape(a.match)}">{escape(a.unit_name)}<small>{escape(note)}</small></li>')
    if not chips:
        chips.append('<li class="m m-unknown">未识别到责任单位</li>')
    return (
        f'<div id="units-{pk}" class="unit-cell"><ul class="chips">{"".join(chips)}</ul>'
        f"{_candidates(task, base) if draft else ''}"
        f'<button type="button" class="small edit-units" hx-get="{base}{pk}/units/?edit=1" '
        f'hx-target="#units-{pk}" hx-swap="outerHTML">修改</button></div>'
    )


def task_row(task, base: str, draft: bool = False) -> str:
    pk = task.pk
    extra = ""
    if task.deadline:
        extra += f'<div class="muted small">完成时限：{escape(task.deadline)}</div>'
    if task.clause:
        extra += f'<div class="muted small">原文：{escape(task.clause)}</div>'
    return (
        f'<tr id="task-{pk}"><td><span id="num-{pk}">{escape(task.number)}</span></td>'
        f'<td class="text"><div class="task-text">{escape(task.text)}</div>{extra}'
        f'<button type="button" class="small link open-tools" hx-get="{base}{pk}/tools/" '
        f'hx-target="#tools-{pk}" hx-swap="outerHTML">修改 · 拆分 · 合并 · 移动</button><div id="tools-{pk}"></div></td>'
        f'<td class="units">{units_cell(task, base, draft)}</td></tr>\n'
    )


def task_rows(tasks, base: str, *, sections: bool, draft: bool = False) -> SafeString:
    """Rows for ``tasks`` (sections and assignments prefetched); with ``sections``, a heading row
    wherever the heading changes, as the page shows them."""
    out = []
    current = object()
    for task in tasks:
        if sections and task.section_id != current:
            current = task.section_id
            path = " / ".join(task.section.path) if task.section else ""
            out.append(f'<tr class="section-row" id="section-{current}"><td colspan="3">{escape(path)}</td></tr>\n')
        out.append(task_row(task, base, draft))
    return mark_safe("".join(out))
