"""The fitted model: ``fit(history, naming, config) -> Model``; ``Model.suggest(task) -> Suggestion``.

Two linear models over the features of each (task, unit) (``features.FEATURES``),
both learned from the history itself:

- the **ranker** chooses the lead: a pairwise logistic regression (learning to
  rank) on the difference of features between a past task's primary unit and
  each of the other units, so that a primary unit scores above the rest;
- the **set model** gives the chance that a unit is on a task (a logistic
  regression), from which the unit set is the one that maximises the
  expected F1.

Each past task is scored for fitting by evidence that leaves out its whole
top-level section (inner folds of ``config.inner_folds``): a new year's task has
no neighbour under its heading whose units are known, and folds that
interleave tasks would leak each task's own units through its siblings.  The
set model learns from the government's own past tasks when it has enough of
them (``config.own_tasks_min``), so the sets take its habits (Jiyuan names two
or three units a task, Henan five or six); otherwise from all the history.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from duban.doc.model import LEAD, MONITOR, RESPONSIBLE, SUPPORT, Task, UnitRef
from duban.draft.suggest.config import DEFAULT, SuggestConfig
from duban.draft.suggest.features import (
    FEATURES,
    Evidence,
    Example,
    Vectorizer,
    add_copies,
    add_siblings,
    example_of,
    examples_of,
    label_matrices,
    with_heading,
)
from duban.draft.suggest.naming import Naming, TargetUnit, companies_named

# The version of a saved model's layout; a cached model of another version is refitted.
FORMAT = 2

# Used only while the history is too small to learn from (fewer than
# MIN_FIT_TASKS past tasks or a single section): each vote counts once, a
# specific unit the text does not name counts against — no value here was
# tuned on the corpus.
MIN_FIT_TASKS = 20
PRIOR_RANK = {
    "knn_primary": 1.0,
    "centroid_primary": 1.0,
    "keyword_primary": 1.0,
    "named": 1.0,
    "unnamed_specific": -1.0,
}
PRIOR_SET = {"knn_any": 2.0, "centroid_any": 2.0, "keyword_any": 2.0, "named": 2.0, "unnamed_specific": -2.0}
PRIOR_SET_INTERCEPT = -2.5


@dataclass
class Candidate:
    name: str
    score: float
    role: str
    why: str

    def to_json(self) -> dict:
        return {"name": self.name, "score": round(self.score, 3), "role": self.role, "why": self.why}


@dataclass
class Suggestion:
    """The units suggested for one task, and the candidates best first (the
    first three are the likeliest leads)."""

    units: list[UnitRef]
    candidates: list[Candidate]

    @property
    def lead(self) -> str | None:
        return self.units[0].name if self.units else None


@dataclass
class Weights:
    rank: object  # one weight per feature
    set_coef: object
    set_intercept: float
    # What the set model learned from: "own" (the government's own past tasks),
    # "history" (all of it, another government's habits), "prior" (too little history).
    set_source: str = "prior"
    fit_tasks: int = 0
    copy_threshold: float | None = None
    # The similarity from which a past task of the government's own is the same
    # work again and gives its units and roles whole (``same_work_threshold``).
    same_work: float | None = None


def _vector(mapping: dict[str, float]):
    import numpy as np

    return np.array([mapping.get(name, 0.0) for name in FEATURES])


def logistic(X, y, sample_weight, c: float, intercept: bool = True, nonnegative=None, iterations: int = 50):
    """L2-penalised logistic regression (C × Σ weighted log-loss + ½‖w‖², the intercept
    unpenalised), by Newton's method: a few features, so each step is one small solve.

    ``nonnegative``: features whose weight may not be negative — evidence *for*
    a unit never counts against it.  Correlated signals (the neighbour vote, the
    nearest task, the copy) otherwise trade weights of opposite signs that fit
    the history and break on a task unlike it; a weight that would go negative
    is held at zero (an active set) and the rest refitted."""
    import numpy as np

    X = np.asarray(X, dtype=float)
    d = X.shape[1]
    free = np.ones(d, dtype=bool)
    fixed_at_zero = np.zeros(d, dtype=bool)
    nonnegative = np.zeros(d, dtype=bool) if nonnegative is None else np.asarray(nonnegative, dtype=bool)
    while True:
        cols = np.flatnonzero(free & ~fixed_at_zero)
        w_cols, b = _newton(X[:, cols], y, sample_weight, c, intercept, iterations)
        w = np.zeros(d)
        w[cols] = w_cols
        negative = nonnegative & (w < 0)
        if not negative.any():
            return w, b
        fixed_at_zero |= negative


def _newton(X, y, sample_weight, c, intercept, iterations):
    import numpy as np

    if intercept:
        X = np.hstack([X, np.ones((len(X), 1))])
    d = X.shape[1]
    penalty = np.eye(d)
    if intercept:
        penalty[-1, -1] = 0.0
    y = (np.asarray(y) > 0).astype(float)
    sw = c * np.asarray(sample_weight, dtype=float)
    w = np.zeros(d)
    for _ in range(iterations):
        p = 1 / (1 + np.exp(-np.clip(X @ w, -30, 30)))
        grad = X.T @ (sw * (p - y)) + penalty @ w
        hessian = (X * (sw * p * (1 - p))[:, None]).T @ X + penalty + 1e-9 * np.eye(d)
        step = np.linalg.solve(hessian, grad)
        w -= step
        if np.abs(step).max() < 1e-5:
            break
    return (w[:-1], float(w[-1])) if intercept else (w, 0.0)


# Features whose weight may be of either sign: a specific unit the text does
# not name (it counts against), the task's length (it moves every unit alike).
SIGNED = {"unnamed_specific", "breadth"}


def _nonnegative():
    return [name not in SIGNED for name in FEATURES]


def fit(history, naming: Naming, config: SuggestConfig | None = None) -> Model:
    """Learn from past notices (``Document``s with units) for the government of ``naming``."""
    config = config or DEFAULT
    examples = examples_of(history, naming, naming.government, config)
    vectorizer = Vectorizer()
    X = vectorizer.fit_transform([with_heading(e.task, config) for e in examples]) if examples else None
    model = Model(naming, config, vectorizer, examples, X)
    model.weights = _learn_weights(model)
    model.weights.same_work = same_work_threshold(examples, X, config)
    return model


def same_work_threshold(examples: list[Example], X, config: SuggestConfig) -> float | None:
    """How close two *different* tasks of one of the government's own notices
    get: the similarity of each own past task to the closest other task of its
    notice, at the quantile ``1 - config.same_work_share``.  A new task closer
    than that to a past task is, by the history's own measure of distinct
    work, that task again.  None when the history has too few own tasks."""
    if X is None:
        return None
    by_notice: dict[int, list[int]] = defaultdict(list)
    for i, e in enumerate(examples):
        if e.same_government:
            by_notice[e.notice].append(i)
    return distinct_closeness(X, list(by_notice.values()), config)


# Rows of a task-by-task similarity matrix held at once (a dense block of 512 × 10,000 past tasks is
# about 40 MB): a notice of thousands of tasks is compared a block at a time, never as a whole square.
SIMILARITY_BLOCK = 512


def distinct_closeness(X, notices: list[list[int]], config: SuggestConfig) -> float | None:
    """The same-work threshold from rows of ``X`` (unit-length TF-IDF rows) grouped by notice:
    each row's similarity to the closest other row of its notice, at the quantile
    ``1 - config.same_work_share``; None when fewer than ``config.same_work_min_tasks`` rows
    (in notices of two tasks or more) measure it, or when copying is off."""
    import numpy as np

    if config.same_work_share is None or X is None:
        return None
    closest = []
    for rows in notices:
        if len(rows) < 2:
            continue
        for start in range(0, len(rows), SIMILARITY_BLOCK):
            block = rows[start : start + SIMILARITY_BLOCK]
            S = (X[block] @ X[rows].T).toarray()
            S[np.arange(len(block)), np.arange(start, start + len(block))] = -1.0  # not itself
            closest += list(S.max(1))
    if len(closest) < config.same_work_min_tasks:
        return None
    return float(np.quantile(closest, 1 - config.same_work_share))


def closest_same_work(sims, threshold: float | None, weights=None) -> list[int | None]:
    """For each row of ``sims`` (new tasks × past tasks), the column of the past task that is the
    same work again — the closest one, if at least ``threshold`` similar — or None.  Among equally
    close past tasks (a task repeated over the years) the one of the highest weight counts (the
    latest); without weights, the first."""
    import numpy as np

    if threshold is None or sims.shape[1] == 0:
        return [None] * sims.shape[0]
    out: list[int | None] = []
    for row in sims:
        best = float(row.max())
        if best < threshold:
            out.append(None)
            continue
        tied = np.flatnonzero(row >= best - 1e-9)
        out.append(int(tied[np.argmax(weights[tied])]) if weights is not None else int(tied[0]))
    return out


def inner_folds(examples: list[Example], config: SuggestConfig):
    """(past tasks scored, past tasks they are scored by) for each inner fold:
    whole top-level sections of a notice go to one fold, so a task is never
    scored by a task of its own section.  At most ``fit_tasks_max`` tasks are
    scored, the weightiest (own government, latest year) first."""
    groups = list(dict.fromkeys(e.group for e in examples))
    order = sorted(range(len(examples)), key=lambda i: (-examples[i].weight, i))[: config.fit_tasks_max]
    fold_of_group = {g: k % config.inner_folds for k, g in enumerate(groups)}
    for fold in range(config.inner_folds):
        queries = [i for i in order if fold_of_group[examples[i].group] == fold]
        train = [i for i, e in enumerate(examples) if fold_of_group[e.group] != fold]
        if queries and train:
            yield queries, train


def _learn_weights(model: Model) -> Weights:
    """The ranker and the set model, fitted on the history's own tasks scored with their section left out."""
    import numpy as np

    config, examples = model.config, model.examples
    prior = Weights(_vector(PRIOR_RANK), _vector(PRIOR_SET), PRIOR_SET_INTERCEPT)
    groups = list(dict.fromkeys(e.group for e in examples))
    if len(examples) < MIN_FIT_TASKS or len(groups) < 2:
        return prior
    scored_rows, scored_features = [], []
    for queries, train in inner_folds(examples, config):
        evidence = Evidence(model.X, model.Y_any, model.Y_primary, examples, train, model.naming, config)
        feats, _ = evidence.features(
            model.X[queries],
            [examples[i].text for i in queries],
            [examples[i].hits for i in queries],
            [examples[i].length_ratio for i in queries],
        )
        add_siblings(feats, [examples[i].heading for i in queries])
        scored_rows += queries
        scored_features.append(feats)
    if not scored_rows:
        return prior
    feats = np.concatenate(scored_features)
    Y_any = model.Y_any[scored_rows].toarray()
    Y_primary = model.Y_primary[scored_rows].toarray()
    weight = np.array([examples[i].weight for i in scored_rows])
    threshold = copy_threshold(feats, Y_primary, config)
    add_copies(feats, threshold)

    # The ranker: each primary unit against the strongest other units of its task.
    diffs, pair_weight = [], []
    quick = feats[:, :, [FEATURES.index(f) for f in ("knn_primary", "centroid_primary", "keyword_primary")]].sum(2)
    for t in range(len(scored_rows)):
        positives = np.flatnonzero(Y_primary[t] >= 0.5)
        if not len(positives):
            continue
        negatives = np.flatnonzero(Y_primary[t] < 0.5)
        negatives = negatives[np.argsort(-quick[t, negatives])[: config.rank_negatives]]
        for p in positives:
            d = feats[t, p][None, :] - feats[t, negatives]
            diffs.append(d)
            pair_weight += [weight[t] / len(positives)] * len(d)
    if not diffs:
        return prior
    D = np.concatenate(diffs)
    pw = np.array(pair_weight)
    rank, _ = logistic(
        np.concatenate([D, -D]),
        np.r_[np.ones(len(D)), np.zeros(len(D))],
        np.r_[pw, pw],
        config.l2_c,
        intercept=False,
        nonnegative=_nonnegative(),
    )

    # The set model: the government's own tasks if it has enough, else all.
    own = np.array([examples[i].same_government for i in scored_rows])
    source = "own" if own.sum() >= config.own_tasks_min else "history"
    keep = own if source == "own" else np.ones(len(scored_rows), dtype=bool)
    rows = feats[keep].reshape(-1, len(FEATURES))
    labels = (Y_any[keep] > 0).ravel()
    row_weight = np.repeat(weight[keep], feats.shape[1])
    rows, labels, row_weight = _thin_empty_rows(rows, labels, row_weight, config)
    if labels.all() or not labels.any():
        return Weights(rank, prior.set_coef, prior.set_intercept, "prior", len(scored_rows), threshold)
    coef, intercept = logistic(rows, labels, row_weight, config.l2_c, nonnegative=_nonnegative())
    return Weights(rank, coef, intercept, source, len(scored_rows), threshold)


