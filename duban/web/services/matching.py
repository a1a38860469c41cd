"""Matching the unit names a notice writes to a government's unit directory."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process

FUZZY_CUTOFF = 80


@dataclass
class Match:
    unit: object | None  # a Unit, or None when unknown
    kind: str  # exact | alias | fuzzy | unknown


class UnitIndex:
    def __init__(self, units):
        self.units = list(units)
        self.by_name = {u.name: u for u in self.units}
        self.by_alias = {}
        for u in self.units:
            for alias in u.aliases or []:
                self.by_alias.setdefault(alias, u)
        self.names = list(self.by_name)

    def resolve(self, name: str, alias: str | None = None) -> Match:
        name = name.strip()
        if name in self.by_name:
            return Match(self.by_name[name], "exact")
        for key in (name, alias):
            if key and key in self.by_alias:
                return Match(self.by_alias[key], "alias")
        if alias and alias in self.by_name:
            return Match(self.by_name[alias], "alias")
        if self.names:
            best = process.extractOne(name, self.names, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
            if best:
                return Match(self.by_name[best[0]], "fuzzy")
        return Match(None, "unknown")


def guess_kind(name: str, collective: bool = False) -> str:
    if collective or name.startswith(("各", "相关")) or name.endswith("各部门"):
        return "collective"
    if name.endswith(("人民政府", "政府", "街道办事处", "办事处")):
        return "government"
    if "开发区" in name or "示范区" in name or "产业集聚区" in name:
        return "zone"
    if name.endswith(("公司", "集团")):
        return "company"
    if name.endswith(("海关", "调查队", "银行", "中心支行", "大学", "学院", "税务局", "供电公司")):
        return "agency"
    return "department"
