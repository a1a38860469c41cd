"""From past notices to evidence, and from evidence to the features of each (task, unit).

The history becomes ``Example``s — past tasks with their units in the target
government's names and a weight (another government's count half, older years
less).  ``Evidence`` is what a set of examples says, kept sparse so it grows
with the history and not with its square:

- the past tasks' TF-IDF rows (rjieba words and character bigrams), for the
  neighbour vote — a new task is compared with every past task, one row of
  similarities at a time, never a task-by-task matrix;
- each unit's centroid (the weighted sum of the rows of its past tasks);
- the catalogue keywords' track record (of the past tasks containing a
  keyword, the share whose units do its function);
- how often a named town or company is on a task that names it;
- each unit's base rate.

``features`` turns a batch of tasks into a (task, unit, feature) array, the
signals ``FEATURES`` names; the model (``model``) learns how they add up.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from duban.doc.model import LEAD, MONITOR, Document, Task
from duban.draft.suggest.config import SuggestConfig
from duban.draft.suggest.naming import Government, Naming

FEATURES = (
    "knn_any",  # weighted vote of the most similar past tasks: the unit was on them
    "knn_primary",  # … the unit led them
    # The similarity of the closest past task that had the unit (led by it):
    # a near copy of a past task (next year's notice rewording last year's)
    # is surer evidence than a vote among distant ones.
    "nearest_any",
    "nearest_primary",
    # 1 when that closest task is at least as similar as the copy threshold the
    # history shows (``model.copy_threshold``): a past task that close is, in
    # the history's own held-out tasks, the same work again.
    "copy_any",
    "copy_primary",
    "centroid_any",  # cosine of the task with the centroid of the unit's past tasks
    "centroid_primary",  # … of the tasks it led
    "keyword_any",  # the catalogue keywords of the unit's functions in the task, by their track record
    "keyword_primary",
    "named",  # the unit (a town, a company) is named in the text: its mention rate
    "unnamed_specific",  # a specific unit (a town, a company) the text does not name
    "prior_any",  # the unit's base rate in the history
    "prior_primary",
    "siblings_knn",  # the mean knn_primary of the other tasks under the same heading
    "siblings_centroid",
    "siblings_keyword",
    "breadth",  # log of the task's length over its notice's mean: longer tasks name more units
    # Each vote against the task's best unit by it: how far a unit stands behind the first.
    "knn_any_relative",
    "centroid_any_relative",
    "keyword_any_relative",
    "knn_primary_relative",
    "centroid_primary_relative",
    "keyword_primary_relative",
)
RELATIVE = [
    (f"{name}_relative", name)
    for name in ("knn_any", "centroid_any", "keyword_any", "knn_primary", "centroid_primary", "keyword_primary")
]
F = {name: i for i, name in enumerate(FEATURES)}


def tokens(text: str) -> list[str]:
    """rjieba words and character bigrams: words for meaning, bigrams for the
    words rjieba splits differently in different notices."""
    import rjieba

    clean = re.sub(r"[\s\d.%％]+", " ", text)
    words = [w for w in rjieba.cut(clean) if len(w) > 1 and not re.fullmatch(r"\W+", w)]
    chars = re.sub(r"[^\u4e00-\u9fff]", "", clean)
    return words + [chars[i : i + 2] for i in range(len(chars) - 1)]


def with_heading(task: Task, config: SuggestConfig) -> str:
    """The task's text with its innermost heading."""
    heading = re.sub(r"^[（(]?[一二三四五六七八九十\d]+[)）、.．]?", "", task.section[-1]) if task.section else ""
    return f"{task.text} {heading}" if heading and config.with_heading else task.text


