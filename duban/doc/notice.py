"""A responsibility notice → ``Document(kind="notice")``.

Two layouts reach this module:

- running text (txt, pdf, html, docx paragraphs): headings and numbered tasks,
  each task ending with its unit clause in brackets or on labelled lines;
- a table (docx, xlsx, html): 序号 | 工作任务 | 牵头单位 | 责任单位 | 完成时限 …,
  section rows spanning the table.

Both end as the same ``Task`` objects, so every later stage sees one shape.
"""

from __future__ import annotations

import re

from duban.doc import clauses
from duban.doc.clauses import find_trailing_clause, parse_clause
from duban.doc.indicators import find_indicators
from duban.doc.layout import chrome_metadata, detect_script, is_chrome, news_end, split_run_on, with_flat_tables
from duban.doc.meta import (
    DATE_RE,
    DOC_NUMBER_RE,
    TITLE_RE,
    fill_metadata,
    read_doc_number,
    says_first_listed_leads,
)
from duban.doc.model import LEAD, MONITOR, RESPONSIBLE, SUPPORT, Document, Task
from duban.doc.normalise import clean, clean_lines, fold
from duban.doc.outline import DASH_HEADING_RE, KINDS, Item, build_outline, match_marker
from duban.doc.source import Para, Source, Table
from duban.vocab_clauses import LABEL_LINE_RE, LABEL_RE, ROLE_WORDS, column_meaning

_LABEL_LINE_RE = LABEL_LINE_RE
_SIGNATURE_RE = re.compile(
    r"^(.{2,30}(人民政府|办公室|办公厅|委员会)(（.{1,10}）)?|(\d{4}|[〇零○一二三四五六七八九]{4})年.{1,6}月.{1,6}日|（此件.*）|\(此件.*\)|抄送[：:].*|.*印发$|附件[：:]?.*|（联系人.*）|（本文有删减）|\(本文有删减\))$"
)
_DEADLINE_TEXT_RE = re.compile(
    r"[（(]((?:\d{4}年)?\d{1,2}月(?:\d{1,2}日|底|末)?前?(?:完成)?|年底前(?:完成)?|持续推进|长期坚持)[）)]$"
)
# A date standing alone on its line: the signature of a covering letter or of the notice.
_DATE_LINE_RE = re.compile(
    r"^((\d{4})\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[〇零○一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)$"
)
_DASH_HEADING_RE = DASH_HEADING_RE


def read_notice(source: Source, *, directory=None) -> Document:
    doc = Document(kind="notice", source=source.name or None)
    original = source
    script, source = _simplified(source)
    source = with_flat_tables(source)
    whole = clean(source.text().replace("\n", ""))
    table_tasks = _tasks_from_tables(source, doc)
    if table_tasks:
        preamble = clean_lines([b.text for b in source.blocks if isinstance(b, Para)])
        preamble = [line for line in preamble if line]
        chrome = chrome_metadata(preamble[:60])
        preamble = [line for i, line in enumerate(preamble) if not (i < 60 and is_chrome(line))]
        preamble = preamble[news_end(preamble) :]
        fill_metadata(doc, preamble, _signature(preamble))
        _fill_from_chrome(doc, chrome)
        doc.first_listed_leads = doc.first_listed_leads or says_first_listed_leads(whole)
        doc.tasks = table_tasks
        _finish(doc)
    else:
        _read_running_text(source, doc, whole)
    if directory is None:
        _check_against_itself(doc)
    else:
        _check_against(doc, directory)
    if doc.unplaced:
        _locate_unplaced(doc, [clean(script.simplify(line)) for line in original.lines()])
    if script.traditional:
        _restore_script(doc, script)
    return doc


def _simplified(source: Source):
    """Traditional-script text is matched in simplified characters; ``restore`` writes
    every name and text back as the document wrote it."""
    text = source.text()
    script, converted = detect_script(text)
    if not script.traditional:
        return script, source
    if source.tables:
        blocks = []
        for b in source.blocks:
            if isinstance(b, Para):
                blocks.append(Para(detect_script_with(script, b.text)))
            else:
                blocks.append(Table([[detect_script_with(script, c) for c in row] for row in b.rows]))
        return script, Source(blocks=blocks, name=source.name, format=source.format, notes=list(source.notes))
    return script, Source.from_text(converted, name=source.name, format=source.format)


