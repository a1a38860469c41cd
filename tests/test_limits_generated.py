"""Generated cases for the rules issue 14 fixed: each would have caught its bug."""

from __future__ import annotations

import io
import zipfile

from hypothesis import given, settings
from hypothesis import strategies as st

from duban.doc.indicators import _ends_with_di
from duban.doc.load import load_bytes
from duban.doc.loaders.word_numbering import chinese_number
from duban.doc.normalise import clean
from duban.doc.notice import _join
from duban.errors import InputError
from duban.limits import LimitError, Limits, check_xlsx_cells

DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}
UNITS = {"十": 10, "百": 100, "千": 1000}


def _read_chinese(text: str) -> int:
    total = current = 0
    for ch in text:
        if ch in DIGITS:
            current = DIGITS[ch]
        else:
            total += (current or 1) * UNITS[ch]
            current = 0
    return total + current


@given(st.integers(min_value=1, max_value=9999))
def test_chinese_number_reads_back_for_every_heading_number(n):
    # decompose's and render/notice's own copies raised IndexError from 100 on.
    assert _read_chinese(chinese_number(n)) == n


@given(st.lists(st.text(alphabet="ab 中文。A1", max_size=6), max_size=30))
def test_join_is_the_concatenation_with_a_space_between_latin_words(lines):
    expected = ""
    for line in lines:  # the rule as the quadratic version wrote it
        if expected and expected[-1].isascii() and expected[-1].isalpha() and line[:1].isascii() and line[:1].isalpha():
            expected += " "
        expected += line
    assert _join(lines) == clean(expected)


@given(st.text(alphabet="第 \t一2", max_size=20), st.data())
def test_ends_with_di_is_the_stripped_prefix_test(text, data):
    pos = data.draw(st.integers(min_value=0, max_value=len(text)))
    assert _ends_with_di(text, pos) == text[:pos].rstrip().endswith("第")


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=1, max_value=3000), st.sampled_from(["div", "span", "p", "td", "li", "b"]))
def test_html_nested_to_any_depth_is_read(depth, tag):
    page = f"<html><body>{f'<{tag}>' * depth}关于印发任务分解方案的通知{f'</{tag}>' * depth}</body></html>"
    assert "关于印发任务分解方案的通知" in load_bytes(page.encode(), "n.html").text()


def _sheet_zip(cells: int) -> zipfile.ZipFile:
    rows = "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>x</t></is></c></row>' for r in range(1, cells + 1))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("xl/worksheets/sheet1.xml", f"<worksheet><sheetData>{rows}</sheetData></worksheet>")
    return zipfile.ZipFile(buffer)


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=60), st.integers(min_value=1, max_value=80))
def test_streamed_cell_count_is_exact_across_chunk_boundaries(cells, chunk):
    zf = _sheet_zip(cells)
    check_xlsx_cells(zf, "a.xlsx", Limits(table_cells=cells), chunk=chunk)  # exactly at the limit: passes
    if cells:
        try:
            check_xlsx_cells(zf, "a.xlsx", Limits(table_cells=cells - 1), chunk=chunk)
        except LimitError as exc:
            assert "表格单元格数" in str(exc)
        else:
            raise AssertionError("one cell over the limit was not refused")


@settings(max_examples=25, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_named_as_any_format_give_a_source_or_one_sentence(data):
    for name in ("a.txt", "a.docx", "a.xlsx", "a.pdf", "a.html", "a.csv"):
        try:
            load_bytes(data, name)
        except InputError as exc:
            assert str(exc).startswith(f"{name}：") and "\n" not in str(exc)
