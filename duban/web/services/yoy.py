"""Reads for the year-over-year page and download: the two stored plans as ``Document``s, compared by
``duban.draft.yoy.compare`` (the core owns the comparison; this only fetches)."""

from __future__ import annotations

from duban.draft.yoy import Comparison, compare
from duban.web.models import Plan, Unit
from duban.web.services.plan_choice import previous_plan
from duban.web.services.render_data import document_for


def present_names(government) -> dict[str, str]:
    """Each former name of the government's units → the name it goes by now (a renaming or merger is not a move)."""
    from duban.web.services.matching import live_unit

    units = {u.pk: u for u in Unit.objects.filter(government=government).only("id", "name", "successor_id")}
    out: dict[str, str] = {}
    for unit in units.values():
        current = live_unit(unit, units)
        if current.pk != unit.pk:
            out[unit.name] = current.name
    return out


def year_over_year(plan: Plan, actor) -> tuple[Plan | None, Comparison | None]:
    """Last year's plan of the same government and kind, and the comparison of the tasks ``actor`` may read
    in both (a leader: the tasks of the areas in their charge); (None, None) when there is no such plan."""
    last = previous_plan(plan)
    if last is None:
        return None, None
    limit = not actor.is_office
    this_doc = document_for(plan, actor.tasks(plan) if limit else None)
    last_doc = document_for(last, actor.tasks(last) if limit else None)
    return last, compare(last_doc, this_doc, present_names(plan.government))
