"""The same notice in every form it comes in reads back to the same tasks.

Each corpus notice is re-laid (tests/variants.py) as a Word document, a
hard-wrapped PDF with page numbers, a Word and an Excel table, and text with
labelled clauses; each must parse to the tasks, units and roles of the original.
"""

from __future__ import annotations

import re

import pytest

from duban.doc import parse_file, parse_source
from duban.doc.source import Source
from tests import variants
from tests.conftest import corpus_file

NOTICES = ["notice-jiyuan-2026.txt", "notice-henan-2026.txt"]


def _plain(text: str) -> str:
    return re.sub(r"[\s（）()，,。.；;：:、]", "", text)


def assert_same_tasks(got, want, *, roles=True):
    assert [t.number for t in got.tasks] == [t.number for t in want.tasks]
    for g, w in zip(got.tasks, want.tasks, strict=True):
        assert _plain(g.text) == _plain(w.text), f"task {w.number}"
        if roles:
            assert [(u.name, u.role) for u in g.units] == [(u.name, u.role) for u in w.units], f"task {w.number}"
        else:
            assert sorted(u.name for u in g.units) == sorted(u.name for u in w.units), f"task {w.number}"


def _lines(name):
    return corpus_file(name).read_text(encoding="utf-8").split("\n")


@pytest.fixture(scope="module", params=NOTICES)
def notice(request):
    path = corpus_file(request.param)
    return request.param, parse_file(path)


def test_docx_paragraphs(notice, tmp_path):
    name, original = notice
    path = variants.notice_docx(_lines(name), tmp_path / "notice.docx")
    doc = parse_file(path)
    assert_same_tasks(doc, original)
    assert (doc.doc_number, doc.date, doc.schedule) == (original.doc_number, original.date, original.schedule)


def test_pdf_hard_wrapped_with_page_numbers(notice, tmp_path):
    name, original = notice
    pages = variants.notice_pdf(_lines(name), tmp_path / "notice.pdf", chars_per_line=28)
    assert pages > 10
    doc = parse_file(tmp_path / "notice.pdf")
    assert_same_tasks(doc, original)
    assert doc.doc_number == original.doc_number
    assert [(s.what, s.due) for s in doc.schedule] == [(s.what, s.due) for s in original.schedule]


@pytest.mark.parametrize("builder", ["notice_table_docx", "notice_table_xlsx"])
def test_table(notice, tmp_path, builder):
    _, original = notice
    suffix = ".docx" if builder.endswith("docx") else ".xlsx"
    path = getattr(variants, builder)(original, tmp_path / f"notice{suffix}")
    doc = parse_file(path)
    assert_same_tasks(doc, original)
    assert [t.section for t in doc.tasks] == [t.section for t in original.tasks]


def test_labelled_inline(notice):
    _, original = notice
    doc = parse_source(Source.from_text(variants.notice_labelled_text(original), name="labelled.txt"))
    assert_same_tasks(doc, original)
    assert [t.section for t in doc.tasks] == [t.section for t in original.tasks]


def test_labelled_on_own_lines(notice):
    _, original = notice
    doc = parse_source(Source.from_text(variants.notice_labelled_lines(original), name="labelled.txt"))
    # with every non-lead under 责任单位, supports and responsible units read as
    # the document writes them: after a lead, support; with no lead, responsible
    assert_same_tasks(doc, original, roles=False)
    for g, w in zip(doc.tasks, original.tasks, strict=True):
        assert [u.name for u in g.units if u.role == "lead"] == [u.name for u in w.units if u.role == "lead"]


def test_html_page_with_a_table(notice, tmp_path):
    import html

    _, original = notice
    rows = "".join(
        f'<tr><td colspan="5">{html.escape(cells[0])}</td></tr>'
        if kind == "section"
        else "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>"
        for kind, cells in variants.table_rows(original)
    )
    header = "".join(f"<th>{h}</th>" for h in variants.TABLE_HEADER)
    page = (
        '<html><head><meta charset="utf-8"><script>var x = "1. 不是任务";</script></head><body>'
        f"<h1>{html.escape(original.title)}</h1><p>各有关单位：</p>"
        f"<table><tr>{header}</tr>{rows}</table></body></html>"
    )
    path = tmp_path / "notice.html"
    path.write_text(page, encoding="utf-8")
    doc = parse_file(path)
    assert_same_tasks(doc, original)
    assert doc.title == original.title
