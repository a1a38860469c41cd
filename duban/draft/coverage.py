"""上级交办: which of a parent government's tasks are addressed to a government below it,
and which of that government's own tasks take each of them up.

Plain Python over plain items, so the web application, ``duban coverage`` and the
measurement (``duban.draft.coverage_eval``) read the same rule.  See docs/coverage.md.

*Addressed* (:func:`addressed_to`): a parent task is addressed to a government when one
of its units is that government — by name, however the notice writes it (郑州市政府,
郑州市人民政府, 济源示范区, 济源示范区管委会; the aliases the caller gives, 济源市) — or
a collective of governments of its level (各省辖市政府, 各市县政府, 各县（市、区）人民政府,
各地).  A unit that merely starts with the place's name (郑州海关, 中国铁路郑州局集团,
郑州航空港区管委会) is another body, not the government.

*Taken up* (:func:`pair`): :func:`fit` learns how rare each character n-gram is over both
plans' texts; :meth:`CoverageModel.score` adds up, for one parent task and one of the
government's tasks,

- the TF-IDF cosine of their texts (what most take-ups are: the parent's words restated);
- the cosine of the parent's headings with the child's text, and the other way round (a
  city's task that restates the province's heading: 融入和服务全国统一大市场 / 重点事项攻坚);
- shared indicators (高标准农田, 农村公路), and an indicator of one named in the other's
  text (完整社区 in 加快完整社区提质扩面);
- shared named projects: names in quotes or 《》 (“千万工程”, “五基四化”, 《…导则》);

and :func:`pair` keeps, for each parent, the children whose score reaches the threshold
and a share of the parent's best, at most a few.  Every link carries the reasons it was
made, which the pages show.  Every constant is in :class:`CoverageConfig`.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from duban import vocab
from duban.doc.normalise import fold


@dataclass(frozen=True)
class Item:
    """One task of either plan, as the pairing needs it."""

    key: str  # the task's number in its plan (or any id unique in the plan)
    text: str
    # The units it names (for a parent's task: whom it addresses) — as the parser resolved them
    # (郑州、洛阳市政府 → 郑州市政府, 洛阳市政府) or as written.
    units: tuple[str, ...] = ()
    indicators: tuple[str, ...] = ()  # the names of its indicators (生产总值, 粮食产量, …)
    # The headings it stands under, outermost first (一、纵深推进… （一）突出重点事项攻坚。); optional.
    context: str = ""


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
    """The rule's constants.  Those marked *tuned* were picked by ``duban eval coverage --tune`` (a grid,
    best link F1 on the odd-numbered tasks of the 148-task Henan→Jiyuan gold); the others are set by reason."""

    # A link is made when the score reaches this; below it the parent task is reported as not taken up.
    # Lower adds links that share only an area's stock words (推进、建设、改革、发展) — most of all to the
    # many parent tasks no child takes up; higher loses take-ups that reword the parent.
    threshold: float = 0.26  # tuned
    # A child is kept only when it scores at least this share of the parent's best child: the best
    # take-up of a specific parent task stands well above the rest, and the tail below it is noise.
    relative_floor: float = 0.4  # tuned
    # At most this many of the government's tasks are linked to one parent task: a province's broad task
    # is split by a city into a few, rarely more; past that a reviewer adds links by hand.
    max_links: int = 3  # tuned
    # Character n-grams the texts are compared on: bigrams are most of Chinese's words.  Adding trigrams
    # (to reward phrases restated whole) did not help on the tuning half: the clause and share features
    # already favour contiguous restatements.
    ngrams: tuple[int, ...] = (2,)  # tuned
    # The text cosine weighs this much; the other features are bonuses added to it.
    text_weight: float = 1.0
    # The share of the child's text weight (its squared TF-IDF) found among the parent's n-grams: a
    # city's short task that restates a part of a long provincial one scores high here although the
    # cosine, diluted by the rest of the parent, is low.
    share_weight: float = 0.25  # tuned
    # The best-matching pair of clauses (split at ，；。) weighs this much: a province's task joins several
    # works in one sentence and a city's task takes up one of them, which the whole texts' cosine dilutes.
    clause_weight: float = 0.25  # tuned
    # A clause shorter than this many characters is too short to compare alone (加快推进, 持续).
    clause_min_chars: int = 4
    # Headings restated by a child (and a child's heading restating the parent) weigh less than the
    # task's own words: a heading covers many tasks, of which the child may take up one.
    context_weight: float = 0.5  # tuned
    # How many of the innermost headings are compared: the outer ones (一、纵深推进融入和服务全国统一大市场)
    # stand over a dozen tasks each and would pull them all towards a child restating the outer heading.
    context_levels: int = 1  # tuned
    # A shared indicator is strong evidence: cities restate the province's targets at their own scale.
    indicator_bonus: float = 0.25
    # One side's indicator named in the other's text (完整社区 in 完整社区提质扩面): weaker than a
    # shared indicator, because the other side states no figure.
    indicator_in_text_bonus: float = 0.15
    # An indicator name shorter than this is too generic to count in the other's text (投资, 道路).
    indicator_min_chars: int = 3
    # A shared named project (“千万工程”, 《…》) is the strongest single evidence: the same name is the
    # same work.
    name_bonus: float = 0.3
    # Two quoted names are the same when their character bigrams overlap this much (Jaccard):
    # “引客入豫” and “引客入济” are the province's campaign and the city's copy of it.
    name_similarity: float = 0.5
    # A quoted name found in this share of the child plan's tasks or more names no project (“一件事”
    # said of everything): it counts for nothing.
    name_max_share: float = 0.05
    # Shared phrases shown in a link's reasons are at least this many characters.
    phrase_chars: int = 4


CONFIG = CoverageConfig()


# --- addressed --------------------------------------------------------------------------------------


def _clean(name: str) -> str:
    return re.sub(r"\s+", "", fold(name or ""))


def _strip_body(name: str) -> tuple[str, bool]:
    """郑州市人民政府 → (郑州市, True); 郑州海关 → (郑州海关, False)."""
    for body in vocab.GOVERNMENT_BODIES:
        if name.endswith(body) and len(name) > len(body):
            return name[: -len(body)], True
    return name, False


def _place_core(name: str) -> tuple[str, bool]:
    """济源示范区 → (济源, True); 郑州 → (郑州, False)."""
    for ending in vocab.PLACE_ENDINGS:
        if name.endswith(ending) and len(name) - len(ending) >= 2:
            return name[: -len(ending)], True
    return name, False


def government_core(name: str) -> str | None:
    """The place a unit name is the government of, or None when the name is not a government's:
    郑州市人民政府, 郑州市, 郑州 → 郑州; 济源示范区管委会 → 济源; 郑州海关, 郑州市发展改革委 → None
    (郑州 alone is taken as the place: a notice's bare place names are its governments)."""
    name = _clean(name)
    if name.startswith("各") or collective_levels(name) is not None:
        return None
    place, _ = _strip_body(name)
    core, _ = _place_core(place)
    if len(core) < 2 or not re.fullmatch(r"[\u4e00-\u9fff]+", core):
        return None
    if re.search(r"[局厅委办部处室中心站所队院会司社行关团]$", place):
        return None  # 郑州海关, 郑州市财政局: a body of the place, not its government
    return core


def collective_levels(name: str) -> frozenset[str] | None:
    """The levels a collective of governments names: 各省辖市政府 → {city}; 各县（市、区）政府 →
    {county, district}; 各地 → every level below a province; None when the name is not one."""
    name = _clean(name)
    if name in vocab.ALL_LOCAL_WORDS:
        return frozenset({"city", "county", "district"})
    if not name.startswith("各"):
        return None
    body, _ = _strip_body(name[1:])
    levels: set[str] = set()
    words = sorted(vocab.LEVEL_WORDS, key=len, reverse=True)
    i, outer, seen = 0, None, False
    while i < len(body):
        ch = body[i]
        if ch in "、，/和及":
            i += 1
            continue
        if ch == "（":
            close = body.find("）", i)
            if close < 0:
                return None
            for word in re.split(r"[、，/]", body[i + 1 : close]):
                if word not in vocab.LEVEL_WORDS:
                    return None
                # 县（市、区）: a 市 inside brackets after 县 or 区 is a county-level city.
                level = "county" if word == "市" and outer in ("county", "district") else vocab.LEVEL_WORDS[word]
                if level:
                    levels.add(level)
            i = close + 1
            continue
        word = next((w for w in words if body.startswith(w, i)), None)
        if word is None:
            return None
        outer = vocab.LEVEL_WORDS[word]
        if outer:
            levels.add(outer)
        seen = True
        i += len(word)
    return frozenset(levels) if seen else None


def _names(government: str, aliases: Iterable[str]) -> set[str]:
    cores = {government_core(n) for n in (government, *aliases) if n}
    return {c for c in cores if c}


def addressed_to(
    items: Iterable[Item], government: str, aliases: Iterable[str] = (), level: str = "city"
) -> list[Addressed]:
    """The parent's tasks whose units name the government (by any of its names) or a collective of
    governments of its level.  A task naming both is addressed by name."""
    cores = _names(government, aliases)
    found = []
    for item in items:
        by_name = by_collective = None
        for written in item.units:
            if by_name is None and government_core(written) in cores:
                by_name = written
            levels = collective_levels(written)
            if by_collective is None and levels and level in levels:
                by_collective = written
        if by_name is not None:
            found.append(Addressed(item, "name", by_name))
        elif by_collective is not None:
            found.append(Addressed(item, "collective", by_collective))
    return found


# --- taken up ---------------------------------------------------------------------------------------

_RUN = re.compile(r"[\u4e00-\u9fffA-Za-z]+")
_QUOTED = re.compile(r"[“\"‘「『《]([^“”\"‘’「」『』《》]{2,24})[”\"’」』》]")
_CLAUSE = re.compile(r"[，,；;。！!？?：:]")
_HEADING_NUMBER = re.compile(r"^[（(]?[一二三四五六七八九十百\d]+[)）、.．]\s*")
_INDICATOR_PREFIX = re.compile(r"^(?:新增|新建|新培育|新认定|年度|全省|全市|全区|省级|市级|县级|国家级|省|市|区|县)")


def _grams(text: str, sizes: tuple[int, ...]) -> Counter:
    out: Counter = Counter()
    for run in _RUN.findall(text or ""):
        run = run.lower()
        for n in sizes:
            out.update(run[i : i + n] for i in range(len(run) - n + 1))
    return out


def _quoted(text: str) -> set[str]:
    return {_clean(m) for m in _QUOTED.findall(text or "")}


def _bigram_set(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


def _same_name(a: str, b: str, config: CoverageConfig) -> bool:
    if a == b:
        return True
    x, y = _bigram_set(a), _bigram_set(b)
    return len(x & y) / len(x | y) >= config.name_similarity


def _indicator_key(name: str) -> str:
    name = re.sub(r"[“”\"‘’「」]", "", _clean(name))
    return _INDICATOR_PREFIX.sub("", name) or name


def headings(section: Iterable[str]) -> str:
    """A task's headings as one context string, outermost first, their numbers (一、 （一）) dropped."""
    return HEADING_SEPARATOR.join(_HEADING_NUMBER.sub("", s).strip() for s in section if s)


HEADING_SEPARATOR = " / "


def _inner(context: str, levels: int) -> str:
    parts = [p for p in context.split(HEADING_SEPARATOR) if p.strip()]
    return HEADING_SEPARATOR.join(parts[-levels:]) if levels > 0 else ""


def _phrases(a: str, b: str, size: int) -> list[str]:
    """The phrases of at least ``size`` characters both texts hold, longest first, each once."""
    a_runs = _RUN.findall(a or "")
    grams = {r[i : i + size] for r in a_runs for i in range(len(r) - size + 1)}
    found: list[str] = []
    for run in _RUN.findall(b or ""):
        i = 0
        while i <= len(run) - size:
            if run[i : i + size] in grams:
                j = i + size
                while j < len(run) and run[j - size + 1 : j + 1] in grams:
                    j += 1
                found.append(run[i:j])
                i = j
            else:
                i += 1
    out: list[str] = []
    for p in sorted(set(found), key=len, reverse=True):
        if not any(p in q for q in out):
            out.append(p)
    return out


@dataclass
class _Prepared:
    text: dict[str, float]
    context: dict[str, float]
    indicators: dict[str, str]  # key → name as written
    quoted: set[str]
    plain: str  # the text, cleaned, for finding the other side's indicators in it
    clauses: list[dict[str, float]]  # one vector per clause (split at ，；。)


@dataclass
class CoverageModel:
    """What :func:`fit` learns from both plans: how rare each n-gram is (its IDF).  ``score`` reads it."""

    config: CoverageConfig
    idf: dict[str, float]
    default_idf: float
    common_names: frozenset[str] = frozenset()
    _cache: dict = field(default_factory=dict, repr=False)

    def _vector(self, text: str) -> dict[str, float]:
        counts = _grams(text, self.config.ngrams)
        vec = {g: (1 + math.log(c)) * self.idf.get(g, self.default_idf) for g, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {g: v / norm for g, v in vec.items()}

    def prepare(self, item: Item) -> _Prepared:
        key = (item.key, item.text, item.context, item.indicators)
        got = self._cache.get(key)
        if got is None:
            got = _Prepared(
                text=self._vector(item.text),
                context=self._vector(_inner(item.context, self.config.context_levels)) if item.context else {},
                indicators={_indicator_key(n): n for n in item.indicators if n},
                quoted=_quoted(item.text) - self.common_names,
                plain=_clean(item.text),
                clauses=[
                    self._vector(part)
                    for part in _CLAUSE.split(item.text)
                    if len("".join(_RUN.findall(part))) >= self.config.clause_min_chars
                ],
            )
            self._cache[key] = got
        return got

    def index(self, children: Sequence[Item]) -> _Index:
        """The children's vectors as postings (n-gram → who holds it, how much), so one parent is
        compared with every child in one pass over its own n-grams."""
        text: dict[str, list] = {}
        clause: dict[str, list] = {}
        context: dict[str, list] = {}
        prepared = [self.prepare(child) for child in children]
        for i, q in enumerate(prepared):
            for g, w in q.text.items():
                text.setdefault(g, []).append((i, w))
            for j, vec in enumerate(q.clauses):
                for g, w in vec.items():
                    clause.setdefault(g, []).append(((i, j), w))
            for g, w in q.context.items():
                context.setdefault(g, []).append((i, w))
        return _Index(list(children), prepared, text, clause, context)

    def features_many(self, parent: Item, index: _Index) -> list[dict]:
        """:meth:`features` of the parent with each of the index's children, in their order."""
        c = self.config
        p = self.prepare(parent)
        n = len(index.children)
        similarity = _dots(p.text, index.text, n)
        ones = dict.fromkeys(p.text, 1.0)
        share = [0.0] * n
        for g in ones:
            for i, wb in index.text.get(g, ()):
                share[i] += wb * wb
        to_child_text = _dots(p.context, index.text, n)
        to_child_context = _dots(p.text, index.context, n)
        best_clause = [0.0] * n
        for vec in p.clauses:
            acc: dict = {}
            for g, w in vec.items():
                for ij, wb in index.clause.get(g, ()):
                    acc[ij] = acc.get(ij, 0.0) + w * wb
            for (i, _), v in acc.items():
                if v > best_clause[i]:
                    best_clause[i] = v
        out = []
        for i, q in enumerate(index.prepared):
            parts: dict = {
                "similarity": similarity[i],
                "share": share[i],
                "clause": best_clause[i],
                "context": max(to_child_text[i], to_child_context[i]),
            }
            if p.quoted and q.quoted:
                names = sorted({a for a in p.quoted for b in q.quoted if _same_name(a, b, c)})
                if names:
                    parts["names"] = names
            shared = sorted(p.indicators.keys() & q.indicators.keys())
            if shared:
                parts["indicators"] = [q.indicators[k] for k in shared]
            elif p.indicators or q.indicators:
                named = sorted(
                    {
                        k
                        for side, other in ((p, q), (q, p))
                        for k in side.indicators
                        if len(k) >= c.indicator_min_chars and k in other.plain
                    }
                )
                if named:
                    parts["named"] = named
            out.append(parts)
        return out

    def features(self, parent: Item, child: Item) -> dict:
        """What the score adds up, before the weights: cosines, shared names and indicators."""
        return self.features_many(parent, self.index([child]))[0]

    def _reasons(self, parent: Item, child: Item, parts: dict) -> tuple[str, ...]:
        c = self.config
        reasons: list[str] = []
        if parts.get("names"):
            reasons.append("同一项目：" + "、".join(f"“{n}”" for n in parts["names"]))
        if parts.get("indicators"):
            reasons.append("共同指标：" + "、".join(parts["indicators"]))
        if parts.get("named"):
            reasons.append("指标对应：" + "、".join(parts["named"]))
        phrases = _phrases(parent.text, child.text, c.phrase_chars)[:3]
        if phrases:
            reasons.append("共同说法：" + "、".join(phrases))
        if parts["clause"] * c.clause_weight >= 0.05:
            reasons.append(f"分句相近 {parts['clause']:.2f}")
        if parts["context"] * c.context_weight >= 0.05:
            reasons.append(f"标题相近 {parts['context']:.2f}")
        reasons.append(f"文字相近 {parts['similarity']:.2f}")
        return tuple(reasons)

    def score(self, parent: Item, child: Item) -> tuple[float, tuple[str, ...]]:
        """The parent–child score and its reasons, strongest first."""
        parts = self.features(parent, child)
        return total(parts, self.config), self._reasons(parent, child, parts)


@dataclass
class _Index:
    children: list[Item]
    prepared: list[_Prepared]
    text: dict[str, list]
    clause: dict[str, list]
    context: dict[str, list]


def _dots(vec: dict[str, float], postings: dict[str, list], n: int) -> list[float]:
    out = [0.0] * n
    for g, w in vec.items():
        for i, wb in postings.get(g, ()):
            out[i] += w * wb
    return out


def total(parts: dict, config: CoverageConfig = CONFIG) -> float:
    """The score of one pair's features under the config's weights."""
    return (
        config.text_weight * parts["similarity"]
        + config.share_weight * parts.get("share", 0.0)
        + config.clause_weight * parts["clause"]
        + config.context_weight * parts["context"]
        + (config.name_bonus if parts.get("names") else 0.0)
        + (config.indicator_bonus if parts.get("indicators") else 0.0)
        + (config.indicator_in_text_bonus if parts.get("named") else 0.0)
    )


def select(scored: list[tuple[float, int]], config: CoverageConfig = CONFIG) -> list[tuple[float, int]]:
    """Of one parent's (score, child index) pairs, the ones linked: at or over the threshold and the
    share of the best, best first, at most ``max_links``."""
    kept = sorted((s for s in scored if s[0] >= config.threshold), key=lambda s: (-s[0], s[1]))
    if not kept:
        return []
    floor = kept[0][0] * config.relative_floor
    return [s for s in kept[: config.max_links] if s[0] >= floor]


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    return sum(a[g] * b[g] for g in a.keys() & b.keys())


def fit(parents: Sequence[Item], children: Sequence[Item], config: CoverageConfig = CONFIG) -> CoverageModel:
    """Learn the n-grams' rarity over both plans' texts and headings (smoothed IDF), and the quoted
    names too common in the children's plan to name one project."""
    docs = [it.text + " " + it.context for it in (*parents, *children)]
    df: Counter = Counter()
    for doc in docs:
        df.update(set(_grams(doc, config.ngrams)))
    n = len(docs)
    idf = {g: math.log((1 + n) / (1 + d)) + 1 for g, d in df.items()}
    per_child: Counter = Counter()
    for child in children:
        per_child.update(_quoted(child.text))
    limit = max(2.0, config.name_max_share * len(children))
    common = frozenset(name for name, k in per_child.items() if k > limit)
    return CoverageModel(config, idf, math.log(1 + n) + 1, common)


def score(
    parent: Item, child: Item, config: CoverageConfig = CONFIG, model: CoverageModel | None = None
) -> tuple[float, tuple[str, ...]]:
    """One pair's score and reasons; without a model the rarity is learned from the pair alone."""
    return (model or fit([parent], [child], config)).score(parent, child)


def pair(
    parents: Sequence[Item],
    children: Sequence[Item],
    config: CoverageConfig = CONFIG,
    model: CoverageModel | None = None,
) -> Coverage:
    """Link each parent task with the government's tasks that take it up, best first."""
    model = model or fit(parents, children, config)
    coverage = Coverage()
    index = model.index(children)
    for parent in parents:
        parts = model.features_many(parent, index)
        chosen = select([(total(f, config), i) for i, f in enumerate(parts)], config)
        if not chosen:
            coverage.not_taken_up.append(parent.key)
        for value, i in chosen:
            reasons = model._reasons(parent, children[i], parts[i])
            coverage.links.append(Link(parent.key, children[i].key, round(value, 3), reasons))
    return coverage


def items_from_document(doc) -> list[Item]:
    """A parsed notice's tasks (``duban.doc.model.Document``) as items: number, text, the units'
    names, the indicators' names and the headings."""
    return [
        Item(
            key=str(task.number),
            text=task.text,
            units=tuple(u.name for u in task.units),
            indicators=tuple(i.name for i in task.indicators),
            context=headings(task.section),
        )
        for task in doc.tasks
    ]