def detect_script_with(script, text: str) -> str:
    from duban.doc.layout import _t2s

    converted = _t2s().convert(text)
    return converted if len(converted) == len(text) else text


def _restore_script(doc: Document, script) -> None:
    r = script.restore
    doc.title, doc.issuer, doc.recipients = r(doc.title), r(doc.issuer), r(doc.recipients)
    doc.doc_number = r(doc.doc_number)
    for item in doc.schedule:
        item.rule = r(item.rule)
    for task in doc.tasks:
        task.text = r(task.text)
        task.section = [r(x) for x in task.section]
        task.clause = r(task.clause)
        task.deadline = r(task.deadline)
        task.leaders = [r(x) for x in task.leaders]
        for u in task.units:
            u.name, u.written, u.alias = r(u.name), r(u.written), r(u.alias)
        for i in task.indicators:
            i.name, i.text = r(i.name), r(i.text)
    doc.warnings = [r(w) for w in doc.warnings]
    for u in doc.unplaced:
        u["text"] = r(u["text"])


# ---------------------------------------------------------------- running text


def _read_running_text(source: Source, doc: Document, whole: str) -> None:
    lines = [line for line in clean_lines(split_run_on(source.lines())) if line]
    # a news repost: its summary before 原文如下 is set aside
    lines = lines[news_end(lines) :]
    # portal chrome: fields read as metadata, the rest set aside
    chrome = chrome_metadata(lines[:60])
    lines = [line for i, line in enumerate(lines) if not (i < 60 and is_chrome(line))]
    lines = lines[_document_start(lines) :]
    start, outline = _best_reading(lines)
    task_kind = _task_kind(outline.items)
    groups = _group(outline.items, task_kind)
    preamble = lines[:start] + list(outline.preamble)
    tail: list[str] = []
    if groups and isinstance(groups[-1], tuple):
        tail = _split_tail(groups[-1], doc)
    # a covering letter before the plan: its signature dates the notice
    cover = [line for line in lines[max(0, start - 4) : start] if _SIGNATURE_RE.match(line)]
    fill_metadata(doc, preamble, cover + tail)
    _fill_from_chrome(doc, chrome)
    doc.first_listed_leads = doc.first_listed_leads or says_first_listed_leads(whole)
    for line in preamble:
        if _looks_like_task(line):
            _unplace(doc, line, "像一项任务，但不在任务编号的顺序中")
    section: dict[str, str] = {}
    for heading_or_task in groups:
        if isinstance(heading_or_task, Item):
            item = heading_or_task
            depth = KINDS.index(item.kind)
            for k in list(section):
                if k == "dash" or KINDS.index(k) >= depth:
                    del section[k]
            heading_lines, after = _split_heading(item.lines)
            section[item.kind] = item.marker.label + "".join(heading_lines)
            _place_after(doc, after, section)
            continue
        task_item, extra = heading_or_task
        path = [section[k] for k in KINDS if k in section]
        if "dash" in section:
            path.append(section["dash"])
        task, after = _task_from_item(task_item, extra, path, doc)
        doc.tasks.append(task)
        _place_after(doc, after, section)
    _finish(doc)


def _best_reading(lines: list[str]):
    """Where the numbered body starts.  A covering letter may number its own points
    (一、…二、…) and sign off before the plan begins again at 一、; each signature date
    is a place the numbering may restart.  The reading that finds the most tasks with
    units wins; on a tie the later start (the letter's points are not headings)."""
    starts = [0] + [
        i + 1
        for i, line in enumerate(lines[:-1])
        if _DATE_LINE_RE.match(line) and sum(1 for x in lines[i + 1 : i + 60] if match_marker(x)) >= 2
    ]
    best = None
    for start in starts[:6]:
        outline = build_outline(lines[start:], is_task_line=_ends_with_clause)
        kind = _task_kind(outline.items)
        score = sum(1 for g in _group(outline.items, kind) if not isinstance(g, Item) and _has_clause(g))
        if best is None or score >= best[0] and score > 0:
            best = (score, start, outline)
    return best[1], best[2]


def _ends_with_clause(line: str) -> bool:
    split = find_trailing_clause(line)
    return bool(split and _ANY_ROLE.search(split[1]))


