"""The target government and the names it uses.

What is learned from past notices is put into the *target government's* names:

- a past task of the same government keeps its unit names (a typo such as
  发展改革委和统计局 folds into the usual 发展改革和统计局 by function; a unit
  renamed since — 市委宣传部 now 党工委宣传部, 市管国有企业 now 区管国有企业, a
  bureau merged into another — goes to its present name through the alias
  table, ``Naming.aliases``);
- a past task of another government is carried over by function: 省发展改革委
  is "development_reform", which in Jiyuan is 发展改革和统计局.  Named lower
  governments and companies of another government do not carry over; their
  collectives (各省辖市政府) become the target's (各镇人民政府).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from duban.doc.model import Document
from duban.draft.catalogue import Catalogue, default_directory, government_of, load_catalogue

# Kinds of unit that are places or bodies of their own: they do not carry over
# by function to another government, only as collectives.
SPECIFIC = {"lower_government", "development_zone", "soe", "university", "research_institute", "departments"}

# How a unit's name changes when a government is reorganised, as (pattern,
# replacement) pairs tried both ways: a party committee's department under a
# working committee (市委宣传部 ↔ 党工委宣传部), city-run companies becoming
# district-run (市管国有企业 ↔ 区管国有企业), a level prefix dropped or added.
RENAMES = (
    (r"^(?:市委|县委|区委)", "党工委"),
    (r"^党工委", "市委"),
    (r"^(市|县|区)管", "区管"),
    (r"^区管", "市管"),
    (r"^(?:市|县|区)(?=[\u4e00-\u9fff]{2})", ""),
)


@dataclass
class Government:
    """The government a notice or report belongs to."""

    place: str | None
    level: str | None
    prefix: str | None

    @classmethod
    def of(cls, doc: Document) -> Government:
        for text in (doc.issuer, doc.title):
            place, level, prefix = government_of(text)
            if place:
                return cls(place, level, prefix)
        # The recipients are the governments below and the issuer's own
        # departments (市人民政府各部门): they tell the level, never the place.
        m = re.search(r"(省|市|县|区)(?:人民)?政府各部门", doc.recipients or "")
        if m:
            level = {"省": "province", "市": "city"}.get(m.group(1), "county")
            return cls(None, level, m.group(1))
        return cls(None, None, None)

    @classmethod
    def guess(cls, doc: Document, history: list[Document]) -> Government:
        """When the document does not say whose it is: the history government
        its text names most (济源, 河南), else the level its text speaks of
        (全省 / 全市 / 全县、全区)."""
        text = " ".join([doc.title or "", doc.recipients or ""] + [t.text for t in doc.tasks])
        counts = Counter()
        for past in history:
            g = cls.of(past)
            if g.place:
                counts[(g.place, g.level, g.prefix)] = text.count(g.place)
        if counts:
            (place, level, prefix), n = counts.most_common(1)[0]
            if n:
                return cls(place, level, prefix)
        own = cls.of(doc)
        if own.level:
            return own
        levels = {
            "province": text.count("全省"),
            "city": text.count("全市"),
            "county": text.count("全县") + text.count("全区"),
        }
        level = max(levels, key=levels.get)
        if not levels[level]:
            return cls(None, None, None)
        prefix = {"province": "省", "city": "市"}.get(level, "区" if text.count("全区") > text.count("全县") else "县")
        return cls(None, level, prefix)

    def same(self, other: Government) -> bool:
        return bool(self.place) and self.place == other.place


@dataclass
class TargetUnit:
    name: str
    functions: list[str]
    collective: bool = False
    # Where the name came from: directory | history | default.
    source: str = "default"
    # Words that, found in a task, name this unit (郑州 → 郑州市政府).
    keys: list[str] = field(default_factory=list)
    # Functions it takes on because the government has no unit for them
    # (forestry, in a government without a forestry bureau).
    adopted: list[str] = field(default_factory=list)

    @property
    def specific(self) -> bool:
        return bool(set(self.functions) & SPECIFIC)


class Naming:
    """The target government's units, and which of them does each function."""

    def __init__(
        self,
        units: list[TargetUnit],
        catalogue: Catalogue,
        aliases: dict[str, str] | None = None,
        government: Government | None = None,
    ):
        self.units = units
        self.catalogue = catalogue
        self.government = government or Government(None, None, None)
        self.index = {u.name: i for i, u in enumerate(units)}
        # The alias table: a name written in a past notice → the unit's present
        # name (the directory's aliases, and renames the history shows).
        self.aliases = {old: new for old, new in (aliases or {}).items() if new in self.index}
        self.by_function: dict[str, list[int]] = defaultdict(list)
        for i, u in enumerate(units):
            for f in u.functions:
                self.by_function[f].append(i)
        # A function goes first to a unit that does it alone (市政府办公室), before
        # a merged one that also does it (市政府办公室（行政审批和政务信息管理局）).
        for members in self.by_function.values():
            members.sort(key=lambda i: len(units[i].functions))
        for f in catalogue.functions:
            if f.code not in self.by_function and f.parent in self.by_function:
                for i in self.by_function[f.parent][:1]:
                    units[i].adopted.append(f.code)
                    self.by_function[f.code].append(i)

    def __len__(self) -> int:
        return len(self.units)

    def add(self, unit: TargetUnit) -> int:
        """A unit the history did not know (a correction names it): it joins at the end."""
        if unit.name in self.index:
            return self.index[unit.name]
        unit.keys = unit.keys or _keys_of(unit.name, unit.functions)
        unit.collective = unit.collective or _is_collective(unit.name)
        self.units.append(unit)
        i = self.index[unit.name] = len(self.units) - 1
        for f in unit.functions:
            self.by_function[f].append(i)
        return i

    def without_catalogue(self) -> Naming:
        """A copy to save: the catalogue is the package's own and is loaded again."""
        out = Naming.__new__(Naming)
        out.__dict__.update(self.__dict__)
        out.catalogue = None
        return out

    def restore_catalogue(self) -> None:
        if self.catalogue is None:
            self.catalogue = load_catalogue()

    def fingerprint(self) -> list:
        """What a fitted model depends on in the names."""
        return [
            self.government.place,
            self.government.level,
            [(u.name, u.functions, u.source) for u in self.units],
            sorted(self.aliases.items()),
        ]

    def map_unit(self, name: str, functions: list[str], text: str, same_government: bool) -> list[int]:
        """Target units standing for a past task's unit ``name``."""
        if same_government:
            present = self.present_name(name)
            if present is not None:
                return [self.index[present]]
        if set(functions) & SPECIFIC:
            if not _is_collective(name):
                return []
            return [i for i in self.by_function.get(functions[0], []) if self.units[i].collective][:1]
        if len(functions) > 1:
            # A merged bureau: carry over only the functions the task is about.
            hits = self.catalogue.keyword_hits(text)
            about = [f for f in functions if f in hits]
            functions = about or functions[:1]
        out: list[int] = []
        for f in functions:
            for i in self.by_function.get(f, [])[:1]:
                if i not in out:
                    out.append(i)
        return out

    def functions_of(self, name: str, alias: str | None, same_government: bool) -> list[str]:
        """A past task's unit's functions: for the government's own units, as its
        directory gives them (with its aliases'), else as the catalogue reads the name."""
        if same_government:
            present = self.present_name(name)
            if present is not None and self.units[self.index[present]].source == "directory":
                return list(self.units[self.index[present]].functions)
        return self.catalogue.functions_of(name, alias)

    def present_name(self, name: str) -> str | None:
        """The present name of a unit a past notice of this government wrote
        as ``name``: itself, its entry in the alias table, or a rename
        (``RENAMES``) that gives a present name; None when it no longer exists
        (then it is carried over by function like another government's)."""
        if name in self.index:
            return name
        if name in self.aliases:
            return self.aliases[name]
        return _renamed(name, self.index)


