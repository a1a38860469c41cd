"""Drafting with many years of history (issue 15): time and peak memory with 2, 8, 32 and 64 past notices.

Each measure runs in a fresh process (``python -m tests.history``) so its peak
memory is its own; the notices beyond the two corpus ones are reworded years
of them (``tests/history.py``), written to a temporary directory.  Both with
the default cap (at most ``notices_per_government`` notices of each
government) and without it, which shows how the fit itself grows.  32 and 64
notices run only with ``DUBAN_BENCH_HISTORY=1`` (minutes on two cores):

    DUBAN_BENCH_HISTORY=1 pytest tests/test_bench_history.py --benchmark-enable -s
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CORPUS, corpus_file

SIZES = [2, 8] + ([32, 64] if os.environ.get("DUBAN_BENCH_HISTORY") else [])


@pytest.mark.corpus
@pytest.mark.parametrize("cap", ["default", "none"])
@pytest.mark.parametrize("notices", SIZES)
def test_draft_time_and_memory_with_history(benchmark, notices, cap):
    corpus_file("report-pingdingshan-2026.txt")
    command = [sys.executable, "-m", "tests.history", str(CORPUS), str(notices)] + ([] if cap == "default" else [cap])
    results = []

    def run():
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=600, cwd=Path(__file__).resolve().parents[1]
        )
        assert done.returncode == 0, done.stderr[-2000:]
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))

    benchmark.pedantic(run, rounds=1, iterations=1)
    result = results[-1]
    benchmark.extra_info.update(result)
    print(json.dumps(result))
    assert result["tasks"] > 100
    assert result["peak_mb"] < 2048
