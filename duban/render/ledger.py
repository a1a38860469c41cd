"""Excel ledgers: the whole plan for the office, and each unit's template to fill offline.

A unit's template has one sheet for its implementation plan (台账) and one
per reporting round.  The task columns are locked (sheet protection without
a password: it stops accidents, not people), the input cells are unlocked,
status cells offer a drop-down list, and a very hidden sheet ``_duban`` says
which unit, plan and tasks the file belongs to, so ``import_unit_ledger``
can read it back and tell a damaged or foreign file from a good one.

Given the unit's ``current`` ledger and reports, the template carries them in
its input cells, and the hidden sheet keeps, for every row, what was issued and
a stamp of it (``row_stamp``: the cells plus what the sheet does not show, such
as done ticks).  The import then changes only the cells the unit changed, never
lets a blank cell erase a value, and refuses a row whose stamp no longer matches
what the application holds: it was changed there after the download.
"""

from __future__ import annotations

import hashlib
import io
import json
import re

from duban.doc.model import Document, Task
from duban.render.cells import print_as_table, put, put_row
from duban.render.clauses import ROLE_LABELS, lead_names, no_tasks_message, other_names, unit_tasks
from duban.render.data import LEDGER_SCHEMA, STATUS_LABELS, LedgerEntry, RoundData, RoundEntry, UnitLedger
from duban.render.files import write_atomic
from duban.render.summary import status_label

META_SHEET = "_duban"
PLAN_SHEET = "台账"
# A hidden-sheet key "row|<sheet>|<row key>" holds {"stamp": ..., "cells": {header: issued text}} for that row.
ROW_PREFIX = "row|"
# Excel keeps at most 32767 characters in a cell; a row whose record is longer keeps only its stamp.
CELL_LIMIT = 32000

KEY = "行键"  # hidden column A: the task number, or "12#2" for a task's second indicator

# (header, width, input?) — input columns are the ones a unit fills.
PLAN_COLUMNS = [
    (KEY, 8, False),
    ("序号", 6, False),
    ("所属部分", 18, False),
    ("重点工作任务", 48, False),
    ("本单位职责", 8, False),
    ("完成时限", 10, False),
    ("工作事项", 30, True),
    ("时序节点", 32, True),
    ("主要措施", 36, True),
    ("保障机制", 24, True),
    ("责任领导", 10, True),
    ("责任人", 10, True),
]
ROUND_COLUMNS = [
    (KEY, 8, False),
    ("序号", 6, False),
    ("重点工作任务", 44, False),
    ("指标", 18, False),
    ("状态", 12, True),
    ("进展情况", 40, True),
    ("指标完成值", 10, True),
    ("存在问题", 28, True),
    ("下步打算", 28, True),
]
# Inputs on a task's second and later indicator rows: only the figure.
CONTINUATION_INPUTS = {"指标完成值"}

EXPORT_COLUMNS = [
    ("序号", 6),
    ("所属部分", 22),
    ("重点工作任务", 60),
    ("牵头单位", 22),
    ("责任/配合单位", 30),
    ("完成时限", 12),
    ("指标", 22),
    ("状态", 12),
    ("最新进展", 50),
]

MILESTONE_HELP = (
    "每行一个节点：日期：事项，如 2026-06-30：完成主体工程。日期可写 2026-06-30、2026年6月30日、6月30日、6月底。"
)

_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


def indicator_text(indicator) -> str:
    written = indicator.text or f"{indicator.value:g}{indicator.unit}"
    return f"{indicator.name}：{written}" if indicator.name and indicator.name not in written else written


def sheet_name(round_name: str) -> str:
    """A round's name as Excel allows a sheet name: no []:*?/\\, at most 31 characters."""
    name = _SHEET_NAME_BAD.sub("-", round_name).strip("'") or "轮次"
    return name[:31]


def default_rounds(doc: Document) -> list[str]:
    """One round a progress or annual report in the plan's schedule: 6月15日进展, 全年落实情况."""
    names = []
    for item in doc.schedule:
        if item.what == "progress":
            when = f"{item.due.month}月{item.due.day}日" if item.due else item.rule
            names.append(f"{when}进展")
        elif item.what == "annual":
            names.append("全年落实情况")
    return names or ["进展情况"]


