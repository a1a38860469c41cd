"""A stored plan back into a ``Document``: what ``duban.render`` and a re-import read."""

from __future__ import annotations

from django.db.models import Prefetch

from duban.doc.model import Document, Indicator, ScheduleItem, UnitRef
from duban.doc.model import Task as DocTask
from duban.render.official import office_name
from duban.web.models import Assignment, Plan


def plan_document(plan: Plan) -> Document:
    tasks = []
    # Only what a Document holds: a draft's suggestions (``candidates``) can be long, and 6,000 tasks' worth
    # of them was most of turning a cascaded plan back into a Document.
    units = Prefetch("assignments", queryset=Assignment.objects.only("task_id", "unit_name", "role", "order"))
    for task in plan.tasks.select_related("section").defer("candidates").prefetch_related(units):
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
        schedule=_schedule(plan),
        tasks=tasks,
        source=plan.source_name or None,
    )


def _schedule(plan: Plan) -> list[ScheduleItem]:
    """A published plan's reporting rounds as they now stand (added, moved or deleted since); a draft's as read."""
    if plan.is_published:
        rounds = list(plan.rounds.all())
        if rounds:
            return [ScheduleItem(r.kind, r.due, r.rule or f"{r.due.month}月{r.due.day}日") for r in rounds]
    return [ScheduleItem.from_json(s) for s in plan.schedule]