def _renamed(name: str, present) -> str | None:
    """The present name a reorganisation (``RENAMES``) made of ``name``, if it is among ``present``."""
    for pattern, replacement in RENAMES:
        renamed = re.sub(pattern, replacement, name)
        if renamed != name and renamed in present:
            return renamed
    return None


def _is_collective(name: str) -> bool:
    return bool(re.match(r"^(各|相关|有关)", name) or re.search(r"(各部门|有关部门|相关部门|国有企业|等)$", name))


def _keys_of(name: str, functions: list[str]) -> list[str]:
    """Words that name a specific unit inside a task's text."""
    if not set(functions) & SPECIFIC or "departments" in functions:
        return []
    if _is_collective(name):
        # 各镇人民政府 is named by 各镇, 各开发区管理办公室 by 各开发区.
        if not name.startswith("各") or not {"lower_government", "development_zone"} & set(functions):
            return []
        core = re.sub(r"(人民政府|政府|管委会|管理委员会|管理办公室|办事处)$", "", name)
        keys = [core] if len(core) >= 2 else []
        if "lower_government" in functions and not re.search(r"(街道|办事处)", name):
            # A task that turns to the lower governments in general (各地,
            # 各县区, 各乡镇) names their collective as surely as 各镇 does.
            keys += ["各地", "各县区", "各县（市、区）", "各县(市、区)", "各乡镇", "各乡（镇）"]
        return list(dict.fromkeys(keys))
    core = re.sub(r"[（(].*?[)）]", "", name)
    keys = []
    if "lower_government" in functions or "development_zone" in functions:
        core = re.sub(r"(人民政府|政府|管委会|管理委员会|管理办公室|办事处)$", "", core)
        if re.search(r"高新技术产业开发区", core):
            keys += ["高新区", "高新技术产业开发区"]
        if re.search(r"经济技术开发区", core):
            keys += ["经开区", "经济技术开发区"]
        keys.append(core)
        short = re.sub(r"(市|县|区|镇|乡|街道)$", "", core)
        if len(short) >= 2 and short != core:
            keys.append(short)
    else:
        core = re.sub(r"^(河南省?|中国|省|市)", "", core)
        core = re.sub(r"(股份)?有限(责任)?公司$", "", core)
        keys.append(core)
        short = re.sub(r"(集团|公司|分公司|银行|学院|大学)$", "", core)
        if len(short) >= 2 and short != core:
            keys.append(short)
    return [k for k in dict.fromkeys(keys) if len(k) >= 2]


