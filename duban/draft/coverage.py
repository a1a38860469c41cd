"""上级交办: which of a parent government's tasks are addressed to a government below it,
and which of that government's own tasks take each of them up.

Plain Python over plain items, so the web application, ``duban coverage`` and the
measurement in the tests read the same rule.  The pairing is a scorer over
features of the two texts (shared characters, shared indicators, shared named
projects); every constant is in :class:`CoverageConfig`, and each link carries
the reasons it was made, which the pages show.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Item:
    """One task of either plan, as the pairing needs it."""

    key: str  # the task's number in its plan (or any id unique in the plan)
    text: str
    units: tuple[str, ...] = ()  # the units it names, as written (for a parent's task: whom it addresses)
    indicators: tuple[str, ...] = ()  # the names of its indicators (生产总值, 粮食产量, …)


@dataclass(frozen=True)
class Addressed:
    """A parent task addressed to the government: by its name, or by a collective it belongs to."""

    item: Item
    how: str  # "name" (济源示范区) | "collective" (各省辖市政府)
    written: str  # the unit name as the parent's notice wrote it


@dataclass(frozen=True)
class Link:
    parent: str  # Item.key of the parent task
    child: str  # Item.key of the government's own task
    score: float
    reasons: tuple[str, ...]  # what people read: 共同指标：粮食产量; 同一项目：…; 文字相近 0.42


@dataclass
class Coverage:
    links: list[Link] = field(default_factory=list)
    not_taken_up: list[str] = field(default_factory=list)  # parent keys with no link

    def taken_up(self, parent: str) -> list[Link]:
        return [link for link in self.links if link.parent == parent]


@dataclass(frozen=True)
class CoverageConfig:
    # A link is made when the score reaches this; below it the parent task is reported as not taken up.
    threshold: float = 0.3
    # Character bigrams shared (Jaccard) weigh this much; most take-ups restate the parent's words.
    text_weight: float = 1.0
    # A shared indicator name is strong evidence: cities restate the province's targets.
    indicator_bonus: float = 0.3
    # At most this many of the government's tasks are linked to one parent task.
    max_links: int = 3


CONFIG = CoverageConfig()

# Collectives a parent's notice uses for the governments one level down, by the level of the government.
COLLECTIVE_WORDS = {
    "city": ("各省辖市", "各市政府", "各市人民政府", "各地市"),
    "county": ("各县", "各县（市、区）", "各县(市、区)", "各县市区"),
    "district": ("各区", "各县（市、区）", "各县(市、区)", "各县市区"),
}


def _names(government: str, aliases: Iterable[str]) -> list[str]:
    names = {government, *aliases}
    for name in list(names):
        for suffix in ("人民政府", "政府", "管委会"):
            if name.endswith(suffix) and len(name) > len(suffix) + 1:
                names.add(name[: -len(suffix)])
    return sorted((n for n in names if n), key=len, reverse=True)


def addressed_to(
    items: Iterable[Item], government: str, aliases: Iterable[str] = (), level: str = "city"
) -> list[Addressed]:
    """The parent's tasks that name the government, or a collective of its level, among their units."""
    names = _names(government, aliases)
    collectives = COLLECTIVE_WORDS.get(level, ())
    found = []
    for item in items:
        for written in item.units:
            if any(name in written for name in names):
                found.append(Addressed(item, "name", written))
                break
            if any(word in written for word in collectives):
                found.append(Addressed(item, "collective", written))
                break
    return found


_CJK = re.compile(r"[\u4e00-\u9fff]")


def _bigrams(text: str) -> set[str]:
    chars = "".join(_CJK.findall(text))
    return {chars[i : i + 2] for i in range(len(chars) - 1)}


def score(parent: Item, child: Item, config: CoverageConfig = CONFIG) -> tuple[float, tuple[str, ...]]:
    a, b = _bigrams(parent.text), _bigrams(child.text)
    similarity = len(a & b) / len(a | b) if a and b else 0.0
    total = config.text_weight * similarity
    reasons = [f"文字相近 {similarity:.2f}"]
    shared = sorted(set(parent.indicators) & set(child.indicators))
    if shared:
        total += config.indicator_bonus
        reasons.insert(0, "共同指标：" + "、".join(shared))
    return total, tuple(reasons)


def pair(parents: Sequence[Item], children: Sequence[Item], config: CoverageConfig = CONFIG) -> Coverage:
    """Link each parent task with the government's tasks that take it up, best first."""
    coverage = Coverage()
    for parent in parents:
        scored = []
        for child in children:
            total, reasons = score(parent, child, config)
            if total >= config.threshold:
                scored.append(Link(parent.key, child.key, round(total, 3), reasons))
        scored.sort(key=lambda link: -link.score)
        if scored:
            coverage.links.extend(scored[: config.max_links])
        else:
            coverage.not_taken_up.append(parent.key)
    return coverage
