"""The measures of the suggestions and the decomposition, computed on the corpus (``duban eval``).

Suggestions (units named for each task, clauses stripped before suggesting):

- *top-1* / *top-3*: the first / one of the first three suggested units is one
  of the notice's leads or, where it names no lead, one of its responsible units;
- *F1*: of the suggested unit set against the notice's unit set, per task, averaged;
- *ceiling*: the share of tasks one of whose primary units is among the names
  the suggester can choose from at all (a name the history and the directory
  never give cannot be suggested).

Settings:

- across governments (leave one notice out, learn from the others: Henan ↔
  Jiyuan), once with the test government's directory — the names of its units
  as its notice writes them, without which task they are on — and once with
  only the default directory of its level;
- within a government, each top-level section (一、…十、) held out whole: learn
  from the notice's other sections and from the other notices, suggest for the
  section.  A new year's notice has no task whose neighbours under the same
  heading are already known, so folds that interleave tasks (the earlier
  measure) are too kind.

Every figure carries a 95 % bootstrap interval: top-level sections are
resampled (a section's tasks stand or fall together), 2,000 times, with a fixed
seed.  ``replay_curve`` measures learning from corrections: a reviewer corrects
a notice's tasks in order and top-1 is measured on the tasks not yet corrected.

Decomposition: the round trip of each notice (notice → report prose → draft,
task-boundary precision / recall / F1) and, for each real report, the main
targets found against the number the report states.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from duban.doc.model import Document, Task

# What the corpus README states about its reports: the number of main targets.
EXPECTED_TARGETS = {"report-yanshi-2026": 9, "report-pingdingshan-2026": 12}
# Bootstrap: resamples and seed (fixed, so a figure's interval is the same on every run).
BOOTSTRAP = 2000
SEED = 13
# The replay curve: top-1 on the tasks not yet corrected after this many corrections.
REPLAY_POINTS = (0, 10, 25, 50)

ACROSS_OWN = "跨政府·本级名录"
ACROSS_DEFAULT = "跨政府·默认名录"
WITHIN = "本政府·留出章节"


@dataclass
class TaskResult:
    """One task's outcome: the unit of the bootstrap is its ``group`` (notice, top-level section)."""

    group: tuple
    hit1: bool
    hit3: bool
    f1: float
    reachable: bool


@dataclass
class Score:
    setting: str
    notice: str
    results: list[TaskResult] = field(default_factory=list)

    @property
    def tasks(self) -> int:
        return len(self.results)

    def mean(self, what: str) -> float:
        return sum(float(getattr(r, what)) for r in self.results) / max(1, len(self.results))

    @property
    def top1(self) -> float:
        return self.mean("hit1")

    @property
    def top3(self) -> float:
        return self.mean("hit3")

    @property
    def f1(self) -> float:
        return self.mean("f1")

    @property
    def ceiling(self) -> float:
        return self.mean("reachable")

    def interval(self, what: str) -> tuple[float, float]:
        return bootstrap(self.results, what)

    def to_json(self) -> dict:
        out = {"setting": self.setting, "notice": self.notice, "tasks": self.tasks}
        for key, what in (("top1", "hit1"), ("top3", "hit3"), ("f1", "f1"), ("ceiling", "reachable")):
            low, high = self.interval(what)
            out[key] = round(self.mean(what), 3)
            out[f"{key}_ci"] = [round(low, 3), round(high, 3)]
        return out


def bootstrap(results: list[TaskResult], what: str, resamples: int = BOOTSTRAP, seed: int = SEED):
    """95 % percentile interval of the mean of ``what``, resampling whole groups."""
    import numpy as np

    if not results:
        return (0.0, 0.0)
    groups: dict[tuple, list[float]] = {}
    for r in results:
        groups.setdefault(r.group, []).append(float(getattr(r, what)))
    sums = np.array([sum(v) for v in groups.values()])
    sizes = np.array([len(v) for v in groups.values()])
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(sums), size=(resamples, len(sums)))
    means = sums[picks].sum(1) / sizes[picks].sum(1)
    low, high = np.percentile(means, [2.5, 97.5])
    return float(low), float(high)


def default_corpus() -> Path:
    """``../shared/corpus`` beside the working directory, else beside the repository."""
    here = Path.cwd().parent / "shared" / "corpus"
    if here.is_dir():
        return here
    return Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


