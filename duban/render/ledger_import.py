"""Read a unit's filled ledger back, check every cell, and say row by row what is accepted.

Two kinds of problems:

- **structural** — the file is not this unit's template for this plan, or its
  shape was broken: a sheet or column missing or added, merged cells, a
  hidden sheet holding data, rows for tasks that are not the unit's, task
  rows missing.  Nothing is imported, whatever the caller says.
- **row** — a cell in a row is wrong: a date that is no date, a status not in
  the list, a figure that is not a number, a formula.  The row is rejected;
  the good rows are imported only if the caller accepts a partial import.

Every problem names its sheet, row and column as Excel shows them.

A template made with the unit's current ledger (``unit_ledger_template(…,
current=…)``) records what each row was issued with.  Reading it back, a row
counts only for the cells the unit changed; a blank cell where a value was
issued keeps the value (a blank never erases); an untouched row is left alone.
Given ``current`` again — what the application holds now — a changed row whose
stamp no longer matches is refused with the reason: it was also changed in the
application after the template was downloaded.
"""

from __future__ import annotations

import calendar
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from duban import vocab
from duban.doc.model import Document
from duban.errors import DubanError, InputError
from duban.render.clauses import ROLE_LABELS, no_tasks_message, unit_tasks
from duban.render.data import (
    BEHIND,
    LEDGER_SCHEMA,
    STATUS_LABELS,
    LedgerEntry,
    Milestone,
    RoundEntry,
    UnitLedger,
)
from duban.render.ledger import (
    CONTINUATION_INPUTS,
    KEY,
    META_SHEET,
    PLAN_COLUMNS,
    PLAN_INPUTS,
    PLAN_SHEET,
    ROUND_COLUMNS,
    ROUND_INPUTS,
    ROW_PREFIX,
    figure_text,
    plan_hidden,
    plan_inputs,
    round_entry,
    round_inputs,
    round_rows,
    row_stamp,
)

ACCEPTED = "accepted"
REJECTED = "rejected"
EMPTY = "empty"  # nothing filled in, or nothing changed from what the template was issued with
CONFLICT = "下载模板后，此行在系统中也被修改了"

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_MILESTONE = re.compile(
    r"^\s*(?:(?P<y>\d{4})\s*[-/.年]\s*)?(?P<m>\d{1,2})\s*(?:[-/.月])\s*(?:(?P<d>\d{1,2})\s*日?|(?P<end>底|末))\s*(?:前)?"
    r"\s*[：:、，,\s]\s*(?P<what>\S.*)$"
)


@dataclass
class LedgerProblem:
    sheet: str
    row: int | None
    column: str | None  # the column letter as Excel shows it
    header: str | None  # that column's header
    message: str

    def __str__(self) -> str:
        where = f"工作表“{self.sheet}”"
        if self.row:
            where += f"第{self.row}行"
        if self.column:
            where += f"{self.column}列"
            if self.header:
                where += f"（{self.header}）"
        return f"{where}：{self.message}"

    def to_json(self) -> dict:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "header": self.header,
            "message": self.message,
        }


@dataclass
class RowResult:
    sheet: str
    row: int
    task: str
    outcome: str  # accepted | rejected | empty
    problems: list[LedgerProblem] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # the input columns the unit changed (headers)
    kept: list[str] = field(default_factory=list)  # blank cells whose issued value stays

    def to_json(self) -> dict:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "task": self.task,
            "outcome": self.outcome,
            "problems": [p.to_json() for p in self.problems],
            "changed": list(self.changed),
            "kept": list(self.kept),
        }


