"""The numbers Word draws in front of list paragraphs, which are not in the text.

A notice typed in Word often numbers its headings (一、 （一）) and tasks (1.)
— and the 序号 column of a task table — with automatic numbering.  The digits
then live in ``numbering.xml``, not in the paragraph, and a loader that reads
only ``w:t`` hands the parser tasks without numbers.  ``WordNumbering``
replays the counters in document order and gives each numbered paragraph its
label.

Counters belong to the abstract list definition: two list instances of one
definition continue one sequence, as Word shows them, unless an instance
restarts a level (``startOverride``).  Bullets give no label.
"""

from __future__ import annotations

from dataclasses import dataclass

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LEVELS = 9

CHINESE_DIGITS = "零一二三四五六七八九"
LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
EARTHLY_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
PARENTHESISED = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"


def chinese_number(n: int, digits: str = CHINESE_DIGITS, units: str = "十百千") -> str:
    """一, 十, 十一, 二十, 一百零五, 一千二百 — as Word's chineseCounting writes them."""
    if n <= 0:
        return digits[0]
    if n >= 10000:
        return str(n)
    parts: list[str] = []
    zero = False
    for power, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        digit = n // power % 10
        if digit == 0:
            zero = bool(parts)
            continue
        if zero:
            parts.append(digits[0])
            zero = False
        parts.append(digits[digit] + unit)
    text = "".join(parts)
    if units[0] == "十" and text.startswith("一十"):
        text = text[1:]  # 十一, not 一十一
    return text


def roman(n: int) -> str:
    out = []
    for value, numeral in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        while n >= value:
            out.append(numeral)
            n -= value
    return "".join(out)


def letters(n: int) -> str:
    # Word repeats the letter: a … z, aa … zz.
    if n <= 0:
        return ""
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _cycle(symbols: str, n: int) -> str:
    return symbols[(n - 1) % len(symbols)] if n > 0 else str(n)


