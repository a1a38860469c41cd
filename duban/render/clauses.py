"""Write a task's units back as the notice's own clause, the inverse of ``duban.doc.clauses``.

The forms are the ones the corpus notices use, so ``duban parse`` reads the
rendered notice back to the same units and roles:

- ``（X负责）``                           one responsible unit
- ``（A、B按职责分工负责）``              several responsible units, no lead
- ``（X牵头，Y、Z按职责分工负责）``       a lead and its supporting units
- ``（X牵头负责）``                       a lead with no supporting units
- ``…，M监测）``                          a monitoring unit after any of these
- ``…；完成时限：6月底前）``              the deadline, when the task has one

The words come from ``duban.vocab_clauses``, the table the parser reads with.
"""

from __future__ import annotations

from duban import vocab
from duban.doc.clauses import join_names
from duban.doc.model import LEAD, MONITOR, RESPONSIBLE, SUPPORT, Task, UnitRef
from duban.vocab_clauses import (
    WRITE_DEADLINE,
    WRITE_LEAD,
    WRITE_LEAD_ALONE,
    WRITE_MONITOR,
    WRITE_ONE,
    WRITE_SHARE,
    WRITE_SUPPORT,
)


def unit_name(unit: UnitRef) -> str:
    """The unit as written in a clause.

    The parser keeps an alias inside the name (``市政府办公室（国防动员办公室）``);
    a hand-made UnitRef may carry it only in ``alias``, and then it goes in
    half-width brackets so it does not close the clause.
    """
    if unit.alias and unit.alias not in unit.name:
        return f"{unit.name}({unit.alias})"
    return unit.name


def _names(units: list[UnitRef]) -> str:
    return join_names([unit_name(u) for u in units])


def unit_clause(task: Task, *, deadline: bool = False) -> str:
    """The bracketed clause for ``task``, or "" when it names no unit (and, with
    ``deadline``, has no deadline either)."""
    leads = task.units_in(LEAD)
    responsible = task.units_in(RESPONSIBLE)
    supports = task.units_in(SUPPORT)
    monitors = task.units_in(MONITOR)
    parts: list[str] = []
    if leads:
        if supports or responsible:
            parts.append(f"{_names(leads)}{WRITE_LEAD}")
            parts.append(f"{_names(supports + responsible)}{WRITE_SHARE}")
        else:
            parts.append(f"{_names(leads)}{WRITE_LEAD_ALONE}")
    elif responsible:
        verb = WRITE_ONE if len(responsible) == 1 else WRITE_SHARE
        parts.append(f"{_names(responsible)}{verb}")
        if supports:
            parts.append(f"{_names(supports)}{WRITE_SUPPORT}")
    elif supports:
        parts.append(f"{_names(supports)}{WRITE_SHARE}")
    if monitors:
        parts.append(f"{_names(monitors)}{WRITE_MONITOR}")
    body = "，".join(parts)
    if deadline and task.deadline:
        body = "；".join(x for x in (body, f"{WRITE_DEADLINE}：{task.deadline}") if x)
    return f"（{body}）" if body else ""


def lead_names(task: Task) -> str:
    """Who answers for the task: its leads, else its responsible units."""
    return "、".join(unit_name(u) for u in task.primary_units)


def other_names(task: Task) -> str:
    """The units that share the task but do not answer for it."""
    primary = {id(u) for u in task.primary_units}
    return "、".join(unit_name(u) for u in task.units if id(u) not in primary)


def unit_tasks(tasks: list[Task], unit: str) -> list[tuple[Task, str]]:
    """The tasks naming ``unit``, each with the unit's role on it."""
    out = []
    for task in tasks:
        for ref in task.units:
            if ref.name == unit:
                out.append((task, ref.role))
                break
    return out


def no_tasks_message(tasks: list[Task], unit: str) -> str:
    """One sentence for a unit the plan does not name, with the nearest names it does."""
    import difflib

    names = sorted({u.name for t in tasks for u in t.units})
    near = difflib.get_close_matches(unit, names, n=3, cutoff=0.3)
    hint = f"；是否指：{'、'.join(near)}？" if near else ""
    return f"通知中没有“{unit}”承担的任务{hint}"


ROLE_LABELS = vocab.ROLES.labels
