"""Layouts the web produces, undone before a notice is read.

- a whole document on one line (or a few very long lines): split where a
  numbered item begins, its numbers running on within the line;
- a table flattened to text — cells separated by tabs, runs of spaces or ``|``,
  or one cell per line — recognised by its header row and handed on as a
  ``Table``;
- page chrome from government portals (``索引号``, ``发布机构``, ``文号``,
  ``发布日期`` …): read as fields, so the issuer, number and date it carries are
  metadata and the rest is set aside;
- traditional script: matched in simplified form, reported as written.

Everything here is linear in the size of the text.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from duban.doc.model import LEAD, MONITOR, RESPONSIBLE, SUPPORT
from duban.doc.normalise import clean, fold
from duban.doc.outline import _DATE_START, _QUANTITY, match_marker
from duban.doc.source import Para, Source, Table
from duban.vocab_clauses import DEADLINE, LABEL_LINE_RE, LEADER, column_meaning

# ---------------------------------------------------------------- one-line documents

_SPLIT_KINDS = ("cn", "pcn", "num")
# Where an item may begin inside a long line: after whitespace, or after the end of a
# sentence or clause.
_SPLIT_POINT = re.compile(
    r"(?:[ \t\u00a0\u3000]+|(?<=[。；;）)\]】〕！？]))"
    r"(?=[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十]{1,3}[）)]|\d{1,3}\s*[、．.])"
)
_AFTER_END = re.compile(r"(?<=[。；;）)\]】〕])[ \t\u00a0\u3000]+")
# 2.6月底前… inside a one-line page: the expected next number running into a digit
_RUN_IN_POINT = re.compile(r"^(\d{1,3})[.．](\d)")
_CLAUSE_END = "）)]】〕"
_WHITESPACE_RUN = re.compile(r"[ \t\u00a0\u3000]{1,}")
_LONG_LINE = 120


def split_run_on(lines: list[str]) -> list[str]:
    """A very long line that holds several numbered items in sequence (``…。 1.…（…）
    2.…``) becomes one line per item; its header pieces (issuer, title, 文号) likewise
    split where the page put spaces between them."""
    out: list[str] = []
    for line in lines:
        if len(line) < _LONG_LINE:
            out.append(line)
            continue
        pieces = _split_at_items(line)
        if len(pieces) == 1:
            out.append(line)
            continue
        # the text before the first item: its space-separated runs are the header's lines
        head = pieces[0]
        if _WHITESPACE_RUN.search(head.strip()):
            out.extend(p for p in _WHITESPACE_RUN.split(head.strip()) if p)
        else:
            out.append(head)
        out.extend(pieces[1:])
    return out


def _split_at_items(line: str) -> list[str]:
    points = [m.start() for m in _SPLIT_POINT.finditer(line)]
    if len(points) < 2:
        return [line]
    markers = []
    last_num, after_heading = 0, False
    for p in points:
        piece = clean(line[p : p + 12])
        m = match_marker(piece)
        mk = (m.kind, m.number) if m and m.kind in _SPLIT_KINDS else None
        if mk is None:
            mk = _run_in_split(piece, last_num, after_heading, line[max(0, p - 40) : p].rstrip())
        if mk:
            after_heading = mk[0] != "num"
            last_num = mk[1] if mk[0] == "num" else last_num
        markers.append(mk)
    # numbers running on within the line are what make this a run-on document
    seen: dict[str, set[int]] = {}
    runs = 0
    for mk in markers:
        if mk:
            kind, n = mk
            if n == 1 or n - 1 in seen.get(kind, set()):
                runs += 1
            seen.setdefault(kind, set()).add(n)
    if runs < 2:
        return [line]
    pieces, last = [], 0
    for p, mk in zip(points, markers):
        if mk and p > last:
            pieces.append(line[last:p])
            last = p
    pieces.append(line[last:])
    out = []
    for piece in pieces[:1]:
        out.append(piece)
    for piece in pieces[1:]:
        # what follows an item's closing clause or sentence after a space (the
        # signature of a one-line page) is a line of its own, and its short
        # space-separated runs (issuer, date) are lines of their own too
        first, *rest = _AFTER_END.split(piece)
        out.append(first)
        for after in rest:
            runs = _WHITESPACE_RUN.split(after.strip())
            out.extend(runs if all(len(r) <= 40 for r in runs) else [after])
    return [p for p in (x.strip() for x in out) if p]


def _run_in_split(piece: str, last_num: int, after_heading: bool, before: str) -> tuple[str, int] | None:
    """``2.6月底前完成…`` after item 1 on a one-line page: the expected next number wins
    over a decimal when it follows a closing clause (also ``（…）。``) or a heading or runs into a
    date; a bare quantity (``5.5%``) after a sentence is still a decimal."""
    m = _RUN_IN_POINT.match(piece)
    if not m:
        return None
    n = int(m.group(1))
    if n != last_num + 1 and not (n == 1 and after_heading):
        return None
    rest = piece[m.end(1) + 1 :]
    if after_heading or before.rstrip("。")[-1:] in _CLAUSE_END or _DATE_START.match(rest) or not _QUANTITY.match(rest):
        return ("num", int(m.group(1)))
    return None


# ---------------------------------------------------------------- flattened tables

_UNIT_KEYS = (LEAD, RESPONSIBLE, SUPPORT, MONITOR)
_CELL_SEP_PIPE = re.compile(r"\s*[|｜]\s*")
_CELL_SEP_TAB = re.compile(r"[ \u00a0\u3000]*\t[ \u00a0\u3000]*")
_CELL_SEP_SPACE = re.compile(r"[ \u00a0\u3000]+")
_ROW_NUMBER = re.compile(r"^\d{1,3}[.、．]?$")
_HEADING = re.compile(r"^([一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十]{1,3}[）)])")


def _cells(line: str, sep: str) -> list[str]:
    if sep == "|":
        cells = _CELL_SEP_PIPE.split(line.strip())
        if cells and not cells[0]:
            cells = cells[1:]
        if cells and not cells[-1]:
            cells = cells[:-1]
        return cells
    if sep == "\t":
        return _CELL_SEP_TAB.split(line.strip())
    return [c for c in _CELL_SEP_SPACE.split(line.strip()) if c]


def _merge_letters(tokens: list[str]) -> list[str]:
    """``工 作 任 务`` → ``工作任务``: single characters spaced out in a header cell."""
    out: list[str] = []
    run = ""
    for t in tokens:
        if len(t) == 1:
            run += t
            continue
        if run:
            out.append(run)
            run = ""
        out.append(t)
    if run:
        out.append(run)
    return out


def _header(line: str) -> tuple[str, list[str]] | None:
    """(separator, column keys) when the line is a task table's header row."""
    s = line.strip()
    if not s or len(s) > 120 or s.endswith(("。", "：", ":")):
        return None
    for sep in ("|", "\t", " "):
        if sep == "|" and "|" not in s and "｜" not in s:
            continue
        if sep == "\t" and "\t" not in s:
            continue
        cells = _cells(s, sep)
        if sep == " ":
            cells = _merge_letters(cells)
        keys = _header_keys(cells)
        if keys:
            return sep, keys
    return None


