"""Writing one spreadsheet cell: text is text, whatever it starts with.

openpyxl stores any string beginning with ``=`` as a formula, so a task whose text
begins ``=`` (or a unit typing ``=HYPERLINK(…)`` into a report that ends up in a
download) would run in the reader's Excel.  Every writer puts values through here.
"""

from __future__ import annotations


def put(ws, row: int, column: int, value):
    """``ws.cell(row, column, value)``, with a string kept as a string."""
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    return cell


def put_row(ws, row: int, values, styles: dict) -> None:
    """One table row from column A, each cell wrapped, bordered and in the table's font."""
    for column, value in enumerate(values, start=1):
        cell = put(ws, row, column, value)
        cell.alignment = styles["wrap"]
        cell.border = styles["border"]
        cell.font = styles["font"]


def print_as_table(ws) -> None:
    """A filter on the header, the header on every printed page, A4 landscape."""
    ws.auto_filter.ref = ws.dimensions
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
