"""Suggest the units for each task, learned from past notices.

The history is a list of notices (``Document``s with tasks and units).  What is
learned from them is put into the *target government's* names first:

- a past task of the same government keeps its unit names (a typo such as
  发展改革委和统计局 folds into the usual 发展改革和统计局 by function);
- a past task of another government is carried over by function: 省发展改革委
  is "development_reform", which in Jiyuan is 发展改革和统计局.  Named lower
  governments and companies of another government do not carry over; their
  collectives (各省辖市政府) become the target's (各镇人民政府).

Each target unit is then scored for a task by four signals, all learned or
read from the notices given (no network, no downloaded model):

- ``knn``: the most similar past tasks (TF-IDF over rjieba words and character
  bigrams) and the units they named;
- ``ridge``: a kernel ridge regression from the same features to each unit;
- ``keywords``: the catalogue's topic keywords of the unit's functions;
- ``named``: the unit is named in the task text (郑州, 承留镇, 愚公集团).

The lead is the unit with the best "primary" score (leads, or responsible units
where a task names no lead); the rest of the set follows the "any role" score,
as many units as maximise the expected F1.  When the history holds enough of
the government's own past tasks, the chance that a unit is on a task is
calibrated on them (a logistic regression over the signals, each past task
scored leave-one-out), so the sets take the government's habits: Jiyuan names
two or three units a task, Henan five or six.  Roles follow the conventions of
the history: a single unit is 负责 (responsible) or 牵头 (lead) as the past
notices wrote it; several are lead + support or all responsible, as the similar
past tasks were.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from duban.doc.model import LEAD, MONITOR, RESPONSIBLE, SUPPORT, Document, Task, UnitRef
from duban.draft.catalogue import Catalogue, default_directory, government_of, load_catalogue

# Kinds of unit that are places or bodies of their own: they do not carry over
# by function to another government, only as collectives.
SPECIFIC = {"lower_government", "development_zone", "soe", "university", "research_institute", "departments"}

# Weights of the signals, tuned by leave-one-out on the corpus (``duban eval``).
WEIGHTS = {
    "knn": 1.0,
    "ridge": 0.5,
    "keywords": 1.5,
    "named": 0.8,
    "cross_government": 0.5,  # weight of a past task of another government
    "neighbours": 15,
    "similarity_power": 2,  # a closer past task counts by its similarity to this power
    "heading": 1,  # 1: the innermost heading joins the words a task is compared by
    "ridge_alpha": 1.0,
    # A named town or company the task does not name is seldom on it.
    "unnamed_specific": 0.5,
    # The set size is chosen by expected F1, a score of this much being a
    # certainty (when the government's habits are not calibrated, see "calibrate").
    "expected_f1": 4.0,
    # A unit that came with another in at least this share of the past tasks
    # naming that other (and at least `companion_support` times) joins it.
    "companion_share": 0.9,
    "companion_support": 4,
    # The lead is chosen by its primary score plus this share of its any-role score.
    "primary_mix": 0.0,
    # With at least `calibration_min` past tasks of its own, a government's
    # habits decide how the signals combine into the chance that a unit is on a
    # task (a logistic fit, see Suggester._calibrate); 0 turns this off.
    "calibrate": 1,
    "calibration_min": 30,
    "calibration_c": 1.0,  # inverse strength of the fit's L2 penalty
    # Without calibration, a unit named in the text joins the set by its own
    # chance (the mention rate), not by its share of the function scores.
    "named_chance": 1,
    # Without calibration, how far a longer task's units get a better chance
    # (see Suggester._chances): chosen among these by the history's own tasks.
    "breadth_exponents": (0.0, 0.5, 1.0),
    # The weight of the mean primary score of the other tasks under the same
    # heading, chosen among these by the history's own tasks.
    "sibling_weights": (0.0, 0.2, 0.4, 0.6, 0.8),
}


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


@dataclass
class Candidate:
    name: str
    score: float
    role: str
    why: str

    def to_json(self) -> dict:
        return {"name": self.name, "score": round(self.score, 3), "role": self.role, "why": self.why}


class Naming:
    """The target government's units, and which of them does each function."""

    def __init__(self, units: list[TargetUnit], catalogue: Catalogue):
        self.units = units
        self.catalogue = catalogue
        self.index = {u.name: i for i, u in enumerate(units)}
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

    def map_unit(self, name: str, functions: list[str], text: str, same_government: bool) -> list[int]:
        """Target units standing for a past task's unit ``name``."""
        if same_government and name in self.index:
            return [self.index[name]]
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
    directory: list[tuple[str, list[str]]] | None = None,
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

    for name, functions in directory or []:
        add(name, functions or catalogue.functions_of(name), "directory")
    own = Counter()
    for doc in history:
        if government.same(Government.of(doc)):
            for task in doc.tasks:
                for u in task.units:
                    own[u.name] += 1
    # The usual name first, so that a typo (发展改革委和统计局) folds into it.
    for name, _ in own.most_common():
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
    return Naming(units, catalogue)


