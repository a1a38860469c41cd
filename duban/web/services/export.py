"""A stored plan back into a ``Document``: what ``duban.render`` and a re-import read."""

from __future__ import annotations

from duban.doc.model import Document, Indicator, ScheduleItem, UnitRef
from duban.doc.model import Task as DocTask
from duban.render.official import office_name
from duban.web.models import Plan


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
        issuer=plan.government.office_name or office_name(plan.government.name),
        doc_number=plan.doc_number or None,
        year=plan.year,
        schedule=[ScheduleItem.from_json(s) for s in plan.schedule],
        tasks=tasks,
        source=plan.source_name or None,
    )
