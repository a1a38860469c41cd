"""The measure of the 上级交办 pairing (``duban eval coverage``), against a hand-checked gold set.

The gold (``tests/data/coverage-henan-jiyuan.json``, see its ``about``) holds, for Henan 2026's
tasks, the Jiyuan 2026 tasks that take each of them up (``links``), the ones a reviewer could
fairly link too (``accept``), and, for a few governments, which Henan tasks are addressed to
them by name or by collective.  Figures:

- *addressed*: precision / recall of :func:`duban.draft.coverage.addressed_to` over the
  parent's tasks, per government, and whether each was found by name or by collective;
- *links*: precision (a link made is in ``links`` or ``accept``) and recall (a link in
  ``links`` is made) of :func:`duban.draft.coverage.pair`; *not taken up*: of the tasks the
  gold says no child takes up, the share the rule reports as not taken up.

Each figure is given on the tasks addressed to Jiyuan, on all gold tasks, and on three parts:
the odd-numbered tasks of the first batch tuned the constants (:func:`tune`), its even-numbered
ones were held out, and the second batch was labelled after tuning (unseen).  Scoring lives here, the rule in
``duban.draft.coverage``.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from duban.draft import coverage as cv

GOLD = Path(__file__).resolve().parents[2] / "tests" / "data" / "coverage-henan-jiyuan.json"

# The parts figures are given on: the tasks addressed to the government, all, and the three below.
PARTS = ("addressed", "all", "tune", "held_out", "batch1", "batch2")
# Constants the features depend on (each value is a fresh fit), searched by :func:`tune` around GRID.
FEATURE_GRID = {"context_levels": (1,), "ngrams": ((2,), (2, 3))}
# The grid :func:`tune` searches on the tuning half (odd-numbered parent tasks).
GRID = {
    "threshold": (0.18, 0.22, 0.26, 0.3, 0.35),
    "relative_floor": (0.4, 0.55, 0.7),
    "context_weight": (0.0, 0.25, 0.5),
    "clause_weight": (0.0, 0.25, 0.5),
    "share_weight": (0.0, 0.25, 0.5),
    "max_links": (2, 3),
}


@dataclass
class Gold:
    parent: str
    child: str
    government: str
    aliases: tuple[str, ...]
    level: str
    entries: list[dict]
    addressed: dict[str, dict]

    @classmethod
    def read(cls, path: Path = GOLD) -> Gold:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
            raise ValueError("应是一个 JSON 对象，带 parent、child、government 和 entries（列表）")
        for entry in data["entries"]:
            if not isinstance(entry, dict) or not {"parent", "links"} <= set(entry):
                raise ValueError(f"每个 entries 项应有 parent 和 links：{entry!r}"[:200])
        return cls(
            parent=data["parent"],
            child=data["child"],
            government=data["government"],
            aliases=tuple(data.get("aliases") or ()),
            level=data.get("level", "city"),
            entries=data["entries"],
            addressed=data.get("addressed_gold") or {},
        )


@dataclass
class Miss:
    parent: str
    child: str
    kind: str  # "missed" (a gold link not made) | "wrong" (a link made outside links and accept)
    score: float
    note: str


@dataclass
class LinkFigures:
    part: str
    tasks: int = 0
    made: int = 0
    made_right: int = 0
    gold: int = 0
    gold_found: int = 0
    none_tasks: int = 0  # gold: not taken up
    none_right: int = 0  # … and the rule reports it not taken up
    misses: list[Miss] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.made_right / self.made if self.made else 1.0

    @property
    def recall(self) -> float:
        return self.gold_found / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_json(self) -> dict:
        return {
            "part": self.part,
            "tasks": self.tasks,
            "links_made": self.made,
            "links_right": self.made_right,
            "gold_links": self.gold,
            "gold_found": self.gold_found,
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
            "not_taken_up_tasks": self.none_tasks,
            "not_taken_up_right": self.none_right,
            "misses": [vars(m) for m in self.misses],
        }


@dataclass
class AddressedFigures:
    government: str
    found: int
    right: int
    gold: int
    how_right: int
    wrong: list[str]
    missed: list[str]

    @property
    def precision(self) -> float:
        return self.right / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.gold if self.gold else 1.0

    def to_json(self) -> dict:
        return {
            "government": self.government,
            "found": self.found,
            "right": self.right,
            "gold": self.gold,
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "how_right": self.how_right,
            "wrong": self.wrong,
            "missed": self.missed,
        }


def read_items(corpus: Path, gold: Gold) -> tuple[list[cv.Item], list[cv.Item]]:
    from duban.doc import parse_file

    parent = parse_file(corpus / gold.parent, kind="notice")
    child = parse_file(corpus / gold.child, kind="notice")
    return cv.items_from_document(parent), cv.items_from_document(child)


def addressed_figures(parents: list[cv.Item], gold: Gold) -> list[AddressedFigures]:
    out = []
    for government, g in gold.addressed.items():
        found = cv.addressed_to(parents, government, g.get("aliases") or (), g.get("level", "city"))
        by_name, by_collective = set(g.get("name") or ()), set(g.get("collective") or ())
        expected = by_name | by_collective
        keys = {a.item.key for a in found}
        how_right = sum(
            1
            for a in found
            if (a.how == "name" and a.item.key in by_name) or (a.how == "collective" and a.item.key in by_collective)
        )
        out.append(
            AddressedFigures(
                government,
                len(keys),
                len(keys & expected),
                len(expected),
                how_right,
                sorted(keys - expected, key=int),
                sorted(expected - keys, key=int),
            )
        )
    return out


def _part_of(entry: dict) -> str:
    """tune: the odd-numbered parent tasks; held_out: the even ones."""
    return "tune" if int(entry["parent"]) % 2 else "held_out"


def _entries(parents: list[cv.Item], gold: Gold) -> list[dict]:
    keys = {p.key for p in parents}
    return [e for e in gold.entries if e["parent"] in keys]


def _features(parents, children, entries, model) -> dict[str, list[dict]]:
    by_key = {p.key: p for p in parents}
    index = model.index(children)
    return {e["parent"]: model.features_many(by_key[e["parent"]], index) for e in entries}


def _figures(entries, children, features, config, model=None, by_key=None) -> dict[str, LinkFigures]:
    parts = {name: LinkFigures(name) for name in PARTS}
    for entry in entries:
        key = entry["parent"]
        scored = [(cv.total(f, config), i) for i, f in enumerate(features[key])]
        chosen = cv.select(scored, config)
        got = {children[i].key: round(value, 3) for value, i in chosen}
        links = {str(k) for k in entry["links"]}
        ok = links | {str(k) for k in entry.get("accept") or ()}
        names = ["all", _part_of(entry), f"batch{entry.get('batch', 1)}"]
        names += ["addressed"] if entry.get("addressed") else []
        for name in names:
            f = parts[name]
            f.tasks += 1
            f.made += len(got)
            f.made_right += len(set(got) & ok)
            f.gold += len(links)
            f.gold_found += len(set(got) & links)
            if not links:
                f.none_tasks += 1
                f.none_right += not got
        score_of = {children[i].key: value for value, i in scored}
        for child in sorted(links - set(got), key=int):
            parts["all"].misses.append(
                Miss(key, child, "missed", round(score_of.get(child, 0.0), 3), entry.get("note", ""))
            )
        for child in sorted(set(got) - ok, key=int):
            parts["all"].misses.append(Miss(key, child, "wrong", got[child], entry.get("note", "")))
    return parts


def link_figures(
    parents: list[cv.Item],
    children: list[cv.Item],
    gold: Gold,
    config: cv.CoverageConfig = cv.CONFIG,
    model: cv.CoverageModel | None = None,
) -> dict[str, LinkFigures]:
    """Figures of ``pair``'s links on each part (``PARTS``)."""
    entries = _entries(parents, gold)
    model = model or cv.fit(parents, children, config)
    return _figures(entries, children, _features(parents, children, entries, model), config)