def _could_be_header_cell(cell: str) -> bool:
    """A header cell is a short label: no colon, no sentence end, no item number."""
    return len(cell) <= 16 and not re.search(r"[：:。；]", cell) and match_marker(clean(cell)) is None


def _header_keys(cells: list[str]) -> list[str] | None:
    if len(cells) < 2 or not all(_could_be_header_cell(c) for c in cells):
        return None
    keys = [column_meaning(fold(c).replace(" ", "")) or "" for c in cells]
    if "text" not in keys or not any(k in _UNIT_KEYS for k in keys) or keys.count("") > 1:
        return None
    return keys


def _header_cells_per_line(lines: list[str], i: int) -> list[str] | None:
    """A header written one cell per line: 序号 / 工作任务 / 牵头单位 / …"""
    keys: list[str] = []
    j = i
    while j < len(lines) and len(keys) < 12:
        s = lines[j].strip()
        if not s:
            j += 1
            continue
        key = column_meaning(fold(s).replace(" ", "")) if _could_be_header_cell(s) else None
        if not key:
            break
        keys.append(key)
        j += 1
    if len(keys) >= 3 and "text" in keys and any(k in _UNIT_KEYS for k in keys):
        return keys
    return None


@dataclass
class FlatTable:
    start: int  # index of the header line
    end: int  # index after the last line used
    table: Table
    unread: list[str] = field(default_factory=list)