def tokens(text: str) -> list[str]:
    """rjieba words and character bigrams: words for meaning, bigrams for the
    words rjieba splits differently in different notices."""
    import rjieba

    clean = re.sub(r"[\s\d.%％]+", " ", text)
    words = [w for w in rjieba.cut(clean) if len(w) > 1 and not re.fullmatch(r"\W+", w)]
    chars = re.sub(r"[^\u4e00-\u9fff]", "", clean)
    return words + [chars[i : i + 2] for i in range(len(chars) - 1)]


@dataclass
class Example:
    text: str
    task: Task
    doc: Document
    same_government: bool
    # target unit index → label value (1 for a unit, a share for a split bureau)
    any_role: dict[int, float]
    primary: dict[int, float]
    monitor: set[int]
    has_lead: bool
    size: int
    # Functions of the task's units as written (before carrying over).
    functions_any: set[str] = field(default_factory=set)
    functions_primary: set[str] = field(default_factory=set)


class Suggester:
    """Learns from past notices; suggests units for the target government's tasks."""

    def __init__(
        self,
        history: list[Document],
        government: Government,
        directory: list[tuple[str, list[str]]] | None = None,
        weights: dict | None = None,
    ):
        import numpy as np
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.weights = {**WEIGHTS, **(weights or {})}
        self.catalogue = load_catalogue()
        self.government = government
        self.naming = build_naming(government, history, directory, self.catalogue)
        self.examples = self._examples(history)
        m = len(self.naming)
        self.vectorizer = TfidfVectorizer(analyzer=tokens, sublinear_tf=True, min_df=1)
        if self.examples:
            self.X = self.vectorizer.fit_transform([with_heading(e.task) for e in self.examples])
        else:
            self.X = None
        n = len(self.examples)
        self.Y_any = np.zeros((n, m))
        self.Y_primary = np.zeros((n, m))
        self.sample_weight = np.ones(n)
        for i, e in enumerate(self.examples):
            for j, v in e.any_role.items():
                self.Y_any[i, j] = v
            for j, v in e.primary.items():
                self.Y_primary[i, j] = v
            if not e.same_government:
                self.sample_weight[i] = self.weights["cross_government"]
        self._fit_ridge()
        own = np.array([e.same_government for e in self.examples], dtype=bool)
        self.prior_any = self.Y_any[own].mean(0) if own.any() else np.zeros(m)
        self._learn_conventions()
        self._learn_mentions()
        self._learn_keywords()
        self._learn_companions()
        self._calibrate()
        self.reference_length = float(np.mean([len(e.text) for e in self.examples])) if self.examples else 40.0
        self._held_out_scores: list | None = None
        self.breadth = self._choose_breadth()
        self.sibling_weight = self._choose_sibling_weight()

    # --- learning -----------------------------------------------------------
    def _examples(self, history: list[Document]) -> list[Example]:
        out = []
        for doc in history:
            same = self.government.same(Government.of(doc))
            for task in doc.tasks:
                if not task.units:
                    continue
                any_role: dict[int, float] = {}
                primary: dict[int, float] = {}
                monitor: set[int] = set()
                functions_any: set[str] = set()
                functions_primary: set[str] = set()
                primary_names = {u.name for u in task.primary_units}
                for u in task.units:
                    functions = self.catalogue.functions_of(u.name, u.alias)
                    functions_any.update(functions)
                    if u.name in primary_names:
                        functions_primary.update(functions)
                    targets = self.naming.map_unit(u.name, functions, task.text, same)
                    share = 1.0 / len(targets) if targets else 0.0
                    for j in targets:
                        any_role[j] = max(any_role.get(j, 0.0), share if not same else 1.0)
                        if u.name in primary_names:
                            primary[j] = max(primary.get(j, 0.0), share if not same else 1.0)
                        if u.role == MONITOR:
                            monitor.add(j)
                if not any_role:
                    continue
                out.append(
                    Example(
                        text=task.text,
                        task=task,
                        doc=doc,
                        same_government=same,
                        any_role=any_role,
                        primary=primary,
                        monitor=monitor,
                        has_lead=bool(task.units_in(LEAD)),
                        size=len(any_role),
                        functions_any=functions_any,
                        functions_primary=functions_primary,
                    )
                )
        return out

    def _fit_ridge(self) -> None:
        """Kernel ridge regression in its dual form: with a few hundred past
        tasks and thousands of features, one small linear system fits every unit."""
        import numpy as np
        from threadpoolctl import threadpool_limits

        if self.X is None:
            self.dual_any = self.dual_primary = None
            return
        K = (self.X @ self.X.T).toarray()
        self.K = K
        lam = self.weights["ridge_alpha"]
        w = self.sample_weight
        A = K + lam * np.diag(1.0 / w)
        self.mean_any = (w[:, None] * self.Y_any).sum(0) / w.sum()
        self.mean_primary = (w[:, None] * self.Y_primary).sum(0) / w.sum()
        m = self.Y_any.shape[1]
        # One BLAS thread: a system this small is slower to share out than to solve.
        labels = np.hstack([self.Y_any - self.mean_any, self.Y_primary - self.mean_primary])
        with threadpool_limits(1):
            inverse = np.linalg.inv(A)
        dual = inverse @ labels
        self.dual_any, self.dual_primary = dual[:, :m], dual[:, m:]
        # Leave-one-out predictions of the past tasks, for calibration: ridge
        # is a linear smoother (fitted = H·labels), so leaving task i out is
        # (fitted_i − H_ii·label_i) / (1 − H_ii), no refit needed.
        H = K @ inverse
        h = np.clip(np.diag(H), 0.0, 0.99)[:, None]
        loo = (K @ dual - h * labels) / (1 - h)
        self.loo_any = loo[:, :m] + self.mean_any
        self.loo_primary = loo[:, m:] + self.mean_primary

    def _learn_conventions(self) -> None:
        """How the history writes roles: the same government's notices first."""
        pool = [e for e in self.examples if e.same_government] or self.examples
        singles = [e for e in pool if len(e.task.units_in(LEAD, RESPONSIBLE, SUPPORT)) == 1]
        lead_singles = sum(1 for e in singles if e.has_lead)
        self.single_role = LEAD if singles and lead_singles > len(singles) / 2 else RESPONSIBLE
        # Units that, in the history, mostly measure (监测) rather than do.
        counts: dict[int, Counter] = defaultdict(Counter)
        for e in self.examples:
            for j in e.any_role:
                counts[j]["monitor" if j in e.monitor else "other"] += 1
        self.monitors = {j for j, c in counts.items() if c["monitor"] > c["other"]}

    def _learn_companions(self) -> None:
        """Units the government names together: 各省辖市政府 comes with
        济源示范区管委会 and 航空港区管委会 in nearly every Henan task that has it."""
        together: dict[int, Counter] = defaultdict(Counter)
        alone: Counter = Counter()
        for e in self.examples:
            if not e.same_government:
                continue
            for a in e.any_role:
                alone[a] += 1
                for b in e.any_role:
                    if a != b:
                        together[a][b] += 1
        share, support = self.weights["companion_share"], self.weights["companion_support"]
        self.companions = {
            a: [b for b, n in together[a].most_common() if n >= support and n / alone[a] >= share] for a in together
        }

    def _calibrate(self) -> None:
        """How the signals add up to the chance that a unit is on a task, in this
        government's habits: a logistic regression over its own past tasks,
        each scored as if it were not in the history (the neighbour vote
        without itself, the ridge's closed-form leave-one-out prediction).  It
        learns, for instance, that Jiyuan names two units a task and Henan five,
        and how far a keyword or a named place is to be trusted.  Without
        enough past tasks of its own the hand weights stay: another
        government's tasks, carried over by function, do not show how many
        units this one names."""
        import numpy as np

        self.calibration = None
        own = [i for i, e in enumerate(self.examples) if e.same_government]
        if self.X is None or not self.weights["calibrate"] or len(own) < self.weights["calibration_min"]:
            return
        signals = np.vstack([self.scores(self.examples[i].text, self.K[i], held_out=i)[5] for i in own])
        on_task = (self.Y_any[own] > 0).ravel()
        if on_task.all() or not on_task.any():
            return
        from sklearn.linear_model import LogisticRegression

        model = LogisticRegression(C=self.weights["calibration_c"], max_iter=500).fit(signals, on_task)
        self.calibration = (model.coef_[0], float(model.intercept_[0]))

    def _chances(self, anyr, text: str, breadth: float, reference: float | None = None):
        """Uncalibrated chances: a score of ``expected_f1`` is a certainty for a
        task of average length; a longer task — one that lists more places,
        sectors or projects — names more units, so the same score is a better
        chance there by (length / average length) ** breadth."""
        import numpy as np

        reference = reference or self.reference_length
        divisor = self.weights["expected_f1"] * (reference / max(len(text), 5)) ** breadth
        return np.clip(anyr / divisor, 0.0, 1.0)

    def _choose_breadth(self) -> float:
        """How much a task's length says about how many units it names, chosen
        among ``breadth_exponents`` by the unit-set F1 of the past tasks, each
        scored as if it were not in the history and measured against its own
        notice's average length.  Only where the set is not calibrated on the
        government's own tasks (the calibration learns its own habits)."""
        import numpy as np

        choices = self.weights["breadth_exponents"]
        if self.calibration is not None or self.X is None or len(choices) < 2:
            return choices[0] if choices else 0.0
        by_doc: dict[int, list[int]] = defaultdict(list)
        for e in self.examples:
            by_doc[id(e.doc)].append(len(e.text))
        reference = {d: float(np.mean(lengths)) for d, lengths in by_doc.items()}
        scored = [(row, e) for row, e in zip(self.held_out_scores(), self.examples) if e.any_role]
        best, best_f1 = choices[0], -1.0
        for breadth in choices:
            total = 0.0
            for (prim, anyr, *_), e in scored:
                chance = self._chances(anyr, e.text, breadth, reference[id(e.doc)])
                chosen = set(self._best_expected_f1(self._order(prim, chance), chance, 1.0))
                hits = len(chosen & set(e.any_role))
                total += 2 * hits / (len(chosen) + len(e.any_role))
            if total > best_f1:
                best, best_f1 = breadth, total
        return best

    def held_out_scores(self) -> list:
        """Every past task scored as if it were not in the history (computed once)."""
        if self._held_out_scores is None:
            self._held_out_scores = [self.scores(e.text, self.K[i], held_out=i) for i, e in enumerate(self.examples)]
        return self._held_out_scores

    def _choose_sibling_weight(self) -> float:
        """How much the other tasks under the same heading say about a task's
        lead: a heading is one paragraph of the report, most often one
        department's field, so its tasks' primary scores, averaged, steady a
        task whose own words are few or ambiguous.  Chosen among
        ``sibling_weights`` by how often the past tasks' lead comes first,
        each past task and its siblings scored as if not in the history."""
        import numpy as np

        choices = self.weights["sibling_weights"]
        if self.X is None or len(choices) < 2:
            return choices[0] if choices else 0.0
        rows = self.held_out_scores()
        headings = [(id(e.doc), tuple(e.task.section)) for e in self.examples]
        siblings = sibling_means(headings, [row[0] for row in rows])
        doers = np.array([j not in self.monitors for j in range(len(self.naming))])
        best, best_hits = choices[0], -1
        for weight in choices:
            hits = 0
            for (prim, *_), others, e in zip(rows, siblings, self.examples):
                score = prim if others is None else prim + weight * others
                hits += int(np.argmax(np.where(doers, score, -np.inf))) in e.primary
            if hits > best_hits:
                best, best_hits = weight, hits
        return best

    def _learn_keywords(self) -> None:
        """How far each catalogue keyword is borne out by the history: of the past
        tasks that contain it, the share whose units do the keyword's function.
        A keyword the history never shows keeps an even 0.5."""
        prior, strength = 0.5, 2.0
        self.keyword_any: dict[tuple[str, str], float] = {}
        self.keyword_primary: dict[tuple[str, str], float] = {}
        containing: dict[str, list[Example]] = {}
        for f in self.catalogue.functions:
            for k in f.keywords:
                if k not in containing:
                    containing[k] = [e for e in self.examples if k in e.text]
                tasks = containing[k]
                n = len(tasks)
                hits_any = sum(1 for e in tasks if f.code in e.functions_any)
                hits_primary = sum(1 for e in tasks if f.code in e.functions_primary)
                self.keyword_any[f.code, k] = (hits_any + strength * prior) / (n + strength)
                self.keyword_primary[f.code, k] = (hits_primary + strength * prior) / (n + strength)

    def _keyword_score(self, words: list[str], code: str, table: dict) -> float:
        """Long keywords (一般公共预算收入) decide more than short ones (企业)."""
        return sum(2 * table.get((code, k), 0.5) * min(len(k), 6) / 3 for k in words)

    def _learn_mentions(self) -> None:
        """How often a specific unit named in a task's text is among its units."""
        self.mention_rate: dict[int, float] = {}
        for j, unit in enumerate(self.naming.units):
            if not unit.keys:
                continue
            named = hit = 0
            for e in self.examples:
                if e.same_government and any(k in e.text for k in unit.keys):
                    named += 1
                    hit += j in e.any_role
            self.mention_rate[j] = (hit + 1) / (named + 2)

    # --- suggesting ---------------------------------------------------------
    def similarities(self, texts: list[str]):
        """Cosine similarity of each text to every past task (one row per text)."""
        import numpy as np

        if self.X is None:
            return np.zeros((len(texts), 0))
        return (self.vectorizer.transform(texts) @ self.X.T).toarray()

    def scores(self, text: str, sims=None, held_out: int | None = None):
        """Primary and any-role scores for every target unit, and the neighbours.

        ``held_out``: score past task number ``held_out`` as if it were not in
        the history (its own row left out of the vote and of the ridge fit)."""
        import numpy as np

        m = len(self.naming)
        w = self.weights
        prim = np.zeros(m)
        anyr = np.zeros(m)
        knn_any = np.zeros(m)
        ridge_any = np.zeros(m)
        neighbours: list[tuple[int, float]] = []
        if self.X is not None:
            if sims is None:
                sims = self.similarities([text])[0]
            if held_out is not None:
                sims = sims.copy()
                sims[held_out] = 0.0
            order = np.argsort(-sims * self.sample_weight)[: int(w["neighbours"])]
            neighbours = [(int(i), float(sims[i])) for i in order if sims[i] > 0]
            if neighbours:
                idx = np.array([i for i, _ in neighbours])
                weight = np.array([s for _, s in neighbours]) ** w["similarity_power"] * self.sample_weight[idx]
                weight = weight / weight.sum()
                knn_any = weight @ self.Y_any[idx]
                prim += w["knn"] * (weight @ self.Y_primary[idx])
                anyr += w["knn"] * knn_any
            if held_out is None:
                ridge_any = sims @ self.dual_any + self.mean_any
                prim += w["ridge"] * (sims @ self.dual_primary + self.mean_primary)
            else:
                ridge_any = self.loo_any[held_out]
                prim += w["ridge"] * self.loo_primary[held_out]
            anyr += w["ridge"] * ridge_any
        hits = self.catalogue.keyword_hits(text)
        keyword_any = np.zeros(m)
        keyword_primary = np.zeros(m)
        for j, unit in enumerate(self.naming.units):
            if unit.specific:
                continue
            functions = unit.functions + unit.adopted
            best = max((self._keyword_score(hits.get(f, []), f, self.keyword_any) for f in functions), default=0)
            keyword_any[j] = 1 - 0.5**best
            best = max((self._keyword_score(hits.get(f, []), f, self.keyword_primary) for f in functions), default=0)
            keyword_primary[j] = 1 - 0.5**best
        prim += w["keywords"] * keyword_primary
        anyr += w["keywords"] * keyword_any
        named = np.zeros(m)
        unnamed = np.zeros(m)
        for j, rate in self.mention_rate.items():
            if any(k in text for k in self.naming.units[j].keys):
                named[j] = rate
            else:
                unnamed[j] = 1.0
                prim[j] *= w["unnamed_specific"]
                anyr[j] *= w["unnamed_specific"]
        anyr += w["named"] * named
        prim += w["named"] * named * 0.5
        signals = np.column_stack([knn_any, ridge_any, keyword_any, named, unnamed, self.prior_any])
        return prim, anyr, neighbours, hits, named, signals

    def suggest(
        self, text: str, limit: int = 8, sims=None, scored=None, siblings=None
    ) -> tuple[list[UnitRef], list[Candidate]]:
        """``scored``: this task's ``scores`` if already computed; ``siblings``:
        the mean primary score of the other tasks under the same heading."""
        import numpy as np

        prim, anyr, neighbours, hits, named, signals = scored or self.scores(text, sims)
        if siblings is not None and self.sibling_weight:
            prim = prim + self.sibling_weight * siblings
        if not len(self.naming):
            return [], []
        named_joined: list[int] = []
        if self.calibration is not None:
            coef, intercept = self.calibration
            anyr = 1 / (1 + np.exp(-(signals @ coef + intercept)))
            order = self._order(prim, anyr)
            chosen = self._best_expected_f1(order, anyr, 1.0)
        else:
            anyr = self._chances(anyr, text, self.breadth)
            order = self._order(prim, anyr)
            chosen = self._best_expected_f1(order, anyr, 1.0)
            if self.weights["named_chance"]:
                # A unit named in the text is on the task as often as the history's
                # notices put a unit they name on it — a chance in its own right,
                # not a score among the function scores.  It joins the set when
                # that chance is above half the set's expected F1 (adding it then
                # raises the expectation), after the units chosen by function.
                chance = np.maximum(anyr, named)
                total = float(chance.sum())
                for j in np.argsort(-named):
                    if named[j] <= 0 or j in chosen or j in named_joined:
                        continue
                    expected = (
                        2 * float(chance[chosen + named_joined].sum()) / (len(chosen) + len(named_joined) + total)
                    )
                    if chance[j] > expected / 2:
                        named_joined.append(int(j))
                anyr = chance
        # Top-3 counts leads: after the lead, the set's units go by their primary score.
        chosen = chosen[:1] + sorted(chosen[1:], key=lambda j: -prim[j]) + named_joined
        for j in list(chosen):
            for b in self.companions.get(j, []):
                if b not in chosen:
                    chosen.append(b)
        roles = self._roles(chosen, neighbours)
        units = [UnitRef(name=self.naming.units[j].name, role=roles[j]) for j in chosen]
        for u, j in zip(units, chosen):
            u.collective = self.naming.units[j].collective
        # Candidates: the suggested units in their order, then the others by
        # score; a score is the unit's fit relative to the best-fitting unit.
        best = float(anyr.max()) if anyr.max() > 0 else 1.0
        rest = [j for j in order if j not in chosen and anyr[j] > 0]
        # The first three are the likeliest leads (after the lead, the two best
        # primary scores, in the set or not): whoever corrects the draft picks
        # the lead among them.  Then the rest of the set, then the others.
        ranked = chosen + rest
        runners_up = sorted(ranked[1:], key=lambda j: -prim[j])[:2]
        ranked = ranked[:1] + runners_up + [j for j in ranked[1:] if j not in runners_up]
        candidates = []
        for j in ranked[: max(limit, len(chosen) + 3)]:
            role = roles.get(j, MONITOR if j in self.monitors else SUPPORT)
            score = max(0.0, min(1.0, float(anyr[j]) / best))
            candidates.append(
                Candidate(self.naming.units[j].name, score, role, self._why(j, text, neighbours, hits, named))
            )
        known = [k for u in self.naming.units for k in u.keys + [u.name]]
        for company in companies_named(text):
            if not any(k in company or company in k for k in known):
                candidates.append(Candidate(company, 0.3, SUPPORT, f"任务中提到“{company}”，目录中没有这家企业"))
        return units, candidates

    def _order(self, prim, anyr) -> list[int]:
        """The lead (best primary score, never a unit that mostly monitors) first, then by any-role score."""
        import numpy as np

        lead_score = prim + self.weights["primary_mix"] * anyr
        primary = int(np.argmax(np.where([j not in self.monitors for j in range(len(prim))], lead_score, -np.inf)))
        return [primary] + [int(j) for j in np.argsort(-anyr) if j != primary]

    def _best_expected_f1(self, order: list[int], anyr, divisor: float) -> list[int]:
        """As many units as maximise the expected F1 of the set, reading each
        unit's score over the divisor as the chance it is on the task: take the
        k most likely while 2·Σp(top k) / (k + Σp(all)) grows."""
        import numpy as np

        p = np.clip(anyr / divisor, 0.0, 1.0)
        total = float(p.sum())
        best_k, best = 1, -1.0
        running = 0.0
        for k, j in enumerate(order[:12], start=1):
            running += p[j]
            value = 2 * running / (k + total)
            if value > best:
                best_k, best = k, value
        return order[:best_k]

    def _roles(self, chosen: list[int], neighbours: list[tuple[int, float]]) -> dict[int, str]:
        doers = [j for j in chosen if j not in self.monitors]
        roles = {j: MONITOR for j in chosen if j in self.monitors}
        if len(doers) <= 1:
            for j in doers:
                roles[j] = self.single_role
            return roles
        multi = [(i, s) for i, s in neighbours if self.examples[i].size > 1]
        lead_weight = sum(s for i, s in multi if self.examples[i].has_lead)
        led = multi and lead_weight > sum(s for _, s in multi) / 2
        for k, j in enumerate(doers):
            roles[j] = (LEAD if k == 0 else SUPPORT) if led else RESPONSIBLE
        return roles

    def _why(self, j: int, text: str, neighbours, hits: dict[str, list[str]], named) -> str:
        unit = self.naming.units[j]
        parts = []
        similar = [i for i, _ in neighbours if j in self.examples[i].any_role][:2]
        for i in similar:
            e = self.examples[i]
            text = e.text if len(e.text) <= 18 else e.text[:18] + "…"
            who = "、".join(u.name for u in e.task.units[:3]) + ("等" if len(e.task.units) > 3 else "")
            number = f"第{e.task.number}项" if e.task.number else ""
            parts.append(f"相似任务{number}「{text}」（{who}）")
        words = [k for f in unit.functions + unit.adopted for k in hits.get(f, [])]
        if words:
            parts.append("关键词：" + "、".join(dict.fromkeys(words[:4])))
        if named[j] > 0:
            key = next((k for k in unit.keys if k in text), unit.keys[0])
            parts.append(f"任务中提到“{key}”")
        if not parts:
            parts.append(f"按职能（{'、'.join(self.catalogue.name(f) for f in unit.functions)}）")
        return "；".join(parts)


