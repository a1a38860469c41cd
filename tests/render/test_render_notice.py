"""The notice .docx: geometry, fonts and clauses in the XML itself, and the rendered PDF's geometry."""

import copy
import shutil
import subprocess
import zipfile
from collections import defaultdict

import pytest
from docx import Document as open_docx
from docx.oxml.ns import qn

from duban.doc.model import Task, UnitRef
from duban.render import official
from duban.render.clauses import unit_clause
from duban.render.notice import chinese_number, render_notice, task_paragraph

MM = 72 / 25.4


def _rfonts(element):
    rpr = element.find(qn("w:rPr"))
    return rpr.find(qn("w:rFonts")) if rpr is not None else None


@pytest.fixture
def notice_path(plan, tmp_path):
    path = tmp_path / "notice.docx"
    render_notice(plan, path)
    return path


def test_page_is_a4_with_the_standard_margins_and_grid(notice_path):
    section = open_docx(notice_path).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.top_margin.mm) == 37
    assert round(section.bottom_margin.mm) == 35
    assert round(section.left_margin.mm) == 28
    assert round(section.right_margin.mm) == 26
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    # 225 mm of type area in 22 lines: 579 twips = 28.95 pt a line.
    assert grid.get(qn("w:linePitch")) == "579"
    # 156 mm in 28 characters = 15.79 pt, 0.21 pt less than 三号, in 1/4096 pt.
    assert int(grid.get(qn("w:charSpace"))) == -841


def test_styles_name_east_asian_fonts_and_sizes(notice_path):
    styles = open_docx(notice_path).styles
    expected = {
        "Normal": ("仿宋_GB2312", 16),
        "公文正文": ("仿宋_GB2312", 16),
        "公文标题": ("方正小标宋简体", 22),
        "公文一级标题": ("黑体", 16),
        "公文二级标题": ("楷体_GB2312", 16),
    }
    for name, (font, size) in expected.items():
        style = styles[name]
        rfonts = _rfonts(style.element)
        assert {rfonts.get(qn(f"w:{a}")) for a in ("eastAsia", "ascii", "hAnsi")} == {font}, name
        assert style.font.size.pt == size, name
        assert style.paragraph_format.line_spacing.pt == 28.95, name


def test_runs_carry_their_fonts_so_wps_honours_them(notice_path, plan):
    document = open_docx(notice_path)
    by_text = {p.text: p for p in document.paragraphs if p.text}
    title = by_text[plan.title]
    assert title.style.name == "公文标题"
    assert _rfonts(title.runs[0]._element).get(qn("w:eastAsia")) == "方正小标宋简体"
    assert title.runs[0].font.size.pt == 22

    heading1 = by_text["一、2026年主要预期目标"]
    assert _rfonts(heading1.runs[0]._element).get(qn("w:eastAsia")) == "黑体"
    heading2 = by_text["（二）扩大有效投资"]
    assert _rfonts(heading2.runs[0]._element).get(qn("w:eastAsia")) == "楷体_GB2312"

    task = next(p for p in document.paragraphs if p.text.startswith("2. "))
    run = task.runs[0]
    assert _rfonts(run._element).get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert run.font.size.pt == 16
    assert task.paragraph_format.first_line_indent.pt == pytest.approx(2 * official.CHAR_PITCH_PT, abs=0.05)


def test_issuer_mark_is_red_and_number_sits_over_a_red_rule(notice_path):
    document = open_docx(notice_path)
    mark = document.paragraphs[0]
    assert mark.text == "济源市人民政府文件"
    assert str(mark.runs[0].font.color.rgb) == "FF0000"
    number = next(p for p in document.paragraphs if p.text == "济政〔2026〕1号")
    bottom = number._element.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert bottom.get(qn("w:color")) == "FF0000"


def test_recipients_signature_and_date_are_in_place(notice_path):
    texts = [p.text for p in open_docx(notice_path).paragraphs]
    assert "各开发区管理办公室，各镇人民政府，各街道办事处，市人民政府各部门：" in texts
    non_blank = [t for t in texts if t]
    assert non_blank[-2:] == ["济源市人民政府", "2026年3月8日"]


def test_page_numbers_on_outer_corners_with_a_page_field(notice_path):
    with zipfile.ZipFile(notice_path) as z:
        settings = z.read("word/settings.xml").decode()
    assert "evenAndOddHeaders" in settings
    section = open_docx(notice_path).sections[0]
    for footer, alignment in ((section.footer, "right"), (section.even_page_footer, "left")):
        paragraph = footer.paragraphs[0]
        xml = paragraph._element.xml
        assert "PAGE" in xml and 'w:fldCharType="begin"' in xml
        assert paragraph.alignment is not None and paragraph.alignment.name.lower() == alignment
        assert paragraph.text == "— 1 —"
        assert {r.font.size.pt for r in paragraph.runs} == {14}
        assert {_rfonts(r._element).get(qn("w:eastAsia")) for r in paragraph.runs} == {"宋体"}


def test_task_clauses_in_the_notices_own_words(plan):
    clauses = {t.number: unit_clause(t) for t in plan.tasks}
    assert clauses == {
        "1": "（发展改革和统计局牵头，农业农村局、商务局按职责分工负责）",
        "2": "（财政局负责）",
        "3": "（人力资源和社会保障局负责，国家统计局济源调查队监测）",
        "4": "（商务局、住房和城乡建设局按职责分工负责）",
        "5": "（商务局、发展改革和统计局牵头，教育体育局、民政局按职责分工负责）",
        "6": "（发展改革和统计局牵头，各镇人民政府按职责分工负责）",
        "7": "（工业信息和科技局牵头负责）",
    }
    assert task_paragraph(plan.tasks[1]) == "2. 一般公共预算收入增长3.5%。（财政局负责）"


