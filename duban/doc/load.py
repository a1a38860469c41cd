"""File bytes → ``Source``: paragraphs and tables in document order.

The format is decided by the CONTENT (magic bytes, zip members, markup), not
by the file name; the name is only cross-checked so that a ``.docx`` that is
really something else gets a sentence saying so instead of a library
traceback.  Every failure a user can cause is an ``InputError`` with one
sentence naming the file.

What each format gives:

- text: one ``Para`` per line, decoded as UTF-8 (with or without BOM), UTF-16
  (BOM or NUL-byte pattern) or GB18030 (a superset of GBK and GB2312), in that
  order, each candidate checked for looking like text.  No statistical
  charset guessing: on short Chinese texts it confuses GBK with Big5 and
  Shift-JIS.
- docx: body paragraphs and tables in order; headers and footers (page
  numbers) are left out.  A table cell's paragraphs are joined with "\\n" —
  a cell may hold a task plus a note, and the parser can rejoin a wrapped
  line more safely than it can split a glued one.
- xlsx: each visible worksheet becomes a ``Table``; hidden sheets are skipped
  and mentioned in ``Source.notes``.
- pdf: the text layer, one ``Para`` per line, page after page.
- html: block elements become line breaks, data tables become ``Table``s,
  layout tables are unwrapped.
- csv: one ``Table``.

Table cells are stripped of surrounding whitespace; merged cells repeat their
text in every cell they cover.
"""

from __future__ import annotations

import csv
import io
import logging
import os
import re
import sys
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from html.parser import HTMLParser
from pathlib import Path

from duban.doc.source import Para, Source, Table
from duban.errors import InputError

MB = 1024 * 1024
DEFAULT_MAX_BYTES = 50 * MB
# A .docx or .xlsx that inflates beyond this, or at a higher ratio, is refused
# before any library opens it: real notices are a few MB at most.
MAX_UNZIPPED_BYTES = 200 * MB
MAX_ZIP_RATIO = 100
MAX_ZIP_MEMBERS = 10_000

FORMAT_NAMES = {
    "docx": "Word 文档",
    "xlsx": "Excel 工作簿",
    "pdf": "PDF 文件",
    "html": "网页（HTML）",
    "txt": "文本文件",
    "csv": "CSV 表格",
}
# Extensions whose content must match; text-like extensions are lenient
# (a .txt holding HTML source is read as HTML).
STRICT_EXTENSIONS = {".docx": "docx", ".docm": "docx", ".xlsx": "xlsx", ".xlsm": "xlsx", ".pdf": "pdf"}
LEGACY_EXTENSIONS = {
    ".doc": "旧版 Word（.doc）格式不支持，请在 Word 或 WPS 中另存为 .docx 后再试",
    ".wps": "WPS 文字（.wps）格式不支持，请另存为 .docx 后再试",
    ".xls": "旧版 Excel（.xls）格式不支持，请另存为 .xlsx 后再试",
    ".et": "WPS 表格（.et）格式不支持，请另存为 .xlsx 后再试",
    ".ofd": "OFD 版式文件不支持，请提供 PDF 或 Word 文件",
}


def load(path: str | os.PathLike, *, max_bytes: int | None = None) -> Source:
    """Read a file (or ``"-"`` for standard input) into a ``Source``."""
    limit = DEFAULT_MAX_BYTES if max_bytes is None else max_bytes
    if str(path) == "-":
        data = sys.stdin.buffer.read(limit + 1)
        return load_bytes(data, "stdin", max_bytes=limit)
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise InputError(f"{path}：这是一个文件夹，不是文件")
        if size > limit:
            raise InputError(f"{name}：文件大小 {_size(size)}，超过上限 {_size(limit)}")
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"找不到文件：{path}") from None
    except PermissionError:
        raise InputError(f"{path}：没有读取这个文件的权限") from None
    except OSError as exc:
        raise InputError(f"{path}：无法读取（{exc.strerror or exc}）") from None
    return load_bytes(data, name, max_bytes=limit)


