"""How long the parser takes on the largest corpus notice (Henan, 148 tasks).

Run ``pytest tests/test_bench_parse.py --benchmark-enable`` to see the figures;
the aim is well under 100 ms on one core.
"""

from duban.doc import parse_source
from duban.doc.load import load
from tests.conftest import corpus_file


def test_parse_henan_notice(benchmark):
    source = load(corpus_file("notice-henan-2026.txt"))
    doc = benchmark(parse_source, source)
    assert len(doc.tasks) == 148


def test_load_and_parse_henan_notice(benchmark):
    path = corpus_file("notice-henan-2026.txt")
    doc = benchmark(lambda: parse_source(load(path)))
    assert len(doc.tasks) == 148