def _fill_from_chrome(doc: Document, chrome: dict[str, str]) -> None:
    """A portal's fields fill what the document itself does not say."""
    from datetime import date as _date

    if not doc.doc_number and chrome.get("doc_number"):
        doc.doc_number = read_doc_number([chrome["doc_number"]]) or doc.doc_number
    if not doc.issuer and chrome.get("issuer"):
        doc.issuer = chrome["issuer"]
    if not doc.date and (chrome.get("date") or chrome.get("published")):
        try:
            doc.date = _date.fromisoformat(chrome.get("date") or chrome["published"])
        except ValueError:
            pass
    if not doc.year and doc.date:
        doc.year = doc.date.year


def _looks_like_task(line: str) -> bool:
    marker = match_marker(line)
    return bool(marker and marker.kind in ("num", "pcn") and find_trailing_clause(line))


# Headings (一、… / （二）…) run to some 30 characters, 45 at most; one longer that ends a sentence has swallowed a paragraph.
_HEADING_MAX = 48


def _split_heading(lines: list[str]) -> tuple[list[str], list[str]]:
    """A heading's own lines, and what follows it before the next item (a dash
    sub-heading, a labelled line, a paragraph)."""
    for i, line in enumerate(lines):
        if i and (_DASH_HEADING_RE.match(line) or _LABEL_LINE_RE.match(line)):
            return lines[:i], lines[i:]
        # a line naming its units, or a sentence making the heading longer than any heading
        # is, is no part of it: it is reported (a heading wrapped onto a second line stays one)
        if i and (_ends_with_clause(line) or (line.endswith("。") and len("".join(lines[: i + 1])) > _HEADING_MAX)):
            return lines[:i], lines[i:]
    return lines, []


def _place_after(doc: Document, after: list[str], section: dict[str, str]) -> None:
    """Lines after a task's clause or a heading: a dash sub-heading opens a child
    section; anything else is reported, never glued to a task."""
    for line in after:
        if _DASH_HEADING_RE.match(line):
            section["dash"] = line
        else:
            _unplace(doc, line, "不属于任何任务")


def _unplace(doc: Document, text: str, why: str) -> None:
    doc.unplaced.append({"line": None, "text": text, "why": why})


def _locate_unplaced(doc: Document, raw_lines: list[str]) -> None:
    """Give each unplaced text the input line it starts on, and warn about it.  A line
    is found by its text (the first unused line that reads the same); a text the
    layout split off a longer line is looked for inside the lines, within a bounded
    amount of work."""
    by_text: dict[str, list[int]] = {}
    for i in range(len(raw_lines) - 1, -1, -1):
        by_text.setdefault(raw_lines[i].replace(" ", ""), []).append(i)
    budget = 2_000_000  # characters searched for texts that are not whole lines
    squeezed = None
    for entry in doc.unplaced:
        text = entry["text"].replace(" ", "")
        found = by_text[text].pop() if by_text.get(text) else None
        if found is None and budget > 0:
            squeezed = squeezed or [line.replace(" ", "") for line in raw_lines]
            key = text[:12]
            for i, line in enumerate(squeezed):
                budget -= len(line)
                if key and key in line:
                    found = i
                    break
                if budget <= 0:
                    break
        if found is not None:
            entry["line"] = found + 1
    for n, entry in enumerate(doc.unplaced):
        why = entry.pop("why", "未能归入任何部分")
        if n < _UNPLACED_WARNINGS:
            where = f"第{entry['line']}行" if entry["line"] else "一行文字"
            doc.warn(f"{where}{why}，未读入：“{_short(entry['text'])}”")
    if len(doc.unplaced) > _UNPLACED_WARNINGS:
        doc.warn(f"另有{len(doc.unplaced) - _UNPLACED_WARNINGS}行未读入，见 unplaced 列表")


# Unplaced lines each get a warning up to this many; the JSON lists them all.
_UNPLACED_WARNINGS = 50