def load_bytes(
    data: bytes,
    name: str,
    *,
    max_bytes: int | None = None,
    max_unzipped_bytes: int = MAX_UNZIPPED_BYTES,
    max_zip_ratio: float = MAX_ZIP_RATIO,
) -> Source:
    """Read an in-memory file (an upload) named ``name`` into a ``Source``."""
    limit = DEFAULT_MAX_BYTES if max_bytes is None else max_bytes
    if len(data) > limit:
        raise InputError(f"{name}：文件超过大小上限 {_size(limit)}")
    if not data.strip():
        raise InputError(f"{name}：文件是空的")
    ext = Path(name).suffix.lower()
    if ext in LEGACY_EXTENSIONS and not data.startswith((b"PK\x03\x04", b"%PDF")):
        raise InputError(f"{name}：{LEGACY_EXTENSIONS[ext]}")

    fmt = sniff(data, name, max_unzipped_bytes=max_unzipped_bytes, max_zip_ratio=max_zip_ratio)
    expected = STRICT_EXTENSIONS.get(ext)
    if expected and fmt != expected:
        if fmt in ("docx", "xlsx", "pdf", "html"):
            found = _join("内容是", FORMAT_NAMES[fmt])
        else:
            found = _join("内容不是", FORMAT_NAMES[expected])
        raise InputError(f"{name}：文件扩展名为 {ext}，但{found}")
    if fmt == "txt" and ext == ".csv":
        fmt = "csv"

    reader = _READERS[fmt]
    try:
        source = reader(data, name)
    except InputError:
        raise
    except Exception as exc:  # a library choking on a file it accepted: still the file's fault
        raise InputError(f"{name}：{FORMAT_NAMES[fmt]}已损坏或无法解析（{type(exc).__name__}）") from exc
    source.name = name
    source.format = fmt
    return source


# --- format detection ---------------------------------------------------------------------------------------------

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HTML_START = re.compile(r"<(?:!doctype\s+html|html|head|body|meta|p|div|table|br|h[1-6]|span|title)\b", re.I)


