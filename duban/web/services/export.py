"""A stored plan back into a ``Document``, and the office files ``duban.render`` makes from it."""

from __future__ import annotations

import tempfile
from pathlib import Path

from duban.doc.model import Document, Indicator, ScheduleItem, UnitRef
from duban.doc.model import Task as DocTask
from duban.web.models import Plan

DOWNLOADS = {
    "notice.docx": "通知（公文格式 .docx）",
    "plan.xlsx": "全部任务一览（.xlsx）",
    "ledger.xlsx": "单位台账模板（.xlsx）",
}


def plan_document(plan: Plan) -> Document:
    tasks = []
    for task in plan.tasks.select_related("section").prefetch_related("assignments"):
        tasks.append(
            DocTask(
                number=task.number,
                section=list(task.section.path) if task.section else [],
                text=task.text,
                units=[UnitRef(a.unit_name, a.role) for a in task.assignments.all()],
                deadline=task.deadline or None,
                indicators=[Indicator.from_json(i) for i in task.indicators],
                clause=task.clause or None,
            )
        )
    return Document(
        kind="notice",
        title=plan.title,
        issuer=f"{plan.government.name}人民政府办公室",
        doc_number=plan.doc_number or None,
        year=plan.year,
        schedule=[ScheduleItem.from_json(s) for s in plan.schedule],
        tasks=tasks,
        source=plan.source_name or None,
    )


def render_file(plan: Plan, name: str, unit_name: str | None = None) -> bytes:
    """The bytes of one download; raises DubanError when the renderer refuses."""
    document = plan_document(plan)
    with tempfile.TemporaryDirectory(prefix="duban-export-") as tmp:
        path = Path(tmp) / name
        if name == "notice.docx":
            from duban.render.notice import render_notice

            render_notice(document, path)
        elif name == "plan.xlsx":
            from duban.render.ledger import export_plan_xlsx

            export_plan_xlsx(document, path)
        elif name == "ledger.xlsx":
            from duban.render.ledger import unit_ledger_template

            rounds = [r.title for r in plan.rounds.all() if r.kind != "plan"]
            unit_ledger_template(document, unit_name or "", path, rounds or None)
        else:
            raise KeyError(name)
        return path.read_bytes()
