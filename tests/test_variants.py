"""The notice re-layings in tests/variants.py load back through ``load()`` as laid out."""

from __future__ import annotations

import re
from datetime import date

import pytest

from duban.doc.load import load
from duban.doc.model import LEAD, MONITOR, RESPONSIBLE, SUPPORT, Document, Task, UnitRef
from duban.doc.source import Para, Table
from tests.conftest import corpus_file
from tests.variants import (
    TABLE_HEADER,
    notice_docx,
    notice_labelled_lines,
    notice_labelled_text,
    notice_pdf,
    notice_table_docx,
    notice_table_xlsx,
    wrap_lines,
)

PAGE_NUMBER = re.compile(r"^— (\d+) —$")


def small_notice() -> Document:
    first = ["一、2026 年主要预期目标"]
    consume = ["二、聚焦推动高质量发展", "（一）深挖消费潜力"]
    invest = ["二、聚焦推动高质量发展", "（二）扩大有效投资"]
    return Document(
        kind="notice",
        title="济源市人民政府关于明确2026年重点工作责任单位的通知",
        issuer="济源市人民政府",
        date=date(2026, 3, 8),
        recipients="各镇人民政府",
        tasks=[
            Task(
                "1",
                first,
                "生产总值增长 5.5%。",
                [UnitRef("发展改革和统计局", LEAD), UnitRef("农业农村局", SUPPORT), UnitRef("商务局", SUPPORT)],
            ),
            Task(
                "2",
                first,
                "城镇调查失业率控制在 5.5%。",
                [UnitRef("人力资源和社会保障局", RESPONSIBLE), UnitRef("国家统计局济源调查队", MONITOR)],
                deadline="年底前",
            ),
            Task(
                "3",
                consume,
                "开展促消费活动 100 场次以上。",
                [UnitRef("商务局", RESPONSIBLE), UnitRef("住房和城乡建设局", RESPONSIBLE)],
                deadline="6月底前",
            ),
            Task("4", invest, "滚动实施重点项目 200 个以上。", [UnitRef("发展改革和统计局", LEAD)]),
        ],
    )


TITLE = "济源市人民政府关于明确2026年重点工作责任单位的通知"
BODY_ROWS = [
    ["一、2026 年主要预期目标"] * 5,
    ["1", "生产总值增长 5.5%。", "发展改革和统计局", "农业农村局、商务局", ""],
    ["2", "城镇调查失业率控制在 5.5%。", "", "人力资源和社会保障局、国家统计局济源调查队（监测）", "年底前"],
    ["二、聚焦推动高质量发展"] * 5,
    ["（一）深挖消费潜力"] * 5,
    ["3", "开展促消费活动 100 场次以上。", "", "商务局、住房和城乡建设局", "6月底前"],
    ["（二）扩大有效投资"] * 5,
    ["4", "滚动实施重点项目 200 个以上。", "发展改革和统计局", "", ""],
]


def test_notice_docx_has_one_paragraph_per_nonblank_line(tmp_path):
    lines = ["济源市人民政府文件", "", "  济政〔2026〕1号", "1. 生产总值增长 5.5%。（财政局负责）", ""]
    source = load(notice_docx(lines, tmp_path / "n.docx"))
    assert source.blocks == [
        Para("济源市人民政府文件"),
        Para("济政〔2026〕1号"),
        Para("1. 生产总值增长 5.5%。（财政局负责）"),
    ]


def test_wrap_lines_breaks_every_n_characters():
    assert wrap_lines(["一二三四五六七", "", "八九"], 3) == ["一二三", "四五六", "七", "八九"]