def read_corpus(corpus: Path) -> tuple[list[Document], list[Document]]:
    from duban.doc import parse_file
    from duban.errors import DubanError

    if not corpus.is_dir():
        raise DubanError(f"找不到语料目录 {corpus}（用 --corpus 指定，里面应有 notice-*.txt 和 report-*.txt）。")
    notices = [parse_file(p, kind="notice") for p in sorted(corpus.glob("notice-*.txt"))]
    reports = [parse_file(p, kind="report") for p in sorted(corpus.glob("report-*.txt"))]
    if not notices:
        raise DubanError(f"语料目录 {corpus} 里没有任务分解通知（notice-*.txt）。")
    return notices, reports


def name_of(doc: Document) -> str:
    return Path(doc.source or "?").stem


def top_section(task: Task) -> str:
    return task.section[0] if task.section else ""


def score_tasks(
    truth: list[Task], suggested: list[Task], notice: str, names: set[str] | None = None
) -> list[TaskResult]:
    """One result per task that names units; ``names``: the names the suggester could choose from."""
    from duban.draft.suggest import primary_hit, set_f1

    out = []
    for t, s in zip(truth, suggested):
        if not t.units:
            continue
        ranked = [c["name"] for c in s.candidates] or [u.name for u in s.units]
        reachable = names is None or any(u.name in names for u in t.primary_units)
        out.append(
            TaskResult(
                group=(notice, top_section(t)),
                hit1=primary_hit(ranked, t, 1),
                hit3=primary_hit(ranked, t, 3),
                f1=set_f1([u.name for u in s.units], t),
                reachable=reachable,
            )
        )
    return out


def own_directory(notice: Document) -> list[tuple[str, list[str]]]:
    """The notice's unit names with their functions — who the units are, not which tasks they have."""
    from duban.draft.catalogue import functions_of

    names: dict[str, list[str]] = {}
    for task in notice.tasks:
        for u in task.units:
            if u.name not in names:
                names[u.name] = functions_of(u.name, u.alias)
    return list(names.items())


def _run(test: Document, history: list[Document], directory, config) -> list[TaskResult]:
    from duban.draft.suggest import candidate_names, suggest_document

    suggested = suggest_document(test, history, directory, config=config)
    names = candidate_names(test, history, directory)
    return score_tasks(test.tasks, suggested.tasks, name_of(test), names)


def suggestion_scores(
    notices: list[Document], config=None, settings=(ACROSS_OWN, ACROSS_DEFAULT, WITHIN)
) -> list[Score]:
    out: list[Score] = []
    for test in notices:
        others = [n for n in notices if n is not test]
        if others and ACROSS_OWN in settings:
            out.append(Score(ACROSS_OWN, name_of(test), _run(test, others, own_directory(test), config)))
        if others and ACROSS_DEFAULT in settings:
            out.append(Score(ACROSS_DEFAULT, name_of(test), _run(test, others, None, config)))
        if WITHIN in settings:
            results: list[TaskResult] = []
            for section in dict.fromkeys(top_section(t) for t in test.tasks):
                train = replace(test, tasks=[t for t in test.tasks if top_section(t) != section])
                held = replace(test, tasks=[t for t in test.tasks if top_section(t) == section])
                results += _run(held, [train, *others], None, config)
            out.append(Score(WITHIN, name_of(test), results))
    return out


def replay_curve(notice: Document, history: list[Document], directory=None, points=REPLAY_POINTS, config=None):
    """A reviewer corrects ``notice``'s tasks in order, each correction learned at
    once (``Model.learn``): top-1 on the tasks not yet corrected after each
    number of corrections in ``points``, with its interval."""
    from duban.draft.suggest import build_naming, fit, primary_hit, strip_units, target_government

    government = target_government(notice, history)
    model = fit(history, build_naming(government, history, directory), config)
    tasks = [t for t in notice.tasks if t.units]
    stripped = strip_units(replace(notice, tasks=tasks)).tasks
    points = [p for p in points if p < len(tasks)]
    last = max(points, default=0)
    curve = []
    done = 0
    for point in points:
        for task in tasks[done:point]:
            model.learn(task)
        done = point
        results = []
        for truth, suggestion in zip(tasks[point:], model.suggest_all(stripped[point:])):
            ranked = [c.name for c in suggestion.candidates]
            hit1, hit3 = primary_hit(ranked, truth, 1), primary_hit(ranked, truth, 3)
            results.append(TaskResult((name_of(notice), top_section(truth)), hit1, hit3, 0.0, True))
        score = Score("replay", name_of(notice), results)
        # The same tasks at every point (those after the last point), so that a
        # change is the corrections' doing and not that of which tasks remain.
        tail = Score("replay", name_of(notice), results[last - point :])
        low, high = score.interval("hit1")
        curve.append(
            {
                "corrections": point,
                "tasks": score.tasks,
                "top1": round(score.top1, 3),
                "top1_ci": [round(low, 3), round(high, 3)],
                "top3": round(score.top3, 3),
                "top1_last_tasks": round(tail.top1, 3),
            }
        )
    return curve


