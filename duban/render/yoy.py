"""The year-over-year comparison (``duban.draft.yoy.Comparison``) as an .xlsx workbook:
one sheet each for the targets, the carried-over tasks, the new, the dropped, and the units
whose tasks moved — laid out like ``duban.render.ledger``'s plan table."""

from __future__ import annotations

from duban.draft.yoy import Comparison
from duban.render.cells import print_as_table, put_row
from duban.render.ledger import _header, _save, _styles, figure_text, indicator_text

TARGET_COLUMNS = [("指标", 24), ("上年任务", 10), ("上年目标", 22), ("本年任务", 10), ("本年目标", 22), ("变化", 12)]
CARRIED_COLUMNS = [
    ("上年序号", 10),
    ("上年任务", 50),
    ("本年序号", 10),
    ("本年任务", 50),
    ("相似度", 10),
    ("上年责任单位", 24),
    ("本年责任单位", 24),
    ("责任单位变化", 12),
]
TASK_COLUMNS = [("序号", 10), ("所属部分", 24), ("任务", 60), ("责任单位", 30)]
UNIT_COLUMNS = [("单位", 24), ("上年任务数", 12), ("本年任务数", 12), ("接手任务", 40), ("移出任务", 40)]


def _target_value(indicator) -> str:
    return indicator_text(indicator) if indicator is not None else ""


def _change(row) -> str:
    if row.last is None:
        return "新增指标"
    if row.this is None:
        return "不再列出"
    if row.change is None:
        return "单位不同"
    change = figure_text(row.change)
    return f"+{change}{row.this.unit}" if row.change > 0 else f"{change}{row.this.unit}"


def _units(task) -> str:
    return "、".join(u.name for u in task.units)


def target_rows(comparison: Comparison) -> list[list]:
    return [
        [r.name, r.last_task or "", _target_value(r.last), r.this_task or "", _target_value(r.this), _change(r)]
        for r in comparison.targets
    ]


def carried_rows(comparison: Comparison) -> list[list]:
    return [
        [
            c.last.number,
            c.last.text,
            c.this.number,
            c.this.text,
            f"{c.similarity:.2f}",
            "、".join(c.units_before),
            "、".join(c.units_after),
            "有变化" if c.moved else "",
        ]
        for c in comparison.carried
    ]


def task_rows(tasks) -> list[list]:
    return [[t.number, " / ".join(t.section), t.text, _units(t)] for t in tasks]


def unit_rows(comparison: Comparison) -> list[list]:
    return [
        [
            u.unit,
            u.last_count,
            u.this_count,
            "；".join(f"第{c.this.number}项" for c in u.taken),
            "；".join(f"第{c.this.number}项" for c in u.given),
        ]
        for u in comparison.units
    ]


def sheets(comparison: Comparison) -> list[tuple[str, list, list[list]]]:
    """(sheet title, columns, rows) in the workbook's order."""
    return [
        ("主要目标对比", TARGET_COLUMNS, target_rows(comparison)),
        ("延续任务", CARRIED_COLUMNS, carried_rows(comparison)),
        ("新增任务", TASK_COLUMNS, task_rows(comparison.new)),
        ("不再列出的任务", TASK_COLUMNS, task_rows(comparison.dropped)),
        ("责任单位变化", UNIT_COLUMNS, unit_rows(comparison)),
    ]


def export_yoy_xlsx(comparison: Comparison, path) -> None:
    """The comparison as a workbook, written atomically to ``path``."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    styles = _styles()
    for title, columns, rows in sheets(comparison):
        ws = wb.create_sheet(title)
        _header(ws, columns, styles)
        for r, values in enumerate(rows, start=2):
            put_row(ws, r, values, styles)
        print_as_table(ws)
    _save(wb, path)