def find_flat_tables(lines: list[str]) -> list[FlatTable]:
    """Every task table written as text, from its header row to where rows stop."""
    found: list[FlatTable] = []
    i = 0
    while i < len(lines):
        head = _header(lines[i])
        if head:
            sep, keys = head
            table = _read_rows(lines, i + 1, sep, keys)
            table.start = i
            found.append(table)
            i = table.end
            continue
        keys = _header_cells_per_line(lines, i) if lines[i].strip() else None
        if keys:
            table = _read_cell_lines(lines, i, keys)
            found.append(table)
            i = table.end
            continue
        i += 1
    return found


def _fit(cells: list[str], keys: list[str], joiner: str) -> list[str]:
    """Cells of a row to the header's columns: extra cells belong to the text column
    (its own spaces split it), missing ones are empty unit columns at the end."""
    k = len(keys)
    if len(cells) > k and "text" in keys:
        t = keys.index("text")
        after = k - t - 1
        middle = cells[t : len(cells) - after] if after else cells[t:]
        cells = cells[:t] + [joiner.join(middle)] + (cells[len(cells) - after :] if after else [])
    return cells + [""] * (k - len(cells))


_DEADLINE_CELL = re.compile(
    r"^((\d{4}年)?\d{1,2}月(\d{1,2}日|底|中旬|上旬|下旬|末)?(前|以前)?(完成)?|年底前(完成)?|年内(完成)?|持续推进|长期坚持|全年)$"
)
_ORG_CELL = re.compile(
    r"(局|厅|委|办|室|会|院|校|所|队|中心|站|部|社|行|关|处|政府|公司|集团|单位|部门|各地|区|县|市)([、，,]|$)"
)


def _fit_by_content(cells: list[str], keys: list[str]) -> list[str]:
    """One cell per line drops empty cells; put each remaining cell in the column its
    content fits: a date in the deadline column, a person's name in the leader column,
    units in the unit columns in order."""
    out = [""] * len(keys)
    rest = list(cells)
    if "number" in keys and rest:
        out[keys.index("number")] = rest.pop(0)
    if "text" in keys and rest:
        out[keys.index("text")] = rest.pop(0)
    unit_columns = [i for i, k in enumerate(keys) if k in _UNIT_KEYS]
    for cell in rest:
        if DEADLINE in keys and _DEADLINE_CELL.match(cell) and not out[keys.index(DEADLINE)]:
            out[keys.index(DEADLINE)] = cell
        elif LEADER in keys and not _ORG_CELL.search(cell) and not out[keys.index(LEADER)]:
            out[keys.index(LEADER)] = cell
        else:
            free = [i for i in unit_columns if not out[i]]
            if free:
                out[free[0]] = cell
    return out


def _header_row(keys: list[str]) -> list[str]:
    names = {
        "number": "序号",
        "text": "工作任务",
        LEAD: "牵头单位",
        RESPONSIBLE: "责任单位",
        SUPPORT: "配合单位",
        MONITOR: "监测单位",
        DEADLINE: "完成时限",
        LEADER: "分管领导",
        "section": "类别",
    }
    return [names.get(k, "") for k in keys]


def _read_rows(lines: list[str], i: int, sep: str, keys: list[str]) -> FlatTable:
    rows = [_header_row(keys)]
    unread: list[str] = []
    numbered = keys[0] == "number"
    k = len(keys)
    while i < len(lines):
        s = lines[i].strip()
        if not s:
            i += 1
            continue
        if _header(s):
            break
        cells = _cells(s, sep)
        first = cells[0] if cells else ""
        if _HEADING.match(s) and (len(cells) == 1 or sep == " "):
            rows.append([clean(s)] * k)  # a section row spanning the table
        elif numbered and _ROW_NUMBER.match(first) and len(cells) >= 2:
            if sep == " " and len(cells) < k:
                rows.append([clean(c) for c in _fit_by_content(cells, keys)])  # empty cells left no gap
            else:
                rows.append([clean(c) for c in _fit(cells, keys, " " if sep == " " else "")])
        elif not numbered and len(cells) >= 2:
            rows.append([clean(c) for c in _fit(cells, keys, " " if sep == " " else "")])
        elif len(rows) > 1 and rows[-1][0] != rows[-1][-1]:
            # a cell wrapped onto the next line: the row's text goes on
            t = keys.index("text")
            rows[-1][t] = clean(rows[-1][t] + s)
        else:
            break
        i += 1
    return FlatTable(start=i, end=i, table=Table(rows), unread=unread)


