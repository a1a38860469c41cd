"""A reporting round assembled from units' filled ledgers, for offices that work offline.

Units fill their templates (``unit_ledger_template``); the office reads each
back (``import_unit_ledger``) and ``round_from_ledgers`` turns them into the
``RoundData`` that bulletins and year-end accounts are drawn from, so nobody
re-types a figure.
"""

from __future__ import annotations

from datetime import date

from duban.doc.model import Document
from duban.render.clauses import reporting_units
from duban.render.data import LATE, MISSING, NOT_STARTED, ON_TIME, RoundData, TaskReport, UnitLedger


def round_from_ledgers(
    doc: Document,
    ledgers: list[UnitLedger],
    round_name: str,
    *,
    kind: str = "progress",
    due: date | None = None,
    as_of: date | None = None,
    late_units: tuple[str, ...] | list[str] = (),
) -> RoundData:
    """One report per (task, reporting unit): from the unit's sheet for ``round_name``, else missing.

    A ledger holds no submission time, so a report that is there counts as on
    time unless its unit is in ``late_units``.  A missing report keeps the
    status the unit gave in an earlier round of the same ledger, else 未启动.
    """
    by_unit = {ledger.unit: ledger for ledger in ledgers}
    reports = []
    for task in doc.tasks:
        for unit in reporting_units(task):
            ledger = by_unit.get(unit)
            entry = _entry(ledger, round_name, task.number) if ledger else None
            if entry is None or entry.status is None:
                reports.append(TaskReport(task.number, unit, _earlier_status(ledger, round_name, task.number), MISSING))
                continue
            reports.append(
                TaskReport(
                    task.number,
                    unit,
                    entry.status,
                    LATE if unit in late_units else ON_TIME,
                    progress=entry.progress,
                    problems=entry.problems,
                    next_steps=entry.next_steps,
                    figures=dict(entry.figures),
                )
            )
    return RoundData(name=round_name, kind=kind, due=due, as_of=as_of, reports=reports)


def _entry(ledger: UnitLedger, round_name: str, number: str):
    return next((e for e in ledger.rounds.get(round_name, []) if e.task == number), None)


def _earlier_status(ledger: UnitLedger | None, round_name: str, number: str) -> str:
    if ledger is None:
        return NOT_STARTED
    names = list(ledger.rounds)
    earlier = names[: names.index(round_name)] if round_name in names else names
    for name in reversed(earlier):
        entry = _entry(ledger, name, number)
        if entry is not None and entry.status:
            return entry.status
    return NOT_STARTED