@dataclass
class LedgerImport:
    """What ``import_unit_ledger`` found.

    ``ledger`` is what may be applied: the whole file when it has no problem,
    only the accepted rows when the caller accepted a partial import, and
    ``None`` otherwise — including always when a structural problem was found.
    """

    unit: str
    rows: list[RowResult] = field(default_factory=list)
    structural: list[LedgerProblem] = field(default_factory=list)
    ledger: UnitLedger | None = None

    @property
    def problems(self) -> list[LedgerProblem]:
        return self.structural + [p for r in self.rows for p in r.problems]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def accepted(self) -> list[RowResult]:
        return [r for r in self.rows if r.outcome == ACCEPTED]

    @property
    def rejected(self) -> list[RowResult]:
        return [r for r in self.rows if r.outcome == REJECTED]

    @property
    def applied(self) -> bool:
        return self.ledger is not None

    def summary(self) -> str:
        if self.structural:
            return f"台账结构有 {len(self.structural)} 处问题，未导入任何内容"
        if self.ok:
            return f"台账全部通过检查：{len(self.accepted)} 行已导入"
        verb = "已导入" if self.applied else "可导入（需确认只导入无误的行）"
        return f"{len(self.accepted)} 行通过检查{verb}，{len(self.rejected)} 行被拒绝"

    def to_json(self) -> dict:
        return {
            "unit": self.unit,
            "ok": self.ok,
            "applied": self.applied,
            "summary": self.summary(),
            "structural": [p.to_json() for p in self.structural],
            "rows": [r.to_json() for r in self.rows],
            "ledger": self.ledger.to_json() if self.ledger else None,
        }


def import_unit_ledger(
    path,
    doc: Document,
    unit_name: str,
    *,
    accept_partial: bool = False,
    current: UnitLedger | None = None,
    plan_key: str | None = None,
) -> LedgerImport:
    """Check a filled template of ``unit_name``'s ledger for ``doc`` and read what may be applied.

    ``current`` is what the application holds for the unit now (rounds by name); with it a row
    changed on both sides since the download is refused.  ``plan_key`` (as given to the template)
    names a stored plan across amendments of its title and 文号.  A template without row records (made
    on the command line without the unit's ledger) counts as issued blank: a row it fills where
    the application already holds something is refused the same way.
    """
    if not unit_tasks(doc.tasks, unit_name):
        raise DubanError(no_tasks_message(doc.tasks, unit_name))
    wb = _open(path)
    result = LedgerImport(unit=unit_name)
    meta = _metadata(wb, result)
    if meta is None:
        return result
    _check_identity(meta, doc, unit_name, result, plan_key)
    own = {task.number: (task, role) for task, role in unit_tasks(doc.tasks, unit_name)}
    all_numbers = {t.number for t in doc.tasks}
    try:
        round_sheets: dict[str, str] = json.loads(meta.get("rounds") or "{}")
    except ValueError:
        round_sheets = {}
        result.structural.append(LedgerProblem(META_SHEET, None, None, None, "说明页已损坏，无法识别报送轮次"))
    _check_sheets(wb, [PLAN_SHEET, *round_sheets], result)
    issued = _issued(meta, result)
    rows = _Rows(issued, current)

    ledger = UnitLedger(unit=unit_name)
    if PLAN_SHEET in wb.sheetnames:
        ws = wb[PLAN_SHEET]
        if _check_shape(ws, PLAN_COLUMNS, result):
            _read_plan_sheet(ws, doc, own, all_numbers, ledger, result, rows)
    for sheet, round_name in round_sheets.items():
        if sheet not in wb.sheetnames:
            continue
        ws = wb[sheet]
        if _check_shape(ws, ROUND_COLUMNS, result):
            ledger.rounds[round_name] = _read_round_sheet(ws, doc, own, all_numbers, result, rows.of(round_name))

    if not result.structural and (accept_partial or result.ok):
        result.ledger = ledger
    return result


def template_unit(path) -> str | None:
    """The unit a duban ledger template was made for, or None when the file is not one."""
    wb = _open(path)
    if META_SHEET not in wb.sheetnames:
        return None
    meta = {str(k): v for k, v, *_ in wb[META_SHEET].iter_rows(values_only=True) if k}
    return str(meta["unit"]) if meta.get("schema") == LEDGER_SCHEMA and meta.get("unit") else None


# --- the file as a whole -------------------------------------------------------------------------