def test_alias_and_deadline_stay_inside_the_clause():
    task = Task("9", [], "完成林长制考核", [UnitRef("自然资源和规划局", "responsible", alias="林业局")], "6月底前")
    assert task_paragraph(task) == "9. 完成林长制考核。（自然资源和规划局(林业局)负责；完成时限：6月底前）"


def test_headings_get_numbers_when_the_plan_has_none(plan, tmp_path):
    for task in plan.tasks:
        task.section = [s.split("、", 1)[-1].split("）", 1)[-1] for s in task.section]
    path = tmp_path / "n.docx"
    render_notice(plan, path)
    texts = [p.text for p in open_docx(path).paragraphs]
    assert "一、2026年主要预期目标" in texts
    assert "二、聚焦推动高质量发展，稳住经济基本盘" in texts
    assert "（一）深挖消费潜力" in texts and "（二）扩大有效投资" in texts
    assert [chinese_number(n) for n in (1, 10, 11, 20, 34)] == ["一", "十", "十一", "二十", "三十四"]


def test_a_plan_without_tasks_is_refused(plan, tmp_path):
    from duban.errors import DubanError

    plan.tasks = []
    with pytest.raises(DubanError):
        render_notice(plan, tmp_path / "n.docx")
    assert not (tmp_path / "n.docx").exists()


# --- the rendered pages ------------------------------------------------------------------------


def _soffice():
    return shutil.which("soffice") or shutil.which("libreoffice")


def _lines(page):
    rows = defaultdict(list)
    for c in page.chars:
        rows[round(c["top"])].append(c)
    out = []
    for top in sorted(rows):
        chars = sorted(rows[top], key=lambda c: c["x0"])
        out.append(
            {
                "top": chars[0]["top"] / MM,
                "bottom": max(c["bottom"] for c in chars) / MM,
                "x0": chars[0]["x0"] / MM,
                "x1": chars[-1]["x1"] / MM,
                "text": "".join(c["text"] for c in chars),
            }
        )
    return out


@pytest.fixture(scope="module")
def rendered_pdf(tmp_path_factory):
    if not _soffice():
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui fonts-noto-cjk")
    fonts = (
        subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout
        if shutil.which("fc-list")
        else ""
    )
    if not fonts.strip():
        pytest.skip("no Chinese font for LibreOffice to set the text in: apt-get install fonts-noto-cjk")
    import pdfplumber
    from render_fixtures import build_plan

    plan = build_plan()
    # Enough tasks for several full pages of body text.
    template = plan.tasks[-1]
    for n in range(8, 40):
        extra = copy.deepcopy(template)
        extra.number = str(n)
        extra.text = "坚持服务企业、服务项目周例会工作机制，定期调度企业诉求，确保惠企政策直达快享、发展难题有效解决。"
        plan.tasks.append(extra)
    folder = tmp_path_factory.mktemp("pdf")
    docx_path = folder / "notice.docx"
    render_notice(plan, docx_path)
    subprocess.run(
        [
            _soffice(),
            "--headless",
            f"-env:UserInstallation=file://{folder}/profile",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(docx_path),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    with pdfplumber.open(folder / "notice.pdf") as pdf:
        return [(page.width / MM, page.height / MM, _lines(page)) for page in pdf.pages]


def test_pdf_pages_are_a4(rendered_pdf):
    assert len(rendered_pdf) >= 4
    for width, height, _ in rendered_pdf:
        assert width == pytest.approx(210, abs=0.5) and height == pytest.approx(297, abs=0.5)


def test_pdf_full_pages_hold_22_lines_inside_the_type_area(rendered_pdf):
    type_bottom = 297 - 35
    for _, _, lines in rendered_pdf[1:-1]:  # full pages: not the one with the header, not the last
        body = [line for line in lines if line["top"] < type_bottom]
        assert len(body) == 22
        assert 37 <= body[0]["top"] < 37 + official.LINE_PITCH_PT / MM
        assert body[-1]["bottom"] <= type_bottom
        assert min(line["x0"] for line in body) == pytest.approx(28, abs=0.6)
        assert max(line["x1"] for line in body) == pytest.approx(210 - 26, abs=0.6)
        assert max(line["x1"] for line in body) <= 210 - 26 + 0.2
        pitches = [b["top"] - a["top"] for a, b in zip(body, body[1:])]
        assert sum(pitches) / len(pitches) == pytest.approx(225 / 22, abs=0.05)


def test_pdf_lines_hold_28_characters(rendered_pdf):
    full = [
        line["text"]
        for _, _, lines in rendered_pdf[1:-1]
        for line in lines
        if line["x0"] < 29
        and line["x1"] > 183
        and line["text"].isascii() is False
        and all(not ch.isascii() for ch in line["text"])
    ]
    assert full, "no full line of Chinese text found"
    assert {len(text) for text in full} == {28}


def test_pdf_page_numbers_at_outer_corners(rendered_pdf):
    for number, (_, _, lines) in enumerate(rendered_pdf, start=1):
        footer = [line for line in lines if line["top"] > 297 - 35]
        assert len(footer) == 1 and footer[0]["text"].replace(" ", "") == f"—{number}—"
        # 7 mm below the type area, one character in from the outer edge.
        assert footer[0]["top"] == pytest.approx(297 - 35 + 7, abs=1.5)
        if number % 2:
            assert footer[0]["x1"] == pytest.approx(210 - 26 - 4.9, abs=1)
        else:
            assert footer[0]["x0"] == pytest.approx(28 + 4.9, abs=1)
