"""The official-document layout of GB/T 9704-2012 (党政机关公文格式) for python-docx.

Every .docx duban writes (notice, bulletin, year-end account) starts from
``new_document()`` and adds its parts with the helpers here, so the page,
the fonts and the grid are set in one place.

Geometry: A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm, so
the type area is 156 mm × 225 mm; 22 lines of 28 characters of 三号 (16 pt)
仿宋.  The lines are fixed by exact line spacing *and* a document grid
(``w:docGrid type="linesAndChars"``) because Word honours one, WPS the
other, and LibreOffice both.
"""

from __future__ import annotations

import math

from docx import Document as new_docx
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

PAGE_WIDTH_MM = 210
PAGE_HEIGHT_MM = 297
MARGIN_TOP_MM = 37
MARGIN_BOTTOM_MM = 35
MARGIN_LEFT_MM = 28
MARGIN_RIGHT_MM = 26
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28

TYPE_AREA_WIDTH_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM  # 156
TYPE_AREA_HEIGHT_MM = PAGE_HEIGHT_MM - MARGIN_TOP_MM - MARGIN_BOTTOM_MM  # 225

BODY_SIZE_PT = 16  # 三号
TITLE_SIZE_PT = 22  # 二号
PAGE_NUMBER_SIZE_PT = 14  # 四号
ISSUER_MARK_SIZE_PT = 36  # the red 发文机关标志; the standard leaves its size to the office

FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
KAITI = "楷体_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
SONGTI = "宋体"

RED = RGBColor(0xFF, 0x00, 0x00)

_TWIPS_PER_MM = 1440 / 25.4


def _twips(mm: float) -> int:
    return round(mm * _TWIPS_PER_MM)


# Word rounds margins to twips; the grid must divide the rounded area.
TYPE_AREA_WIDTH_TWIPS = _twips(PAGE_WIDTH_MM) - _twips(MARGIN_LEFT_MM) - _twips(MARGIN_RIGHT_MM)
TYPE_AREA_HEIGHT_TWIPS = _twips(PAGE_HEIGHT_MM) - _twips(MARGIN_TOP_MM) - _twips(MARGIN_BOTTOM_MM)
# 225 mm / 22 lines = 10.23 mm = 28.95 pt a line; linePitch is in twips.
LINE_PITCH_TWIPS = TYPE_AREA_HEIGHT_TWIPS // LINES_PER_PAGE
LINE_PITCH_PT = LINE_PITCH_TWIPS / 20
# 156 mm / 28 characters = 15.79 pt a character. charSpace is the difference
# from the body font size, in 1/4096 of a point.
CHAR_PITCH_PT = TYPE_AREA_WIDTH_TWIPS / 20 / CHARS_PER_LINE
CHAR_SPACE = round((CHAR_PITCH_PT - BODY_SIZE_PT) * 4096)
# The same squeeze as run character spacing, in twentieths of a point, rounded
# down so that 28 characters fit rather than 27.
BODY_CHAR_SPACING_TWIPS = math.floor((CHAR_PITCH_PT - BODY_SIZE_PT) * 20) - 1


def set_run_font(run, font: str, size_pt: float | None = None, *, bold: bool | None = None, color=None) -> None:
    """Name the font for every script: Word and WPS read eastAsia for Chinese, ascii/hAnsi for Latin and digits."""
    run.font.name = font
    rpr = run._element.get_or_add_rPr()
    _set_rfonts(rpr, font)
    if size_pt is not None:
        run.font.size = Pt(size_pt)
    if bold is not None:
        run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color


def _set_rfonts(rpr, font: str) -> None:
    _put(rpr, "rFonts", _RPR_ORDER, ascii=font, hAnsi=font, eastAsia=font, cs=font, hint="eastAsia")


# Child order the schema requires; Word refuses a file whose properties are out of order.
_PPR_ORDER = (
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd tabs "
    "suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd "
    "snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
    "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
).split()
_RPR_ORDER = (
    "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof snapToGrid vanish "
    "webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText vertAlign rtl cs em lang "
    "eastAsianLayout specVanish oMath"
).split()


