"""Plain views of a parsed document: Markdown for reading, a task table for Excel.

The official Word/Excel layouts live in ``duban.render``; these are the quick
views ``duban parse --md / --xlsx`` prints, one row or line per task.
"""

from __future__ import annotations

import os
import tempfile

from duban import vocab
from duban.doc.clauses import join_names
from duban.doc.model import LEAD, MONITOR, RESPONSIBLE, SUPPORT, Document, Task
from duban.vocab_clauses import (
    WRITE_DEADLINE,
    WRITE_LEAD_LABEL,
    WRITE_MONITOR_LABEL,
    WRITE_RESPONSIBLE_LABEL,
    WRITE_SUPPORT_LABEL,
)

ROLE_NAMES = vocab.ROLES.labels


def units_text(task: Task, *roles: str) -> str:
    return join_names([u.name for u in task.units if u.role in roles])


def to_markdown(doc: Document) -> str:
    out = [f"# {doc.title or '（无标题）'}", ""]
    facts = [
        ("发文机关", doc.issuer),
        ("文号", doc.doc_number),
        ("成文日期", doc.date.isoformat() if doc.date else None),
        ("年度", str(doc.year) if doc.year else None),
    ]
    out += [f"- {k}：{v}" for k, v in facts if v]
    for s in doc.schedule:
        what = vocab.ROUND_KINDS.label(s.what)
        out.append(f"- {what}：{s.due.isoformat() if s.due else s.rule}")
    out.append("")
    section: list[str] = []
    for task in doc.tasks:
        for depth, heading in enumerate(task.section):
            if depth >= len(section) or section[depth] != heading:
                out += ["#" * (depth + 2) + " " + heading, ""]
        section = task.section
        out.append(f"{task.number}. {task.text}")
        for role in (LEAD, RESPONSIBLE, SUPPORT, MONITOR):
            names = units_text(task, role)
            if names:
                out.append(f"   - {ROLE_NAMES[role]}：{names}")
        if task.deadline:
            out.append(f"   - {WRITE_DEADLINE}：{task.deadline}")
        out.append("")
    if doc.kind == "report":
        out += ["## 主要预期目标", ""] + [f"- {t.text}" for t in doc.targets] + [""]
        for area in doc.areas:
            out += [f"## {area.heading}", ""] + [f"- {p.lead or ''}{p.text[:60]}…" for p in area.paragraphs] + [""]
    if doc.warnings:
        out += ["## 警告", ""] + [f"- {w}" for w in doc.warnings] + [""]
    return "\n".join(out)


# The column labels are the parser's own (duban.vocab_clauses), so the table reads back.
HEADER = [
    "序号",
    "所属部分",
    "重点工作任务",
    WRITE_LEAD_LABEL,
    WRITE_RESPONSIBLE_LABEL,
    WRITE_SUPPORT_LABEL,
    WRITE_MONITOR_LABEL,
    WRITE_DEADLINE,
    "指标",
]


def task_rows(doc: Document) -> list[list[str]]:
    rows = []
    for t in doc.tasks:
        indicators = "；".join(f"{i.name} {i.qualifier or ''}{i.value:g}{i.unit}".strip() for i in t.indicators)
        rows.append(
            [
                t.number,
                " / ".join(t.section),
                t.text,
                units_text(t, LEAD),
                units_text(t, RESPONSIBLE),
                units_text(t, SUPPORT),
                units_text(t, MONITOR),
                t.deadline or "",
                indicators,
            ]
        )
    return rows


def write_task_table(doc: Document, path: str | os.PathLike) -> None:
    """One sheet, one row a task; written to a temporary file and moved into place
    so a failure never leaves half a workbook."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "任务分解"
    ws.append(HEADER)
    for row in task_rows(doc):
        ws.append(row)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    widths = [6, 24, 60, 20, 24, 30, 16, 12, 30]
    for i, w in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + i)].width = w
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    target = os.fspath(path)
    fd, tmp = tempfile.mkstemp(suffix=".xlsx", dir=os.path.dirname(os.path.abspath(target)))
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, target)
    except BaseException:
        os.unlink(tmp)
        raise