def format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting"):
        return chinese_number(n)
    if fmt in ("chineseLegalSimplified", "japaneseLegal", "taiwaneseCountingThousand"):
        return chinese_number(n, LEGAL_DIGITS, "拾佰仟")
    if fmt == "ideographTraditional":
        return _cycle(HEAVENLY_STEMS, n)
    if fmt == "ideographZodiac":
        return _cycle(EARTHLY_BRANCHES, n)
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join(CHINESE_DIGITS[int(d)] for d in str(n)).replace("零", "〇")
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return CIRCLED[n - 1]
    if fmt == "decimalEnclosedParen" and 1 <= n <= 20:
        return PARENTHESISED[n - 1]
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return "".join(chr(0xFF10 + int(d)) for d in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "upperRoman":
        return roman(n)
    if fmt == "lowerRoman":
        return roman(n).lower()
    if fmt == "upperLetter":
        return letters(n).upper()
    if fmt == "lowerLetter":
        return letters(n)
    return str(n)


@dataclass
class Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    suffix: str = "tab"  # tab | space | nothing
    legal: bool = False  # isLgl: every %n in decimal


def _val(element, tag: str) -> str | None:
    found = element.find(W + tag)
    return None if found is None else found.get(W + "val")


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _level(lvl) -> Level:
    return Level(
        fmt=_val(lvl, "numFmt") or "decimal",
        text=_val(lvl, "lvlText") if lvl.find(W + "lvlText") is not None else "",
        start=_int(_val(lvl, "start"), 1),
        suffix=_val(lvl, "suff") or "tab",
        legal=lvl.find(W + "isLgl") is not None,
    )


class WordNumbering:
    """Labels for numbered paragraphs, to be asked in document order."""

    def __init__(self, numbering_xml=None, styles_xml=None):
        self.abstract: dict[str, dict[int, Level]] = {}
        self.instances: dict[str, tuple[str, dict[int, Level], dict[int, int]]] = {}
        self.style_numbering: dict[str, tuple[str | None, int | None]] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.started: set[str] = set()
        if numbering_xml is not None:
            self._read_numbering(numbering_xml)
        if styles_xml is not None:
            self._read_styles(styles_xml)

    @classmethod
    def of(cls, document) -> WordNumbering:
        """The numbering of a python-docx Document (empty when it has none)."""
        part = document.part
        numbering = styles = None
        try:
            numbering = part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            pass
        try:
            styles = part.styles.element
        except (KeyError, NotImplementedError, AttributeError):
            pass
        return cls(numbering, styles)

    def _read_numbering(self, root) -> None:
        for abstract in root.iter(W + "abstractNum"):
            levels = {_int(lvl.get(W + "ilvl"), 0): _level(lvl) for lvl in abstract.iter(W + "lvl")}
            self.abstract[abstract.get(W + "abstractNumId", "")] = levels
        for num in root.iter(W + "num"):
            abstract_id = _val(num, "abstractNumId") or ""
            overrides: dict[int, Level] = {}
            starts: dict[int, int] = {}
            for override in num.iter(W + "lvlOverride"):
                ilvl = _int(override.get(W + "ilvl"), 0)
                lvl = override.find(W + "lvl")
                if lvl is not None:
                    overrides[ilvl] = _level(lvl)
                start = _val(override, "startOverride")
                if start is not None:
                    starts[ilvl] = _int(start, 1)
            self.instances[num.get(W + "numId", "")] = (abstract_id, overrides, starts)

    def _read_styles(self, root) -> None:
        based_on: dict[str, str] = {}
        own: dict[str, tuple[str | None, int | None]] = {}
        for style in root.iter(W + "style"):
            style_id = style.get(W + "styleId", "")
            parent = _val(style, "basedOn")
            if parent:
                based_on[style_id] = parent
            num_pr = style.find(f"{W}pPr/{W}numPr")
            if num_pr is not None:
                ilvl = _val(num_pr, "ilvl")
                own[style_id] = (_val(num_pr, "numId"), int(ilvl) if ilvl and ilvl.isdigit() else None)
        for style_id in list(based_on) + list(own):
            seen, current = set(), style_id
            while current and current not in own and current not in seen:
                seen.add(current)
                current = based_on.get(current)
            if current in own:
                self.style_numbering[style_id] = own[current]

    def label(self, p) -> str:
        """The label Word draws before paragraph ``p`` ("1. ", "（一）", "一、"), or ""."""
        ppr = p.find(W + "pPr")
        if ppr is None:
            return ""
        num_id, ilvl = None, None
        style = _val(ppr, "pStyle")
        if style and style in self.style_numbering:
            num_id, ilvl = self.style_numbering[style]
        num_pr = ppr.find(W + "numPr")
        if num_pr is not None:
            num_id = _val(num_pr, "numId") or num_id
            own_level = _val(num_pr, "ilvl")
            if own_level is not None:
                ilvl = _int(own_level, 0)
        if not num_id or num_id == "0" or num_id not in self.instances:
            return ""
        ilvl = min(max(ilvl or 0, 0), LEVELS - 1)
        abstract_id, overrides, starts = self.instances[num_id]
        levels = {**self.abstract.get(abstract_id, {}), **overrides}
        level = levels.get(ilvl)
        if level is None:
            return ""
        counters = self.counters.setdefault(abstract_id, [None] * LEVELS)
        if num_id not in self.started:
            self.started.add(num_id)
            for lvl, start in starts.items():
                if 0 <= lvl < LEVELS:
                    counters[lvl] = start - 1
        current = counters[ilvl]
        counters[ilvl] = level.start if current is None else current + 1
        for deeper in range(ilvl + 1, LEVELS):
            counters[deeper] = None
        if level.fmt in ("bullet", "none") and "%" not in level.text:
            return "" if level.fmt == "bullet" else level.text
        text = level.text
        for k in range(LEVELS, 0, -1):  # %10 does not exist; go high to low so %1 does not eat %1x
            token = f"%{k}"
            if token not in text:
                continue
            lvl = levels.get(k - 1, Level())
            value = counters[k - 1] if counters[k - 1] is not None else lvl.start
            fmt = "decimal" if level.legal and k - 1 < ilvl else lvl.fmt
            text = text.replace(token, format_number(value, fmt))
        if not text:
            return ""
        if level.suffix == "nothing" or not text[-1].isascii():
            return text
        return text + " "