def sibling_means(headings: list[tuple], primaries: list) -> list:
    """For each task, the mean primary score of the other tasks under the same
    heading (None for a task alone under its heading)."""
    import numpy as np

    groups: dict[tuple, list[int]] = defaultdict(list)
    for i, heading in enumerate(headings):
        groups[heading].append(i)
    out = [None] * len(headings)
    for members in groups.values():
        if len(members) < 2:
            continue
        total = np.sum([primaries[i] for i in members], axis=0)
        for i in members:
            out[i] = (total - primaries[i]) / (len(members) - 1)
    return out


def with_heading(task: Task) -> str:
    """The task's text with its innermost heading: tasks under 推进乡村全面振兴
    share units even where their own words do not say so."""
    heading = re.sub(r"^[（(]?[一二三四五六七八九十\d]+[)）、.．]?", "", task.section[-1]) if task.section else ""
    return f"{task.text} {heading}" if heading and WEIGHTS["heading"] else task.text


def strip_units(doc: Document) -> Document:
    """A copy of a notice without its unit clauses, so suggesting never peeks."""
    out = Document(**{**doc.__dict__})
    out.tasks = [
        Task(number=t.number, section=list(t.section), text=t.text, deadline=t.deadline, indicators=list(t.indicators))
        for t in doc.tasks
    ]
    return out