def _document_start(lines: list[str]) -> int:
    """Skip a news summary or photo caption before the document proper: the
    document starts at its header, 文号 or title."""
    for i, line in enumerate(lines[:80]):
        # a title may be wrapped over up to three lines
        titled = "关于" in line and TITLE_RE.search("".join(lines[i : i + 3]))
        if titled or DOC_NUMBER_RE.search(line) or re.search(r"(人民政府|办公室|办公厅)文件$", line):
            start = i
            # the issuer's name (and a wrapped title) on the lines just above belong to it
            while start > 0 and (
                re.fullmatch(r".{2,30}(人民政府|办公室|办公厅|委员会)(文件)?", lines[start - 1])
                or (not titled and start > i - 3 and re.search(r"关于|通知$", lines[start - 1]))
            ):
                start -= 1
            return start
    return 0


def _task_kind(items: list[Item]) -> str | None:
    """The marker kind that numbers tasks: the one whose items most often end with
    a unit clause (counting deeper sub-items as part of the item)."""
    keys: dict[str, tuple[int, float]] = {}
    for kind in KINDS:
        groups = [g for g in _group(items, kind, promote=False) if not isinstance(g, Item)]
        score = sum(1 for g in groups if _has_clause(g))
        if score:
            keys[kind] = (score, score / len(groups))
    if keys:
        # on a tie the kind whose items all carry a clause, then the deeper kind when it nests
        # under the other (一、 heading over its single 1. task); a deeper kind that never sits
        # inside the other's items numbers tasks of other sections (1. 2. here, ① ② there)
        best_key = max(keys.values())
        tied = [k for k in KINDS if keys.get(k) == best_key]
        best = tied[-1]
        for shallower in reversed(tied[:-1]):
            groups = _group(items, shallower, promote=False)
            if any(sub.kind == best for g in groups if isinstance(g, tuple) for sub in g[1]):
                break
            best = shallower
        return best
    present = [k for k in KINDS if sum(1 for i in items if i.kind == k) >= 2]
    return present[-1] if present else None


def _group(items: list[Item], task_kind: str | None, *, promote: bool = True) -> list:
    """Headings stay Items; a task becomes (Item, [deeper sub-items]).  ``promote``: a deeper
    item straight under a heading that names its own units is a task too."""
    if task_kind is None:
        return list(items)
    depth = KINDS.index(task_kind)
    out: list = []
    for item in items:
        d = KINDS.index(item.kind)
        if d < depth:
            out.append(item)
        elif d == depth:
            out.append((item, []))
        elif promote and out and isinstance(out[-1], tuple) and out[-1][0].kind == item.kind:
            out.append((item, []))  # the next of the promoted tasks below (②, after ①)
        elif out and isinstance(out[-1], tuple):
            out[-1][1].append(item)
        elif promote and _has_clause((item, [])):
            # ①… under a heading whose other sections number tasks 1. 2.: numbered one level
            # deeper, but a task all the same, for it names its own units
            out.append((item, []))
        else:
            out.append(item)  # a deeper item under a heading: treat as heading text
    return out


def _task_lines(group: tuple[Item, list[Item]]) -> list[str]:
    item, extra = group
    lines = list(item.lines)
    for sub in extra:
        lines.append(sub.marker.label + (sub.lines[0] if sub.lines else ""))
        lines.extend(sub.lines[1:])
    return lines


def _has_clause(group: tuple[Item, list[Item]]) -> bool:
    lines = _task_lines(group)
    if any(_LABEL_LINE_RE.match(line) for line in lines):
        return True
    text = "".join(lines)
    if find_trailing_clause(text) is not None or _inline_label(text) is not None:
        return True
    # the clause may close an earlier line, the signature block following it
    return any(_clause_closes(lines, i) for i in range(1, len(lines)))


# A unit clause spans at most this many physical lines; looking no further back
# keeps every check linear in the length of the text.
_CLAUSE_WINDOW = 30


def _clause_closes(lines: list[str], i: int) -> tuple[str, str] | None:
    """The (tail of the text, clause) when the text of ``lines[:i]`` ends with a unit clause."""
    if not i or lines[i - 1].rstrip("。；;.，, ")[-1:] not in clauses.CLOSE:
        return None
    return find_trailing_clause("".join(lines[max(0, i - _CLAUSE_WINDOW) : i]))


