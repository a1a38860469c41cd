"""Many years of past notices, made from the corpus notices for the history-scaling measures.

Each made notice is a corpus notice as another year might write it: the year
moved back (its title, date and every 2026 in it), every figure changed, verbs
swapped, the last clause of some long tasks dropped, tasks shuffled within
their headings — the units and their clauses kept.  Deterministic (seeded by
the notice's number); nothing is written to the repository.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

SYNONYMS = [
    ("加快", "加速"),
    ("推进", "推动"),
    ("深化", "深入推进"),
    ("提升", "提高"),
    ("持续", "继续"),
    ("实施", "开展"),
]
TASK = re.compile(r"^(\d+)[.．、]")


def reworded(text: str, k: int) -> str:
    """The notice text ``text`` as it might read ``k`` years earlier (k ≥ 1)."""
    rng = random.Random(k)
    text = re.sub(r"(?<!\d)20[12]\d(?!\d)", lambda y: str(int(y.group()) - k), text)
    lines = text.split("\n")
    out = []
    for line in lines:
        m = TASK.match(line.strip())
        if m and len(line) > 30:
            body = re.sub(
                r"(?<!\d)(\d+)(?=[%万亿个项家公里亩])",
                lambda d: str(max(1, int(d.group(1)) + rng.randint(-3, 3))),
                line,
            )
            for a, b in SYNONYMS:
                if rng.random() < 0.5:
                    body = body.replace(a, b)
            if rng.random() < 0.3:
                # Drop the clause before the unit bracket of a long task, as a year with less to do.
                body = re.sub(r"，[^，。（(]{4,30}。(?=[（(])", "。", body, count=1)
            out.append(body)
        else:
            out.append(line)
    return "\n".join(out)


def write_history(corpus: Path, directory: Path, n: int) -> list[Path]:
    """``n`` notices: the two corpus notices, then reworded years of each in turn (2025, 2024, …)."""
    sources = sorted(corpus.glob("notice-*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in sources]
    paths = []
    for i in range(n):
        source, k = i % len(sources), i // len(sources)
        path = directory / f"{sources[source].stem.replace('2026', str(2026 - k))}.txt"
        path.write_text(texts[source] if k == 0 else reworded(texts[source], k), encoding="utf-8")
        paths.append(path)
    return paths


def draft_with_history(report: Path, paths: list[Path], cap: int | None | str = "default") -> dict:
    """Draft ``report`` learning from ``paths`` (parsing included); seconds and this process's peak memory."""
    import resource
    import time

    from duban.doc import parse_file
    from duban.draft.decompose import decompose
    from duban.draft.suggest import SuggestConfig, suggest_document

    config = SuggestConfig() if cap == "default" else SuggestConfig(notices_per_government=cap)
    start, cpu_start = time.perf_counter(), time.process_time()
    history = [parse_file(p, kind="notice") for p in paths]
    parsed, cpu_parsed = time.perf_counter(), time.process_time()
    draft = suggest_document(decompose(parse_file(report, kind="report")), history, config=config)
    end, cpu_end = time.perf_counter(), time.process_time()
    return {
        "notices": len(paths),
        "cap": config.notices_per_government,
        "parse_s": round(parsed - start, 2),
        "draft_s": round(end - parsed, 2),
        "total_s": round(end - start, 2),
        # CPU seconds: what the machine's load does not inflate.
        "parse_cpu_s": round(cpu_parsed - cpu_start, 2),
        "draft_cpu_s": round(cpu_end - cpu_parsed, 2),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "tasks": len(draft.tasks),
    }


def main() -> None:
    """``python -m tests.history CORPUS N [CAP]``: one measure, as JSON (run in a fresh process each)."""
    import json
    import sys
    import tempfile

    corpus, n = Path(sys.argv[1]), int(sys.argv[2])
    cap = "default" if len(sys.argv) < 4 else (None if sys.argv[3] == "none" else int(sys.argv[3]))
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_history(corpus, Path(tmp), n)
        print(json.dumps(draft_with_history(corpus / "report-pingdingshan-2026.txt", paths, cap)))


if __name__ == "__main__":
    main()
