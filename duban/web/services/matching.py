"""Matching the unit names a notice writes to a government's unit directory.

The rules are the document engine's (``duban.doc.directory.UnitDirectory``):
names and aliases as written, then normalised forms (委 = 委员会, 和 dropped,
level prefixes), then an obvious typo — never two different organs such as
商务局 / 商务厅.  This module only maps its answers back to database rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from duban.doc.directory import KINDS, UnitDirectory
from duban.doc.directory import Unit as DirectoryUnit
from duban.doc.directory import guess_kind as _guess_kind


@dataclass
class Match:
    unit: object | None  # a Unit row, or None when the directory does not know it
    kind: str  # exact | alias | fuzzy | unknown


class UnitIndex:
    def __init__(self, units):
        units = list(units)
        # A renamed unit answers to its old name through the new one's aliases, so the old row steps aside.
        renamed = {u.renamed_from_id for u in units if u.renamed_from_id}
        self.units = {u.name: u for u in units if u.id not in renamed}
        self.directory = UnitDirectory(
            DirectoryUnit(name=u.name, aliases=list(u.aliases or []), kind=u.kind if u.kind in KINDS else "other")
            for u in self.units.values()
        )

    def resolve(self, name: str, alias: str | None = None) -> Match:
        for written in (name, alias):
            if not written:
                continue
            found = self.directory.resolve(written)
            unit = self.units.get(found.name)
            if found.status != "unknown" and unit is not None:
                return Match(unit, found.status)
        return Match(None, "unknown")


def guess_kind(name: str, collective: bool = False) -> str:
    return _guess_kind(name, collective)