def decomposition_scores(notices: list[Document], reports: list[Document]) -> tuple[list[dict], list[dict]]:
    from duban.draft.roundtrip import round_trip

    trips = []
    for notice in notices:
        _, scores = round_trip(notice)
        trips.append({"notice": name_of(notice), **{k: scores[k] for k in ("precision", "recall", "f1", "matched")}})
        trips[-1]["gold"] = scores["gold"]
        trips[-1]["predicted"] = scores["predicted"]
    targets = []
    for report in reports:
        expected = EXPECTED_TARGETS.get(name_of(report))
        with_value = sum(1 for t in report.targets if t.indicators)
        targets.append(
            {
                "report": name_of(report),
                "found": len(report.targets),
                "expected": expected,
                "with_value": with_value,
                "exact": expected is not None and len(report.targets) == expected,
            }
        )
    return trips, targets


def summary(scores: list[Score]) -> list[Score]:
    """Each setting over all the notices (the bootstrap resamples the sections of all of them)."""
    out = []
    for setting in dict.fromkeys(s.setting for s in scores):
        out.append(Score(setting, "全部", [r for s in scores if s.setting == setting for r in s.results]))
    return out


def _cell(score: Score, what: str) -> str:
    low, high = score.interval(what)
    return f"{score.mean(what):.3f} [{low:.2f}–{high:.2f}]"


def report_text(scores: list[Score], trips: list[dict], targets: list[dict], replay: list[dict] | None = None) -> str:
    lines = [
        "推荐责任单位（条款去掉后重新推荐；方括号内为 95% 自助法区间，按章节重抽样）",
        f"{'设置':<12}{'通知':<24}{'任务':>5}  {'top-1':<19}{'top-3':<19}{'单位F1':<19}{'上限':<19}",
    ]
    for s in [*scores, *summary(scores)]:
        cells = "".join(f"{_cell(s, w):<19}" for w in ("hit1", "hit3", "f1", "reachable"))
        lines.append(f"{s.setting:<12}{s.notice:<24}{s.tasks:>5}  {cells}")
    if replay:
        lines += [
            "",
            "逐项修正后重新排序（未修正任务的 top-1；末列为最后一段任务，各点相同）",
            f"{'通知':<24}{'已修正':>6}{'剩余':>6}  {'top-1':<19}{'top-3':>7}{'末段top-1':>10}",
        ]
        for row in replay:
            low, high = row["top1_ci"]
            cell = f"{row['top1']:.3f} [{low:.2f}–{high:.2f}]"
            lines.append(
                f"{row['notice']:<24}{row['corrections']:>6}{row['tasks']:>6}  {cell:<19}"
                f"{row['top3']:>7.3f}{row['top1_last_tasks']:>10.3f}"
            )
    lines += [
        "",
        "分解：往返（通知→报告文字→草稿）任务边界",
        f"{'通知':<24}{'P':>8}{'R':>8}{'F1':>8}{'命中/原/草稿':>14}",
    ]
    for t in trips:
        counts = f"{t['matched']}/{t['gold']}/{t['predicted']}"
        lines.append(f"{t['notice']:<24}{t['precision']:>8.3f}{t['recall']:>8.3f}{t['f1']:>8.3f}{counts:>14}")
    lines += ["", "分解：工作报告主要预期目标", f"{'报告':<28}{'找到':>6}{'应有':>6}{'带数值':>8}{'一致':>6}"]
    for t in targets:
        expected = "?" if t["expected"] is None else str(t["expected"])
        lines.append(
            f"{t['report']:<28}{t['found']:>6}{expected:>6}{t['with_value']:>8}{'是' if t['exact'] else '否':>6}"
        )
    return "\n".join(lines) + "\n"
