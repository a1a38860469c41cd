"""Re-lay a notice in the other forms notices come in, for round-trip tests.

A parser that reads the Jiyuan notice from its text should read the same
tasks when the notice arrives as a Word file, a hard-wrapped PDF with page
numbers, a Word or Excel table, or with labelled unit clauses.  These
builders write those forms from a parsed ``Document`` (or from the raw lines
where the layout is the text itself).  They are test helpers: deterministic,
offline (reportlab's built-in CID font, no font files), fast.
"""

from __future__ import annotations

from pathlib import Path

from duban.doc.model import LEAD, MONITOR, RESPONSIBLE, SUPPORT, Document, Task

TABLE_HEADER = ["序号", "重点工作任务", "牵头单位", "责任单位", "完成时限"]
PDF_FONT = "STSong-Light"  # Adobe's CID font, built into reportlab and every PDF reader


def notice_docx(lines: list[str], path: str | Path) -> Path:
    """The original text as a Word document: one paragraph per non-empty line."""
    import docx

    document = docx.Document()
    for line in lines:
        if line.strip():
            document.add_paragraph(line.strip())
    document.save(path)
    return Path(path)


def wrap_lines(lines: list[str], chars_per_line: int) -> list[str]:
    """Hard-wrap every non-empty line every ``chars_per_line`` characters, as a
    PDF typesetter does: mid-sentence, mid-word, mid-number."""
    out: list[str] = []
    for line in lines:
        line = line.strip()
        while line:
            out.append(line[:chars_per_line])
            line = line[chars_per_line:]
    return out


def notice_pdf(lines: list[str], path: str | Path, chars_per_line: int = 28, lines_per_page: int = 26) -> int:
    """Typeset the lines on A4 pages, hard-wrapped, with ``— N —`` at the foot of
    each page.  Returns the number of pages."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    width, height = A4
    size, leading, margin = 15, 26, 72
    physical = wrap_lines(lines, chars_per_line)
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    pages = 0
    for start in range(0, max(len(physical), 1), lines_per_page):
        pages += 1
        pdf.setFont(PDF_FONT, size)
        y = height - margin
        for line in physical[start : start + lines_per_page]:
            pdf.drawString(margin, y, line)
            y -= leading
        pdf.drawCentredString(width / 2, 40, f"— {pages} —")
        pdf.showPage()
    pdf.save()
    return pages


# --- tables ---------------------------------------------------------------------------------------------------------


def _names(task: Task, *roles: str) -> str:
    return "、".join(u.name for u in task.units_in(*roles))


def table_cells(task: Task) -> list[str]:
    """One task as a row of 序号 | 重点工作任务 | 牵头单位 | 责任单位 | 完成时限.

    Leads go under 牵头单位; every other unit (support, or responsible when there
    is no lead) under 责任单位, monitors marked ``X（监测）``."""
    others = [u.name for u in task.units_in(RESPONSIBLE, SUPPORT)]
    others += [f"{u.name}（监测）" for u in task.units_in(MONITOR)]
    return [task.number, task.text, _names(task, LEAD), "、".join(others), task.deadline or ""]


def layout(doc: Document) -> list[str | Task]:
    """Headings (str) where a new one starts, and tasks, in document order."""
    out: list[str | Task] = []
    current: list[str] = []
    for task in doc.tasks:
        if task.section != current:
            shared = 0
            while shared < min(len(current), len(task.section)) and current[shared] == task.section[shared]:
                shared += 1
            out.extend(task.section[shared:])
            current = list(task.section)
        out.append(task)
    return out


def table_rows(doc: Document) -> list[tuple[str, list[str]]]:
    """The table body: ("section", [heading]) and ("task", cells) rows in order."""
    return [("section", [item]) if isinstance(item, str) else ("task", table_cells(item)) for item in layout(doc)]


def default_preamble(doc: Document) -> list[str]:
    recipients = doc.recipients or "各有关单位"
    return [
        f"{recipients}：",
        "现将《政府工作报告》提出的重点工作任务予以分解并明确责任单位，请认真抓好落实。",
    ]


def _signature(doc: Document) -> list[str]:
    lines = [doc.issuer] if doc.issuer else []
    if doc.date:
        lines.append(f"{doc.date.year}年{doc.date.month}月{doc.date.day}日")
    return lines


def notice_table_docx(doc: Document, path: str | Path, preamble: list[str] | None = None) -> Path:
    """The notice as a Word table: title, preamble, then one table with section rows
    merged across all five columns."""
    import docx

    document = docx.Document()
    document.add_paragraph(doc.title or "重点工作任务分解表")
    for line in preamble if preamble is not None else default_preamble(doc):
        document.add_paragraph(line)
    table = document.add_table(rows=1, cols=len(TABLE_HEADER))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, TABLE_HEADER):
        cell.text = text
    for kind, cells in table_rows(doc):
        row = table.add_row()
        if kind == "section":
            merged = row.cells[0].merge(row.cells[-1])
            merged.text = cells[0]
        else:
            for cell, text in zip(row.cells, cells):
                cell.text = text
    for line in _signature(doc):
        document.add_paragraph(line)
    document.save(path)
    return Path(path)


def notice_table_xlsx(doc: Document, path: str | Path, preamble: list[str] | None = None) -> Path:
    """The notice as an Excel sheet: a merged title row, a merged preamble row,
    the header, section rows merged across A:E, task rows (序号 as numbers)."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "重点工作任务"
    last = len(TABLE_HEADER)

    def merged_row(text: str) -> None:
        sheet.append([text])
        r = sheet.max_row
        sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=last)

    merged_row(doc.title or "重点工作任务分解表")
    merged_row("".join(preamble if preamble is not None else default_preamble(doc)))
    sheet.append(TABLE_HEADER)
    for kind, cells in table_rows(doc):
        if kind == "section":
            merged_row(cells[0])
        else:
            number = int(cells[0]) if cells[0].isdigit() else cells[0]
            sheet.append([number, *cells[1:]])
    workbook.save(path)
    return Path(path)