def suggest_document(
    doc: Document,
    history: list[Document],
    directory: list[tuple[str, list[str]]] | None = None,
    government: Government | None = None,
    weights: dict | None = None,
) -> Document:
    """Fill ``units`` and ``candidates`` of every task of ``doc`` (units present are ignored)."""
    doc = strip_units(doc)
    government = government or Government.of(doc)
    if not government.place:
        government = Government.guess(doc, history)
    suggester = Suggester(history, government, directory, weights)
    if doc.tasks:
        # A task's breadth is its length against the other tasks of its notice.
        suggester.reference_length = sum(len(t.text) for t in doc.tasks) / len(doc.tasks)
    sims = suggester.similarities([with_heading(t) for t in doc.tasks])
    scored = [suggester.scores(t.text, row if suggester.X is not None else None) for t, row in zip(doc.tasks, sims)]
    siblings = sibling_means([tuple(t.section) for t in doc.tasks], [s[0] for s in scored])
    for task, row, own, others in zip(doc.tasks, sims, scored, siblings):
        units, candidates = suggester.suggest(task.text, sims=row, scored=own, siblings=others)
        task.units = units
        task.candidates = [c.to_json() for c in candidates]
    return doc


def primary_hit(suggested: list[str], truth: Task, k: int) -> bool:
    names = {u.name for u in truth.primary_units}
    return any(name in names for name in suggested[:k])


def set_f1(suggested: list[str], truth: Task) -> float:
    s, t = set(suggested), {u.name for u in truth.units}
    if not s or not t:
        return 0.0
    tp = len(s & t)
    if not tp:
        return 0.0
    p, r = tp / len(s), tp / len(t)
    return 2 * p * r / (p + r)
