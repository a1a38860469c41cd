"""``duban eval [coverage] [--corpus DIR] [--json]``: the suggestion and decomposition measures on the corpus.

``duban eval coverage [--gold FILE] [--tune]``: the 上级交办 pairing (duban.draft.coverage) against its
hand-checked gold (duban.draft.coverage_eval); ``--tune`` also prints the constants the tuning half picks.

Suggestions across governments and with each top-level section held out, every
figure with its bootstrap interval and the ceiling; the correction replay
curve (each notice learned from the others with its own directory, corrected
task by task); the decomposition's round trip and main targets.
"""

from __future__ import annotations

import json
import sys


def add_arguments(p) -> None:
    p.add_argument("what", nargs="?", choices=("coverage",), help="coverage：只测量上级交办任务的承接配对")
    p.add_argument("--gold", metavar="FILE", help="承接配对的人工核对集（默认 tests/data/coverage-henan-jiyuan.json）")
    p.add_argument("--tune", action="store_true", help="同时在调参一半上搜索常数并输出（coverage）")
    p.add_argument("--corpus", metavar="DIR", help="语料目录（默认 ../shared/corpus）")
    p.add_argument("--json", action="store_true", help="输出 JSON")


def run(args) -> int:
    from pathlib import Path

    from duban.draft import evaluate

    corpus = Path(args.corpus) if args.corpus else evaluate.default_corpus()
    if args.what == "coverage":
        return _coverage(args, corpus)
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


def _coverage(args, corpus) -> int:
    from dataclasses import asdict
    from pathlib import Path

    from duban.draft import coverage_eval
    from duban.errors import DubanError

    gold = Path(args.gold) if args.gold else coverage_eval.GOLD
    if not corpus.is_dir():
        raise DubanError(f"找不到语料目录 {corpus}（用 --corpus 指定）。")
    try:
        result = coverage_eval.run(corpus, gold)
    except FileNotFoundError as exc:
        raise DubanError(f"找不到文件 {exc.filename}。") from None
    except KeyError as exc:
        raise DubanError(f"核对集 {gold} 的格式不对：缺少 {exc.args[0]}。") from None
    except (ValueError, TypeError, AttributeError) as exc:
        raise DubanError(f"核对集 {gold} 的格式不对：{exc}") from None
    if args.tune:
        parsed = coverage_eval.Gold.read(gold)
        parents, children = coverage_eval.read_items(corpus, parsed)
        config, figures = coverage_eval.tune(parents, children, parsed)
        names = [*coverage_eval.FEATURE_GRID, *coverage_eval.GRID]
        result["tuned"] = {
            "config": {n: asdict(config)[n] for n in names},
            "tune_f1": round(figures.f1, 3),
            "same_as_default": all(getattr(config, n) == getattr(coverage_eval.cv.CONFIG, n) for n in names),
        }
    if args.json:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(coverage_eval.report_text(result))
        if "tuned" in result:
            t = result["tuned"]
            sys.stdout.write(
                f"\n调参一半选出的常数（F1 {t['tune_f1']:.3f}，与默认{'相同' if t['same_as_default'] else '不同'}）：{t['config']}\n"
            )
    return 0