def _put(parent, tag: str, order: list[str], **attrs):
    """Set the child ``w:tag`` of ``parent`` (creating it in schema order) with ``attrs``."""
    child = parent.find(qn(f"w:{tag}"))
    if child is None:
        child = OxmlElement(f"w:{tag}")
        later = order[order.index(tag) + 1 :]
        for i, existing in enumerate(parent):
            local = existing.tag.rsplit("}", 1)[-1]
            if local in later:
                parent.insert(i, child)
                break
        else:
            parent.append(child)
    for key, value in attrs.items():
        child.set(qn(f"w:{key}"), str(value))
    return child


def _exact_lines(paragraph_format) -> None:
    # Lines and characters are fixed by exact spacing and character spacing,
    # not by snapping to the grid: LibreOffice gives every 16 pt character two
    # grid cells of 15.8 pt and so sets 14 characters a line instead of 28.
    p_pr = paragraph_format.element.get_or_add_pPr()
    _put(p_pr, "snapToGrid", _PPR_ORDER, val="0")
    # Keep punctuation out of the right margin in LibreOffice, which reads
    # this flag inverted (7.4: val="1" turns hanging punctuation off, "0" and
    # absent leave it on).  Word's own default, letting 。 hang, is unchanged.
    _put(p_pr, "overflowPunct", _PPR_ORDER, val="1")
    paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph_format.line_spacing = Pt(LINE_PITCH_PT)
    # Widow control would end some pages a line early; every page has 22 lines.
    paragraph_format.widow_control = False
    paragraph_format.space_before = Pt(0)
    paragraph_format.space_after = Pt(0)


def _style(document, name: str, font: str, size_pt: float, *, base: str | None = "Normal"):
    styles = document.styles
    try:
        style = styles[name]
    except KeyError:
        from docx.enum.style import WD_STYLE_TYPE

        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        if base:
            style.base_style = styles[base]
    style.font.name = font
    style.font.size = Pt(size_pt)
    rpr = style.element.get_or_add_rPr()
    _set_rfonts(rpr, font)
    if size_pt == BODY_SIZE_PT:
        # 28 characters of 16 pt need 448 pt; the type area is 442.25 pt wide.
        _put(rpr, "spacing", _RPR_ORDER, val=BODY_CHAR_SPACING_TWIPS)
    _exact_lines(style.paragraph_format)
    return style


def new_document():
    """An empty .docx with the page, grid, styles and page numbers of an official document."""
    document = new_docx()
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width = Mm(PAGE_WIDTH_MM)
    section.page_height = Mm(PAGE_HEIGHT_MM)
    section.top_margin = Mm(MARGIN_TOP_MM)
    section.bottom_margin = Mm(MARGIN_BOTTOM_MM)
    section.left_margin = Mm(MARGIN_LEFT_MM)
    section.right_margin = Mm(MARGIN_RIGHT_MM)
    section.header_distance = Mm(15)
    # The page number sits 7 mm below the type area: its line (≈5 mm for 四号)
    # ends 35 − 7 − 5 = 23 mm above the page's bottom edge.
    section.footer_distance = Mm(23)
    _set_doc_grid(section)

    normal = _style(document, "Normal", FANGSONG, BODY_SIZE_PT, base=None)
    normal.paragraph_format.first_line_indent = None
    _style(document, "公文标题", XIAOBIAOSONG, TITLE_SIZE_PT)
    _style(document, "公文一级标题", HEITI, BODY_SIZE_PT)
    _style(document, "公文二级标题", KAITI, BODY_SIZE_PT)
    _style(document, "公文正文", FANGSONG, BODY_SIZE_PT)
    _set_east_asian_defaults(document)
    _page_numbers(document, section)
    return document


def _set_doc_grid(section) -> None:
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))


def _set_east_asian_defaults(document) -> None:
    """Document defaults too, so text outside our styles (tables, footers) is 仿宋 rather than Calibri."""
    rpr_default = document.styles.element.find(qn("w:docDefaults"))
    if rpr_default is None:
        return
    rpr = rpr_default.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
    if rpr is not None:
        _set_rfonts(rpr, FANGSONG)
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)
        lang.set(qn("w:eastAsia"), "zh-CN")


