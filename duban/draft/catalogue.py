"""The catalogue of government functions, and default unit directories.

Units have local names — 省发展改革委, 发展改革和统计局, 市发展和改革委员会 —
but common functions.  The catalogue (``data/functions.yaml``) recognises a
local name and maps it onto one or more function codes, so that what was
learned from one government's notice can be carried to another's: a task led by
省发展改革委 in Henan goes, in Jiyuan, to 发展改革和统计局.

The default directories (``data/directory-<level>.yaml``) name the units a
province, a prefecture-level city or a county/district usually has, for a
government that brings neither a directory nor a past notice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from duban import vocab

DATA = Path(__file__).with_name("data")
# The levels (duban.vocab.LEVELS) that have a default directory of their own; a district uses the county's.
LEVELS = tuple(level for level in vocab.LEVELS if (DATA / f"directory-{level}.yaml").exists())


@dataclass
class Function:
    code: str
    name: str
    patterns: list[re.Pattern]
    exclude: list[re.Pattern] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    # A kind of unit that is one thing only (company, university, lower government).
    whole: bool = False
    # The function whose unit usually takes this one on where a government has
    # no unit of its own for it (forestry → natural resources).
    parent: str | None = None

    def matches(self, unit_name: str) -> bool:
        if any(x.search(unit_name) for x in self.exclude):
            return False
        return any(p.search(unit_name) for p in self.patterns)


@dataclass
class DefaultUnit:
    name: str
    functions: list[str]
    collective: bool = False


class Catalogue:
    def __init__(self, functions: list[Function]):
        self.functions = functions
        self.by_code = {f.code: f for f in functions}
        self._cache: dict[tuple[str, str | None], list[str]] = {}

    def functions_of(self, unit_name: str, alias: str | None = None) -> list[str]:
        """Function codes of a local unit name; [] when the name is not recognised."""
        key = (unit_name, alias)
        if key not in self._cache:
            self._cache[key] = self._functions_of(unit_name, alias)
        return list(self._cache[key])

    def _functions_of(self, unit_name: str, alias: str | None) -> list[str]:
        name = _normalise(unit_name + (f"（{alias}）" if alias else ""))
        # A bracketed alias names an inner office of the same unit; the outer
        # name decides whether it is a whole unit (company, government).
        outer = re.sub(r"[（(][^）)]*[）)]", "", name)
        for f in self.functions:
            if f.whole and f.matches(outer):
                return [f.code]
        return [f.code for f in self.functions if not f.whole and f.matches(name)]

    def keyword_hits(self, text: str) -> dict[str, list[str]]:
        """For each function, the catalogue keywords that occur in ``text``
        (quotes and spaces ignored: “两业”融合 is 两业融合)."""
        text = re.sub(r"[\s“”‘’\"'「」『』]", "", text)
        hits: dict[str, list[str]] = {}
        for f in self.functions:
            found = [k for k in f.keywords if k in text]
            if found:
                hits[f.code] = found
        return hits

    def name(self, code: str) -> str:
        f = self.by_code.get(code)
        return f.name if f else code


def _normalise(name: str) -> str:
    return name.replace("(", "（").replace(")", "）").replace(" ", "").strip()


@lru_cache(maxsize=1)
def load_catalogue() -> Catalogue:
    import yaml

    data = yaml.safe_load((DATA / "functions.yaml").read_text(encoding="utf-8"))
    functions = []
    for row in data["functions"]:
        functions.append(
            Function(
                code=row["code"],
                name=row["name"],
                patterns=[re.compile(p) for p in row.get("patterns") or []],
                exclude=[re.compile(p) for p in row.get("exclude") or []],
                keywords=[str(k) for k in row.get("keywords") or []],
                whole=bool(row.get("whole", False)),
                parent=row.get("parent"),
            )
        )
    return Catalogue(functions)


def functions_of(unit_name: str, alias: str | None = None) -> list[str]:
    """Map any local unit name to its function codes (a merged bureau has several)."""
    return load_catalogue().functions_of(unit_name, alias)


@lru_cache(maxsize=8)
def _default_rows(level: str) -> tuple:
    import yaml

    if level not in LEVELS:
        raise ValueError(f"unknown government level {level!r}; expected one of {', '.join(LEVELS)}")
    data = yaml.safe_load((DATA / f"directory-{level}.yaml").read_text(encoding="utf-8"))
    return tuple((row["name"], tuple(row["functions"]), bool(row.get("collective"))) for row in data["units"])


def default_directory(level: str, place: str | None = None, prefix: str | None = None) -> list[DefaultUnit]:
    """The units a government of ``level`` usually has, named the usual way.

    ``place`` (河南, 平顶山, 偃师) fills ``{place}``; names that need it are left
    out when it is unknown.  ``prefix`` (县/市/区) fills ``{p}`` for a county.
    """
    prefix = prefix or {"province": "省", "city": "市", "county": "县"}[level]
    units = []
    for name, functions, collective in _default_rows(level):
        if "{place}" in name and not place:
            continue
        units.append(DefaultUnit(name.format(place=place or "", p=prefix), list(functions), collective))
    return units


_ZONE = re.compile(
    r"(?:中共)?([\u4e00-\u9fff]{2,3}?)(?:产城融合)?示范区(?:党工委|工委|管委会|管理委员会|人民政府|政府|\s)*(?:管委会|管理委员会|办公室|$)"
)
_GOVERNMENT = re.compile(r"([\u4e00-\u9fff]{1,12}?)(省|自治区|市|自治州|州|盟|县|自治县|区|旗)(人民政府|政府|示范区)")


def government_of(text: str | None) -> tuple[str | None, str | None, str | None]:
    """Place, level and prefix of the government issuing a notice or report.

    ``河南省人民政府`` → (河南, province, 省); ``济源市人民政府`` → (济源, city, 市);
    ``偃师区人民政府`` → (偃师, county, 区).  A county-level city cannot be told
    from a prefecture-level one by its name; it is taken as a city.
    """
    if not text:
        return None, None, None
    # A zone governed by a management committee at city level: 济源示范区管委会,
    # 济源产城融合示范区管理委员会 (Jiyuan writes itself either way).
    zone = _ZONE.search(text)
    if zone:
        return zone.group(1), "city", "市"
    m = _GOVERNMENT.search(text)
    if not m:
        m2 = re.search(r"([\u4e00-\u9fff]{2,6}?)(省|市|县|区)", text)
        if not m2:
            return None, None, None
        place, suffix = m2.group(1), m2.group(2)
    else:
        place, suffix = m.group(1), m.group(2)
        # 洛阳市偃师区人民政府: the government is the last place named.
        inner = re.split(r"省|自治区|市", place)[-1]
        if len(inner) >= 2:
            place = inner
    level = {"省": "province", "自治区": "province", "市": "city", "州": "city", "自治州": "city", "盟": "city"}.get(
        suffix, "county"
    )
    prefix = {"province": "省", "city": "市"}.get(level, suffix if suffix in ("县", "区", "旗") else "县")
    return place, level, prefix