def sniff(
    data: bytes, name: str = "", *, max_unzipped_bytes: int = MAX_UNZIPPED_BYTES, max_zip_ratio: float = MAX_ZIP_RATIO
) -> str:
    """The format of ``data``: docx | xlsx | pdf | html | txt; raises InputError for
    formats we recognise but do not read (images, old Office, encrypted Office)."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _sniff_zip(data, name, max_unzipped_bytes, max_zip_ratio)
    if data.startswith(OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise InputError(f"{name}：文件设置了打开密码，请先在 Word 或 Excel 中取消密码后再试")
        raise InputError(f"{name}：这是旧版 Office 文件（.doc / .xls / .wps），请另存为 .docx 或 .xlsx 后再试")
    if data.startswith(b"{\\rtf"):
        raise InputError(f"{name}：RTF 格式不支持，请另存为 .docx 后再试")
    if data.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*")):
        raise InputError(f"{name}：这是图片，不是文档；请提供文字版 PDF、Word 或文本文件")
    if data.startswith((b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf")):
        raise InputError(f"{name}：这是压缩包，请解压后上传其中的文档")
    text = _decode_text(data[:4096], name)
    if text.lstrip().startswith("<") and HTML_START.search(text[:2048]):
        return "html"
    return "txt"


def _sniff_zip(data: bytes, name: str, max_unzipped: int, max_ratio: float) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise InputError(f"{name}：文件已损坏或不完整（压缩结构无法读取）") from None
    if len(infos) > MAX_ZIP_MEMBERS:
        raise InputError(f"{name}：压缩包内文件数异常（{len(infos)} 个），拒绝打开")
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    if total > max_unzipped:
        raise InputError(
            f"{name}：解压后大小 {_size(total)} 超过上限 {_size(max_unzipped)}，拒绝打开（可能是压缩炸弹）"
        )
    for info in infos:
        # Tiny members compress absurdly well (empty XML parts); only big ones matter.
        if info.file_size > 1 * MB and info.file_size > max_ratio * max(info.compress_size, 1):
            raise InputError(f"{name}：压缩比异常（{info.filename} 超过 {max_ratio:g} 倍），拒绝打开（可能是压缩炸弹）")
    if total > 1 * MB and total > max_ratio * max(packed, 1):
        raise InputError(f"{name}：压缩比异常（超过 {max_ratio:g} 倍），拒绝打开（可能是压缩炸弹）")
    names = {i.filename for i in infos}
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "[Content_Types].xml" in names:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            types = zf.read("[Content_Types].xml")[: 1 * MB]
        if b"wordprocessingml.document.main" in types:
            return "docx"
        if b"spreadsheetml.sheet.main" in types:
            return "xlsx"
        if b"presentationml" in types:
            raise InputError(f"{name}：这是 PowerPoint 演示文稿，不支持；请提供 Word、Excel、PDF 或文本文件")
    if "mimetype" in names or any(n.endswith(".ofd") or n == "OFD.xml" for n in names):
        raise InputError(f"{name}：这种压缩格式的文档（OFD / ODF）不支持，请另存为 .docx 或 PDF")
    raise InputError(f"{name}：这是一个 ZIP 压缩包，但不是 Word 或 Excel 文件")


# --- text -----------------------------------------------------------------------------------------------------------

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


def _decode_text(data: bytes, name: str) -> str:
    """Decode text bytes: UTF-8 (BOM or not), UTF-16 (BOM or NUL pattern), GB18030.

    Bytes may end mid-character (a sample, a cut-off download); that is tolerated."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16-le" if data.startswith(b"\xff\xfe") else "utf-16-be"
        body = data[2:]
        return body[: len(body) // 2 * 2].decode(encoding, errors="replace")
    candidates: list[str] = []
    if b"\x00" in data:
        utf16 = _utf16_by_nuls(data)
        if utf16:
            candidates.append(utf16)
    candidates += ["utf-8", "gb18030"]
    for encoding in candidates:
        text = _strict_decode(data, encoding)
        if text is not None and looks_like_text(text):
            return text
    if len(data) % 2 == 0 and b"\x00" not in data:
        # UTF-16 with no BOM and no ASCII has no NULs to tell it by, and any byte pairs
        # decode to ideographs; Chinese prose at least has its punctuation.
        for encoding in ("utf-16-le", "utf-16-be"):
            text = _strict_decode(data, encoding)
            if text is not None and looks_like_text(text) and _CHINESE_PUNCTUATION.search(text[:2000]):
                return text
    raise InputError(f"{name}：无法识别文件内容——不是支持的文档格式，也不是 UTF-8、GB18030/GBK 或 UTF-16 编码的文本")


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
    text = clean_text(_decode_text(data, name))
    if text.endswith("\n"):
        text = text[:-1]
    return Source(blocks=[Para(line) for line in text.split("\n")], name=name, format="txt")


def read_csv(data: bytes, name: str) -> Source:
    text = clean_text(_decode_text(data, name))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]
    return Source(blocks=[Table(_rectangle(rows))], name=name, format="csv")


def _rectangle(rows: list[list[str]]) -> list[list[str]]:
    """Drop trailing empty rows and columns; pad every row to the same width."""
    while rows and not any(rows[-1]):
        rows.pop()
    width = max((i + 1 for row in rows for i, cell in enumerate(row) if cell), default=0)
    return [(row + [""] * (width - len(row)))[:width] for row in rows]