def _thin_empty_rows(rows, labels, weight, config: SuggestConfig):
    """Most (task, unit) rows are units no signal points at and that are not on
    the task: keep one in ``config.empty_rows_kept`` of them, weighted up by as
    much, so the fit costs in proportion to the evidence and its intercept stays right."""
    import numpy as np

    evidence = [FEATURES.index(f) for f in ("knn_any", "centroid_any", "keyword_any", "named")]
    empty = (rows[:, evidence].max(1) <= 0.02) & ~labels
    step = config.empty_rows_kept
    if step <= 1 or empty.sum() < 10 * step:
        return rows, labels, weight
    positions = np.flatnonzero(empty)
    kept = positions[::step]
    keep = ~empty
    keep[kept] = True
    weight = weight.copy()
    weight[kept] *= len(positions) / len(kept)
    return rows[keep], labels[keep], weight[keep]


def copy_threshold(feats, Y_primary, config: SuggestConfig) -> float | None:
    """The lowest similarity from which the closest past task's primary unit is,
    on the history's held-out tasks, the task's own primary unit often enough
    (``config.copy_precision`` over ``copy_support`` tasks at least)."""
    import numpy as np

    nearest = feats[:, :, FEATURES.index("nearest_primary")]
    closest = nearest.max(1)
    right = Y_primary[np.arange(len(closest)), nearest.argmax(1)] >= 0.5
    for threshold in config.copy_grid:
        above = closest >= threshold
        if above.sum() >= config.copy_support and right[above].mean() >= config.copy_precision:
            return float(threshold)
    return None