# --- labelled clauses -----------------------------------------------------------------------------------------------


def labelled_clause(task: Task, *, style: str = "inline") -> str:
    """The task's units as labelled clauses.

    inline: ``牵头单位：A；配合单位：B；完成时限：6月底前`` (``责任单位：A、B`` with no lead);
    lines:  ``牵头单位：A；责任单位：B、C`` — every non-lead unit under 责任单位."""
    parts: list[str] = []
    leads = _names(task, LEAD)
    if leads:
        parts.append(f"牵头单位：{leads}")
    if style == "lines" or not leads:
        rest = _names(task, RESPONSIBLE, SUPPORT)
        if rest:
            parts.append(f"责任单位：{rest}")
    else:
        if responsible := _names(task, RESPONSIBLE):
            parts.append(f"责任单位：{responsible}")
        if support := _names(task, SUPPORT):
            parts.append(f"配合单位：{support}")
    if monitors := _names(task, MONITOR):
        parts.append(f"监测单位：{monitors}")
    if task.deadline:
        parts.append(f"完成时限：{task.deadline}")
    return "；".join(parts)


def notice_labelled_text(doc: Document, *, style: str = "inline", preamble: list[str] | None = None) -> str:
    """The notice as text with labelled unit clauses; headings as in the original.

    ``style="inline"``: ``1. 任务文本（牵头单位：A、B；配合单位：C、D；完成时限：6月底前）``;
    ``style="lines"``: the clause on its own line after the task."""
    if style not in ("inline", "lines"):
        raise ValueError(f"unknown style {style!r}")
    lines = [doc.title or "重点工作任务分解", *(preamble if preamble is not None else default_preamble(doc))]
    for task in layout(doc):
        if isinstance(task, str):
            lines.append(task)
            continue
        clause = labelled_clause(task, style=style)
        if style == "inline":
            lines.append(f"{task.number}. {task.text}（{clause}）" if clause else f"{task.number}. {task.text}")
        else:
            lines.append(f"{task.number}. {task.text}")
            if clause:
                lines.append(clause)
    lines.extend(_signature(doc))
    return "\n".join(lines) + "\n"


def notice_labelled_lines(doc: Document, *, preamble: list[str] | None = None) -> str:
    """``notice_labelled_text`` with each clause on its own line."""
    return notice_labelled_text(doc, style="lines", preamble=preamble)
