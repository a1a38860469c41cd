"""``duban eval [--corpus DIR] [--json]``: the suggestion and decomposition measures on the corpus."""

from __future__ import annotations

import json
import sys


def add_arguments(p) -> None:
    p.add_argument("--corpus", metavar="DIR", help="语料目录（默认 ../shared/corpus）")
    p.add_argument("--json", action="store_true", help="输出 JSON")


def run(args) -> int:
    from pathlib import Path

    from duban.draft import evaluate

    corpus = Path(args.corpus) if args.corpus else evaluate.default_corpus()
    notices, reports = evaluate.read_corpus(corpus)
    scores = evaluate.suggestion_scores(notices)
    trips, targets = evaluate.decomposition_scores(notices, reports)
    if args.json:
        data = {
            "suggestions": [s.to_json() for s in scores],
            "suggestions_overall": [s.to_json() for s in evaluate.summary(scores)],
            "round_trip": trips,
            "targets": targets,
        }
        json.dump(data, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(evaluate.report_text(scores, trips, targets))
    return 0