def _split_tail(group: tuple[Item, list[Item]], doc: Document) -> list[str]:
    """Remove the signature block (issuer, date, 抄送, 印发) from the last task and
    return it; text after the clause that is not a signature is reported."""
    item, extra = group
    holder = extra[-1] if extra else item
    lines = holder.lines
    cut = len(lines)
    # after a closing unit clause (brackets or labelled lines), everything is the tail
    labels_after = False  # a labelled line among lines[i:]
    for i in range(len(lines) - 1, 0, -1):
        labels_after = labels_after or bool(_LABEL_LINE_RE.match(lines[i]))
        if (
            _LABEL_LINE_RE.match(lines[i - 1])
            and not _LABEL_LINE_RE.match(lines[i])
            and not _label_goes_on(lines[i - 1])
        ):
            cut = i
            break
        if not labels_after and _clause_closes(lines, i):
            cut = i
            break
    if cut == len(lines):
        while cut > 1 and _SIGNATURE_RE.match(lines[cut - 1]):
            cut -= 1
    tail = lines[cut:]
    del lines[cut:]
    signature = [line for line in tail if _SIGNATURE_RE.match(line) or DATE_RE.search(line) or is_chrome(line)]
    for line in tail:
        if line in signature:
            continue
        marker = match_marker(line)
        if marker and marker.kind in ("num", "pcn", "cn"):
            doc.warn(f"最后一项任务之后还有像任务的文字（编号{marker.label}），未读入")
        _unplace(doc, line, "在最后一项任务之后")
    return signature


def _label_goes_on(line: str) -> bool:
    """A labelled line whose list wraps onto the next line (ends with 、 or ，)."""
    return line.endswith(("、", "，", ","))


def _split_task_lines(lines: list[str]) -> tuple[list[str], list[str], list[str]]:
    """(text lines, labelled lines, lines after the clause)."""
    text: list[str] = []
    labelled: list[str] = []
    after: list[str] = []
    closed = False
    for i, line in enumerate(lines):
        if after:
            after.append(line)
        elif _LABEL_LINE_RE.match(line):
            labelled.append(line)
        elif labelled:
            if _label_goes_on(labelled[-1]) and not _DASH_HEADING_RE.match(line) and not match_marker(line):
                labelled[-1] += line
            else:
                after.append(line)
        elif closed:
            after.append(line)
        else:
            text.append(line)
            if i + 1 < len(lines) and not _LABEL_LINE_RE.match(lines[i + 1]):
                split = _clause_closes(text, len(text))
                if split and _ANY_ROLE.search(split[1]) and _ends_here(lines[i + 1]):
                    closed = True
                # 1.任务。责任单位：X、Y then a line break before ——在…上: the inline
                # labelled clause ends at the break; a sub-heading is never a unit name
                elif _INLINE_LABEL_RE.search(line) and _DASH_HEADING_RE.match(lines[i + 1]):
                    closed = True
    return text, labelled, after


def _ends_here(next_line: str) -> bool:
    """After a line that closes a unit clause, the task ends unless the next line
    plainly continues a sentence (starts with a closing mark or a lower word)."""
    return bool(_DASH_HEADING_RE.match(next_line)) or next_line[:1] not in "，、；。：）)"


_ANY_ROLE = re.compile("|".join(re.escape(w) for w, _ in ROLE_WORDS) + "|" + LABEL_RE.pattern)
# 1.任务文字。牵头单位：X；责任单位：Y — labels written inline after the task's text.
_INLINE_LABEL_RE = re.compile(r"(?<=[。；;])\s*(?=" + LABEL_RE.pattern + ")")


def _inline_label(text: str) -> tuple[str, str] | None:
    m = _INLINE_LABEL_RE.search(text)
    if not m:
        return None
    return text[: m.start()].rstrip(), text[m.end() :].strip()


def _task_from_item(item: Item, extra: list[Item], path: list[str], doc: Document) -> tuple[Task, list[str]]:
    lines = _task_lines((item, extra))
    text_lines, labelled, after = _split_task_lines(lines)
    text = _join(text_lines)
    task = Task(number=str(item.marker.number), section=path, text=text)
    clauses: list[str] = []
    split = find_trailing_clause(text)
    if split is not None:
        task.text, inner = split
        clauses.append(inner)
    elif not labelled:
        inline = _inline_label(text)
        if inline:
            task.text, inner = inline
            clauses.append(inner)
    clauses += [_unbracket(line) for line in labelled]
    if clauses:
        task.clause = "；".join(clauses)
        result = parse_clause(task.clause, first_listed_leads=doc.first_listed_leads)
        task.units = result.units
        task.deadline = result.deadline
        task.leaders = result.leaders
        for problem in result.problems:
            doc.warn(f"第{task.number}项：{problem}")
    if task.deadline is None:
        m = _DEADLINE_TEXT_RE.search(task.text.rstrip("。"))
        if m:
            task.deadline = m.group(1)
    return task, after