def _read_cell_lines(lines: list[str], i: int, keys: list[str]) -> FlatTable:
    """One cell per line: a row starts at its number."""
    j, seen = i, 0
    while seen < len(keys):
        if lines[j].strip():
            seen += 1
        j += 1
    rows = [_header_row(keys)]
    numbered = keys[0] == "number"
    current: list[str] = []

    def close() -> None:
        if not current:
            return
        if len(current) < 2:
            rows.append([clean(current[0])] * len(keys))
        elif len(current) < len(keys):
            rows.append([clean(c) for c in _fit_by_content(current, keys)])
        else:
            rows.append([clean(c) for c in _fit(current, keys, "")])

    while j < len(lines):
        s = lines[j].strip()
        if not s:
            j += 1
            continue
        if numbered and _ROW_NUMBER.match(s):
            close()
            current = [s]
        elif _HEADING.match(s) and not current[1:]:
            close()
            current = []
            rows.append([clean(s)] * len(keys))
        elif current and len(current) < len(keys):
            current.append(s)
        elif current:
            t = keys.index("text")
            current[t] += s  # more text than cells: the task wrapped
        else:
            break
        j += 1
    close()
    return FlatTable(start=i, end=j, table=Table(rows))


def with_flat_tables(source: Source) -> Source:
    """The source with every flattened task table turned back into a ``Table``."""
    if source.tables:
        return source
    lines = source.lines()
    found = find_flat_tables(lines)
    if not found:
        return source
    blocks: list = []
    last = 0
    for ft in found:
        blocks += [Para(x) for x in lines[last : ft.start]]
        if len(ft.table.rows) > 1:
            blocks.append(ft.table)
        else:
            blocks += [Para(x) for x in lines[ft.start : ft.end]]
        last = ft.end
    blocks += [Para(x) for x in lines[last:]]
    return Source(blocks=blocks, name=source.name, format=source.format, notes=list(source.notes))


# ---------------------------------------------------------------- portal chrome

CHROME_FIELDS = {
    "索引号": None,
    "发布机构": "issuer",
    "发文机关": "issuer",
    "发文单位": "issuer",
    "发文字号": "doc_number",
    "文号": "doc_number",
    "成文日期": "date",
    "发文日期": "date",
    "颁布时间": "date",
    "印发日期": "date",
    "发布日期": "published",
    "发布时间": "published",
    "生成日期": "published",
    "时间": "published",
    "主题分类": None,
    "主题词": None,
    "分类": None,
    "体裁": None,
    "关键词": None,
    "有效性": None,
    "来源": None,
    "信息来源": None,
    "浏览次数": None,
    "字体": None,
}
_FIELD_RE = re.compile("(" + "|".join(sorted(CHROME_FIELDS, key=len, reverse=True)) + r")\s*[:：]?\s*")
_BULLETS = "•·●▪■◆*-> "
_PUBLISHED_LINE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?\s*(.{0,30})$")
_JUNK_LINE = re.compile(
    r"^(【?打印】?|【?关闭】?|【?字体[:：]?.*|简体版.*|繁體版.*|首页\s*[>＞].*|.*[>＞].*[>＞].*|分享到.*|扫一扫.*|法规库|"
    r"当前位置.*|来源[:：].*|责任编辑.*|浏览次数.*|【打印】.*)$"
)
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def chrome_fields(line: str) -> dict[str, str] | None:
    """The fields of a portal's metadata line (``索引号 … 发文日期 2023-01-03``), or None
    when the line is not one.  Values are cleaned text."""
    s = clean(line).lstrip(_BULLETS)
    if not s or LABEL_LINE_RE.match(s):
        return None
    spans = list(_FIELD_RE.finditer(s))
    if not spans or spans[0].start() != 0:
        return None
    # 时间 / 来源 alone at the start of prose (时间节点…) is not a field line
    if len(spans) == 1 and spans[0].group(1) in ("时间", "来源", "分类") and not re.search(r"[:：]", s[:6]):
        return None
    out: dict[str, str] = {}
    for i, m in enumerate(spans):
        end = spans[i + 1].start() if i + 1 < len(spans) else len(s)
        out[m.group(1)] = s[m.end() : end].strip(" :：")
    return out


