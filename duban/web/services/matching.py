"""Matching the unit names a notice writes to a government's unit directory.

The rules are the document engine's (``duban.doc.directory.UnitDirectory``):
names and aliases as written, then normalised forms (委 = 委员会, 和 dropped,
level prefixes), then an obvious typo — never two different organs such as
商务局 / 商务厅.  This module only maps its answers back to database rows.

A retired unit (renamed or merged away, ``Unit.successor``) is never matched
itself: a name that is one of its names lands on the unit it became, as a
``renamed`` match that says which former name the notice wrote.
"""

from __future__ import annotations

from dataclasses import dataclass

from duban.doc.directory import ALIAS, EXACT, KINDS, UnitDirectory
from duban.doc.directory import Unit as DirectoryUnit
from duban.doc.directory import guess_kind as _guess_kind

RENAMED = "renamed"


@dataclass
class Match:
    unit: object | None  # a Unit row, or None when the directory does not know it
    kind: str  # exact | alias | fuzzy | renamed | unknown
    former: str = ""  # for a renamed match: the retired unit whose name the notice wrote


def live_unit(unit, by_id: dict):
    """The end of ``unit``'s chain of successors among ``by_id`` (itself when it is not retired)."""
    seen = {unit.pk}
    while unit.successor_id is not None and unit.successor_id in by_id and unit.successor_id not in seen:
        seen.add(unit.successor_id)
        unit = by_id[unit.successor_id]
    return unit


def former_names(units) -> dict[int, list[str]]:
    """Each live unit's former names (its retired predecessors' names and aliases, oldest chains included)."""
    units = list(units)
    by_id = {u.pk: u for u in units}
    out: dict[int, list[str]] = {}
    for unit in units:
        if unit.successor_id is None:
            continue
        live = live_unit(unit, by_id)
        if live.successor_id is None:
            names = out.setdefault(live.pk, [])
            names += [n for n in [unit.name, *(unit.aliases or [])] if n not in names]
    return out


class UnitIndex:
    def __init__(self, units):
        units = list(units)
        by_id = {u.pk: u for u in units}
        live = [u for u in units if u.successor_id is None]
        self.units = {u.name: u for u in live}
        self.directory = UnitDirectory(
            DirectoryUnit(name=u.name, aliases=list(u.aliases or []), kind=u.kind if u.kind in KINDS else "other")
            for u in live
        )
        # Retired units by name, each leading to the live unit it became.
        self.successors = {}
        for unit in units:
            if unit.successor_id is not None:
                end = live_unit(unit, by_id)
                if end.successor_id is None:
                    self.successors[unit.name] = end
        self.former = UnitDirectory(
            DirectoryUnit(name=u.name, aliases=list(u.aliases or []), kind=u.kind if u.kind in KINDS else "other")
            for u in units
            if u.name in self.successors and u.name not in self.units
        )

    def resolve(self, name: str, alias: str | None = None) -> Match:
        for written in (name, alias):
            if not written:
                continue
            found = self.directory.resolve(written)
            unit = self.units.get(found.name)
            if found.status == EXACT and unit is not None and found.name == written.strip():
                return Match(unit, EXACT)
            old = self.former.resolve(written) if len(self.former) else None
            if old is not None and old.status in (EXACT, ALIAS) and old.name in self.successors:
                return Match(self.successors[old.name], RENAMED, old.name)
            if found.status != "unknown" and unit is not None:
                return Match(unit, found.status)
        return Match(None, "unknown")


def guess_kind(name: str, collective: bool = False) -> str:
    return _guess_kind(name, collective)
