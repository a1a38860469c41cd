"""The measures of issue 3, computed on the corpus (``duban eval``).

Suggestions (units named for each task, clauses stripped before suggesting):

- *top-1* / *top-3*: the first / one of the first three suggested units is one
  of the notice's leads or, where it names no lead, one of its responsible units;
- *F1*: of the suggested unit set against the notice's unit set, per task, averaged.

They are measured across governments (leave one notice out, learn from the
others: Henan ↔ Jiyuan), once with the test government's directory — the
names of its units as its notice writes them, without which task they are on —
and once with only the default directory of its level; and within a
government (five interleaved folds of a notice's tasks, learning from the other
four and from the other notices).

Decomposition: the round trip of each notice (notice → report prose → draft,
task-boundary precision / recall / F1) and, for each real report, the main
targets found against the number the report states.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from duban.doc.model import Document, Task

# What the corpus README states about its reports: the number of main targets.
EXPECTED_TARGETS = {"report-yanshi-2026": 9, "report-pingdingshan-2026": 12}
FOLDS = 5


@dataclass
class Score:
    setting: str
    notice: str
    tasks: int
    top1: float
    top3: float
    f1: float

    def to_json(self) -> dict:
        return {
            "setting": self.setting,
            "notice": self.notice,
            "tasks": self.tasks,
            "top1": round(self.top1, 3),
            "top3": round(self.top3, 3),
            "f1": round(self.f1, 3),
        }


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


def score_tasks(truth: list[Task], suggested: list[Task]) -> tuple[int, float, float, float]:
    """Counts and sums over tasks that name units: (tasks, top-1 hits, top-3 hits, F1 sum)."""
    from duban.draft.suggest import primary_hit, set_f1

    n = hits1 = hits3 = 0
    f1 = 0.0
    for t, s in zip(truth, suggested):
        if not t.units:
            continue
        ranked = [c["name"] for c in s.candidates] or [u.name for u in s.units]
        n += 1
        hits1 += primary_hit(ranked, t, 1)
        hits3 += primary_hit(ranked, t, 3)
        f1 += set_f1([u.name for u in s.units], t)
    return n, hits1, hits3, f1


def own_directory(notice: Document) -> list[tuple[str, list[str]]]:
    """The notice's unit names with their functions — who the units are, not which tasks they have."""
    from duban.draft.catalogue import functions_of

    names: dict[str, list[str]] = {}
    for task in notice.tasks:
        for u in task.units:
            if u.name not in names:
                names[u.name] = functions_of(u.name, u.alias)
    return list(names.items())


def suggestion_scores(notices: list[Document], weights: dict | None = None) -> list[Score]:
    from duban.draft.suggest import suggest_document

    out: list[Score] = []
    for test in notices:
        others = [n for n in notices if n is not test]
        if others:
            for setting, directory in (("跨政府·本级名录", own_directory(test)), ("跨政府·默认名录", None)):
                suggested = suggest_document(test, others, directory, weights=weights)
                n, h1, h3, f1 = score_tasks(test.tasks, suggested.tasks)
                out.append(Score(setting, name_of(test), n, h1 / n, h3 / n, f1 / n))
        totals = [0, 0, 0, 0.0]
        for fold in range(FOLDS):
            train = replace(test, tasks=[t for i, t in enumerate(test.tasks) if i % FOLDS != fold])
            held = replace(test, tasks=[t for i, t in enumerate(test.tasks) if i % FOLDS == fold])
            suggested = suggest_document(held, [train, *others], weights=weights)
            for k, v in enumerate(score_tasks(held.tasks, suggested.tasks)):
                totals[k] += v
        n = totals[0]
        out.append(Score("本政府·五折", name_of(test), n, totals[1] / n, totals[2] / n, totals[3] / n))
    return out


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
    """Task-weighted averages of each setting over the notices."""
    out = []
    for setting in dict.fromkeys(s.setting for s in scores):
        rows = [s for s in scores if s.setting == setting]
        n = sum(s.tasks for s in rows)
        out.append(
            Score(
                setting,
                "全部",
                n,
                sum(s.top1 * s.tasks for s in rows) / n,
                sum(s.top3 * s.tasks for s in rows) / n,
                sum(s.f1 * s.tasks for s in rows) / n,
            )
        )
    return out


def report_text(scores: list[Score], trips: list[dict], targets: list[dict]) -> str:
    lines = [
        "推荐责任单位（条款去掉后重新推荐）",
        f"{'设置':<12}{'通知':<24}{'任务':>5}{'top-1':>8}{'top-3':>8}{'单位F1':>8}",
    ]
    for s in [*scores, *summary(scores)]:
        lines.append(f"{s.setting:<12}{s.notice:<24}{s.tasks:>5}{s.top1:>8.3f}{s.top3:>8.3f}{s.f1:>8.3f}")
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
