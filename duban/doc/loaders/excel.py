"""Excel (.xlsx) → one table per visible worksheet, merged ranges filled."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time

from duban.doc.loaders.text import clean_text, rectangle
from duban.doc.source import Source, Table
from duban.errors import InputError


def read_xlsx(data: bytes, name: str, *, limits=None) -> Source:
    import openpyxl

    from duban.limits import current

    limits = limits or current()

    from duban.limits import check_xlsx_cells

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            check_xlsx_cells(zf, name, limits)
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=True)
    except (KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise InputError(f"{name}：Excel 工作簿已损坏或不完整，无法打开（{type(exc).__name__}）") from exc
    source = Source(name=name, format="xlsx")
    for sheet in workbook.worksheets:
        if sheet.sheet_state != "visible":
            source.notes.append(f"隐藏的工作表“{sheet.title}”未读取")
            continue
        rows = _sheet_rows(sheet, name, limits)
        if rows:
            source.blocks.append(Table(rows))
            hidden = [r for r in range(1, len(rows) + 1) if sheet.row_dimensions[r].hidden and any(rows[r - 1])]
            if hidden:
                listed = "、".join(str(r) for r in hidden[:10]) + ("等" if len(hidden) > 10 else "")
                source.notes.append(f"工作表“{sheet.title}”第 {listed} 行是隐藏的，已一并读取")
    if not source.blocks:
        raise InputError(f"{name}：Excel 工作簿中没有可见的内容")
    return source


def _sheet_rows(sheet, name: str, limits) -> list[list[str]]:
    from duban.limits import check

    # Only the cells the sheet stores: one formatted cell at row 1,048,576 must not
    # turn into a million empty rows.  (``_cells`` is openpyxl's own cell store.)
    texts = {key: text for key, cell in sheet._cells.items() if (text := _cell_text(cell))}
    if not texts:
        return []
    height = max(r for r, _ in texts)
    width = max(c for _, c in texts)
    check("table_cells", height * width, name, limits, detail=f"（工作表“{sheet.title}”，{height} 行 × {width} 列）")
    grid = [[""] * width for _ in range(height)]
    for (r, c), text in texts.items():
        grid[r - 1][c - 1] = text
    for merged in sheet.merged_cells.ranges:
        top_left = texts.get((merged.min_row, merged.min_col), "")
        for r in range(merged.min_row, min(merged.max_row, height) + 1):
            for c in range(merged.min_col, min(merged.max_col, width) + 1):
                grid[r - 1][c - 1] = top_left
    return rectangle(grid)


def _cell_text(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if "%" in (cell.number_format or ""):
            return f"{value * 100:.12g}%"
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.15g}"
    return clean_text(str(value)).strip()
