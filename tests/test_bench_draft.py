"""How long the whole ``duban draft`` takes: Pingdingshan's report, both corpus
notices as history, parsing and learning included.

Run ``pytest tests/test_bench_draft.py --benchmark-enable`` to see the figures.
The aims (issue 13): a cold command — a fresh process, imports, parsing and
fitting included — under 2 s; with the government's model cached, under 0.5 s
for the draft itself (modules loaded, as in a web server).  On a machine
shared with other work, compare CPU times (docs/suggestions.md, "Speed").
"""

import json
import subprocess
import sys

from duban.cli import main
from tests.conftest import corpus_file


def _args(out, *extra):
    report = corpus_file("report-pingdingshan-2026.txt")
    history = [str(corpus_file("notice-henan-2026.txt")), str(corpus_file("notice-jiyuan-2026.txt"))]
    return ["draft", str(report), "--history", *history, "-o", str(out), *extra]


def _check(out):
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["tasks"]) > 100
    assert all(t["units"] for t in data["tasks"])


def test_draft_cold_command(benchmark, tmp_path):
    """A fresh ``duban draft`` process that fits its model (no cache)."""
    out = tmp_path / "draft.json"
    command = [sys.executable, "-m", "duban", *_args(out, "--no-cache")]

    def draft():
        return subprocess.run(command, capture_output=True, timeout=300).returncode

    assert benchmark.pedantic(draft, rounds=3, iterations=1) == 0
    _check(out)


def test_draft_with_the_cached_model(benchmark, tmp_path):
    """The draft itself with the government's model cached (fitted once before the rounds)."""
    out = tmp_path / "draft.json"
    args = _args(out, "--model-cache", str(tmp_path / "models"))
    assert main(args) == 0
    assert benchmark(main, args) == 0
    _check(out)


def test_draft_fitting_in_process(benchmark, tmp_path):
    """The draft with its model fitted each time, modules loaded."""
    out = tmp_path / "draft.json"
    assert benchmark(main, _args(out, "--no-cache")) == 0
    _check(out)
