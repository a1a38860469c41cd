"""Text clean-up that keeps meaning.

Documents arrive as text extracted from PDFs and web pages: spaces around
digits (``增长 5.5%``), page markers (``— 2 —``), full- and half-width
punctuation mixed in one line.  Two views of a string are used:

- ``clean`` — what a person reads: whitespace that extraction put between
  Chinese characters and digits removed, nothing else changed;
- ``fold``  — what matching sees: brackets, colons and commas unified to one
  form, so a grammar needs only one spelling of each.
"""

from __future__ import annotations

import re
import unicodedata

_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef“”‘’—…·"
# Whitespace next to a Chinese character or full-width punctuation is an
# extraction artefact; whitespace between two Latin words is real.
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])[ \t\u00a0\u3000]+|[ \t\u00a0\u3000]+(?=[{_CJK}])")
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
# 市统计局　市财政局: a full-width space after a body's name, before another Chinese character, is how
# some notices separate units; it is kept (as one U+3000) for the clause reader, everything else goes.
# So is one after a unit's role mark: 市商务局（牵头）　市文化广电和旅游局.
_UNIT_GAP = re.compile(
    r"(?:(?<=[局委办厅室院府处队站部心司行所])|(?<=（牵头）|（负责）|（配合）|（主责）|（参与）|（协办）))"
    r"(?:\u3000+|[ \u00a0]{2,})(?=[\u4e00-\u9fff])"
)
# 20 21 年, 1 . 严格: digits and their point spaced apart by a PDF-to-HTML conversion.
_SPACED_DIGITS = re.compile(r"(?<=\d)[ \t\u00a0\u3000]+(?=\d)|(?<=\d)[ \t\u00a0\u3000]+(?=[.．、](?!\d))")

_PAGE_MARKERS = [
    re.compile(r"^[—–\-－─·•]+\s*\d{1,4}\s*[—–\-－─·•]+$"),
    re.compile(r"^第\s*\d{1,4}\s*页\s*[，,/]?\s*(共\s*\d{1,4}\s*页?)?$"),
    re.compile(r"^\d{1,4}\s*/\s*\d{1,4}$"),
    re.compile(r"^[-－]?\s*\d{1,3}\s*[-－]?$"),
]

_FOLD = str.maketrans(
    {
        "(": "（",
        ")": "）",
        ":": "：",
        ";": "；",
        ",": "，",
        "﹙": "（",
        "﹚": "）",
        "〔": "〔",
        "[": "〔",
        "]": "〕",
        "【": "〔",
        "】": "〕",
        "．": ".",
        "、": "、",
    }
)


def clean(text: str) -> str:
    """Readable text: NFC, extraction whitespace removed, runs of spaces collapsed."""
    text = unicodedata.normalize("NFC", text).replace("\ufeff", "").replace("\u200b", "")
    text = _UNIT_GAP.sub("\x00", text)
    text = _SPACE_NEAR_CJK.sub("", text)
    text = _SPACED_DIGITS.sub("", text)
    return _SPACES.sub(" ", text).strip().replace("\x00", "\u3000")


_FOLD_ALL = dict(_FOLD)
_FOLD_ALL.update(
    {c: c - 0xFEE0 for lo, hi in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A)) for c in range(lo, hi + 1)}
)
_FOLD_ALL[ord("％")] = "%"


def fold(text: str) -> str:
    """Matching form: full-width brackets, colons, semicolons and commas; full-width
    digits and letters to ASCII."""
    return text.translate(_FOLD_ALL)


def is_page_marker(line: str) -> bool:
    s = line.strip()
    return bool(s) and any(p.match(s) for p in _PAGE_MARKERS)


def clean_lines(lines: list[str]) -> list[str]:
    """Cleaned lines without page markers; blank lines kept as ``""`` because a
    blank line is evidence of a paragraph end in some files."""
    out = []
    for line in lines:
        if is_page_marker(line):
            continue
        out.append(clean(line))
    return out


_OPENERS = "“‘「『（(《【"
_CLOSERS = "”’」』）)》】"


def split_outside_brackets(text: str, separators: str, *, keep: bool = False) -> list[str]:
    """Split at separators that stand outside quotes and brackets, so
    ``市政府办公室（国防动员办公室）、财政局`` or ``“融链固链”，…`` split where a
    reader would.  ``keep`` leaves each separator on the piece it ends; an empty
    last piece is dropped."""
    pieces: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in text:
        if ch in _OPENERS:
            depth += 1
        elif ch in _CLOSERS:
            depth = max(0, depth - 1)
        if ch in separators and depth == 0:
            if keep:
                current.append(ch)
            pieces.append("".join(current))
            current = []
        else:
            current.append(ch)
    if "".join(current).strip():
        pieces.append("".join(current))
    return pieces
