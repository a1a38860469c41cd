"""How long loading takes, per format, on the Jiyuan notice (118 tasks, ~27 KB of text).

Run ``pytest tests/test_bench_load.py --benchmark-enable`` to see the figures.
The PDF is the notice typeset by ``tests.variants.notice_pdf`` (17 A4 pages).
"""

from __future__ import annotations

import pytest

from duban.doc.load import load
from tests import variants
from tests.conftest import corpus_file


@pytest.fixture(scope="module")
def jiyuan_lines():
    return corpus_file("notice-jiyuan-2026.txt").read_text(encoding="utf-8").split("\n")


def test_load_text(benchmark):
    path = corpus_file("notice-jiyuan-2026.txt")
    source = benchmark(load, path)
    assert len(source.blocks) == 350


def test_load_gbk_text(benchmark, jiyuan_lines, tmp_path):
    path = tmp_path / "notice.txt"
    path.write_bytes("\n".join(jiyuan_lines).encode("gbk"))
    source = benchmark(load, path)
    assert len(source.blocks) == 350


def test_load_docx(benchmark, jiyuan_lines, tmp_path):
    path = variants.notice_docx(jiyuan_lines, tmp_path / "notice.docx")
    source = benchmark(load, path)
    assert len(source.blocks) == sum(1 for line in jiyuan_lines if line.strip())


def test_load_pdf(benchmark, jiyuan_lines, tmp_path):
    pages = variants.notice_pdf(jiyuan_lines, tmp_path / "notice.pdf")
    source = benchmark(load, tmp_path / "notice.pdf")
    assert len(source.blocks) == len(variants.wrap_lines(jiyuan_lines, 28)) + pages