def is_chrome(line: str) -> bool:
    """A line of the page around the document: portal fields, breadcrumbs, print links."""
    s = clean(line)
    if not s:
        return False
    if chrome_fields(s) is not None:
        return True
    if _PUBLISHED_LINE.match(s) and not re.search(r"[。，]", s):
        return True
    return bool(_JUNK_LINE.match(s))


def chrome_metadata(lines: list[str]) -> dict[str, str]:
    """issuer / doc_number / date (ISO) from the portal fields among ``lines``."""
    meta: dict[str, str] = {}
    for line in lines:
        fields = chrome_fields(line)
        if not fields:
            continue
        for name, value in fields.items():
            what = CHROME_FIELDS.get(name)
            if not what or not value:
                continue
            if what in ("date", "published"):
                m = _ISO_DATE.search(value)
                if not m:
                    continue
                value = f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
            meta.setdefault(what, value)
    return meta


# ---------------------------------------------------------------- news reposts

_NEWS_END = re.compile(r"(原文|全文|通知全文|文件全文|具体内容)如下[:：]?$|^(原文|全文)[:：]$")


def news_end(lines: list[str]) -> int:
    """The index after a news preamble that ends ``原文如下：``, else 0."""
    for i, line in enumerate(lines[: max(40, len(lines) // 3)]):
        if _NEWS_END.search(clean(line)):
            return i + 1
    return 0


# ---------------------------------------------------------------- traditional script


@dataclass
class Script:
    """How the document's characters map to the simplified forms the grammar matches.
    ``restore`` writes a simplified string back in the document's own characters."""

    traditional: bool = False
    back: dict[str, str] = field(default_factory=dict)

    def simplify(self, text: str) -> str:
        if not self.traditional:
            return text
        converted = _t2s().convert(text)
        return converted if len(converted) == len(text) else text

    def restore(self, text: str | None) -> str | None:
        if not self.traditional or not text:
            return text
        return "".join(self.back.get(ch, ch) for ch in text)


_CONVERTER = None
_CJK_CHAR = re.compile("[\u4e00-\u9fff]")


def _t2s():
    global _CONVERTER
    if _CONVERTER is None:
        import opencc

        _CONVERTER = opencc.OpenCC("t2s")
    return _CONVERTER


def detect_script(text: str) -> tuple[Script, str]:
    """(script, text in simplified characters).  A document counts as traditional when
    enough of its characters change; the conversion keeps every character in place."""
    sample = text[:20000]
    cjk = len(_CJK_CHAR.findall(sample))
    if cjk < 20:
        return Script(), text
    converter = _t2s()
    converted = converter.convert(sample)
    if converted == sample:
        return Script(), text
    if len(converted) != len(sample):
        converted = "".join(converter.convert(ch) if len(converter.convert(ch)) == 1 else ch for ch in sample)
    changed = sum(1 for a, b in zip(sample, converted) if a != b)
    if changed < 5 or changed < 0.03 * cjk:
        return Script(), text
    full = converter.convert(text) if len(text) > len(sample) else converted
    if len(full) != len(text):
        full = "".join(converter.convert(ch) if len(converter.convert(ch)) == 1 else ch for ch in text)
    counts: dict[str, Counter] = {}
    for a, b in zip(text, full):
        counts.setdefault(b, Counter())[a] += 1
    back = {s: c.most_common(1)[0][0] for s, c in counts.items() if c.most_common(1)[0][0] != s}
    return Script(traditional=True, back=back), full