_COMPANY = re.compile(
    r"([\u4e00-\u9fff]{2,14}?(?:集团(?:股份)?有限(?:责任)?公司|集团|(?:股份)?有限(?:责任)?公司|公司))"
)
_LEADING_VERB = re.compile(
    r"^(支持|推动|推进|依托|引导|鼓励|加快|做强|做大|培育|围绕|发挥|组建|打造|联合|与|和|及|由|以|对)+"
)
_NOT_A_COMPANY = (
    "平台公司",
    "国有公司",
    "企业集团",
    "上市公司",
    "龙头公司",
    "子公司",
    "分公司",
    "运营公司",
    "投资公司",
    "国有企业",
)


def companies_named(text: str) -> list[str]:
    """Companies a task names (中豫航空集团, 舞钢公司): candidates even when no
    directory or past notice knows them."""
    found = []
    for piece in re.split(r"[，、。；：:“”\"（）()\s等和及与]", text):
        m = _COMPANY.search(piece)
        if not m:
            continue
        name = _LEADING_VERB.sub("", piece[: m.end()])
        if 3 <= len(name) <= 18 and not any(name.endswith(x) for x in _NOT_A_COMPANY) and name not in found:
            found.append(name)
    return found


def build_naming(
    government: Government,
    history: list[Document],
    directory: list[tuple] | None = None,
    catalogue: Catalogue | None = None,
) -> Naming:
    """The names the target government uses: its directory, else its own past
    notices, else the default directory of its level.

    A directory, or the government's own past notices, is taken as complete:
    a default name it never used would only be noise among its own units.
    """
    catalogue = catalogue or load_catalogue()
    units: list[TargetUnit] = []
    seen: set[str] = set()

    def add(name: str, functions: list[str], source: str, collective: bool | None = None) -> None:
        if name in seen:
            return
        seen.add(name)
        units.append(
            TargetUnit(
                name=name,
                functions=list(functions),
                collective=_is_collective(name) if collective is None else collective,
                source=source,
                keys=_keys_of(name, functions),
            )
        )

    aliases: dict[str, str] = {}
    for entry in directory or []:
        name, functions = entry[0], entry[1]
        add(name, functions or catalogue.functions_of(name), "directory")
        for alias in entry[2] if len(entry) > 2 else ():
            aliases.setdefault(alias, name)
    own = Counter()
    for doc in history:
        if government.same(Government.of(doc)):
            for task in doc.tasks:
                for u in task.units:
                    own[u.name] += 1
    # The usual name first, so that a typo (发展改革委和统计局) folds into it.
    for name, _ in own.most_common():
        if name in aliases:
            continue  # an old name of a directory unit
        renamed = _renamed(name, seen)
        if renamed:
            aliases[name] = renamed  # renamed since (市管国有企业 → 区管国有企业)
            continue
        functions = catalogue.functions_of(name)
        if directory and not set(functions) & SPECIFIC:
            continue  # the directory's own name for this function wins
        if any(u.functions == functions and not u.specific for u in units) and not set(functions) & SPECIFIC:
            continue
        add(name, functions, "history")
    if not directory and not own:
        covered = {f for u in units for f in u.functions if not u.specific}
        level = government.level or "city"
        for d in default_directory(level, government.place, government.prefix):
            if d.collective and any(set(d.functions) <= set(u.functions) and u.collective for u in units):
                continue
            if not d.collective and set(d.functions) <= covered:
                continue
            add(d.name, d.functions, "default", d.collective)
    return Naming(units, catalogue, aliases, government)