def _open(path):
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    _within_budget(path)
    try:
        # Formulas are kept as formulas (not their cached values) so they can be refused.
        return load_workbook(path, data_only=False)
    except FileNotFoundError as exc:
        raise InputError(f"找不到文件：{path}") from exc
    except (BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise InputError(f"{path} 不是可读取的 Excel（.xlsx）文件") from exc


def _within_budget(path) -> None:
    """The file size, members, inflated size and ratio of a ledger within ``duban.limits``, checked
    from the zip directory before openpyxl inflates anything: a zip bomb is refused at once."""
    import io
    import os
    import zipfile

    from duban.limits import check_file_size, check_xlsx_cells, check_zip

    what = getattr(path, "name", None) or ("上传的台账" if isinstance(path, io.BytesIO) else str(path))
    if isinstance(path, str | os.PathLike):
        try:
            check_file_size(os.path.getsize(path), what)
        except FileNotFoundError as exc:
            raise InputError(f"找不到文件：{path}") from exc
        except OSError as exc:
            raise InputError(f"{path} 无法读取（{exc.strerror or exc}）") from exc
    elif hasattr(path, "getbuffer"):
        check_file_size(path.getbuffer().nbytes, what)
    try:
        with zipfile.ZipFile(path) as zf:
            check_zip(zf, what)
            check_xlsx_cells(zf, what)
    except (zipfile.BadZipFile, ValueError, NotImplementedError, EOFError, OSError) as exc:
        raise InputError(f"{what} 不是可读取的 Excel（.xlsx）文件") from exc
    finally:
        if hasattr(path, "seek"):
            path.seek(0)


def _metadata(wb, result: LedgerImport) -> dict[str, str] | None:
    if META_SHEET not in wb.sheetnames:
        result.structural.append(
            LedgerProblem(
                META_SHEET, None, None, None, "这不是 duban 生成的台账模板（缺少说明页），请下载本单位的模板填写"
            )
        )
        return None
    meta = {}
    for key, value, *_ in wb[META_SHEET].iter_rows(values_only=True):
        if key:
            meta[str(key)] = "" if value is None else str(value)
    if meta.get("schema") != LEDGER_SCHEMA:
        result.structural.append(LedgerProblem(META_SHEET, None, None, None, "说明页不是 duban 台账格式"))
        return None
    return meta


def _check_identity(
    meta: dict[str, str], doc: Document, unit_name: str, result: LedgerImport, plan_key: str | None = None
) -> None:
    if meta.get("unit") != unit_name:
        result.structural.append(
            LedgerProblem(META_SHEET, None, None, None, f"这是“{meta.get('unit')}”的台账，不是“{unit_name}”的")
        )
    if plan_key and meta.get("plan_key"):
        # A stored plan is known by its key: a title or 文号 amended since the download is the same plan.
        same = meta["plan_key"] == plan_key
    else:
        plan = (doc.title or "", doc.doc_number or "", str(doc.year or ""))
        same = (meta.get("title", ""), meta.get("doc_number", ""), meta.get("year", "")) == plan
    if not same:
        result.structural.append(
            LedgerProblem(
                META_SHEET,
                None,
                None,
                None,
                f"这份台账属于另一份通知（{meta.get('doc_number') or meta.get('title')}），不是{doc.doc_number or doc.title}",
            )
        )


def _has_data(ws) -> bool:
    return any(v not in (None, "") for row in ws.iter_rows(values_only=True) for v in row)


def _check_sheets(wb, expected: list[str], result: LedgerImport) -> None:
    for name in expected:
        if name not in wb.sheetnames:
            result.structural.append(LedgerProblem(name, None, None, None, "缺少这个工作表"))
    for ws in wb.worksheets:
        if ws.title in expected or ws.title == META_SHEET:
            if ws.title != META_SHEET and ws.sheet_state != "visible":
                result.structural.append(LedgerProblem(ws.title, None, None, None, "这个工作表被隐藏了"))
            continue
        if not _has_data(ws):
            continue
        if ws.sheet_state != "visible":
            result.structural.append(LedgerProblem(ws.title, None, None, None, "隐藏的工作表中有数据，无法确认其用途"))
        else:
            result.structural.append(
                LedgerProblem(ws.title, None, None, None, "模板中没有这个工作表，请把内容填回模板原有的工作表")
            )


def _check_shape(ws, columns, result: LedgerImport) -> bool:
    """Headers exactly as issued, no merged cells; False when the sheet cannot be read row by row."""
    from openpyxl.utils import get_column_letter

    before = len(result.structural)
    expected = [h for h, *_ in columns]
    width = max(ws.max_column, len(expected))
    for col in range(1, width + 1):
        letter = get_column_letter(col)
        found = ws.cell(row=1, column=col).value
        found = str(found).strip() if found not in (None, "") else None
        want = expected[col - 1] if col <= len(expected) else None
        if want and found != want:
            message = f"缺少“{want}”列" if found is None else f"此列应为“{want}”，现为“{found}”"
            result.structural.append(LedgerProblem(ws.title, 1, letter, want, message))
        elif not want and (
            found or any(ws.cell(row=r, column=col).value not in (None, "") for r in range(2, ws.max_row + 1))
        ):
            result.structural.append(LedgerProblem(ws.title, 1, letter, found, "模板中没有这一列，请删去多出的列"))
    for merged in ws.merged_cells.ranges:
        result.structural.append(
            LedgerProblem(
                ws.title,
                merged.min_row,
                get_column_letter(merged.min_col),
                None,
                f"单元格 {merged.coord} 被合并，请取消合并后逐行填写",
            )
        )
    return len(result.structural) == before


# --- what each row was issued with ------------------------------------------------------------


def _issued(meta: dict[str, str], result: LedgerImport) -> dict[tuple[str, str], dict] | None:
    """(sheet, row key) → {"stamp", "cells"} as the template was issued; None for a template without records."""
    out = {}
    for key, value in meta.items():
        if not key.startswith(ROW_PREFIX):
            continue
        sheet, _, row_key = key[len(ROW_PREFIX) :].rpartition("|")
        try:
            record = json.loads(value)
            if not isinstance(record, dict) or not isinstance(record.get("stamp"), str):
                raise ValueError
        except ValueError:
            result.structural.append(LedgerProblem(META_SHEET, None, None, None, "说明页已损坏，无法识别下载时的内容"))
            return {}
        out[(sheet, row_key)] = record
    return out or None


class _Rows:
    """What each row was issued with and what the application holds now, for one sheet at a time."""

    def __init__(self, issued, current: UnitLedger | None, round_name: str | None = None):
        self.issued = issued
        self.current = current
        self.round_name = round_name

    def of(self, round_name: str) -> _Rows:
        return _Rows(self.issued, self.current, round_name)

    def record(self, sheet: str, key: str) -> dict | None:
        """The row as issued; a blank row for a template without records when ``current`` is known."""
        if self.issued is not None:
            return self.issued.get((sheet, key))
        if self.current is None:
            return None
        inputs = PLAN_INPUTS if self.round_name is None else ROUND_INPUTS
        blank = {h: "" for h in inputs}
        return {"stamp": row_stamp(blank), "cells": blank}

    def stamp_now(self, number: str, task, index: int) -> str | None:
        """The stamp the row would be issued with now, or None without ``current``."""
        if self.current is None:
            return None
        if self.round_name is None:
            entry = self.current.entry(number)
            return row_stamp(plan_inputs(entry), plan_hidden(entry))
        return row_stamp(round_inputs(round_entry(self.current, self.round_name, number), task, index))


def _compare(row: _Row, record: dict | None, inputs: list[str], stamp_now: str | None) -> bool:
    """Fill blank cells with what was issued, note what the unit changed; False when nothing changed.

    Without a record (a template made without the unit's ledger) every filled input is a change.
    A changed row whose stamp differs from ``stamp_now`` is refused: changed in the application too.
    """
    if record is None:
        row.changed = [h for h in inputs if row.value(h) not in (None, "")]
        return bool(row.changed)
    issued = record.get("cells")
    if issued is None:  # a record too long to keep: compare with nothing, refuse on any change
        issued = {}
    for header in inputs:
        value = row.value(header)
        was = issued.get(header, "")
        if value in (None, ""):
            if was:
                row.kept.append(header)
                row.override(header, was)
            continue
        if _same(header, value, was):
            continue
        row.changed.append(header)
    if row.changed and stamp_now is not None and stamp_now != record["stamp"]:
        row.problem(
            None,
            f"{CONFLICT}（您改动了{'、'.join(row.changed)}），为免覆盖那边的修改，此行未导入；"
            "请重新下载模板，在新模板中填写此行",
        )
    return bool(row.changed)


def _same(header: str, value, was: str) -> bool:
    if header == "指标完成值":
        try:
            return figure_text(float(str(value).replace(",", ""))) == was
        except ValueError:
            return False
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _norm(str(value)) == _norm(was)


def _norm(text: str) -> str:
    return "\n".join(line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").strip().split("\n"))


# --- cells ---------------------------------------------------------------------------------------


class _Row:
    """One sheet row being checked: its cells by header, and the problems found so far."""

    def __init__(self, ws, row: int, columns):
        from openpyxl.utils import get_column_letter

        self.ws = ws
        self.row = row
        self.cells = {}
        self.letters = {}
        for col, (header, *_rest) in enumerate(columns, start=1):
            self.cells[header] = ws.cell(row=row, column=col)
            self.letters[header] = get_column_letter(col)
        self.problems: list[LedgerProblem] = []
        self.overrides: dict[str, object] = {}
        self.changed: list[str] = []
        self.kept: list[str] = []

    def value(self, header: str):
        return self.overrides[header] if header in self.overrides else self.cells[header].value

    def override(self, header: str, value) -> None:
        """Read ``value`` for ``header`` instead of the cell: what was issued, for a cell left blank."""
        self.overrides[header] = value

    def problem(self, header: str | None, message: str) -> None:
        letter = self.letters.get(header) if header else None
        self.problems.append(LedgerProblem(self.ws.title, self.row, letter, header, message))

    def is_blank(self) -> bool:
        return all(c.value in (None, "") for c in self.cells.values())

    def formulas(self) -> None:
        for header, cell in self.cells.items():
            # a formula typed in Excel; text that merely begins with = (written as text) is text
            if cell.data_type == "f":
                self.problem(header, "不能使用公式，请填写数值或文字")

    def text(self, header: str) -> str:
        value = self.value(header)
        if value is None:
            return ""
        if isinstance(value, bool) or isinstance(value, (datetime, date)):
            self.problem(header, "应为文字")
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()

    def figure(self, header: str) -> float | None:
        value = self.value(header)
        if value in (None, ""):
            return None
        if isinstance(value, bool) or isinstance(value, (datetime, date)):
            self.problem(header, "应为数字")
            return None
        if isinstance(value, (int, float)):
            return float(value)
        text = str(value).strip().replace(",", "")
        if _NUMBER.match(text):
            return float(text)
        self.problem(header, f"“{value}”不是数字，请只填数值（单位见“指标”列）")
        return None


def _milestones(row: _Row, header: str, year: int) -> list[Milestone]:
    value = row.value(header)
    if value in (None, ""):
        return []
    if isinstance(value, (datetime, date)):
        row.problem(header, "只有日期没有事项；请写成“日期：事项”")
        return []
    out = []
    for line in str(value).splitlines():
        if not line.strip():
            continue
        m = _MILESTONE.match(line)
        if not m:
            row.problem(header, f"“{line.strip()}”不是“日期：事项”的写法")
            continue
        y = int(m["y"]) if m["y"] else year
        month = int(m["m"])
        try:
            day = calendar.monthrange(y, month)[1] if m["end"] else int(m["d"])
            out.append(Milestone(date(y, month, day), m["what"].strip()))
        except ValueError:
            row.problem(header, f"“{line.strip()}”中的日期不存在")
    return out


def _check_key(row: _Row, doc: Document, own, all_numbers, seen: set[str]) -> str | None:
    """The task number the row is for, or None (with a problem) when it cannot be this unit's row."""
    key = row.text(KEY)
    number = key.split("#", 1)[0]
    if not key:
        row.problem(KEY, "此行没有任务标识（可能是插入或复制的行），请在模板原有的行中填写")
        return None
    if key in seen:
        row.problem(KEY, f"任务 {number} 的这一行重复出现")
        return None
    seen.add(key)
    if number not in own:
        if number in all_numbers:
            row.problem(KEY, f"任务 {number} 不是本单位承担的任务")
        else:
            row.problem(KEY, f"通知中没有任务 {number}")
        return None
    return number


def _check_locked(row: _Row, header: str, expected: str) -> None:
    found = row.text(header)
    if found != (expected or ""):
        row.problem(header, "锁定的任务内容被改动，请勿修改")


# --- sheets --------------------------------------------------------------------------------------


def _read_plan_sheet(ws, doc: Document, own, all_numbers, ledger: UnitLedger, result: LedgerImport, rows) -> None:
    seen: set[str] = set()
    year = doc.year or date.today().year
    for r in range(2, ws.max_row + 1):
        row = _Row(ws, r, PLAN_COLUMNS)
        if row.is_blank():
            continue
        row.formulas()
        number = _check_key(row, doc, own, all_numbers, seen)
        entry = None
        filled = _filled(row, PLAN_COLUMNS)
        if number:
            task, role = own[number]
            record = rows.record(ws.title, number)
            filled = _compare(row, record, PLAN_INPUTS, rows.stamp_now(number, task, 0))
            # A row the unit left as issued changes nothing, so a plan revised since the download does not refuse it.
            if filled or record is None:
                _check_locked(row, "序号", task.number)
                _check_locked(row, "所属部分", " / ".join(task.section))
                _check_locked(row, "重点工作任务", task.text)
                _check_locked(row, "本单位职责", ROLE_LABELS[role])
                _check_locked(row, "完成时限", task.deadline or "")
                entry = LedgerEntry(
                    task=number,
                    work_items=row.text("工作事项"),
                    milestones=_milestones(row, "时序节点", year),
                    measures=row.text("主要措施"),
                    safeguards=row.text("保障机制"),
                    leader=row.text("责任领导"),
                    person=row.text("责任人"),
                )
        _record(result, row, number, entry, ledger.entries, filled=filled)
    _missing_rows(ws, own, {k for k in seen}, result)


def _read_round_sheet(ws, doc: Document, own, all_numbers, result: LedgerImport, rows) -> list[RoundEntry]:
    seen: set[str] = set()
    entries: dict[str, RoundEntry] = {}
    rows_by_task: dict[str, list[RowResult]] = {}
    for r in range(2, ws.max_row + 1):
        row = _Row(ws, r, ROUND_COLUMNS)
        if row.is_blank():
            continue
        row.formulas()
        number = _check_key(row, doc, own, all_numbers, seen)
        key = row.text(KEY)
        filled = _filled(row, ROUND_COLUMNS)
        if number:
            task, _role = own[number]
            layout = dict(round_rows(task))
            if key not in layout:
                row.problem(KEY, f"任务 {number} 没有这一指标行")
            else:
                index = list(layout).index(key)
                record = rows.record(ws.title, key)
                inputs = ROUND_INPUTS if index == 0 else sorted(CONTINUATION_INPUTS)
                filled = _compare(row, record, inputs, rows.stamp_now(number, task, index))
                # Every row of a task is read (its first row carries the status an indicator row needs),
                # but a row the unit left as issued raises no problem: it changes nothing.
                before = len(row.problems)
                if filled or record is None:
                    _check_locked(row, "序号", task.number)
                    _check_locked(row, "指标", layout[key])
                entry = entries.setdefault(number, RoundEntry(task=number))
                figure = row.figure("指标完成值")
                if figure is not None and index < len(task.indicators):
                    entry.figures[task.indicators[index].name] = figure
                elif figure is not None:
                    row.problem("指标完成值", "此任务没有量化指标，无需填写完成值")
                if index == 0:
                    if filled or record is None:
                        _check_locked(row, "重点工作任务", task.text)
                    _read_progress(row, entry)
                else:
                    for header in ("状态", "进展情况", "存在问题", "下步打算"):
                        if row.cells[header].value not in (None, "") and header not in CONTINUATION_INPUTS:
                            row.problem(header, "请在此任务的第一行填写")
                if not filled and record is not None:
                    del row.problems[before:]
        outcome = _outcome(row, filled)
        rr = RowResult(ws.title, r, number or row.text(KEY), outcome, row.problems, row.changed, row.kept)
        result.rows.append(rr)
        if number:
            rows_by_task.setdefault(number, []).append(rr)
    _missing_rows(ws, own, seen, result, round_sheet=True)
    # A task's indicator rows stand or fall together: half a report is no report.
    kept = []
    for number, entry in entries.items():
        task_rows = rows_by_task.get(number, [])
        accepted = [r for r in task_rows if r.outcome == ACCEPTED]
        if accepted and entry.status is None:
            for r in accepted:
                r.outcome = REJECTED
                r.problems.append(LedgerProblem(ws.title, r.row, None, None, f"请在任务 {number} 的第一行选择状态"))
        if any(r.outcome == REJECTED for r in task_rows):
            for r in task_rows:
                if r.outcome == ACCEPTED:
                    r.outcome = REJECTED
                    r.problems.append(
                        LedgerProblem(ws.title, r.row, None, None, f"任务 {number} 的其他行有误，此行一并退回")
                    )
        elif accepted:
            kept.append(entry)
    return kept


def _read_progress(row: _Row, entry: RoundEntry) -> None:
    label = row.text("状态")
    entry.progress = row.text("进展情况")
    entry.problems = row.text("存在问题")
    entry.next_steps = row.text("下步打算")
    if label:
        key = vocab.REPORT_STATUSES.key_of(label)  # an older template's 按序时推进 reads as 序时推进
        if key is None:
            row.problem("状态", f"“{label}”不是可选状态（{'、'.join(STATUS_LABELS.values())}）")
        else:
            entry.status = key
    elif entry.progress or entry.problems or entry.next_steps or entry.figures:
        row.problem("状态", "已填写内容但未选择状态")
    if entry.status == BEHIND and not entry.problems:
        row.problem("存在问题", "状态为“滞后”时须写明存在问题和滞后原因")


def _filled(row: _Row, columns) -> bool:
    return any(row.cells[h].value not in (None, "") for h, _w, is_input in columns if is_input)


def _outcome(row: _Row, filled: bool) -> str:
    if row.problems:
        return REJECTED
    return ACCEPTED if filled else EMPTY


def _record(result: LedgerImport, row: _Row, number, entry, target: list, *, filled: bool) -> None:
    outcome = _outcome(row, filled)
    result.rows.append(
        RowResult(row.ws.title, row.row, number or row.text(KEY), outcome, row.problems, row.changed, row.kept)
    )
    if outcome == ACCEPTED and entry is not None:
        target.append(entry)


def _missing_rows(ws, own, seen_keys: set[str], result: LedgerImport, *, round_sheet: bool = False) -> None:
    expected = []
    for number, (task, _role) in own.items():
        expected.extend(k for k, _ in round_rows(task)) if round_sheet else expected.append(number)
    for key in expected:
        if key not in seen_keys:
            result.structural.append(
                LedgerProblem(
                    ws.title, None, None, None, f"缺少任务 {key.split('#', 1)[0]} 的行（行被删除或标识被改动）"
                )
            )