class Vectorizer:
    """TF-IDF with sublinear term frequency and unit-length rows (what
    scikit-learn's TfidfVectorizer does with these settings), kept here so a
    cached model loads without importing scikit-learn."""

    def __init__(self):
        self.vocabulary: dict[str, int] = {}
        self.idf = None

    def fit_transform(self, texts: list[str]):
        import numpy as np

        docs = [Counter(tokens(t)) for t in texts]
        df: Counter = Counter()
        for d in docs:
            df.update(d.keys())
        self.vocabulary = {w: i for i, w in enumerate(sorted(df))}
        n = len(docs)
        self.idf = np.array([np.log((1 + n) / (1 + df[w])) + 1 for w in sorted(df)])
        return self._matrix(docs)

    def transform(self, texts: list[str]):
        return self._matrix([Counter(tokens(t)) for t in texts])

    def grow(self, text: str) -> int:
        """Take in the words of a task learned after fitting (a correction): a
        word never seen gets the weight of a word seen once.  Returns the new
        vocabulary size (the history's rows are padded to it)."""
        import numpy as np

        new = [w for w in dict.fromkeys(tokens(text)) if w not in self.vocabulary]
        for w in new:
            self.vocabulary[w] = len(self.vocabulary)
        once = float(self.idf.max()) if self.idf is not None and len(self.idf) else 1.0
        self.idf = np.append(self.idf if self.idf is not None else np.zeros(0), [once] * len(new))
        return len(self.vocabulary)

    def _matrix(self, docs: list[Counter]):
        import numpy as np
        from scipy import sparse

        rows, cols, vals = [], [], []
        for r, d in enumerate(docs):
            for w, c in d.items():
                j = self.vocabulary.get(w)
                if j is not None:
                    rows.append(r)
                    cols.append(j)
                    vals.append((1 + np.log(c)) * self.idf[j])
        X = sparse.csr_matrix((vals, (rows, cols)), shape=(len(docs), len(self.vocabulary)))
        norms = np.sqrt(np.asarray(X.multiply(X).sum(1)).ravel())
        norms[norms == 0] = 1.0
        return sparse.diags(1 / norms) @ X


@dataclass
class Example:
    """A past task in the target government's names."""

    task: Task
    notice: int  # its notice's place in the history
    same_government: bool
    weight: float
    # target unit index → label (1 for a unit, a share for a carried-over merged bureau)
    any_role: dict[int, float]
    primary: dict[int, float]
    monitor: set[int]
    has_lead: bool
    functions_any: set[str] = field(default_factory=set)
    functions_primary: set[str] = field(default_factory=set)
    hits: dict[str, list[str]] = field(default_factory=dict)  # catalogue keywords found, by function
    length_ratio: float = 1.0  # its length over its notice's mean task length

    @property
    def text(self) -> str:
        return self.task.text

    @property
    def size(self) -> int:
        return len(self.any_role)

    @property
    def group(self) -> tuple:
        """What an inner fold holds out whole: a top-level section of a notice."""
        return (self.notice, self.task.section[0] if self.task.section else "")

    @property
    def heading(self) -> tuple:
        return (self.notice, tuple(self.task.section))


def notice_year(doc: Document) -> int | None:
    return doc.year or (doc.date.year if doc.date else None)


def select_history(history: list[Document], config: SuggestConfig) -> list[tuple[Document, float]]:
    """The notices learned from, with their weight by age: at most
    ``notices_per_government`` of each government, the latest first, each
    year back worth ``year_decay`` of the year after it (a notice of unknown
    year counts as its government's latest)."""
    by_government: dict[str | None, list[int]] = defaultdict(list)
    for i, doc in enumerate(history):
        by_government[Government.of(doc).place].append(i)
    keep: dict[int, float] = {}
    for members in by_government.values():
        years = [notice_year(history[i]) for i in members]
        latest = max((y for y in years if y), default=None)
        ranked = sorted(zip(members, years), key=lambda p: -(p[1] or latest or 0))
        if config.notices_per_government is not None:
            ranked = ranked[: config.notices_per_government]
        for i, year in ranked:
            age = (latest - year) if (latest and year) else 0
            keep[i] = config.year_decay ** max(age, 0)
    return [(history[i], keep[i]) for i in sorted(keep)]


def examples_of(
    history: list[Document], naming: Naming, government: Government, config: SuggestConfig
) -> list[Example]:
    out = []
    for n, (doc, age_weight) in enumerate(select_history(history, config)):
        same = government.same(Government.of(doc))
        weight = age_weight * (1.0 if same else config.cross_government)
        lengths = [len(t.text) for t in doc.tasks if t.units]
        mean_length = sum(lengths) / len(lengths) if lengths else 1.0
        for task in doc.tasks:
            example = example_of(task, naming, same, weight, n)
            if example is not None:
                example.length_ratio = len(task.text) / max(mean_length, 1.0)
                out.append(example)
    return out


def example_of(task: Task, naming: Naming, same: bool, weight: float, notice: int) -> Example | None:
    """One past task in the target's names, or None when none of its units has a name there."""
    catalogue = naming.catalogue
    if not task.units:
        return None
    any_role: dict[int, float] = {}
    primary: dict[int, float] = {}
    monitor: set[int] = set()
    functions_any: set[str] = set()
    functions_primary: set[str] = set()
    primary_names = {u.name for u in task.primary_units}
    for u in task.units:
        functions = naming.functions_of(u.name, u.alias, same)
        functions_any.update(functions)
        if u.name in primary_names:
            functions_primary.update(functions)
        targets = naming.map_unit(u.name, functions, task.text, same)
        share = 1.0 / len(targets) if targets else 0.0
        for j in targets:
            value = 1.0 if same else share
            any_role[j] = max(any_role.get(j, 0.0), value)
            if u.name in primary_names:
                primary[j] = max(primary.get(j, 0.0), value)
            if u.role == MONITOR:
                monitor.add(j)
    if not any_role:
        return None
    return Example(
        task=task,
        notice=notice,
        same_government=same,
        weight=weight,
        any_role=any_role,
        primary=primary,
        monitor=monitor,
        has_lead=bool(task.units_in(LEAD)),
        functions_any=functions_any,
        functions_primary=functions_primary,
        hits=catalogue.keyword_hits(task.text),
    )