def _unbracket(line: str) -> str:
    """（牵头单位：…） → 牵头单位：…; a name's own closing bracket stays."""
    if line[:1] in "（(" and line[-1:] in "）)":
        inner = line[1:-1]
        depth = 0
        for ch in inner:
            depth += ch in "（("
            depth -= ch in "）)"
            if depth < 0:
                return line
        return inner
    return line


def _join(lines: list[str]) -> str:
    """Join physical lines of one task without inserting spaces, except between
    two Latin words."""
    parts: list[str] = []
    for line in lines:
        last = parts[-1][-1:] if parts else ""
        if last and last.isascii() and last.isalpha() and line[:1].isascii() and line[:1].isalpha():
            parts.append(" ")
        if line:
            parts.append(line)
    return clean("".join(parts))


# ---------------------------------------------------------------- tables


def _header_map(row: list[str]) -> dict[str, int] | None:
    """Column keys of a header row, read with the one vocabulary (duban.vocab_clauses)."""
    cells = [fold(clean(c)).replace(" ", "") for c in row]
    found: dict[str, int] = {}
    for i, cell in enumerate(cells):
        key = column_meaning(cell) if cell and len(cell) <= 16 else None
        if key and key not in found:
            found[key] = i
    if "text" in found and any(k in found for k in (LEAD, RESPONSIBLE, SUPPORT, MONITOR)):
        return found
    return None


def _tasks_from_tables(source: Source, doc: Document) -> list[Task]:
    tables = [b for b in source.blocks if isinstance(b, Table)]
    if not tables:
        return []
    tasks: list[Task] = []
    columns: dict[str, int] | None = None
    sections: list[str] = []
    # the preamble may say the first-listed unit leads; tables need it before rows
    preamble_text = "".join(clean(b.text) for b in source.blocks if isinstance(b, Para))
    first_leads = says_first_listed_leads(preamble_text)
    for table in tables:
        after_header = False
        for row in table.rows:
            cells = [clean(c) for c in row]
            header = _header_map(cells)
            if header:
                columns, after_header = header, True
                continue
            if after_header and columns and _sub_header(cells, columns):
                continue  # a second header row: 责任单位 over 牵头单位 | 配合单位
            after_header = False
            if columns is None or len(cells) < max(columns.values()) + 1:
                continue
            if not any(cells):
                continue
            task = _task_from_row(cells, columns, sections, first_leads, len(tasks) + 1)
            if task:
                tasks.append(task)
    return tasks


def _sub_header(cells: list[str], columns: dict[str, int]) -> bool:
    """Read a header's second row into ``columns``; True when the row was one."""
    labels = {}
    for i, cell in enumerate(cells):
        f = fold(cell).replace(" ", "")
        key = column_meaning(f) if f else None
        if key in (LEAD, SUPPORT, RESPONSIBLE, MONITOR, "deadline", "leader"):
            labels[key] = i
    if not labels or any(re.search(r"\d", c) for c in cells):
        return False
    if "lead" in labels and columns.get("responsible") == labels["lead"]:
        del columns["responsible"]  # the parent label spanned the sub-columns
    columns.update(labels)
    return True


