"""The ``RoundData`` bulletins and year-end accounts are drawn from, assembled from one
``duban.track.round`` account of the round.

- ``round_from_standing``: the web application's round (and ``duban render … --government``):
  every report the round's obligations hold, each task's state as the dashboard gives it;
- ``round_from_ledgers``: for offices that work offline — units fill their templates
  (``unit_ledger_template``), the office reads each back (``import_unit_ledger``), and the same
  obligations say who owed what, so nobody re-types a figure.
"""

from __future__ import annotations

from datetime import date

from duban import vocab
from duban.doc.model import Document
from duban.render.data import LATE, MISSING, NOT_STARTED, ON_TIME, RoundData, TaskReport, UnitLedger
from duban.track import round as core

_REPORT_OF = {vocab.ON_TIME: ON_TIME, vocab.LATE: LATE}


def round_from_standing(st: core.Standing, rnd: core.Round) -> RoundData:
    """Every report owed in ``rnd`` as ``st`` (taken as of its ``today``) has it.

    A report counts by the head's first sign-off (a return for revision does not move it); a
    report not in carries the unit's last status from an earlier round, else 未启动.  A collective
    with no listed members is left out of the counts and named in ``no_members``.  Each task's
    colour is the one the dashboard shows (``judged``); the reports keep what the units said.
    """
    last: dict[tuple[str, str], str] = {}
    for owed in sorted(st.items, key=lambda s: s.obligation.round.due):
        ob, f = owed.obligation, owed.filed
        if ob.round.due < rnd.due and ob.round.kind in vocab.REPORT_ROUND_KINDS and f and f.is_in(st.today):
            last[(ob.task, ob.unit)] = f.status or NOT_STARTED
    reports: list[TaskReport] = []
    no_members: list[tuple[str, str]] = []
    for owed in st.in_round(rnd):
        ob, f = owed.obligation, owed.filed
        if ob.role == vocab.MONITOR:
            continue
        if owed.timeliness == core.NO_MEMBERS:
            no_members.append((ob.task, ob.unit))
            continue
        counted = owed.timeliness in _REPORT_OF
        reports.append(
            TaskReport(
                task=ob.task,
                unit=ob.unit,
                status=(f.status or NOT_STARTED) if counted else last.get((ob.task, ob.unit), NOT_STARTED),
                report=_REPORT_OF.get(owed.timeliness, MISSING),
                progress=f.progress if counted else "",
                problems=f.problems if counted else "",
                next_steps=f.next_steps if counted else "",
                figures={k: float(v) for k, v in (f.figures or {}).items()} if counted else {},
                submitted=f.first_approved if counted else None,
            )
        )
    return RoundData(
        name=rnd.title,
        kind=rnd.kind,
        due=rnd.due,
        as_of=st.today,
        reports=reports,
        judged={n: ts.state.status for n, ts in st.tasks.items()},
        judged_reasons={n: "；".join(ts.state.reasons) for n, ts in st.tasks.items()},
        no_members=no_members,
    )


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
    rnd = core.Round(round_name, kind, round_name, due or date.max)
    # Offline nobody lists a collective's members: a collective owes as itself, like any unit.
    owed = core.obligations(doc, [rnd], {}, ())
    reports = []
    for ob in owed.items:
        if ob.role == vocab.MONITOR:
            continue
        unit = ob.unit
        ledger = by_unit.get(unit)
        entry = _entry(ledger, round_name, ob.task) if ledger else None
        if entry is None or entry.status is None:
            reports.append(TaskReport(ob.task, unit, _earlier_status(ledger, round_name, ob.task), MISSING))
            continue
        reports.append(
            TaskReport(
                ob.task,
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
