"""``python -m tests.yoy_measure [CORPUS]``: the year-over-year matching measured on the corpus notices.

Each corpus notice is put beside itself as last year might have written it (``tests.history.reworded``:
figures changed, verbs swapped, clauses dropped), every seventh of last year's tasks left out; the truth
is the task number.  Prints, per notice, the matches right and wrong, precision, recall, and whether
every left-out task came out new.  ``tests/test_yoy.py`` asserts the same on the same setup.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path


def measure(source: Path, folder: Path) -> dict:
    from duban.doc import parse_file
    from duban.draft.yoy import compare
    from tests.history import reworded

    this = parse_file(source)
    old = folder / source.name.replace("2026", "2025")
    old.write_text(reworded(source.read_text(encoding="utf-8"), 1), encoding="utf-8")
    last = parse_file(old)
    left_out = {t.number for i, t in enumerate(last.tasks) if i % 7 == 3}
    last.tasks = [t for t in last.tasks if t.number not in left_out]
    c = compare(last, this)
    right = sum(x.last.number == x.this.number for x in c.carried)
    should = len(this.tasks) - len(left_out)
    return {
        "notice": source.name,
        "tasks": [len(last.tasks), len(this.tasks)],
        "threshold": round(c.threshold, 3),
        "carried": len(c.carried),
        "right": right,
        "precision": round(right / len(c.carried), 3) if c.carried else None,
        "recall": round(right / should, 3) if should else None,
        "left_out_found_new": sum(t.number in left_out for t in c.new),
        "left_out": len(left_out),
        "missed": [t.number for t in c.new if t.number not in left_out],
    }


def main() -> None:
    corpus = (
        Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for source in sorted(corpus.glob("notice-*.txt")):
            print(json.dumps(measure(source, Path(tmp)), ensure_ascii=False))


if __name__ == "__main__":
    main()
