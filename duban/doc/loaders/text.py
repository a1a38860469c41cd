"""Text bytes → lines: decoding without guesswork, and the clean-up every format shares."""

from __future__ import annotations

import csv
import io
import re

from duban.doc.source import Para, Source, Table
from duban.errors import InputError

# Characters a Chinese official document is made of.  A decoding that yields
# mostly anything else (controls, rare ideographs, private use) is wrong.
_COMMON_RANGES = (
    (0x20, 0x7E),
    (0xA0, 0x24F),  # Latin-1, Latin extended (pinyin tones)
    (0x370, 0x4FF),  # Greek, Cyrillic: in GB2312
    (0x2000, 0x2BFF),  # punctuation, letterlike, arrows, maths, ①, boxes, shapes, ★
    (0x3000, 0x33FF),  # CJK punctuation, kana, bopomofo, ㈠, ㎡
    (0x3400, 0x4DBF),  # CJK extension A: rare characters in names
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),
    (0xFE30, 0xFE4F),
    (0xFF01, 0xFF64),  # full-width ASCII and CJK punctuation (not half-width kana)
    (0xFFE0, 0xFFE6),  # ￥ ￡ and friends
    (0x20000, 0x323AF),  # CJK extensions B–H
)
_UNCOMMON = re.compile(
    "[^\t\n\r\f\v" + "".join(f"{re.escape(chr(lo))}-{re.escape(chr(hi))}" for lo, hi in _COMMON_RANGES) + "]"
)


def looks_like_text(text: str, *, threshold: float = 0.95) -> bool:
    """True when nearly every character is one a Chinese document is written in."""
    sample = text[:20000]
    if not sample:
        return False
    uncommon = len(_UNCOMMON.findall(sample))
    return len(sample) - uncommon >= threshold * len(sample)


def _utf16_by_nuls(data: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when NUL bytes fall on one parity only, as ASCII
    digits and newlines do in UTF-16 text without a BOM."""
    sample = data[:8192]
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    # Chinese characters put a NUL on the other parity now and then (一 is 00 4E).
    if odd >= 4 and even * 5 <= odd:
        return "utf-16-le"
    if even >= 4 and odd * 5 <= even:
        return "utf-16-be"
    return None


_CHINESE_PUNCTUATION = re.compile("[，。、：；！？（）《》“”]")


def decode_text(data: bytes, name: str) -> str:
    """Decode text bytes: UTF-8 (BOM or not), UTF-16 (BOM or NUL pattern), GB18030.

    Bytes may end mid-character (a sample, a cut-off download); that is tolerated."""
    return decode_text_noting(data, name)[0]


def decode_text_noting(data: bytes, name: str) -> tuple[str, list[str]]:
    """``decode_text``, with a note when a few bad bytes had to be replaced."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _replacing(data[3:], "utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16-le" if data.startswith(b"\xff\xfe") else "utf-16-be"
        return _replacing(data[2:], encoding)
    candidates: list[str] = []
    if b"\x00" in data:
        utf16 = _utf16_by_nuls(data)
        if utf16:
            candidates.append(utf16)
    candidates += ["utf-8", "gb18030"]
    for encoding in candidates:
        text = _strict_decode(data, encoding)
        if text is not None and looks_like_text(text):
            return text, []
        if encoding == "utf-8" and _mostly_utf8(data):
            # UTF-8 with a stray fragment (GBK pasted in) is still UTF-8: read as
            # GB18030 it would turn into plausible-looking nonsense.
            text, notes = _replacing(data, "utf-8")
            if looks_like_text(text):
                return text, notes
    if len(data) % 2 == 0 and b"\x00" not in data:
        # UTF-16 with no BOM and no ASCII has no NULs to tell it by, and any byte pairs
        # decode to ideographs; Chinese prose at least has its punctuation.
        for encoding in ("utf-16-le", "utf-16-be"):
            text = _strict_decode(data, encoding)
            if text is not None and looks_like_text(text) and _CHINESE_PUNCTUATION.search(text[:2000]):
                return text, []
    raise InputError(f"{name}：无法识别文件内容——不是支持的文档格式，也不是 UTF-8、GB18030/GBK 或 UTF-16 编码的文本")


def _mostly_utf8(data: bytes) -> bool:
    """True when nine in ten non-ASCII bytes form valid UTF-8 sequences; in GBK text
    such sequences occur only by chance."""
    non_ascii = len(data.translate(None, _ASCII_BYTES))
    if non_ascii == 0:
        return False
    decoded = _ASCII_OR_REPLACED.sub("", data.decode("utf-8", errors="replace"))
    return len(decoded.encode()) >= 0.9 * non_ascii


_ASCII_BYTES = bytes(range(0x80))
_ASCII_OR_REPLACED = re.compile("[\x00-\x7f\ufffd]+")


def _replacing(data: bytes, encoding: str) -> tuple[str, list[str]]:
    if encoding.startswith("utf-16"):
        data = data[: len(data) // 2 * 2]
    text = data.decode(encoding, errors="replace")
    bad = text.count("\ufffd")
    return text, [f"有 {bad} 处字节不是有效的 {encoding.upper()} 编码，已替换为 \ufffd"] if bad else []


def _strict_decode(data: bytes, encoding: str) -> str | None:
    if encoding.startswith("utf-16"):
        data = data[: len(data) // 2 * 2]
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        # A file cut off mid-character (a truncated download, a sample) is still that encoding.
        if exc.start >= len(data) - 3 and exc.end == len(data):
            try:
                return data[: exc.start].decode(encoding)
            except UnicodeDecodeError:
                return None
        return None


_LINE_BREAKS = re.compile(r"\r\n|[\r\f\v\x1c\x1d\x1e\x85\u2028\u2029]")
_INVISIBLE = re.compile(r"[\x00-\x08\x0e-\x1b\x7f\u200b-\u200d\u2060\ufeff]")


def clean_text(text: str) -> str:
    """LF line breaks only; no control or zero-width characters."""
    return _INVISIBLE.sub("", _LINE_BREAKS.sub("\n", text))


def read_text(data: bytes, name: str) -> Source:
    text, notes = decode_text_noting(data, name)
    text = clean_text(text)
    if text.endswith("\n"):
        text = text[:-1]
    return Source(blocks=[Para(line) for line in text.split("\n")], name=name, format="txt", notes=notes)


def read_csv(data: bytes, name: str, *, limits=None) -> Source:
    from duban.limits import check, current

    cap = (limits or current()).table_cells
    text = clean_text(decode_text(data, name))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    rows = []
    cells = 0
    for row in csv.reader(io.StringIO(text), dialect):
        cells += len(row)
        if cells > cap:  # stop reading at the limit, not after a million rows
            check("table_cells", cells, name, limits, detail="（至少）")
        rows.append([cell.strip() for cell in row])
    return Source(blocks=[Table(rectangle(rows))], name=name, format="csv")


def rectangle(rows: list[list[str]]) -> list[list[str]]:
    """Drop trailing empty rows and columns; pad every row to the same width."""
    while rows and not any(rows[-1]):
        rows.pop()
    width = max((i + 1 for row in rows for i, cell in enumerate(row) if cell), default=0)
    return [(row + [""] * (width - len(row)))[:width] for row in rows]