def round_rows(task: Task) -> list[tuple[str, str]]:
    """(row key, indicator text) for each row a task takes on a round sheet."""
    if len(task.indicators) <= 1:
        return [(task.number, indicator_text(task.indicators[0]) if task.indicators else "")]
    return [
        (task.number if i == 0 else f"{task.number}#{i + 1}", indicator_text(ind))
        for i, ind in enumerate(task.indicators)
    ]


# --- what a row carries ---------------------------------------------------------------------------

PLAN_INPUTS = [h for h, _w, is_input in PLAN_COLUMNS if is_input]
ROUND_INPUTS = [h for h, _w, is_input in ROUND_COLUMNS if is_input]


def figure_text(value) -> str:
    """A figure as a cell and a row record write it: 12, 12.5, 1234567.25 (never 1.23457e+06)."""
    if value is None or value == "":
        return ""
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(value)


def plan_inputs(entry: LedgerEntry | None) -> dict[str, str]:
    """The input cells of a task's plan row for ``entry`` (all blank without one)."""
    if entry is None:
        return {h: "" for h in PLAN_INPUTS}
    return {
        "工作事项": entry.work_items or "",
        "时序节点": "\n".join(f"{m.due.isoformat()}：{m.what}" for m in entry.milestones),
        "主要措施": entry.measures or "",
        "保障机制": entry.safeguards or "",
        "责任领导": entry.leader or "",
        "责任人": entry.person or "",
    }


def round_inputs(entry: RoundEntry | None, task: Task, index: int) -> dict[str, str]:
    """The input cells of a task's ``index``-th row on a round sheet for ``entry``."""
    name = task.indicators[index].name if index < len(task.indicators) else None
    figure = figure_text(entry.figures.get(name)) if entry is not None and name is not None else ""
    if index > 0:
        return {h: "" for h in ROUND_INPUTS} | {"指标完成值": figure}
    if entry is None:
        return {h: "" for h in ROUND_INPUTS}
    return {
        "状态": STATUS_LABELS.get(entry.status, "") if entry.status else "",
        "进展情况": entry.progress or "",
        "指标完成值": figure,
        "存在问题": entry.problems or "",
        "下步打算": entry.next_steps or "",
    }


def row_stamp(cells: dict[str, str], hidden: str = "") -> str:
    """What identifies a row's stored state: its cells and what the sheet does not show (``hidden``)."""
    text = json.dumps([sorted(cells.items()), hidden], ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def plan_hidden(entry: LedgerEntry | None) -> str:
    """The done ticks of a plan row: a tick made in the application after the download changes the stamp."""
    if entry is None:
        return ""
    return "；".join(f"{m.due.isoformat()}：{m.what}" for m in entry.milestones if m.done)


def round_entry(current: UnitLedger | None, round_name: str, number: str) -> RoundEntry | None:
    if current is None:
        return None
    return next((e for e in current.rounds.get(round_name, []) if e.task == number), None)


def _styles():
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="999999")
    return {
        "header_font": Font(name="黑体", bold=True),
        "header_fill": PatternFill("solid", fgColor="DDE5F0"),
        "locked_fill": PatternFill("solid", fgColor="F2F2F2"),
        "wrap": Alignment(wrap_text=True, vertical="top"),
        "center": Alignment(horizontal="center", vertical="center", wrap_text=True),
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "font": Font(name="仿宋"),
    }


def _header(ws, columns, styles) -> None:
    from openpyxl.utils import get_column_letter

    for col, (header, width, *_rest) in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=col, value=header)
        cell.font = styles["header_font"]
        cell.fill = styles["header_fill"]
        cell.alignment = styles["center"]
        cell.border = styles["border"]
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"


def _save(wb, path) -> None:
    buf = io.BytesIO()
    wb.save(buf)
    write_atomic(path, buf.getvalue())


# --- the whole plan ------------------------------------------------------------------------------


