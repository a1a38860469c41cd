"""duban.doc.load: every format read by content, every bad input refused in one sentence."""

from __future__ import annotations

import io
import random
import sys
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest

from duban.doc.load import DEFAULT_MAX_BYTES, MB, load, load_bytes, sniff
from duban.doc.source import Para, Source, Table
from duban.errors import InputError
from duban.limits import Limits
from tests.conftest import corpus_file

LINES = [
    "济源市人民政府文件",
    "济政〔2026〕1号",
    "",
    "1. 生产总值增长 5.5%。（发展改革和统计局牵头）",
    "2. 粮食产量 4.8 亿斤。",
]
TEXT = "\n".join(LINES) + "\n"


def paras(source: Source) -> list[str]:
    assert all(isinstance(b, Para) for b in source.blocks), source.blocks
    return [b.text for b in source.blocks]


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- text -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "encoded",
    [
        pytest.param(TEXT.encode("utf-8"), id="utf-8"),
        pytest.param(b"\xef\xbb\xbf" + TEXT.encode("utf-8"), id="utf-8-bom"),
        pytest.param(TEXT.encode("gb18030"), id="gb18030"),
        pytest.param(TEXT.encode("gbk"), id="gbk"),
        pytest.param(TEXT.encode("utf-16"), id="utf-16-bom"),
        pytest.param(TEXT.encode("utf-16-le"), id="utf-16-le"),
        pytest.param(TEXT.encode("utf-16-be"), id="utf-16-be"),
        pytest.param(TEXT.replace("\n", "\r\n").encode("gbk"), id="gbk-crlf"),
        pytest.param(TEXT.replace("\n", "\r").encode("utf-8"), id="utf-8-cr"),
    ],
)
def test_text_encodings_and_line_ends_read_the_same_lines(tmp_path, encoded):
    source = load(write(tmp_path, "notice.txt", encoded))
    assert source.format == "txt"
    assert source.name == "notice.txt"
    assert paras(source) == LINES


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_or_ascii_is_still_found(encoding):
    text = "济源市人民政府关于明确政府工作报告提出的重点工作责任单位的通知，各镇人民政府："
    assert paras(load_bytes(text.encode(encoding), "a.txt")) == [text]


def test_gb18030_four_byte_characters_survive():
    # 𠀀 and € are outside GBK; only GB18030 has them.
    text = "𠀀字与€符号\n第二行"
    assert paras(load_bytes(text.encode("gb18030"), "a.txt")) == ["𠀀字与€符号", "第二行"]


def test_text_keeps_blank_lines_but_not_a_final_newline():
    assert paras(load_bytes("一\n\n二\n".encode(), "a.txt")) == ["一", "", "二"]


def test_text_drops_control_and_zero_width_characters_and_splits_form_feeds():
    data = ("生产总值" * 10 + "一\u200b二\x07\f三\ufeff").encode()
    assert paras(load_bytes(data, "a.txt")) == ["生产总值" * 10 + "一二", "三"]


def test_utf8_cut_off_mid_character_is_still_utf8():
    data = "生产总值增长".encode()[:-1]
    assert paras(load_bytes(data, "cut.txt")) == ["生产总值增"]
    assert paras(load_bytes(data[:-1], "cut.txt")) == ["生产总值增"]


def test_utf8_with_a_stray_gbk_fragment_stays_utf8_and_says_so():
    data = "1. 生产总值增长 5.5%。（发展改革和统计局牵头）\n".encode() * 5 + "财政局".encode("gbk") + "负责\n".encode()
    source = load_bytes(data, "mixed.txt")
    assert paras(source)[:5] == ["1. 生产总值增长 5.5%。（发展改革和统计局牵头）"] * 5
    assert paras(source)[5].endswith("负责")
    assert source.notes == ["有 6 处字节不是有效的 UTF-8 编码，已替换为 \ufffd"]


@pytest.mark.parametrize("text", ["Task 1: 财政局 responsible", "1.财政局", "局"])
def test_gbk_with_little_chinese_is_still_gbk(text):
    source = load_bytes(text.encode("gbk"), "a.txt")
    assert (paras(source), source.notes) == ([text], [])


def test_text_without_extension_and_with_odd_extension(tmp_path):
    assert paras(load(write(tmp_path, "NOTICE", TEXT.encode("gbk")))) == LINES
    assert paras(load(write(tmp_path, "notice.md", TEXT.encode()))) == LINES