def tune(parents: list[cv.Item], children: list[cv.Item], gold: Gold) -> tuple[cv.CoverageConfig, LinkFigures]:
    """The grid's best constants by link F1 on the tuning half (ties: the first in grid order).
    The features do not depend on the grid's constants, so they are computed once."""
    entries = [e for e in _entries(parents, gold) if _part_of(e) == "tune"]
    best: tuple[float, cv.CoverageConfig, LinkFigures] | None = None
    names = list(GRID)
    feature_names = list(FEATURE_GRID)
    for feature_values in itertools.product(*(FEATURE_GRID[n] for n in feature_names)):
        base = replace(cv.CONFIG, **dict(zip(feature_names, feature_values, strict=True)))
        features = _features(parents, children, entries, cv.fit(parents, children, base))
        for values in itertools.product(*(GRID[n] for n in names)):
            config = replace(base, **dict(zip(names, values, strict=True)))
            figures = _figures(entries, children, features, config)["tune"]
            if best is None or figures.f1 > best[0] + 1e-9:
                best = (figures.f1, config, figures)
    assert best is not None
    return best[1], best[2]


def run(corpus: Path, gold_path: Path = GOLD) -> dict:
    gold = Gold.read(gold_path)
    parents, children = read_items(corpus, gold)
    return {
        "gold": {"parent": gold.parent, "child": gold.child, "government": gold.government},
        "addressed": [f.to_json() for f in addressed_figures(parents, gold)],
        "links": {name: f.to_json() for name, f in link_figures(parents, children, gold).items()},
    }


def report_text(result: dict) -> str:
    g = result["gold"]
    lines = [f"上级交办：下达与承接（{g['parent']} → {g['child']}，人工核对）", "", "下达对象（addressed_to）："]
    for a in result["addressed"]:
        lines.append(
            f"  {a['government']}: 精确率 {a['precision']:.3f} 召回率 {a['recall']:.3f}"
            f"（找到 {a['found']}，正确 {a['right']}，应有 {a['gold']}，方式正确 {a['how_right']}）"
        )
        for what, keys in (("多找", a["wrong"]), ("漏找", a["missed"])):
            if keys:
                lines.append(f"    {what}：" + "、".join(keys))
    lines += ["", "承接（pair）："]
    labels = {
        "addressed": f"下达{g['government']}的任务",
        "all": "全部核对任务",
        "tune": "调参一半（单号）",
        "held_out": "留出一半（双号）",
        "batch1": "第一批核对",
        "batch2": "第二批核对（第一次调参后）",
    }
    for name, f in result["links"].items():
        if not f["tasks"]:
            continue
        lines.append(
            f"  {labels[name]}：{f['tasks']} 项任务，精确率 {f['precision']:.3f}（{f['links_right']}/{f['links_made']}），"
            f"召回率 {f['recall']:.3f}（{f['gold_found']}/{f['gold_links']}），F1 {f['f1']:.3f}；"
            f"未承接判对 {f['not_taken_up_right']}/{f['not_taken_up_tasks']}"
        )
    misses = result["links"]["all"]["misses"]
    if misses:
        lines += ["", "错漏："]
        for m in misses:
            what = "漏连" if m["kind"] == "missed" else "错连"
            lines.append(f"  {what} 上级{m['parent']} → 本级{m['child']}（得分 {m['score']:.3f}）：{m['note']}")
    return "\n".join(lines) + "\n"