def label_matrices(examples: list[Example], m: int):
    """Sparse (examples × units) labels: any role, and primary."""
    from scipy import sparse

    def build(attr):
        rows, cols, vals = [], [], []
        for i, e in enumerate(examples):
            for j, v in getattr(e, attr).items():
                rows.append(i)
                cols.append(j)
                vals.append(v)
        return sparse.csr_matrix((vals, (rows, cols)), shape=(len(examples), m))

    return build("any_role"), build("primary")


class Evidence:
    """What a set of past tasks (``rows`` of the history) says; see the module's docstring."""

    def __init__(self, X, Y_any, Y_primary, examples: list[Example], rows, naming: Naming, config: SuggestConfig):
        import numpy as np
        from scipy import sparse

        self.config = config
        self.naming = naming
        self.rows = np.asarray(rows, dtype=int)
        self.X = X[self.rows]
        self.Y_any = Y_any[self.rows]
        self.Y_primary = Y_primary[self.rows]
        self.weight = np.array([examples[i].weight for i in self.rows])
        m = len(naming)
        total = max(float(self.weight.sum()), 1e-9)
        self.prior_any = np.asarray(self.Y_any.T @ self.weight).ravel() / total
        self.prior_primary = np.asarray(self.Y_primary.T @ self.weight).ravel() / total
        W = sparse.diags(self.weight)
        self.centroid_any = _unit_rows(self.Y_any.T @ W @ self.X)
        self.centroid_primary = _unit_rows(self.Y_primary.T @ W @ self.X)
        self._learn_keywords([examples[i] for i in self.rows])
        self._learn_mentions([examples[i] for i in self.rows], m)

    def _learn_keywords(self, examples: list[Example]) -> None:
        """Of the past tasks containing a keyword, the share whose units do its
        function (one pass over the tasks' keyword hits)."""
        c = self.config
        containing: Counter = Counter()
        hits_any: Counter = Counter()
        hits_primary: Counter = Counter()
        for e in examples:
            words = {k for ks in e.hits.values() for k in ks}
            containing.update(words)
            for f, ks in e.hits.items():
                for k in ks:
                    hits_any[f, k] += f in e.functions_any
                    hits_primary[f, k] += f in e.functions_primary
        prior, strength = c.keyword_prior, c.keyword_strength
        self.keyword_any = {
            key: (hits_any[key] + strength * prior) / (containing[key[1]] + strength) for key in hits_any
        }
        self.keyword_primary = {
            key: (hits_primary[key] + strength * prior) / (containing[key[1]] + strength) for key in hits_primary
        }

    def _learn_mentions(self, examples: list[Example], m: int) -> None:
        """How often a specific unit named in a task's text is on it (the government's own tasks)."""
        c = self.config
        self.mention_rate: dict[int, float] = {}
        keyed = [(j, u.keys) for j, u in enumerate(self.naming.units) if u.keys]
        named = Counter()
        hit = Counter()
        for e in examples:
            if not e.same_government:
                continue
            for j, keys in keyed:
                if any(k in e.text for k in keys):
                    named[j] += 1
                    hit[j] += j in e.any_role
        for j, _ in keyed:
            self.mention_rate[j] = (hit[j] + c.mention_prior_hits) / (named[j] + c.mention_prior_trials)

    # --- scoring -------------------------------------------------------------
    def neighbours(self, Q):
        """For each query row, its most similar past tasks as [(history row, similarity)],
        computed a block of queries at a time (memory: block × history)."""
        import numpy as np

        k = self.config.neighbours
        out = []
        for start in range(0, Q.shape[0], 256):
            sims = (Q[start : start + 256] @ self.X.T).toarray()
            sims *= self.weight[None, :]
            for r in range(sims.shape[0]):
                row = sims[r]
                if len(row) > k:
                    top = np.argpartition(-row, k)[:k]
                else:
                    top = np.arange(len(row))
                top = top[np.argsort(-row[top])]
                out.append([(int(i), float(row[i])) for i in top if row[i] > 0])
        return out

    def features(self, Q, texts: list[str], hits: list[dict], length_ratios: list[float]):
        """(tasks × units × FEATURES) for the query rows ``Q``, and each task's neighbours
        (as positions among ``self.rows``).  The sibling features are left at 0
        (``add_siblings`` fills them once a notice's tasks are scored)."""
        import numpy as np

        c = self.config
        m = len(self.naming)
        n = Q.shape[0]
        out = np.zeros((n, m, len(FEATURES)))
        neighbours = self.neighbours(Q)
        for t, near in enumerate(neighbours):
            if near:
                idx = np.array([i for i, _ in near])
                w = np.array([s for _, s in near]) ** c.similarity_power
                w = w / w.sum()
                labels_any = self.Y_any[idx].toarray()
                labels_primary = self.Y_primary[idx].toarray()
                out[t, :, F["knn_any"]] = w @ labels_any
                out[t, :, F["knn_primary"]] = w @ labels_primary
                sims = np.array([s for _, s in near])[:, None]
                out[t, :, F["nearest_any"]] = (labels_any * sims).max(0)
                out[t, :, F["nearest_primary"]] = (labels_primary * sims).max(0)
        out[:, :, F["centroid_any"]] = (Q @ self.centroid_any.T).toarray()
        out[:, :, F["centroid_primary"]] = (Q @ self.centroid_primary.T).toarray()
        units = self.naming.units
        functions = [u.functions + u.adopted if not u.specific else [] for u in units]
        by_function: dict[str, list[int]] = defaultdict(list)
        for j, fs in enumerate(functions):
            for f in fs:
                by_function[f].append(j)
        for t, task_hits in enumerate(hits):
            for f, words in task_hits.items():
                if f not in by_function:
                    continue
                s_any = sum(2 * self.keyword_any.get((f, k), c.keyword_prior) * min(len(k), 6) / 3 for k in words)
                s_primary = sum(
                    2 * self.keyword_primary.get((f, k), c.keyword_prior) * min(len(k), 6) / 3 for k in words
                )
                for j in by_function[f]:
                    out[t, j, F["keyword_any"]] = max(out[t, j, F["keyword_any"]], 1 - 0.5**s_any)
                    out[t, j, F["keyword_primary"]] = max(out[t, j, F["keyword_primary"]], 1 - 0.5**s_primary)
        for j, rate in self.mention_rate.items():
            keys = units[j].keys
            for t, text in enumerate(texts):
                if any(k in text for k in keys):
                    out[t, j, F["named"]] = rate
                else:
                    out[t, j, F["unnamed_specific"]] = 1.0
        out[:, :, F["prior_any"]] = self.prior_any[None, :]
        out[:, :, F["prior_primary"]] = self.prior_primary[None, :]
        out[:, :, F["breadth"]] = np.log(np.maximum(np.asarray(length_ratios), 0.05))[:, None]
        for target, source in RELATIVE:
            best = out[:, :, F[source]].max(1, keepdims=True)
            out[:, :, F[target]] = out[:, :, F[source]] / np.where(best > 0, best, 1.0)
        return out, neighbours