def _page_numbers(document, section) -> None:
    """``— 1 —`` in 宋体 四号 at the outer corner: right on odd pages, left on even pages, one character in."""
    document.settings.odd_and_even_pages_header_footer = True
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        paragraph.alignment = align
        fmt = paragraph.paragraph_format
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(0)
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            fmt.right_indent = Pt(PAGE_NUMBER_SIZE_PT)
        else:
            fmt.left_indent = Pt(PAGE_NUMBER_SIZE_PT)
        _add_text(paragraph, "— ", SONGTI, PAGE_NUMBER_SIZE_PT)
        _add_page_field(paragraph)
        _add_text(paragraph, " —", SONGTI, PAGE_NUMBER_SIZE_PT)


def _add_text(paragraph, text: str, font: str, size_pt: float, **kw):
    run = paragraph.add_run(text)
    set_run_font(run, font, size_pt, **kw)
    return run


def _add_page_field(paragraph) -> None:
    def field_run(child):
        run = paragraph.add_run()
        set_run_font(run, SONGTI, PAGE_NUMBER_SIZE_PT)
        run._element.append(child)
        return run

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    field_run(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    field_run(instr)
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    field_run(sep)
    shown = paragraph.add_run("1")
    set_run_font(shown, SONGTI, PAGE_NUMBER_SIZE_PT)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    field_run(end)


def paragraph(document, style: str | None = None):
    """``document.add_paragraph(style=style)`` in constant time.

    python-docx looks a style up by name with an XPath over every style and finds the body's
    w:sectPr by scanning all its children, for each new paragraph: a notice of 10,000 tasks
    took minutes (quadratic in its paragraphs).  Here the style id is looked up once per
    document and the paragraph goes straight before the w:sectPr found once."""
    from docx.text.paragraph import Paragraph

    cache = document.__dict__.setdefault("_duban_paragraphs", {"styles": {}, "sectPr": None})
    body = document.element.body
    if cache["sectPr"] is None or cache["sectPr"].getparent() is not body:
        cache["sectPr"] = body.find(qn("w:sectPr"))
    p = OxmlElement("w:p")
    if style:
        if style not in cache["styles"]:
            cache["styles"][style] = document.styles[style].style_id
        p.get_or_add_pPr().style = cache["styles"][style]
    if cache["sectPr"] is not None:
        cache["sectPr"].addprevious(p)
    else:
        body.append(p)
    return Paragraph(p, document._body)


# --- parts of an official document -------------------------------------------------------------


def issuer_mark(document, text: str) -> None:
    """The red 发文机关标志 (``XX人民政府文件``), centred."""
    p = paragraph(document, "公文标题")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PITCH_PT * 2)
    _add_text(p, text, XIAOBIAOSONG, ISSUER_MARK_SIZE_PT, color=RED)
    blank(document, 2)


def doc_number_with_rule(document, doc_number: str | None) -> None:
    """The 文号 centred, with the red separator line under it spanning the type area."""
    p = paragraph(document, "公文正文")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if doc_number:
        _add_text(p, doc_number, FANGSONG, BODY_SIZE_PT)
    borders = _put(p._element.get_or_add_pPr(), "pBdr", _PPR_ORDER)
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "12")  # eighths of a point: 1.5 pt
    bottom.set(qn("w:space"), "8")  # points between the 文号 and the line (≈ 4 mm in the standard)
    bottom.set(qn("w:color"), "FF0000")
    borders.append(bottom)
    blank(document, 1)


def title(document, text: str) -> None:
    p = paragraph(document, "公文标题")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _add_text(p, text, XIAOBIAOSONG, TITLE_SIZE_PT)
    blank(document, 1)


def recipients(document, text: str) -> None:
    """主送机关: flush left, ending in a full-width colon."""
    text = text.rstrip("：:") + "："
    p = paragraph(document, "公文正文")
    _add_text(p, text, FANGSONG, BODY_SIZE_PT)


def body(document, text: str, *, indent: bool = True):
    p = paragraph(document, "公文正文")
    if indent:
        p.paragraph_format.first_line_indent = Pt(CHAR_PITCH_PT * 2)
    p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _add_text(p, text, FANGSONG, BODY_SIZE_PT)
    return p