def test_csv_becomes_one_table():
    data = "序号,重点工作任务,牵头单位\n1,生产总值增长5.5%,发展改革和统计局\n\n".encode("gbk")
    source = load_bytes(data, "tasks.csv")
    assert source.format == "csv"
    assert source.blocks == [
        Table([["序号", "重点工作任务", "牵头单位"], ["1", "生产总值增长5.5%", "发展改革和统计局"]])
    ]


def test_stdin_is_read_when_path_is_dash(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(TEXT.encode("gb18030"))))
    source = load("-")
    assert source.name == "stdin"
    assert paras(source) == LINES


def test_stdin_over_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"x" * 2000)))
    with pytest.raises(
        InputError,
        match=r"stdin：文件大小 1001 字节，超过上限 1000 字节，未处理（如确需处理，可用 --max-mb 或环境变量 DUBAN_MAX_FILE_MB 调高上限）",
    ):
        load("-", max_bytes=1000)


def test_corpus_notice_loads_line_for_line():
    path = corpus_file("notice-jiyuan-2026.txt")
    source = load(path)
    text = path.read_text(encoding="utf-8")
    assert paras(source) == text.removesuffix("\n").split("\n")
    assert "济政〔2026〕1号" in source.lines()


# --- bad input --------------------------------------------------------------------------------------------------------


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="找不到文件：.*nope.docx"):
        load(tmp_path / "nope.docx")


def test_directory(tmp_path):
    with pytest.raises(InputError, match="这是一个文件夹"):
        load(tmp_path)


@pytest.mark.parametrize("data", [b"", b"  \r\n\t\n"], ids=["empty", "whitespace"])
def test_empty_file(tmp_path, data):
    with pytest.raises(InputError, match="^notice.txt：文件是空的$"):
        load(write(tmp_path, "notice.txt", data))


@pytest.mark.parametrize(
    ("data", "name"),
    [
        ("\ufeff".encode("utf-16"), "a.txt"),
        (" \n\u3000\n".encode(), "b.txt"),
        (b"<html><body></body></html>", "c.html"),
    ],
    ids=["utf-16-bom-only", "full-width-space", "html-without-text"],
)
def test_file_without_any_text(data, name):
    with pytest.raises(InputError, match=f"^{name}：文件中没有文字$"):
        load_bytes(data, name)


def test_file_over_the_limit_names_the_limit(tmp_path):
    assert DEFAULT_MAX_BYTES == 50 * MB
    path = write(tmp_path, "big.txt", b"a" * (MB + 1))
    with pytest.raises(InputError, match=r"big.txt：文件大小 1048577 字节，超过上限 1 MB，未处理"):
        load(path, max_bytes=MB)
    with pytest.raises(InputError, match="超过上限 50 MB，未处理"):
        load_bytes(b"a" * (DEFAULT_MAX_BYTES + 1), "big.txt")
    assert paras(load(path, max_bytes=2 * MB)) == ["a" * (MB + 1)]


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(bytes(range(256)) * 8, id="all-bytes"),
        pytest.param(random.Random(7).randbytes(5000), id="random"),
        pytest.param(b"\x00\x01\x02\x03" * 500, id="nul-heavy"),
        pytest.param(b"ELF\x7f" + bytes([0x80, 0xFF]) * 300, id="high-bytes"),
    ],
)
def test_binary_garbage_is_no_text(data):
    with pytest.raises(InputError, match="garbage.txt：无法识别文件内容"):
        load_bytes(data, "garbage.txt")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "这是图片"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 100, "这是图片"),
        (b"{\\rtf1\\ansi hello}", "RTF 格式不支持"),
        (b"\x1f\x8b\x08\x00" + b"\x00" * 50, "这是压缩包"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "旧版 Office 文件"),
    ],
    ids=["png", "jpeg", "rtf", "gzip", "ole"],
)
def test_recognised_formats_we_do_not_read_say_what_they_are(data, message):
    with pytest.raises(InputError, match=message):
        load_bytes(data, "upload.bin")


def test_legacy_office_extensions_are_named():
    with pytest.raises(InputError, match=r"旧版 Word（\.doc）格式不支持，请在 Word 或 WPS 中另存为 \.docx"):
        load_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "通知.doc")
    with pytest.raises(InputError, match=r"旧版 Excel（\.xls）"):
        load_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "台账.xls")