def add_copies(features, threshold: float | None) -> None:
    """Fill the copy features for a copy threshold (None: no past task is close enough to be one)."""
    for target, source in (("copy_any", "nearest_any"), ("copy_primary", "nearest_primary")):
        features[:, :, F[target]] = 0.0 if threshold is None else features[:, :, F[source]] >= threshold


def add_siblings(features, headings: list[tuple]) -> None:
    """Fill the sibling features: for each task, the mean of the other tasks'
    primary signals under the same heading (a heading is one paragraph of the
    report, most often one department's field)."""
    import numpy as np

    groups: dict[tuple, list[int]] = defaultdict(list)
    for t, heading in enumerate(headings):
        groups[heading].append(t)
    pairs = (
        ("siblings_knn", "knn_primary"),
        ("siblings_centroid", "centroid_primary"),
        ("siblings_keyword", "keyword_primary"),
    )
    for members in groups.values():
        if len(members) < 2:
            continue
        idx = np.array(members)
        for target, source in pairs:
            total = features[idx, :, F[source]].sum(0)
            features[idx, :, F[target]] = (total[None, :] - features[idx, :, F[source]]) / (len(members) - 1)


def _unit_rows(M):
    """Rows scaled to unit length (a zero row stays zero)."""
    import numpy as np
    from scipy import sparse

    M = sparse.csr_matrix(M)
    norms = np.sqrt(np.asarray(M.multiply(M).sum(1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.diags(1 / norms) @ M
