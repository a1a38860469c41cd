"""``duban eval [--corpus DIR] [--json]``: the suggestion and decomposition measures on the corpus.

Suggestions across governments and with each top-level section held out, every
figure with its bootstrap interval and the ceiling; the correction replay
curve (each notice learned from the others with its own directory, corrected
task by task); the decomposition's round trip and main targets.
"""

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
    replay = []
    for notice in notices:
        others = [n for n in notices if n is not notice]
        if others:
            for row in evaluate.replay_curve(notice, others, evaluate.own_directory(notice)):
                replay.append({"notice": evaluate.name_of(notice), **row})
    trips, targets = evaluate.decomposition_scores(notices, reports)
    if args.json:
        data = {
            "suggestions": [s.to_json() for s in scores],
            "suggestions_overall": [s.to_json() for s in evaluate.summary(scores)],
            "replay": replay,
            "round_trip": trips,
            "targets": targets,
        }
        json.dump(data, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(evaluate.report_text(scores, trips, targets, replay))
    return 0