# --- docx -----------------------------------------------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# Wrappers whose children belong to the surrounding flow.
_W_WRAPPERS = {W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag", W + "ins", W + "moveTo"}


def read_docx(data: bytes, name: str) -> Source:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except ValueError as exc:
        if "content type" in str(exc):
            raise InputError(f"{name}：不是普通 Word 文档（可能是模板或启用宏的文档），请另存为 .docx 后再试") from exc
        raise InputError(f"{name}：Word 文档已损坏或不完整，无法打开（{type(exc).__name__}）") from exc
    except (KeyError, zipfile.BadZipFile) as exc:
        raise InputError(f"{name}：Word 文档已损坏或不完整，无法打开（{type(exc).__name__}）") from exc
    body = document.element.body
    source = Source(name=name, format="docx")
    for element in _flow(body):
        if element.tag == W + "p":
            text = clean_text(_paragraph_text(element))
            source.blocks.append(Para(text))
            for box in _textbox_paragraphs(element):
                source.blocks.append(Para(clean_text(_paragraph_text(box))))
        elif element.tag == W + "tbl":
            rows = _docx_table_rows(element)
            if rows:
                source.blocks.append(Table(rows))
    return source


def _flow(parent) -> Iterator:
    """Block-level children (w:p, w:tbl, w:tc, w:tr …) with content-control wrappers unwrapped."""
    for child in parent:
        if child.tag in _W_WRAPPERS:
            yield from _flow(child)
        else:
            yield child


def _paragraph_text(p) -> str:
    """The visible text of a w:p: runs, hyperlinks, tabs and breaks; not deleted text,
    field instructions, or text boxes anchored in it."""
    out: list[str] = []

    def walk(element) -> None:
        for child in element:
            tag = child.tag
            if tag == W + "t":
                out.append(child.text or "")
            elif tag == W + "tab":
                out.append("\t")
            elif tag in (W + "br", W + "cr"):
                out.append("\n")
            elif tag == W + "noBreakHyphen":
                out.append("-")
            elif tag in (W + "del", W + "moveFrom", W + "txbxContent", W + "p", MC + "Fallback", W + "pPr", W + "rPr"):
                continue
            else:
                walk(child)

    walk(p)
    return "".join(out)


def _textbox_paragraphs(p) -> list:
    boxes = []
    for box in p.iter(W + "txbxContent"):
        if any(a.tag == MC + "Fallback" for a in box.iterancestors()):
            continue  # the same box again, for old readers
        boxes.extend(c for c in _flow(box) if c.tag == W + "p")
    return boxes


def _w_val(element, path: str) -> str | None:
    found = element.find(path)
    return None if found is None else found.get(W + "val", "")


def _docx_cell_text(tc) -> str:
    lines: list[str] = []
    for child in _flow(tc):
        if child.tag == W + "p":
            lines.append(_paragraph_text(child))
        elif child.tag == W + "tbl":
            lines.extend("\t".join(row) for row in _docx_table_rows(child))
    return clean_text("\n".join(lines)).strip()


def _docx_table_rows(tbl) -> list[list[str]]:
    """The grid of a w:tbl with horizontal (gridSpan) and vertical (vMerge) merges
    repeated into every covered cell."""
    grid: list[list[str]] = []
    for tr in (c for c in _flow(tbl) if c.tag == W + "tr"):
        before = int(_w_val(tr, f"{W}trPr/{W}gridBefore") or 0)
        row: list[str] = [""] * before
        for tc in (c for c in _flow(tr) if c.tag == W + "tc"):
            span = max(int(_w_val(tc, f"{W}tcPr/{W}gridSpan") or 1), 1)
            vmerge = _w_val(tc, f"{W}tcPr/{W}vMerge")
            col = len(row)
            if vmerge is not None and vmerge != "restart" and grid:
                above = grid[-1]
                text = above[col] if col < len(above) else ""
            else:
                text = _docx_cell_text(tc)
            row.extend([text] * span)
        grid.append(row)
    return _rectangle(grid)


# --- xlsx -----------------------------------------------------------------------------------------------------------


def read_xlsx(data: bytes, name: str) -> Source:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=True)
    except (KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise InputError(f"{name}：Excel 工作簿已损坏或不完整，无法打开（{type(exc).__name__}）") from exc
    source = Source(name=name, format="xlsx")
    for sheet in workbook.worksheets:
        if sheet.sheet_state != "visible":
            source.notes.append(f"隐藏的工作表“{sheet.title}”未读取")
            continue
        rows = _sheet_rows(sheet, name)
        if rows:
            source.blocks.append(Table(rows))
    if not source.blocks:
        raise InputError(f"{name}：Excel 工作簿中没有可见的内容")
    return source


MAX_SHEET_CELLS = 2_000_000


def _sheet_rows(sheet, name: str) -> list[list[str]]:
    # Only the cells the sheet stores: one formatted cell at row 1,048,576 must not
    # turn into a million empty rows.  (``_cells`` is openpyxl's own cell store.)
    texts = {key: text for key, cell in sheet._cells.items() if (text := _cell_text(cell))}
    if not texts:
        return []
    height = max(r for r, _ in texts)
    width = max(c for _, c in texts)
    if height * width > MAX_SHEET_CELLS:
        raise InputError(f"{name}：工作表“{sheet.title}”过大（{height} 行 × {width} 列），无法读取")
    grid = [[""] * width for _ in range(height)]
    for (r, c), text in texts.items():
        grid[r - 1][c - 1] = text
    for merged in sheet.merged_cells.ranges:
        top_left = texts.get((merged.min_row, merged.min_col), "")
        for r in range(merged.min_row, min(merged.max_row, height) + 1):
            for c in range(merged.min_col, min(merged.max_col, width) + 1):
                grid[r - 1][c - 1] = top_left
    return _rectangle(grid)


def _cell_text(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if "%" in (cell.number_format or ""):
            return f"{value * 100:.12g}%"
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.15g}"
    return clean_text(str(value)).strip()


# --- pdf ------------------------------------------------------------------------------------------------------------


def read_pdf(data: bytes, name: str) -> Source:
    # pypdf logs every repaired cross-reference; the user needs the text, or one sentence.
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        return _read_pdf(data, name)
    finally:
        logger.setLevel(level)


def _read_pdf(data: bytes, name: str) -> Source:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except DependencyError:
                opened = 0
            if not opened:
                raise InputError(f"{name}：PDF 已加密，需要密码才能打开；请提供未加密的文件")
        pages = reader.pages
        count = len(pages)
    except (PdfReadError, FileNotDecryptedError, ValueError, KeyError, TypeError, OSError) as exc:
        raise InputError(f"{name}：PDF 文件已损坏或不完整，无法打开（{type(exc).__name__}）") from exc
    if count == 0:
        raise InputError(f"{name}：PDF 文件已损坏或不完整（没有可读的页面）")

    source = Source(name=name, format="pdf")
    blank: list[int] = []
    layout = _LayoutReader(data)
    for number, page in enumerate(pages, start=1):
        try:
            text = page.extract_text() or ""
        except (PdfReadError, FileNotDecryptedError) as exc:
            raise InputError(f"{name}：第 {number} 页无法读取（{type(exc).__name__}）") from exc
        text = clean_text(text).strip("\n")
        if _scattered(text.split("\n")):
            text = clean_text(layout.page_text(number - 1)).strip("\n")
        if not text.strip():
            blank.append(number)
            continue
        source.blocks.extend(Para(line.rstrip()) for line in text.split("\n"))
    if len(blank) == count:
        raise InputError(f"{name}：这是扫描版 PDF，没有文字层，无法读取（请提供文字版 PDF 或 Word 文件）")
    if blank:
        pages_text = "、".join(str(n) for n in blank[:10]) + ("等" if len(blank) > 10 else "")
        source.notes.append(f"第 {pages_text} 页没有文字层（可能是扫描页或空白页），未读取")
    return source


def _scattered(lines: list[str]) -> bool:
    """True when most lines hold a single glyph: pypdf's reading of a page whose
    generator placed every character on its own (justified text, some printers)."""
    filled = [line.strip() for line in lines if line.strip()]
    single = sum(1 for line in filled if len(line) == 1)
    return single >= 5 and single * 2 > len(filled)


class _LayoutReader:
    """Lines rebuilt from glyph positions (pdfplumber), for pages pypdf scatters."""

    def __init__(self, data: bytes):
        self.data = data
        self.pdf = None

    def page_text(self, index: int) -> str:
        if self.pdf is None:
            import pdfplumber

            self.pdf = pdfplumber.open(io.BytesIO(self.data), password="")
        page = self.pdf.pages[index].dedupe_chars()
        return "\n".join(_join_glyphs(line) for line in _glyph_lines(page.chars))


def _glyph_lines(chars: list[dict]) -> list[list[dict]]:
    lines: list[list[dict]] = []
    top = None
    for ch in sorted((c for c in chars if c.get("text")), key=lambda c: (c["top"], c["x0"])):
        if top is None or ch["top"] - top > 0.5 * max(ch.get("size") or 0, 1):
            lines.append([])
            top = ch["top"]
        lines[-1].append(ch)
    return [sorted(line, key=lambda c: c["x0"]) for line in lines]


def _join_glyphs(line: list[dict]) -> str:
    """Glyphs of one line as text: a wide gap is a space between Latin letters or
    digits, never between Chinese characters (justified lines stretch those)."""
    out: list[str] = []
    prev = None
    for ch in line:
        text = ch["text"]
        if prev is not None and out and not out[-1].endswith(" ") and text != " ":
            gap = ch["x0"] - prev["x1"]
            latin = (prev["text"][-1:].isascii() and prev["text"][-1:].isalnum()) or (
                text[:1].isascii() and text[:1].isalnum()
            )
            if latin and gap > 0.3 * max(ch.get("size") or 0, 1):
                out.append(" ")
        out.append(text)
        prev = ch
    return "".join(out)


# --- html -----------------------------------------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030"}


def _decode_html(data: bytes, name: str) -> str:
    if not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        match = _META_CHARSET.search(data[:4096])
        if match:
            declared = match.group(1).decode("ascii").lower()
            declared = _CHARSET_ALIASES.get(declared, declared)
            try:
                text = data.decode(declared)
            except (LookupError, UnicodeDecodeError):
                text = None  # a wrong declaration is common; fall back to detection
            if text is not None and looks_like_text(text):
                return text
    return _decode_text(data, name)


def read_html(data: bytes, name: str) -> Source:
    builder = _TreeBuilder()
    builder.feed(_decode_html(data, name))
    builder.close()
    emitter = _HtmlEmitter()
    emitter.walk(builder.root)
    emitter.flush()
    return Source(blocks=emitter.blocks, name=name, format="html")


class _Node:
    __slots__ = ("tag", "attrs", "children")

    def __init__(self, tag: str, attrs: dict[str, str] | None = None):
        self.tag = tag
        self.attrs = attrs or {}
        self.children: list[_Node | str] = []


_VOID = {"br", "hr", "img", "meta", "link", "input", "col", "area", "base", "wbr", "source", "embed", "param"}
_SKIP = {"script", "style", "head", "noscript", "template", "title", "iframe", "object", "svg", "select", "button"}
_BLOCK = {
    "p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
    "section", "article", "header", "footer", "main", "aside", "nav", "blockquote", "pre", "hr", "form",
    "fieldset", "figure", "figcaption", "address", "center", "caption", "tbody", "thead", "tfoot", "body", "html",
    "td", "th",
}  # fmt: skip
# Opening one of these closes an open element of the listed kinds inside the nearest boundary.
_IMPLIED_END = {
    "p": ({"p"}, {"td", "th", "table", "li", "div"}),
    "li": ({"li", "p"}, {"ul", "ol"}),
    "dt": ({"dt", "dd", "p"}, {"dl"}),
    "dd": ({"dt", "dd", "p"}, {"dl"}),
    "td": ({"td", "th", "p"}, {"tr", "table"}),
    "th": ({"td", "th", "p"}, {"tr", "table"}),
    "tr": ({"tr", "td", "th", "p"}, {"table"}),
    "tbody": ({"tbody", "thead", "tfoot", "tr", "td", "th", "p"}, {"table"}),
    "thead": ({"tbody", "thead", "tfoot", "tr", "td", "th", "p"}, {"table"}),
    "tfoot": ({"tbody", "thead", "tfoot", "tr", "td", "th", "p"}, {"table"}),
}


class _TreeBuilder(HTMLParser):
    """A forgiving element tree: enough of HTML's implied-end rules for the pages
    governments publish (unclosed <p>, <td> and <li> are everywhere)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        if tag in _IMPLIED_END:
            closes, boundary = _IMPLIED_END[tag]
            outermost = None
            for i in range(len(self.stack) - 1, 0, -1):
                open_tag = self.stack[i].tag
                if open_tag in boundary:
                    break
                if open_tag in closes:
                    outermost = i
            if outermost is not None:
                del self.stack[outermost:]
        node = _Node(tag, {k: (v or "") for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and self.stack[-1].tag == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag == "br":  # </br> is read as <br> by browsers
            self.stack[-1].children.append(_Node("br"))
            return
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


_CJK = r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]"
_WRAP_BETWEEN_CJK = re.compile(rf"(?<={_CJK})[ \t\r\n]*\n[ \t\r\n]*(?={_CJK})")
_SPACES = re.compile(r"[ \t\r\n\f]+")


def _collapse(text: str) -> str:
    # A source line break between two Chinese characters is not a space.
    return _SPACES.sub(" ", _WRAP_BETWEEN_CJK.sub("", text))


class _HtmlEmitter:
    def __init__(self):
        self.blocks: list[Para | Table] = []
        self.line: list[str] = []

    def flush(self) -> None:
        text = clean_text("".join(self.line)).replace("\xa0", " ").strip()
        if text:
            self.blocks.append(Para(text))
        self.line = []

    def walk(self, node: _Node, pre: bool = False) -> None:
        for child in node.children:
            if isinstance(child, str):
                self.line.append(child if pre else _collapse(child))
                continue
            tag = child.tag
            if tag in _SKIP:
                continue
            if tag == "table":
                self.flush()
                rows = _html_table_rows(child)
                if _is_data_table(child, rows):
                    self.blocks.append(Table(rows))
                else:
                    self.walk(child, pre)
                self.flush()
                continue
            if tag in _BLOCK:
                self.flush()
            self.walk(child, pre or tag == "pre")
            if tag in _BLOCK:
                self.flush()


def _html_lines(node: _Node) -> list[str]:
    emitter = _HtmlEmitter()
    emitter.walk(node)
    emitter.flush()
    lines: list[str] = []
    for block in emitter.blocks:
        if isinstance(block, Para):
            lines.append(block.text)
        else:
            lines.extend("\t".join(row) for row in block.rows)
    return lines


def _table_rows_of(table: _Node) -> list[_Node]:
    rows: list[_Node] = []
    for child in table.children:
        if isinstance(child, _Node):
            if child.tag == "tr":
                rows.append(child)
            elif child.tag in ("tbody", "thead", "tfoot"):
                rows.extend(c for c in child.children if isinstance(c, _Node) and c.tag == "tr")
    return rows


def _span(node: _Node, attr: str) -> int:
    try:
        return max(1, min(int(node.attrs.get(attr, "1").strip() or 1), 1000))
    except ValueError:
        return 1


def _html_table_rows(table: _Node) -> list[list[str]]:
    """The grid of a <table>, colspan and rowspan repeated into every covered cell."""
    grid: list[list[str]] = []
    pending: dict[int, tuple[int, str]] = {}  # column → (rows still covered, text)
    for tr in _table_rows_of(table):
        row: list[str] = []
        cells = [c for c in tr.children if isinstance(c, _Node) and c.tag in ("td", "th")]
        for cell in cells:
            _fill_rowspans(row, pending)
            text = "\n".join(_html_lines(cell)).strip()
            colspan, rowspan = _span(cell, "colspan"), _span(cell, "rowspan")
            for _ in range(colspan):
                if rowspan > 1:
                    pending[len(row)] = (rowspan - 1, text)
                row.append(text)
        _fill_rowspans(row, pending)
        grid.append(row)
    return _rectangle(grid)


def _fill_rowspans(row: list[str], pending: dict[int, tuple[int, str]]) -> None:
    """Continue ``row`` with the cells that rowspans from rows above cover at its end."""
    while len(row) in pending:
        col = len(row)
        left, text = pending[col]
        row.append(text)
        if left <= 1:
            del pending[col]
        else:
            pending[col] = (left - 1, text)


def _is_data_table(table: _Node, rows: list[list[str]]) -> bool:
    """Pages lay themselves out with tables; only a grid of two or more rows
    with two or more filled columns, holding no further table, is data."""
    if any(isinstance(c, _Node) and c.tag == "table" for c in _descendants(table)):
        return False
    multi = sum(1 for row in rows if sum(1 for cell in row if cell) >= 2)
    return multi >= 2


def _descendants(node: _Node) -> Iterator[_Node | str]:
    for child in node.children:
        yield child
        if isinstance(child, _Node):
            yield from _descendants(child)


# --- helpers --------------------------------------------------------------------------------------------------------


def _join(chinese: str, term: str) -> str:
    """Chinese text followed by a term, with a space before a Latin word."""
    return f"{chinese} {term}" if term[:1].isascii() else chinese + term


def _size(n: int) -> str:
    if n >= MB:
        return f"{n / MB:.4g} MB"
    if n >= 1024:
        return f"{n / 1024:.4g} KB"
    return f"{n} 字节"


_READERS = {
    "txt": read_text,
    "csv": read_csv,
    "docx": read_docx,
    "xlsx": read_xlsx,
    "pdf": read_pdf,
    "html": read_html,
}

__all__ = ["DEFAULT_MAX_BYTES", "load", "load_bytes", "looks_like_text", "sniff"]
