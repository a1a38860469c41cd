"""Numbered headings and items, and the sequence rules that tell them from text.

Official documents number their levels ``一、`` > ``（一）`` > ``1.``/``1、`` >
``（1）`` > ``一是``.  A line that merely starts with a number (``5.5%以内…`` after a
line break, ``2026年…``) is not an item: a marker is accepted only when its
number continues the sequence of its kind — the next number, or 1 again
after a new parent heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from duban.vocab_clauses import LABEL_LINE_RE, LABEL_RE

_CN_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_NUM = "〇零一二两三四五六七八九十百"


def cn_to_int(s: str) -> int | None:
    """一 → 1, 十一 → 11, 三十四 → 34, 一百零二 → 102."""
    if not s or any(c not in _CN_NUM for c in s):
        return None
    total, current = 0, 0
    for ch in s:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = current * 10 + _CN_DIGITS[ch] if current else _CN_DIGITS[ch]
    return total + current


# Marker kinds, outermost first. Each pattern captures (number, rest).
KINDS = ("cn", "pcn", "num", "pnum", "circ", "shi")
_MARKERS = {
    "cn": re.compile(rf"^([{_CN_NUM}]{{1,4}})[、.．]\s*(.*)$"),
    "pcn": re.compile(rf"^[（(]([{_CN_NUM}]{{1,4}})[）)]\s*[、.．]?\s*(.*)$"),
    # 1. / 1、 / 1． but not 5.5% or 2026.3
    "num": re.compile(r"^(\d{1,3})\s*(?:[、．]|\.(?!\d))\s*(.*)$"),
    # (1) / （1） and the half-bracket 1） / 1): one level, written two ways
    "pnum": re.compile(r"^(?:[（(](\d{1,3})|(\d{1,3}))[）)]\s*(.*)$"),
    # ①②③: circled numbers, below (1)
    "circ": re.compile(r"^([\u2460-\u2473])\s*(.*)$"),
    # 一是…二是…: points numbered in words, the innermost level
    "shi": re.compile(rf"^([{_CN_NUM}]{{1,3}})是\s*(.+)$"),
}
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


@dataclass
class Marker:
    kind: str
    number: int
    label: str  # the marker as written: "12." / "（三）"
    rest: str


def match_marker(line: str) -> Marker | None:
    for kind in KINDS:
        m = _MARKERS[kind].match(line)
        if not m:
            continue
        raw, rest = next(g for g in m.groups()[:-1] if g is not None), m.group(m.lastindex)
        if kind == "circ":
            number = _CIRCLED.index(raw) + 1
        else:
            number = int(raw) if raw.isdigit() else cn_to_int(raw)
        if number is None or number == 0:
            continue
        if kind == "num" and not rest:
            continue  # a bare "12." line is a page number or broken figure, not an item
        label = line[: len(line) - len(rest)].strip()
        return Marker(kind, number, label, rest)
    return None


@dataclass
class Item:
    """A numbered element of the outline with everything written under it."""

    marker: Marker
    lines: list[str] = field(default_factory=list)  # the text after the marker, then continuation lines

    @property
    def kind(self) -> str:
        return self.marker.kind


@dataclass
class Outline:
    preamble: list[str]
    items: list[Item]


def build_outline(lines: list[str], start_kinds: dict[str, int] | None = None, is_task_line=None) -> Outline:
    """Split lines into a preamble and numbered items using sequence rules.

    Each kind keeps its own counter.  A marker of kind K numbered n opens a new
    item when n == last[K] + 1 (numbering that runs on), or when n == 1 and an
    outer kind has opened since the last K (numbering that restarts).  Any other
    line continues the current item.  ``is_task_line`` (a line that ends with its
    own unit clause) lets the numbering jump forward: a task numbered 4 after 2 is
    still a task, and the gap is reported later.
    """
    last: dict[str, int] = dict(start_kinds or {})
    # the index of the outer item under which a kind last counted
    parent_at: dict[str, int] = {}
    preamble: list[str] = []
    items: list[Item] = []
    previous_line = ""
    opened = False  # the previous line opened an item (a heading just above)
    dash_above = False  # the previous line was a sub-heading (——在…上)
    for line in lines:
        marker = match_marker(line) if line else None
        if marker is None and line:
            heading_above = dash_above or (opened and KINDS.index(items[-1].kind) < KINDS.index("num"))
            marker = _run_in_number(line, last, previous_line, opened or dash_above, is_task_line, heading_above)
        if line:
            previous_line = line
        # a sub-heading (——在…上) is a heading too: item 1 may follow it
        if line:
            dash_above = bool(DASH_HEADING_RE.match(line)) and line[-1] not in "。；;"
        opened = False
        if marker and (
            _accepts(marker, last, parent_at, items) or (is_task_line and _jumps(marker, last) and is_task_line(line))
        ):
            opened = True
            last[marker.kind] = marker.number
            parent_at[marker.kind] = _outer_index(marker.kind, items)
            # deeper kinds restart under a new parent
            items.append(Item(marker, [marker.rest] if marker.rest else []))
            continue
        if items:
            items[-1].lines.append(line)
        else:
            preamble.append(line)
    return Outline(preamble, items)


# ——在稳增长上: a sub-heading under the current heading.
DASH_HEADING_RE = re.compile(r"^[—－–-]{1,2}[^—]{2,40}$")
_RUN_IN = re.compile(r"^(\d{1,3})[.．](\d.*)$")
# What a decimal's fraction runs into (5.5%, 2.18万亿元): a quantity, not the start of a task.
_QUANTITY = re.compile(
    r"^\d*\s*(%|％|‰|万|亿|千|百|倍|个百分点|元|吨|公里|千米|米|平方|亩|人|户|家|项|座|所|条|台|辆|场|次|度|斤|公斤|克|小时|天)"
)


_DECIMAL_START = re.compile(r"^\d+\.\d")
# 79.6月底前 / 12.2026年: a number running into a date is never a decimal.
_DATE_START = re.compile(r"^\d{1,4}\s*(月|年|日|季度)")


def _ends_item(line: str) -> bool:
    """The line closes a task: a sentence or clause end, or a labelled clause."""
    return bool(line) and (line[-1] in "。；;）)" or bool(LABEL_LINE_RE.match(line)) or bool(LABEL_RE.search(line)))


def _run_in_number(
    line: str, last: dict[str, int], previous_line: str, opened: bool, is_task_line=None, heading_above: bool = False
) -> Marker | None:
    """``79.6月底前完成…`` after task 78: the expected next number ran into text that
    starts with a digit.  Read as item 79 only when the previous line ended a sentence
    or clause (or was a heading, for item 1) and what follows is not a quantity (``5.5%``).
    The expected number wins over a quantity (``4.10%以上…`` after task 3) when a unit
    clause or labelled line closed the task before it, or that task ended its sentence
    and the line carries its own clause, or a heading is just above: a closed
    task is not continued by a decimal."""
    m = _RUN_IN.match(line)
    if not m:
        return None
    n = int(m.group(1))
    if n == 1 and opened:
        pass  # the first item under a heading
    elif "num" not in last or n != last["num"] + 1:
        return None
    elif not _DATE_START.match(m.group(2)) and not _ends_item(previous_line) and not opened:
        return None
    closed = (
        heading_above
        or bool(LABEL_LINE_RE.match(previous_line) or LABEL_RE.search(previous_line))
        or bool(is_task_line)
        and (is_task_line(previous_line) or (_ends_item(previous_line) and is_task_line(line)))
    )
    expected = n == last.get("num", 0) + 1 or (n == 1 and opened)
    if _QUANTITY.match(m.group(2)) and not _DECIMAL_START.match(m.group(2)) and not (expected and closed):
        return None  # 5.5%: a decimal (but 2.2.5万吨 is item 2 whose text starts 2.5万吨)
    return Marker("num", int(m.group(1)), line[: len(m.group(1)) + 1], m.group(2))


def _outer_index(kind: str, items: list[Item]) -> int:
    """Index of the most recent item of an outer kind (-1 if none)."""
    depth = KINDS.index(kind)
    for i in range(len(items) - 1, -1, -1):
        if KINDS.index(items[i].kind) < depth:
            return i
    return -1


def _jumps(marker: Marker, last: dict[str, int]) -> bool:
    previous = last.get(marker.kind)
    return (
        marker.kind in ("num", "pcn", "pnum") and previous is not None and previous + 1 < marker.number <= previous + 10
    )


def _accepts(marker: Marker, last: dict[str, int], parent_at: dict[str, int], items: list[Item]) -> bool:
    previous = last.get(marker.kind)
    if previous is None:
        return marker.number == 1 or (marker.kind in ("cn", "pcn") and not items and marker.number <= 2)
    if marker.number == previous + 1:
        return True
    if marker.number == 1:
        return _outer_index(marker.kind, items) != parent_at.get(marker.kind, -1)
    return False