def heading1(document, text: str):
    p = paragraph(document, "公文一级标题")
    p.paragraph_format.first_line_indent = Pt(CHAR_PITCH_PT * 2)
    _add_text(p, text, HEITI, BODY_SIZE_PT)
    return p


def heading2(document, text: str):
    p = paragraph(document, "公文二级标题")
    p.paragraph_format.first_line_indent = Pt(CHAR_PITCH_PT * 2)
    _add_text(p, text, KAITI, BODY_SIZE_PT)
    return p


def blank(document, lines: int = 1) -> None:
    for _ in range(lines):
        paragraph(document, "公文正文")


def office_name(issuer: str | None) -> str:
    """The general office of the government that issued the notice, as a document signs it:
    云溪市人民政府 → 云溪市人民政府办公室, 河南省人民政府 → 河南省人民政府办公厅; a name that is
    an office already stays as it is (never 办公室办公室)."""
    issuer = (issuer or "").strip()
    if not issuer:
        return "督查局"
    if issuer.endswith(("办公室", "办公厅", "督查局", "督查室")):
        return issuer
    base = issuer if issuer.endswith("政府") else f"{issuer}人民政府"
    return base + ("办公厅" if base.startswith(_PROVINCIAL) or "省人民政府" in base else "办公室")


# A provincial government's general office is an 办公厅; every other level's an 办公室.
_PROVINCIAL = ("北京市", "天津市", "上海市", "重庆市", "内蒙古", "广西", "西藏", "宁夏", "新疆")


def signature(document, issuer: str | None, when) -> None:
    """发文机关署名 and 成文日期: the date four characters in from the right, the issuer centred over it."""
    blank(document, 2)
    date_text = f"{when.year}年{when.month}月{when.day}日" if when else ""
    # Centre the issuer over the date by indenting both from the right.
    date_right = CHAR_PITCH_PT * 4
    if issuer:
        p = paragraph(document, "公文正文")
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        shift = max(0.0, (len(date_text) - len(issuer)) / 2) * CHAR_PITCH_PT
        p.paragraph_format.right_indent = Pt(date_right + shift)
        _add_text(p, issuer, FANGSONG, BODY_SIZE_PT)
    if date_text:
        p = paragraph(document, "公文正文")
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.right_indent = Pt(date_right)
        _add_text(p, date_text, FANGSONG, BODY_SIZE_PT)


def picture(document, png: bytes, width_mm: float = 150) -> None:
    import io

    p = paragraph(document)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # A picture taller than the exact line height would be clipped to one line.
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    p.add_run().add_picture(io.BytesIO(png), width=Mm(width_mm))


def table(document, header: list[str], rows: list[list[str]], widths_mm: list[float] | None = None, size_pt=12):
    """A plain grid table in 仿宋 (smaller than body text, as offices print them)."""
    t = document.add_table(rows=1, cols=len(header))
    t.style = document.styles["Table Grid"]
    for i, text in enumerate(header):
        cell = t.rows[0].cells[i]
        _cell_text(cell, text, HEITI, size_pt)
    from docx.table import _Cell

    # Table.add_row looks the grid up again on every row, which grows with the table (13.8 s for
    # a 1,500-task year-end account); the grid is read once and each row's cells made here.
    tbl = t._tbl
    grid = [col.w for col in tbl.tblGrid.gridCol_lst]
    for row in rows:
        tr = tbl.add_tr()
        cells = []
        for width in grid:
            tc = tr.add_tc()
            if width is not None:
                tc.width = width
            cells.append(_Cell(tc, t))
        for i, text in enumerate(row):
            _cell_text(cells[i], str(text), FANGSONG, size_pt)
    if widths_mm:
        for row in t.rows:
            for i, w in enumerate(widths_mm):
                row.cells[i].width = Mm(w)
    return t


def _cell_text(cell, text: str, font: str, size_pt: float) -> None:
    p = cell.paragraphs[0]
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    p.paragraph_format.first_line_indent = Pt(0)
    _add_text(p, text, font, size_pt)


def save(document, path) -> None:
    """Write atomically: a half-written .docx is worse than none."""
    import io

    from duban.render.files import write_atomic

    buf = io.BytesIO()
    document.save(buf)
    write_atomic(path, buf.getvalue())