class Model:
    """A fitted suggester for one government: its names, its history's evidence, its learned weights."""

    def __init__(self, naming: Naming, config: SuggestConfig, vectorizer: Vectorizer, examples: list[Example], X):
        self.naming = naming
        self.config = config
        self.vectorizer = vectorizer
        self.examples = examples
        self.X = X
        self.weights: Weights | None = None
        self._refresh()

    # --- evidence and conventions -------------------------------------------
    def _refresh(self) -> None:
        """Recompute what the examples say (labels, evidence, role conventions,
        companions) — after fitting, and after each correction learned."""
        import numpy as np

        m = len(self.naming)
        self.Y_any, self.Y_primary = label_matrices(self.examples, m)
        if self.examples:
            self.evidence = Evidence(
                self.X, self.Y_any, self.Y_primary, self.examples, range(len(self.examples)), self.naming, self.config
            )
            own = [e for e in self.examples if e.same_government] or self.examples
            self.reference_length = float(np.mean([len(e.text) for e in own]))
        else:
            self.evidence = None
            self.reference_length = 40.0
        self._learn_conventions()
        self._learn_companions()

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
        share, support = self.config.companion_share, self.config.companion_support
        self.companions = {
            a: [b for b, n in together[a].most_common() if n >= support and n / alone[a] >= share] for a in together
        }

    # --- learning from corrections -------------------------------------------
    def learn(self, task: Task) -> None:
        """Add a reviewed task (its units as the office settled them) to the history
        at once: the evidence and conventions follow; the learned weights stay."""
        self.learn_all([task])

    def learn_all(self, tasks: list[Task]) -> None:
        for task in tasks:
            self._add(task)
        if tasks:
            self._refresh()

    def _add(self, task: Task) -> None:
        from scipy import sparse

        catalogue = self.naming.catalogue
        for u in task.units:
            # The office names its own units: a name it gives that is not known yet is a unit of its own.
            if self.naming.present_name(u.name) is None:
                functions = catalogue.functions_of(u.name, u.alias)
                self.naming.add(TargetUnit(name=u.name, functions=functions, source="correction"))
        example = example_of(task, self.naming, True, 1.0, notice=len(self.examples) + 1)
        if example is None:
            return
        example.length_ratio = len(task.text) / max(self.reference_length, 1.0)
        self.examples.append(example)
        text = with_heading(task, self.config)
        width = self.vectorizer.grow(text)
        row = self.vectorizer.transform([text])
        if self.X is None:
            self.X = row
        else:
            self.X.resize((self.X.shape[0], width))
            self.X = sparse.vstack([self.X, row]).tocsr()

    # --- suggesting -----------------------------------------------------------
    def suggest(self, task: Task) -> Suggestion:
        return self.suggest_all([task])[0]

    def suggest_all(self, tasks: list[Task]) -> list[Suggestion]:
        """Suggestions for the tasks of one notice (the tasks under one heading hear each other)."""
        if not tasks:
            return []
        if not len(self.naming):
            return [Suggestion([], []) for _ in tasks]
        feats, neighbours = self.features(tasks)
        same = self.same_work(tasks)
        out = []
        for t, task in enumerate(tasks):
            suggestion = self._suggest_one(task, feats[t], neighbours[t])
            if same[t] is not None:
                suggestion = self._copied(same[t], suggestion)
            out.append(suggestion)
        return out

    def same_work(self, tasks: list[Task]) -> list[int | None]:
        """For each task, the past task of the government's own that is the same
        work again (the closest one, if at least ``weights.same_work`` similar), or None."""
        import numpy as np

        threshold = self.weights.same_work if self.weights else None
        own = [i for i, e in enumerate(self.examples) if e.same_government]
        if threshold is None or not own or self.X is None:
            return [None] * len(tasks)
        Q = self.vectorizer.transform([with_heading(t, self.config) for t in tasks])
        sims = (Q @ self.X[own].T).toarray()
        weights = np.array([self.examples[i].weight for i in own])
        return [None if j is None else own[j] for j in closest_same_work(sims, threshold, weights)]

    def _copied(self, i: int, suggestion: Suggestion) -> Suggestion:
        """The units and roles of past task ``i``, in the government's present
        names; the model's other candidates follow them."""
        e = self.examples[i]
        units: list[UnitRef] = []
        seen: set[int] = set()
        for u in e.task.units:
            for j in self.naming.map_unit(u.name, [], e.text, True):
                if j in seen:
                    continue
                seen.add(j)
                target = self.naming.units[j]
                units.append(UnitRef(name=target.name, role=u.role, collective=target.collective))
        if not units:
            return suggestion
        primary = [k for k, u in enumerate(units) if u.role in (LEAD, RESPONSIBLE)][:1]
        if primary and primary[0]:
            units.insert(0, units.pop(primary[0]))
        short = e.text if len(e.text) <= 18 else e.text[:18] + "…"
        number = f"第{e.task.number}项" if e.task.number else ""
        why = f"与往年任务{number}「{short}」相同"
        by_name = {c.name: c for c in suggestion.candidates}
        candidates = []
        for u in units:
            known = by_name.get(u.name)
            reason = why + ("；" + known.why if known else "")
            candidates.append(Candidate(u.name, 1.0, u.role, reason))
        names = {u.name for u in units}
        candidates += [c for c in suggestion.candidates if c.name not in names]
        return Suggestion(units, candidates)

    def features(self, tasks: list[Task]):
        m = len(self.naming)
        texts = [t.text for t in tasks]
        mean = sum(len(t) for t in texts) / len(texts) if len(tasks) > 1 else self.reference_length
        ratios = [len(t) / max(mean, 1.0) for t in texts]
        hits = [self.naming.catalogue.keyword_hits(t) for t in texts]
        if self.evidence is not None and self.X is not None:
            Q = self.vectorizer.transform([with_heading(t, self.config) for t in tasks])
            feats, neighbours = self.evidence.features(Q, texts, hits, ratios)
        else:
            from scipy import sparse

            # No history: the catalogue's keywords and the names in the text alone.
            empty = Evidence(
                sparse.csr_matrix((0, 1)),
                sparse.csr_matrix((0, m)),
                sparse.csr_matrix((0, m)),
                [],
                [],
                self.naming,
                self.config,
            )
            feats, neighbours = empty.features(sparse.csr_matrix((len(tasks), 1)), texts, hits, ratios)
        add_siblings(feats, [tuple(t.section) if t.section else ("", i) for i, t in enumerate(tasks)])
        add_copies(feats, self.weights.copy_threshold if self.weights else None)
        return feats, neighbours

    def scores(self, feats):
        """Lead scores (the ranker) and chances (the set model) of every unit."""
        import numpy as np

        w = self.weights
        rank = feats @ w.rank
        chance = 1 / (1 + np.exp(-(feats @ w.set_coef + w.set_intercept)))
        return rank, chance

    def _suggest_one(self, task: Task, feats, neighbours) -> Suggestion:
        import numpy as np

        text = task.text
        hits = self.naming.catalogue.keyword_hits(text)
        rank, chance = self.scores(feats)
        m = len(rank)
        doers = np.array([j not in self.monitors for j in range(m)])
        lead = int(np.argmax(np.where(doers, rank, -np.inf)))
        order = [lead] + [int(j) for j in np.argsort(-chance) if j != lead]
        chosen = self._best_expected_f1(order, chance)
        named = feats[:, FEATURES.index("named")]
        named_joined: list[int] = []
        if self.weights.set_source != "own":
            # Without the government's own habits, a unit named in the text is on
            # the task as often as the history's notices put a unit they name on
            # it — a chance in its own right; it joins the set when that chance
            # is above half the set's expected F1 (adding it raises the expectation).
            chance = np.maximum(chance, named)
            total = float(chance.sum())
            for j in np.argsort(-named):
                if named[j] <= 0 or j in chosen or j in named_joined:
                    continue
                picked = chosen + named_joined
                if chance[j] > float(chance[picked].sum()) / (len(picked) + total):
                    named_joined.append(int(j))
        chosen = chosen[:1] + sorted(chosen[1:], key=lambda j: -rank[j]) + named_joined
        for j in list(chosen):
            for b in self.companions.get(j, []):
                if b not in chosen:
                    chosen.append(b)
        roles = self._roles(chosen, neighbours)
        units = [
            UnitRef(name=self.naming.units[j].name, role=roles[j], collective=self.naming.units[j].collective)
            for j in chosen
        ]
        # Candidates: the lead, the two next likeliest leads (in the set or not:
        # whoever corrects the draft picks the lead among the first three), the
        # rest of the set, then the others by chance.
        rest = [j for j in order if j not in chosen and chance[j] > 0]
        ranked = chosen + rest
        runners_up = sorted(ranked[1:], key=lambda j: -rank[j])[:2]
        ranked = ranked[:1] + runners_up + [j for j in ranked[1:] if j not in runners_up]
        best = float(chance.max()) if chance.max() > 0 else 1.0
        candidates = []
        for j in ranked[: max(self.config.candidates, len(chosen) + 3)]:
            role = roles.get(j, MONITOR if j in self.monitors else SUPPORT)
            score = max(0.0, min(1.0, float(chance[j]) / best))
            candidates.append(
                Candidate(self.naming.units[j].name, score, role, self._why(j, text, neighbours, feats, hits))
            )
        known = [k for u in self.naming.units for k in u.keys + [u.name]]
        for company in companies_named(text):
            if not any(k in company or company in k for k in known):
                candidates.append(Candidate(company, 0.3, SUPPORT, f"任务中提到“{company}”，目录中没有这家企业"))
        return Suggestion(units, candidates)

    def _best_expected_f1(self, order: list[int], p) -> list[int]:
        """As many units as maximise the expected F1 of the set: the k most
        likely, for the k that maximises 2·Σp(top k) / (k + Σp(all))."""
        total = float(p.sum())
        best_k, best = 1, -1.0
        running = 0.0
        for k, j in enumerate(order[: self.config.set_max], start=1):
            running += float(p[j])
            value = 2 * running / (k + total)
            if value > best:
                best_k, best = k, value
        return order[:best_k]

    def _roles(self, chosen: list[int], neighbours) -> dict[int, str]:
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

    def _why(self, j: int, text: str, neighbours, feats, hits) -> str:
        unit = self.naming.units[j]
        parts = []
        similar = [i for i, _ in neighbours if j in self.examples[i].any_role][:2]
        for i in similar:
            e = self.examples[i]
            short = e.text if len(e.text) <= 18 else e.text[:18] + "…"
            who = "、".join(u.name for u in e.task.units[:3]) + ("等" if len(e.task.units) > 3 else "")
            number = f"第{e.task.number}项" if e.task.number else ""
            parts.append(f"相似任务{number}「{short}」（{who}）")
        words = [k for f in unit.functions + unit.adopted for k in hits.get(f, [])]
        if words and not unit.specific:
            parts.append("关键词：" + "、".join(dict.fromkeys(words[:4])))
        if feats[j, FEATURES.index("named")] > 0:
            key = next((k for k in unit.keys if k in text), unit.keys[0])
            parts.append(f"任务中提到“{key}”")
        if not parts:
            parts.append(f"按职能（{'、'.join(self.naming.catalogue.name(f) for f in unit.functions)}）")
        return "；".join(parts)

    # --- saving ----------------------------------------------------------------
    def __getstate__(self):
        state = dict(self.__dict__)
        state["naming"] = self.naming.without_catalogue()
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.naming.restore_catalogue()
