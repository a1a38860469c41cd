"""Year over year: this year's plan beside last year's (of the same government and kind).

``compare(last, this)`` reads two ``Document``s and says

- the targets with both years' values: every indicator of either plan, matched by name
  (the k-th 地区生产总值 of last year with the k-th of this year);
- the tasks carried over: each task of this year matched with the task of last year that is
  the same work again, by ``duban.draft.suggest``'s own rule (``closest_same_work`` over the
  TF-IDF similarity of task and heading, above the threshold the two notices' distinct tasks
  measure, ``distinct_closeness``) — one matcher for suggesting and comparing;
- the new tasks and the dropped ones (neither matched);
- the units whose tasks moved: of the carried tasks, those whose reporting units (lead,
  responsible) changed, each unit with the tasks it took over and the tasks it gave up.

A unit renamed since last year is not a move: ``present`` maps a former name to the present one.
Plain Python over plain data; the web page and the .xlsx download (``duban.render.yoy``) read it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from duban.doc.model import LEAD, RESPONSIBLE, Document, Indicator, Task
from duban.draft.suggest.config import DEFAULT as SUGGEST_DEFAULT
from duban.draft.suggest.config import SuggestConfig


@dataclass(frozen=True)
class YoyConfig:
    # The same-work rule's own settings (share of distinct-task closeness, the fewest tasks
    # that measure it, whether the heading counts): the comparison and the suggestions agree.
    suggest: SuggestConfig = SUGGEST_DEFAULT
    # When the two notices hold too few tasks to measure how close distinct work gets
    # (fewer than ``suggest.same_work_min_tasks``), a task is last year's again from this
    # similarity: a rewording that keeps more than half of the weighted words and bigrams.
    # Chosen as "more alike than not", not fitted to any corpus figure.
    unmeasured_similarity: float = 0.5


DEFAULT = YoyConfig()


@dataclass
class TargetRow:
    """An indicator in both years (or one): last year's and this year's figure."""

    name: str
    last: Indicator | None
    this: Indicator | None
    last_task: str | None = None  # the number of the task it is in
    this_task: str | None = None

    @property
    def change(self) -> float | None:
        """This year's value minus last year's, when both are in the same unit."""
        if self.last is None or self.this is None or self.last.unit != self.this.unit:
            return None
        return round(self.this.value - self.last.value, 6)


@dataclass
class Carried:
    """A task of last year done again this year."""

    last: Task
    this: Task
    similarity: float
    units_before: list[str] = field(default_factory=list)  # reporting units, in present names
    units_after: list[str] = field(default_factory=list)

    @property
    def moved(self) -> bool:
        return set(self.units_before) != set(self.units_after)

    @property
    def gained(self) -> list[str]:
        return [u for u in self.units_after if u not in self.units_before]

    @property
    def lost(self) -> list[str]:
        return [u for u in self.units_before if u not in self.units_after]


@dataclass
class UnitShift:
    """A unit whose carried-over tasks moved: what it took over, what it gave up."""

    unit: str
    taken: list[Carried] = field(default_factory=list)
    given: list[Carried] = field(default_factory=list)
    last_count: int = 0  # tasks it reported on last year / this year
    this_count: int = 0


@dataclass
class Comparison:
    last_year: int | None
    this_year: int | None
    targets: list[TargetRow]
    carried: list[Carried]
    new: list[Task]
    dropped: list[Task]
    units: list[UnitShift]
    threshold: float | None  # the similarity from which a task was taken for last year's
    measured: bool  # the threshold was measured on the notices (else YoyConfig.unmeasured_similarity)

    @property
    def moved(self) -> list[Carried]:
        return [c for c in self.carried if c.moved]


def _key(name: str) -> str:
    return re.sub(r"\s+", "", name or "")


def reporting_units(task: Task, present: dict[str, str] | None = None) -> list[str]:
    """The units that report on ``task`` (lead, responsible), in their present names, in order."""
    present = present or {}
    out: list[str] = []
    for ref in task.units:
        if ref.role in (LEAD, RESPONSIBLE):
            name = present.get(ref.name, ref.name)
            if name not in out:
                out.append(name)
    return out


def targets(last: Document, this: Document) -> list[TargetRow]:
    """Every indicator of either plan, matched by name; this year's order, then last year's leftovers."""

    def listed(doc: Document) -> dict[str, list[tuple[Indicator, str]]]:
        found: dict[str, list[tuple[Indicator, str]]] = {}
        for task in doc.tasks:
            for indicator in task.indicators:
                key = _key(indicator.name) or _key(indicator.text)
                if key:
                    found.setdefault(key, []).append((indicator, task.number))
        return found

    before, after = listed(last), listed(this)
    rows: list[TargetRow] = []
    for key, items in after.items():
        old = before.get(key, [])
        for k, (indicator, number) in enumerate(items):
            match = old[k] if k < len(old) else (None, None)
            rows.append(TargetRow(indicator.name or key, match[0], indicator, match[1], number))
    for key, items in before.items():
        for indicator, number in items[len(after.get(key, [])) :]:
            rows.append(TargetRow(indicator.name or key, indicator, None, number, None))
    return rows


def match_tasks(last: list[Task], this: list[Task], config: YoyConfig = DEFAULT) -> tuple[list, float | None, bool]:
    """[(index in this, index in last, similarity)] one to one, and the threshold used.

    Each task of this year takes the closest task of last year that is the same work again
    (``closest_same_work``); when two claim one, the closer keeps it (the earlier on a tie)."""
    from duban.draft.suggest.features import Vectorizer, with_heading
    from duban.draft.suggest.model import SIMILARITY_BLOCK, closest_same_work, distinct_closeness

    if not last or not this:
        return [], None, False
    texts = [with_heading(t, config.suggest) for t in [*last, *this]]
    X = Vectorizer().fit_transform(texts)
    n = len(last)
    threshold = distinct_closeness(X, [list(range(n)), list(range(n, len(texts)))], config.suggest)
    measured = threshold is not None
    if threshold is None:
        threshold = config.unmeasured_similarity
    # A task whose words none of the other notice shares is never the same work (an empty row scores 0).
    threshold = max(threshold, 1e-9)
    claims: dict[int, tuple[float, int]] = {}
    for start in range(0, len(this), SIMILARITY_BLOCK):
        sims = (X[n + start : n + start + SIMILARITY_BLOCK] @ X[:n].T).toarray()
        for k, j in enumerate(closest_same_work(sims, threshold)):
            if j is None:
                continue
            s, i = float(sims[k, j]), start + k
            if j not in claims or s > claims[j][0] + 1e-12:
                claims[j] = (s, i)
    pairs = sorted((i, j, min(s, 1.0)) for j, (s, i) in claims.items())
    return pairs, threshold, measured


def compare(last: Document, this: Document, present: dict[str, str] | None = None, config: YoyConfig = DEFAULT):
    """This year's plan ``this`` beside last year's ``last``; ``present`` maps former unit names to present ones."""
    pairs, threshold, measured = match_tasks(last.tasks, this.tasks, config)
    carried = [
        Carried(
            last=last.tasks[j],
            this=this.tasks[i],
            similarity=s,
            units_before=reporting_units(last.tasks[j], present),
            units_after=reporting_units(this.tasks[i], present),
        )
        for i, j, s in pairs
    ]
    matched_this = {i for i, _, _ in pairs}
    matched_last = {j for _, j, _ in pairs}
    shifts: dict[str, UnitShift] = {}
    for c in carried:
        for name in c.gained:
            shifts.setdefault(name, UnitShift(name)).taken.append(c)
        for name in c.lost:
            shifts.setdefault(name, UnitShift(name)).given.append(c)
    for shift in shifts.values():
        shift.last_count = sum(shift.unit in reporting_units(t, present) for t in last.tasks)
        shift.this_count = sum(shift.unit in reporting_units(t, present) for t in this.tasks)
    units = sorted(shifts.values(), key=lambda u: (-(len(u.taken) + len(u.given)), u.unit))
    return Comparison(
        last_year=last.year,
        this_year=this.year,
        targets=targets(last, this),
        carried=carried,
        new=[t for i, t in enumerate(this.tasks) if i not in matched_this],
        dropped=[t for j, t in enumerate(last.tasks) if j not in matched_last],
        units=units,
        threshold=threshold,
        measured=measured,
    )