def _task_from_row(cells, columns, sections, first_leads, ordinal: int) -> Task | None:
    """One table row: a task, or a section row (returns None after updating ``sections``)."""
    distinct = {c for c in cells if c}
    text = cells[columns["text"]]
    number = cells[columns["number"]] if "number" in columns else ""
    no_units = not any(cells[columns[k]] for k in (LEAD, RESPONSIBLE, SUPPORT, MONITOR) if k in columns)
    if len(distinct) == 1 or (no_units and not number.rstrip(".．、").isdigit()):
        # a section row: one text spanning the table, or a heading numbered 一 / （一）
        if len(distinct) == 1:
            heading = next(iter(distinct))
        elif number and text and re.fullmatch(r"[一二三四五六七八九十]+", number):
            heading = f"{number}、{text}"  # 序号 一 | 稳增长 → 一、稳增长
        else:
            heading = text or number
        level = _heading_level(heading, sections)
        del sections[level:]
        sections.append(heading)
        return None
    number = re.sub(r"[.．、]$", "", number)
    if not text:
        return None
    section = list(sections)
    if "section" in columns and cells[columns["section"]]:
        # a 类别 column instead of section rows; merged cells repeat it on every row
        cell = cells[columns["section"]]
        parts = [x.strip() for x in cell.split("/") if x.strip()]
        if len(parts) > 1 and all(match_marker(x) for x in parts):
            section = parts  # duban's own task table: 二、重点工作 / （一）扩大有效投资
        else:
            section = [*sections[:1], cell] if sections else [cell]
    task = Task(number=number or str(ordinal), section=section, text=text)
    units = []
    lead_cell = cells[columns["lead"]] if "lead" in columns else ""
    resp_cell = cells[columns["responsible"]] if "responsible" in columns else ""
    support_cell = cells[columns["support"]] if "support" in columns else ""
    carry: dict = {}
    if lead_cell:
        units += _cell_units(lead_cell, LEAD, carry)
    if resp_cell:
        role = SUPPORT if lead_cell else RESPONSIBLE
        cell_units = _cell_units(resp_cell, role, carry)
        if not lead_cell and first_leads and cell_units:
            cell_units[0].role = LEAD
            for u in cell_units[1:]:
                if u.role == RESPONSIBLE:
                    u.role = SUPPORT
        units += cell_units
    if support_cell:
        units += _cell_units(support_cell, SUPPORT, carry)
    if MONITOR in columns and cells[columns[MONITOR]]:
        units += _cell_units(cells[columns[MONITOR]], MONITOR, carry)
    if not units:
        split = find_trailing_clause(text)
        if split:
            task.text, task.clause = split
            units = parse_clause(task.clause).units
    else:
        task.clause = "；".join(c for c in (lead_cell, resp_cell, support_cell) if c)
    if any(u.role == LEAD for u in units):
        for u in units:
            if u.role == RESPONSIBLE:
                u.role = SUPPORT  # 市发改委（牵头）、市财政局 in one cell: the others support
    seen = set()
    task.units = [u for u in units if not (u.name in seen or seen.add(u.name))]
    if "deadline" in columns and cells[columns["deadline"]]:
        task.deadline = cells[columns["deadline"]]
    if "leader" in columns and cells[columns["leader"]]:
        task.leaders = [n for n in re.split(r"[、，,\s]+", cells[columns["leader"]]) if n]
    return task


def _heading_level(heading: str, sections: list[str]) -> int:
    """一、 headings are level 1, （一） level 2; an unnumbered section row sits
    under a numbered level-1 heading if there is one, else at the top."""
    if re.match(r"^[一二三四五六七八九十]+[、.．]", heading):
        return 0
    if re.match(r"^[（(][一二三四五六七八九十]+[）)]", heading):
        return 1 if sections else 0
    return 1 if sections and re.match(r"^[一二三四五六七八九十]+[、.．]", sections[0]) else 0


def _cell_units(cell: str, role: str, carry: dict):
    """A unit cell: a plain list, or a list with role words (A牵头，B配合) or (监测) marks."""
    f = fold(cell).replace("\n", "、")
    if re.search(r"(牵头|负责|配合|监测)$", f) or re.search(r"(牵头|负责)[，；]", f):
        return parse_clause(f).units
    units = []
    for part in re.split(r"[，；]", f):
        for u in clauses.names_to_units(part, role, carry=carry):
            # a monitoring unit written into a unit column: X（监测）
            if u.name.endswith("（监测）"):
                u.name, u.role, u.alias = u.name[: -len("（监测）")], MONITOR, None
            units.append(u)
    return units


# ---------------------------------------------------------------- checks


def _signature(lines: list[str]) -> list[str]:
    return [line for line in lines[-4:] if DATE_RE.search(line) or _SIGNATURE_RE.match(line)]


