"""How long the whole ``duban draft`` takes: Pingdingshan's report, both corpus
notices as history, parsing and learning included.

Run ``pytest tests/test_bench_draft.py --benchmark-enable`` to see the figures;
the aim is well under 2 s on two cores, so a draft can be made inside a web request.
"""

import json

from duban.cli import main
from tests.conftest import corpus_file


def test_draft_pingdingshan_with_both_notices(benchmark, tmp_path):
    report = corpus_file("report-pingdingshan-2026.txt")
    history = [str(corpus_file("notice-henan-2026.txt")), str(corpus_file("notice-jiyuan-2026.txt"))]
    out = tmp_path / "draft.json"

    def draft():
        return main(["draft", str(report), "--history", *history, "-o", str(out)])

    assert benchmark(draft) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["tasks"]) > 100
    assert all(t["units"] for t in data["tasks"])