def test_password_protected_office_file():
    # Office puts an encrypted .docx inside an OLE container with an EncryptedPackage stream.
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 200
    with pytest.raises(InputError, match="通知.docx：文件设置了打开密码"):
        load_bytes(data, "通知.docx")


# --- docx -----------------------------------------------------------------------------------------------------------


def build_docx(path: Path) -> Path:
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "济源市人民政府文件（页眉）"
    section.footer.paragraphs[0].text = "— 1 —"
    document.add_paragraph("济源市人民政府关于明确重点工作责任单位的通知")
    broken = document.add_paragraph("第一行")
    broken.add_run().add_break()
    broken.add_run("第二行\t制表")

    table = document.add_table(rows=4, cols=3)
    for cell, text in zip(table.rows[0].cells, ["序号", "重点工作任务", "牵头单位"]):
        cell.text = text
    heading = table.cell(1, 0).merge(table.cell(1, 2))
    heading.text = "一、主要预期目标"
    table.cell(2, 0).text = "1"
    table.cell(2, 1).text = "生产总值增长5.5%"
    table.cell(2, 1).add_paragraph("（统计口径另行通知）")
    lead = table.cell(2, 2).merge(table.cell(3, 2))
    lead.text = "发展改革和统计局"
    table.cell(3, 0).text = "2"
    table.cell(3, 1).text = "固定资产投资增长6%"

    tracked = document.add_paragraph("保留")
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    tracked._p.append(parse_xml(f'<w:del {w} w:id="1" w:author="a"><w:r><w:delText>删除</w:delText></w:r></w:del>'))
    tracked._p.append(parse_xml(f'<w:ins {w} w:id="2" w:author="a"><w:r><w:t>插入</w:t></w:r></w:ins>'))
    document.add_paragraph("2026年3月8日")
    document.save(path)
    return path


def test_docx_paragraphs_and_tables_in_order_with_merges(tmp_path):
    source = load(build_docx(tmp_path / "通知.docx"))
    assert source.format == "docx"
    assert source.blocks == [
        Para("济源市人民政府关于明确重点工作责任单位的通知"),
        Para("第一行\n第二行\t制表"),
        Table(
            [
                ["序号", "重点工作任务", "牵头单位"],
                ["一、主要预期目标", "一、主要预期目标", "一、主要预期目标"],
                ["1", "生产总值增长5.5%\n（统计口径另行通知）", "发展改革和统计局"],
                ["2", "固定资产投资增长6%", "发展改革和统计局"],
            ]
        ),
        Para("保留插入"),
        Para("2026年3月8日"),
    ]
    assert source.notes == ["文档中有未处理的修订，已按接受全部修订后的文字读取"]
    # Header and footer (page numbers) are not body text.
    assert "— 1 —" not in source.text()
    assert "页眉" not in source.text()


W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
OUTLINE_LIST = f"""<w:abstractNum {W_NS} w:abstractNumId="90">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/>
    <w:suff w:val="nothing"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
</w:abstractNum>"""
COLUMN_LIST = f"""<w:abstractNum {W_NS} w:abstractNumId="91">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1"/></w:lvl>
</w:abstractNum>"""


def numbered(paragraph, num_id: int, level: int = 0):
    from docx.oxml import parse_xml

    num_pr = f'<w:numPr {W_NS}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'
    paragraph._p.get_or_add_pPr().append(parse_xml(num_pr))
    return paragraph