def export_plan_xlsx(doc: Document, path, round_data: RoundData | None = None) -> None:
    """The plan as one row a task, with each task's status and latest progress when a round is given."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "重点工作任务"
    styles = _styles()
    _header(ws, [(h, w) for h, w in EXPORT_COLUMNS], styles)
    for row, task in enumerate(doc.tasks, start=2):
        status = latest = ""
        if round_data is not None:
            # The dashboard's state when the round carries it (duban.track.round), else the reports' least advanced.
            key = round_data.task_colour(task.number) or round_data.task_status(task.number)
            status = status_label(key) if key else ""
            latest = "\n".join(f"{r.unit}：{r.progress}" for r in round_data.for_task(task.number) if r.progress)
        values = [
            task.number,
            " / ".join(task.section),
            task.text,
            lead_names(task),
            other_names(task),
            task.deadline or "",
            "；".join(indicator_text(i) for i in task.indicators),
            status,
            latest,
        ]
        put_row(ws, row, values, styles)
    print_as_table(ws)
    _save(wb, path)


# --- a unit's template ----------------------------------------------------------------------------


def unit_ledger_template(
    doc: Document,
    unit_name: str,
    path,
    rounds: list[str] | None = None,
    current: UnitLedger | None = None,
    plan_key: str | None = None,
) -> None:
    """The ledger ``unit_name`` fills for its tasks: a plan sheet and a sheet per reporting round.

    With ``current`` (what the application holds for the unit, rounds keyed by the names in ``rounds``)
    the input cells carry it, and each row's issued cells and stamp are kept for the import.
    ``plan_key`` names a stored plan, so the import knows it after its title or 文号 is amended.
    """
    from openpyxl import Workbook
    from openpyxl.worksheet.cell_range import MultiCellRange
    from openpyxl.worksheet.datavalidation import DataValidation

    from duban.errors import DubanError

    tasks = unit_tasks(doc.tasks, unit_name)
    if not tasks:
        raise DubanError(no_tasks_message(doc.tasks, unit_name))
    rounds = list(rounds) if rounds else default_rounds(doc)
    sheets = [sheet_name(r) for r in rounds]
    if len(set(sheets)) != len(sheets) or PLAN_SHEET in sheets:
        raise DubanError("报送轮次名称重复（或与“台账”同名），无法各成一页")

    styles = _styles()
    wb = Workbook()
    ws = wb.active
    ws.title = PLAN_SHEET
    _header(ws, PLAN_COLUMNS, styles)
    records: list[tuple[str, str]] = []
    for row, (task, role) in enumerate(tasks, start=2):
        entry = current.entry(task.number) if current is not None else None
        cells = plan_inputs(entry)
        values = [task.number, task.number, " / ".join(task.section), task.text, ROLE_LABELS[role], task.deadline or ""]
        values += [cells[h] or None for h in PLAN_INPUTS]
        _fill_row(ws, row, PLAN_COLUMNS, values, styles, inputs=set(PLAN_INPUTS))
        if current is not None:
            records.append(_record(PLAN_SHEET, task.number, cells, plan_hidden(entry)))
    milestones = DataValidation(type="textLength", operator="lessThanOrEqual", formula1="2000", allow_blank=True)
    milestones.promptTitle = "时序节点"
    milestones.prompt = MILESTONE_HELP[:255]
    milestones.showInputMessage = True
    ws.add_data_validation(milestones)
    milestones.add(f"H2:H{len(tasks) + 1}")
    _protect(ws)

    for round_name, title in zip(rounds, sheets):
        rs = wb.create_sheet(title)
        _header(rs, ROUND_COLUMNS, styles)
        status_list = DataValidation(
            type="list", formula1='"' + ",".join(STATUS_LABELS.values()) + '"', allow_blank=True
        )
        status_list.error = "请从下拉列表中选择：" + "、".join(STATUS_LABELS.values())
        status_list.errorTitle = "状态"
        status_list.showErrorMessage = True
        status_list.promptTitle = "状态"
        status_list.prompt = "从下拉列表选择；选“滞后”时请在“存在问题”中写明原因"
        status_list.showInputMessage = True
        figure = DataValidation(
            type="decimal", operator="between", formula1="-1E+15", formula2="1E+15", allow_blank=True
        )
        figure.error = "指标完成值须为数字"
        figure.showErrorMessage = True
        rs.add_data_validation(status_list)
        rs.add_data_validation(figure)
        row = 2
        status_cells: list[str] = []
        for task, _role in tasks:
            entry = round_entry(current, round_name, task.number)
            for i, (key, indicator) in enumerate(round_rows(task)):
                cells = round_inputs(entry, task, i)
                values = [key, task.number, task.text if i == 0 else "（同上）", indicator]
                values += [_cell_value(h, cells[h]) for h, _w, inp in ROUND_COLUMNS if inp]
                inputs = {h for h, _, inp in ROUND_COLUMNS if inp} if i == 0 else CONTINUATION_INPUTS
                _fill_row(rs, row, ROUND_COLUMNS, values, styles, inputs=inputs)
                if current is not None:
                    records.append(_record(title, key, cells))
                if i == 0:
                    status_cells.append(f"E{row}")
                row += 1
        # Given whole: DataValidation.add checks each new cell against every range already
        # added, which made a unit's template quadratic in its rows.
        if status_cells:
            status_list.sqref = MultiCellRange(" ".join(status_cells))
        if row > 2:
            figure.sqref = MultiCellRange(" ".join(f"G{r}" for r in range(2, row)))
        _protect(rs)

    meta = wb.create_sheet(META_SHEET)
    for key, value in _metadata(doc, unit_name, tasks, rounds, sheets).items():
        meta.append([key, value])
    if plan_key:
        meta.append(["plan_key", plan_key])
    for key, value in records:
        meta.append([key, value])
    meta.sheet_state = "veryHidden"
    _save(wb, path)


def _cell_value(header: str, text: str):
    """What an input cell holds for ``text``: a number in the figure column, else the text (None when blank)."""
    if not text:
        return None
    if header == "指标完成值":
        value = float(text)
        return int(value) if value.is_integer() else value
    return text


def _record(sheet: str, key: str, cells: dict[str, str], hidden: str = "") -> tuple[str, str]:
    """The hidden-sheet row that says what a template row was issued with, and its stamp."""
    stamp = row_stamp(cells, hidden)
    text = json.dumps({"stamp": stamp, "cells": cells}, ensure_ascii=False)
    if len(text) > CELL_LIMIT:
        text = json.dumps({"stamp": stamp, "cells": None})
    return f"{ROW_PREFIX}{sheet}|{key}", text


def _fill_row(ws, row, columns, values, styles, *, inputs: set[str]) -> None:
    from openpyxl.styles import Protection

    for col, (header, _width, _input) in enumerate(columns, start=1):
        value = values[col - 1] if col - 1 < len(values) else None
        cell = put(ws, row, col, value)
        cell.alignment = styles["wrap"]
        cell.border = styles["border"]
        cell.font = styles["font"]
        if header in inputs:
            cell.protection = Protection(locked=False)
        else:
            cell.fill = styles["locked_fill"]
    ws.column_dimensions["A"].hidden = True


def _protect(ws) -> None:
    # Printed as offices print ledgers: A4 landscape, one page wide, header on every page.
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    protection = ws.protection
    protection.sheet = True
    # Units may resize and format, but not insert, delete or reorder.
    protection.formatColumns = False
    protection.formatRows = False
    protection.formatCells = False
    protection.autoFilter = False


def _metadata(doc: Document, unit_name: str, tasks, rounds: list[str], sheets: list[str]) -> dict[str, str]:
    return {
        "schema": LEDGER_SCHEMA,
        "unit": unit_name,
        "title": doc.title or "",
        "doc_number": doc.doc_number or "",
        "year": str(doc.year or ""),
        "tasks": json.dumps([t.number for t, _ in tasks], ensure_ascii=False),
        "rounds": json.dumps(dict(zip(sheets, rounds)), ensure_ascii=False),
    }