def _finish(doc: Document) -> None:
    previous = 0
    for task in doc.tasks:
        task.indicators = find_indicators(task.text)
        if not task.units:
            doc.warn(f"第{task.number}项任务没有识别出责任单位：“{_short(task.text)}”")
        elif not task.primary_units and not task.units_in(MONITOR):
            doc.warn(f"第{task.number}项任务只有配合单位，没有牵头或责任单位")
        if task.number.isdigit():
            n = int(task.number)
            if previous and n != previous + 1 and n != 1:
                missing = list(range(previous + 1, n)) if previous < n else []
                gap = f"，缺第{_numbers(missing)}项" if missing else ""
                doc.warn(f"任务编号不连续：第{previous}项之后是第{n}项{gap}")
            previous = n
    _check_swallowed(doc)
    if not doc.tasks:
        doc.warn("没有找到编号的任务")


# A number inside a task's text where a task could begin: after a sentence or a clause.
_INNER_NUMBER_RE = re.compile(r"(?:^|[。；;）)])\s*(\d{1,3})\s*(?:[、．]|\.(?!\d))")


def _check_swallowed(doc: Document) -> None:
    """The conservation check run on every parse: a task whose text holds the number
    of the task that should follow it (``…。（X负责）79.6月底前…``) has swallowed it."""
    numbers = {t.number for t in doc.tasks}
    for task in doc.tasks:
        if not task.number.isdigit():
            continue
        want = int(task.number) + 1
        for m in _INNER_NUMBER_RE.finditer(task.text):
            if int(m.group(1)) == want and str(want) not in numbers:
                doc.warn(f"第{task.number}项的文字中似乎还含有第{want}项，请核对：“{_short(task.text[m.start() :])}”")
                break


def _numbers(ns: list[int]) -> str:
    if len(ns) > 3:
        return f"{ns[0]}—{ns[-1]}"
    return "、".join(str(n) for n in ns)


def _short(text: str, n: int = 30) -> str:
    return text if len(text) <= n else text[:n] + "…"


def _check_against_itself(doc: Document) -> None:
    """With no directory given, the notice is its own: a name written once or twice
    that is an obvious slip for a name written many times (发展改革委和统计局 twice,
    发展改革和统计局 thirty times) is read as that name, with a warning."""
    from collections import Counter

    _same_body_with_its_prefix(doc)
    counts = Counter(u.name for t in doc.tasks for u in t.units if not u.collective)
    # a slip is rare; the name it slips from is written many times
    rare = [name for name, n in counts.items() if n <= 2]
    common = [name for name, n in counts.items() if n >= 5]
    if not rare or not common:
        return
    from duban.doc.directory import UnitDirectory

    known = UnitDirectory(common)
    fixes = {}
    for name in rare:
        res = known.resolve(name)
        if res.status == "fuzzy":
            fixes[name] = res
    for task in doc.tasks:
        for unit in task.units:
            res = fixes.get(unit.name)
            if res:
                doc.warn(f"第{task.number}项：{res.message}")
                unit.written = unit.written or unit.name
                unit.name = res.name


def _same_body_with_its_prefix(doc: Document) -> None:
    """电力公司 in one clause, 省电力公司 in another: where the notice itself writes a
    bare name elsewhere with exactly one level prefix, the bare one means that body."""
    names = {u.name for t in doc.tasks for u in t.units if not u.collective}
    prefixed = {}
    for name in names:
        forms = [p + name for p in "省市县区" if p + name in names]
        if len(forms) == 1 and name[:1] not in "省市县区":
            prefixed[name] = forms[0]
    for task in doc.tasks:
        for unit in task.units:
            if unit.name in prefixed:
                unit.written = unit.written or unit.name
                unit.name = prefixed[unit.name]


def _check_against(doc: Document, directory) -> None:
    """Resolve every unit name against a directory: typos fixed with a warning,
    unknown names reported, never silently changed."""
    for task in doc.tasks:
        for unit in task.units:
            if unit.collective:
                continue
            res = directory.resolve(unit.name)
            if res.status in ("exact", "alias"):
                if res.name != unit.name:
                    unit.written = unit.written or unit.name
                    unit.name = res.name
            elif res.status == "fuzzy":
                doc.warn(f"第{task.number}项：{res.message}")
                unit.written = unit.written or unit.name
                unit.name = res.name
            else:
                doc.warn(f"第{task.number}项：{res.message or f'单位名称“{unit.name}”不在名录中'}")