def test_notice_pdf_hard_wraps_and_numbers_pages(tmp_path):
    lines = [f"{n}. " + "推进重点项目建设，力争完成投资增长百分之六以上并按期竣工投产" * 2 for n in range(1, 41)]
    path = tmp_path / "n.pdf"
    pages = notice_pdf(lines, path, chars_per_line=28)
    physical = wrap_lines(lines, 28)
    assert pages == -(-len(physical) // 26) == 5
    text = load(path).lines()
    numbers = [int(m.group(1)) for line in text if (m := PAGE_NUMBER.match(line))]
    assert numbers == list(range(1, pages + 1))
    body = [line for line in text if not PAGE_NUMBER.match(line)]
    assert body == physical
    assert max(len(line) for line in body) == 28


def test_corpus_notice_as_pdf_reads_back_line_for_line(tmp_path):
    path = corpus_file("notice-jiyuan-2026.txt")
    lines = path.read_text(encoding="utf-8").split("\n")
    pages = notice_pdf(lines, tmp_path / "jiyuan.pdf")
    text = load(tmp_path / "jiyuan.pdf").lines()
    assert pages >= 15
    # A PDF has no trailing spaces to extract.
    assert [line for line in text if not PAGE_NUMBER.match(line)] == [w.rstrip() for w in wrap_lines(lines, 28)]
    assert sum(1 for line in text if PAGE_NUMBER.match(line)) == pages


def test_notice_table_docx(tmp_path):
    source = load(notice_table_docx(small_notice(), tmp_path / "t.docx"))
    assert source.blocks == [
        Para(TITLE),
        Para("各镇人民政府："),
        Para("现将《政府工作报告》提出的重点工作任务予以分解并明确责任单位，请认真抓好落实。"),
        Table([TABLE_HEADER, *BODY_ROWS]),
        Para("济源市人民政府"),
        Para("2026年3月8日"),
    ]


def test_notice_table_docx_takes_the_original_preamble(tmp_path):
    source = load(notice_table_docx(small_notice(), tmp_path / "t.docx", preamble=["各单位：", "3月18日前报送方案。"]))
    assert source.blocks[1:3] == [Para("各单位："), Para("3月18日前报送方案。")]


def test_notice_table_xlsx(tmp_path):
    source = load(notice_table_xlsx(small_notice(), tmp_path / "t.xlsx"))
    preamble = "各镇人民政府：现将《政府工作报告》提出的重点工作任务予以分解并明确责任单位，请认真抓好落实。"
    assert source.blocks == [Table([[TITLE] * 5, [preamble] * 5, TABLE_HEADER, *BODY_ROWS])]


INLINE = """济源市人民政府关于明确2026年重点工作责任单位的通知
各镇人民政府：
现将《政府工作报告》提出的重点工作任务予以分解并明确责任单位，请认真抓好落实。
一、2026 年主要预期目标
1. 生产总值增长 5.5%。（牵头单位：发展改革和统计局；配合单位：农业农村局、商务局）
2. 城镇调查失业率控制在 5.5%。（责任单位：人力资源和社会保障局；监测单位：国家统计局济源调查队；完成时限：年底前）
二、聚焦推动高质量发展
（一）深挖消费潜力
3. 开展促消费活动 100 场次以上。（责任单位：商务局、住房和城乡建设局；完成时限：6月底前）
（二）扩大有效投资
4. 滚动实施重点项目 200 个以上。（牵头单位：发展改革和统计局）
济源市人民政府
2026年3月8日
"""

LINES_STYLE = """济源市人民政府关于明确2026年重点工作责任单位的通知
各镇人民政府：
现将《政府工作报告》提出的重点工作任务予以分解并明确责任单位，请认真抓好落实。
一、2026 年主要预期目标
1. 生产总值增长 5.5%。
牵头单位：发展改革和统计局；责任单位：农业农村局、商务局
2. 城镇调查失业率控制在 5.5%。
责任单位：人力资源和社会保障局；监测单位：国家统计局济源调查队；完成时限：年底前
二、聚焦推动高质量发展
（一）深挖消费潜力
3. 开展促消费活动 100 场次以上。
责任单位：商务局、住房和城乡建设局；完成时限：6月底前
（二）扩大有效投资
4. 滚动实施重点项目 200 个以上。
牵头单位：发展改革和统计局
济源市人民政府
2026年3月8日
"""


def test_labelled_text_inline_and_on_lines(tmp_path):
    doc = small_notice()
    assert notice_labelled_text(doc) == INLINE
    assert notice_labelled_lines(doc) == LINES_STYLE
    path = tmp_path / "labelled.txt"
    path.write_text(INLINE, encoding="utf-8")
    assert load(path).lines() == INLINE.removesuffix("\n").split("\n")


def test_labelled_text_rejects_unknown_style():
    with pytest.raises(ValueError, match="unknown style"):
        notice_labelled_text(small_notice(), style="table")
