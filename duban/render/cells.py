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