def test_docx_automatic_numbers_are_part_of_the_text(tmp_path):
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(OUTLINE_LIST))
    numbering.insert(1, parse_xml(COLUMN_LIST))
    numbering.append(parse_xml(f'<w:num {W_NS} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    numbering.append(parse_xml(f'<w:num {W_NS} w:numId="91"><w:abstractNumId w:val="91"/></w:num>'))
    for text, level in [("总体要求", 0), ("扩大需求", 1), ("任务甲", 2), ("任务乙", 2), ("扩大投资", 1), ("任务丙", 2)]:
        numbered(document.add_paragraph(text), 90, level)
    numbered(document.add_paragraph("不编号"), 0)
    table = document.add_table(rows=3, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "序号", "重点工作任务"
    for row, task in ((1, "生产总值增长"), (2, "粮食产量")):
        numbered(table.cell(row, 0).paragraphs[0], 91)
        table.cell(row, 1).text = task
    for _ in range(9):
        numbered(document.add_paragraph("深化改革"), 90, 0)
    document.save(tmp_path / "numbered.docx")

    source = load(tmp_path / "numbered.docx")
    assert source.lines() == [
        "一、总体要求",
        "（一）扩大需求",
        "1. 任务甲",
        "2. 任务乙",
        "（二）扩大投资",
        "1. 任务丙",
        "不编号",
        "序号\t重点工作任务",
        "1\t生产总值增长",
        "2\t粮食产量",
        *[f"{n}、深化改革" for n in ("二", "三", "四", "五", "六", "七", "八", "九", "十")],
    ]


def test_docx_list_style_numbers():
    from duban.doc.loaders.word_numbering import chinese_number, format_number

    assert [chinese_number(n) for n in (1, 10, 11, 20, 21, 100, 105, 110, 1200, 2026)] == [
        "一", "十", "十一", "二十", "二十一", "一百", "一百零五", "一百一十", "一千二百", "二千零二十六",
    ]  # fmt: skip
    assert format_number(3, "decimalEnclosedCircle") == "③"
    assert format_number(2, "ideographTraditional") == "乙"
    assert format_number(4, "upperRoman") == "IV"
    assert format_number(28, "lowerLetter") == "bb"
    assert format_number(12, "chineseLegalSimplified") == "壹拾贰"  # the financial form keeps its 壹


def test_docx_text_box_is_read_once_after_its_paragraph(tmp_path):
    import docx
    from docx.oxml import parse_xml

    def box(text: str) -> str:
        return "<w:txbxContent><w:p><w:r><w:t>" + text + "</w:t></w:r></w:p></w:txbxContent>"

    mc = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    run = (
        f"<w:r {W_NS} {mc}><mc:AlternateContent>"
        f'<mc:Choice Requires="wps"><w:drawing><w:anchor>{box("济源市人民政府文件")}</w:anchor></w:drawing></mc:Choice>'
        f"<mc:Fallback><w:pict><w:shape>{box('济源市人民政府文件')}</w:shape></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r>"
    )
    document = docx.Document()
    host = document.add_paragraph("济政〔2026〕1号")
    host._p.append(parse_xml(run))
    document.add_paragraph("各镇人民政府：")
    document.save(tmp_path / "boxed.docx")
    assert paras(load(tmp_path / "boxed.docx")) == ["济政〔2026〕1号", "济源市人民政府文件", "各镇人民政府："]


def test_docx_extension_on_text_is_refused(tmp_path):
    with pytest.raises(InputError, match="^通知.docx：文件扩展名为 .docx，但内容不是 Word 文档$"):
        load(write(tmp_path, "通知.docx", TEXT.encode()))


def test_docx_extension_on_a_workbook_says_what_it_is(tmp_path):
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "x"
    workbook.save(tmp_path / "real.xlsx")
    data = (tmp_path / "real.xlsx").read_bytes()
    with pytest.raises(InputError, match="文件扩展名为 .docx，但内容是 Excel 工作簿"):
        load(write(tmp_path, "通知.docx", data))


def test_docx_content_under_another_extension_is_read_by_content(tmp_path):
    data = build_docx(tmp_path / "a.docx").read_bytes()
    assert load(write(tmp_path, "通知.txt", data)).format == "docx"


def test_truncated_docx(tmp_path):
    data = build_docx(tmp_path / "a.docx").read_bytes()
    with pytest.raises(InputError, match="^cut.docx：文件已损坏或不完整"):
        load(write(tmp_path, "cut.docx", data[: len(data) // 2]))


def test_docx_with_broken_xml_is_an_input_error(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document><unclosed>")
    with pytest.raises(InputError, match="^broken.docx：.*Word 文档.*损坏"):
        load_bytes(buffer.getvalue(), "broken.docx")


def test_zip_that_is_neither_word_nor_excel():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("readme.txt", "hello")
    with pytest.raises(InputError, match="这是一个 ZIP 压缩包，但不是 Word 或 Excel 文件"):
        load_bytes(buffer.getvalue(), "a.zip")


def zip_bomb(member_bytes: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"\x00" * member_bytes)
    return buffer.getvalue()


def test_zip_bomb_by_ratio_is_refused_before_opening():
    data = zip_bomb(4 * MB)
    assert len(data) < 10_000  # ~1000:1
    with pytest.raises(
        InputError,
        match=r"bomb.docx：压缩比（word/document.xml） \d+ 倍，超过上限 100 倍，可能是压缩炸弹，未处理.*DUBAN_MAX_ZIP_RATIO",
    ):
        load_bytes(data, "bomb.docx")


def test_zip_bomb_by_declared_size_is_refused_before_opening():
    with pytest.raises(InputError, match="bomb.docx：压缩文件解压后大小 2 MB，超过上限 1 MB，可能是压缩炸弹，未处理"):
        load_bytes(zip_bomb(2 * MB), "bomb.docx", limits=Limits(unzipped_bytes=1 * MB))


def test_a_limit_is_raised_by_its_environment_variable(monkeypatch):
    monkeypatch.setenv("DUBAN_MAX_UNZIPPED_MB", "1")
    with pytest.raises(InputError, match="超过上限 1 MB"):
        load_bytes(zip_bomb(2 * MB), "bomb.docx")
    monkeypatch.setenv("DUBAN_MAX_UNZIPPED_MB", "many")
    with pytest.raises(InputError, match="环境变量 DUBAN_MAX_UNZIPPED_MB 应为数字：many"):
        load_bytes(zip_bomb(2 * MB), "bomb.docx")


def test_ordinary_docx_passes_the_bomb_checks(tmp_path):
    data = build_docx(tmp_path / "a.docx").read_bytes()
    assert sniff(data, "a.docx") == "docx"


# --- xlsx -----------------------------------------------------------------------------------------------------------


def build_xlsx(path: Path) -> Path:
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "任务"
    sheet.append(["2026年重点工作任务分解表"])
    sheet.merge_cells("A1:E1")
    sheet.append(["序号", "重点工作任务", "牵头单位", "完成时限", "目标"])
    sheet.append([1, "生产总值增长", "发展改革和统计局", datetime(2026, 6, 30), 0.055])
    sheet["E3"].number_format = "0.0%"
    sheet.append([2.0, "粮食产量", None, date(2026, 12, 31), 4.8])
    sheet.append([3, "投资增长", None, "年底前", 1234567.5])
    sheet.merge_cells("C3:C5")  # one lead for three tasks
    sheet.row_dimensions[4].hidden = True
    sheet["H20"].font = Font(bold=True)  # formatting only: makes the used range larger than the data
    sheet["Z100000"].font = Font(bold=True)
    hidden = workbook.create_sheet("草稿")
    hidden["A1"] = "不应读取"
    hidden.sheet_state = "hidden"
    second = workbook.create_sheet("说明")
    second["A1"] = "填表说明"
    workbook.save(path)
    return path


def test_xlsx_visible_sheets_as_tables_with_merges_and_typed_cells(tmp_path):
    source = load(build_xlsx(tmp_path / "台账.xlsx"))
    assert source.format == "xlsx"
    title = "2026年重点工作任务分解表"
    assert source.blocks == [
        Table(
            [
                [title, title, title, title, title],
                ["序号", "重点工作任务", "牵头单位", "完成时限", "目标"],
                ["1", "生产总值增长", "发展改革和统计局", "2026-06-30", "5.5%"],
                ["2", "粮食产量", "发展改革和统计局", "2026-12-31", "4.8"],
                ["3", "投资增长", "发展改革和统计局", "年底前", "1234567.5"],
            ]
        ),
        Table([["填表说明"]]),
    ]
    assert source.notes == ["工作表“任务”第 4 行是隐藏的，已一并读取", "隐藏的工作表“草稿”未读取"]
    assert "不应读取" not in source.text()


def test_xlsx_extension_on_a_docx(tmp_path):
    data = build_docx(tmp_path / "a.docx").read_bytes()
    with pytest.raises(InputError, match="^台账.xlsx：文件扩展名为 .xlsx，但内容是 Word 文档$"):
        load(write(tmp_path, "台账.xlsx", data))


def test_xlsx_with_a_value_at_the_far_corner_is_refused_not_expanded(tmp_path):
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "标题"
    workbook.active["XFD1048576"] = "角落"
    workbook.active.title = "表一"
    workbook.save(tmp_path / "huge.xlsx")
    with pytest.raises(
        InputError,
        match="huge.xlsx：表格单元格数（工作表“表一”，1048576 行 × 16384 列） 17179869184 个，超过上限 200000 个",
    ):
        load(tmp_path / "huge.xlsx")


def test_truncated_xlsx(tmp_path):
    data = build_xlsx(tmp_path / "a.xlsx").read_bytes()
    with pytest.raises(InputError, match="^cut.xlsx：文件已损坏或不完整"):
        load_bytes(data[:-200], "cut.xlsx")


# --- pdf ------------------------------------------------------------------------------------------------------------


def build_pdf(path: Path, pages: list[list[str] | None]) -> Path:
    """One list of lines per page; None for a page with drawings only (a scan, as far as text goes)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for lines in pages:
        if lines is None:
            pdf.rect(72, 400, 300, 200, fill=1)
            pdf.circle(300, 300, 50)
        else:
            pdf.setFont("STSong-Light", 14)
            for i, line in enumerate(lines):
                pdf.drawString(72, 770 - 24 * i, line)
        pdf.showPage()
    pdf.save()
    return path


def test_pdf_text_layer_line_by_line_over_pages(tmp_path):
    path = build_pdf(
        tmp_path / "通知.pdf", [LINES[:2], ["1. 生产总值增长 5.5%。（发展改革和", "统计局牵头）", "— 2 —"]]
    )
    source = load(path)
    assert source.format == "pdf"
    assert paras(source) == [
        "济源市人民政府文件",
        "济政〔2026〕1号",
        "1. 生产总值增长 5.5%。（发展改革和",
        "统计局牵头）",
        "— 2 —",
    ]
    assert source.notes == []


def test_pdf_with_every_glyph_placed_apart_reads_as_lines(tmp_path):
    # Justified text from some generators: each character drawn on its own at its
    # own x.  pypdf reads that one glyph per line; the loader rebuilds the lines.
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = canvas.Canvas(str(tmp_path / "justified.pdf"), pagesize=A4)
    for y, line in ((700, "1. 生产总值增长 5.5%。（发展改革和统计局牵头）"), (676, "第二行文字两端对齐")):
        x = 72.0
        for ch in line:
            pdf.setFont("STSong-Light", 16)
            pdf.drawString(x, y, ch)
            x += pdfmetrics.stringWidth(ch, "STSong-Light", 16) + (3 if ord(ch) > 127 else 0.5)
    pdf.showPage()
    pdf.save()
    source = load(tmp_path / "justified.pdf")
    assert paras(source) == ["1. 生产总值增长 5.5%。（发展改革和统计局牵头）", "第二行文字两端对齐"]


def test_scanned_pdf_is_refused(tmp_path):
    path = build_pdf(tmp_path / "scan.pdf", [None, None])
    with pytest.raises(
        InputError, match=r"scan.pdf：这是扫描版 PDF，没有文字层，无法读取（请提供文字版 PDF 或 Word 文件）"
    ):
        load(path)


def test_pdf_with_some_pages_scanned_notes_them(tmp_path):
    source = load(build_pdf(tmp_path / "mixed.pdf", [["第一页"], None, ["第三页"]]))
    assert paras(source) == ["第一页", "第三页"]
    assert source.notes == ["第 2 页没有文字层（可能是扫描页或空白页），未读取"]


def encrypt(path: Path, user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(path))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_encrypted_pdf_with_a_password_is_refused(tmp_path):
    data = encrypt(build_pdf(tmp_path / "a.pdf", [LINES]), "secret")
    with pytest.raises(InputError, match="^locked.pdf：PDF 已加密，需要密码才能打开"):
        load_bytes(data, "locked.pdf")


def test_pdf_encrypted_with_an_empty_user_password_is_read(tmp_path):
    data = encrypt(build_pdf(tmp_path / "a.pdf", [["受限制的通知"]]), "")
    assert paras(load_bytes(data, "restricted.pdf")) == ["受限制的通知"]


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.95])
def test_truncated_pdf(tmp_path, keep):
    data = build_pdf(tmp_path / "a.pdf", [LINES, LINES]).read_bytes()
    with pytest.raises(InputError, match="^cut.pdf：PDF 文件已损坏或不完整"):
        load_bytes(data[: int(len(data) * keep)], "cut.pdf")


def test_pdf_extension_on_text_and_pdf_content_named_docx(tmp_path):
    with pytest.raises(InputError, match="文件扩展名为 .pdf，但内容不是 PDF 文件"):
        load_bytes(TEXT.encode(), "通知.pdf")
    data = build_pdf(tmp_path / "a.pdf", [LINES]).read_bytes()
    with pytest.raises(InputError, match="文件扩展名为 .docx，但内容是 PDF 文件"):
        load_bytes(data, "通知.docx")


# --- html -----------------------------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>网站名称</title><style>p {{ color: red }}</style><script>var notice = "<p>不是正文</p>";</script></head>
<body>
<div class="nav">首页 &gt; 政务公开</div>
<h1>济源市人民政府关于明确重点工作
责任单位的通知</h1>
<p>各镇人民政府：<br>现将任务分解如下&mdash;&mdash;请落实。
<p>&nbsp;&nbsp;1. 生产总值增长 5.5%。
<ul><li>第一项<li>第二项</ul>
<table border="1">
<tr><th>序号</th><th>重点工作任务</th><th>牵头单位</th></tr>
<tr><td colspan="3">一、主要预期目标</td></tr>
<tr><td>1</td><td>生产总值增长</td><td rowspan="2">发展改革和统计局</td></tr>
<tr><td>2</td><td>投资增长</td></tr>
</table>
<p>English words stay   apart.</p>
</body></html>
"""


def test_html_blocks_tables_entities_and_declared_charset():
    source = load_bytes(PAGE.encode("gb18030"), "notice.html")
    assert source.format == "html"
    assert source.blocks == [
        Para("首页 > 政务公开"),
        Para("济源市人民政府关于明确重点工作责任单位的通知"),
        Para("各镇人民政府："),
        Para("现将任务分解如下——请落实。"),
        Para("1. 生产总值增长 5.5%。"),
        Para("第一项"),
        Para("第二项"),
        Table(
            [
                ["序号", "重点工作任务", "牵头单位"],
                ["一、主要预期目标", "一、主要预期目标", "一、主要预期目标"],
                ["1", "生产总值增长", "发展改革和统计局"],
                ["2", "投资增长", "发展改革和统计局"],
            ]
        ),
        Para("English words stay apart."),
    ]


def test_html_layout_tables_are_unwrapped():
    page = (
        "<html><body><table><tr><td><table><tr><td>"
        "<p>一、总体要求</p><p>1. 第一项任务。</p>"
        "</td></tr></table></td></tr></table></body></html>"
    )
    assert paras(load_bytes(page.encode(), "page.htm")) == ["一、总体要求", "1. 第一项任务。"]


def test_html_without_charset_falls_back_to_detection():
    page = "<html><body><p>第一段</p><p>第二段</p></body></html>"
    assert paras(load_bytes(page.encode("gbk"), "a.html")) == ["第一段", "第二段"]


def test_html_with_a_wrong_charset_declaration_is_still_read():
    page = '<html><head><meta charset="gbk"></head><body><p>第一段</p></body></html>'
    assert paras(load_bytes(page.encode("utf-8"), "a.html")) == ["第一段"]


def test_html_source_saved_as_txt_is_read_as_html():
    assert load_bytes(b"<p>one</p><p>two</p>", "page.txt").format == "html"
    assert load_bytes("不是网页 <p> 标签\n".encode(), "a.txt").format == "txt"


def test_plain_text_in_an_html_file_is_text():
    source = load_bytes(TEXT.encode(), "notice.html")
    assert source.format == "txt"
    assert paras(source) == LINES


# --- damaged files -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["docx", "xlsx", "pdf", "html"])
def test_damaged_files_give_an_input_error_or_a_source_never_a_traceback(tmp_path, kind):
    if kind == "docx":
        original = build_docx(tmp_path / "a.docx").read_bytes()
    elif kind == "xlsx":
        original = build_xlsx(tmp_path / "a.xlsx").read_bytes()
    elif kind == "pdf":
        original = build_pdf(tmp_path / "a.pdf", [LINES, None, LINES]).read_bytes()
    else:
        original = PAGE.encode("gb18030")
    rng = random.Random(kind)
    outcomes = {"read": 0, "refused": 0}
    for _ in range(60):
        data = bytearray(original)
        for _ in range(rng.randint(1, 12)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        if rng.random() < 0.3:
            data = data[: rng.randrange(1, len(data))]
        try:
            source = load_bytes(bytes(data), f"damaged.{kind}")
        except InputError as exc:
            assert str(exc).startswith(f"damaged.{kind}：")
            outcomes["refused"] += 1
        else:
            assert isinstance(source, Source)
            outcomes["read"] += 1
    assert outcomes["refused"] > 0
