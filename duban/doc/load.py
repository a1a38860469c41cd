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
- docx: body paragraphs and tables in order, automatic list numbers
  included; headers and footers (page numbers) are left out.  A table
  cell's paragraphs are joined with "\\n" — a cell may hold a task plus a
  note, and the parser can rejoin a wrapped line more safely than it can
  split a glued one.
- xlsx: each visible worksheet becomes a ``Table``; hidden sheets are skipped
  and mentioned in ``Source.notes``.
- pdf: the text layer (pypdf), one ``Para`` per line, page after page; a
  page whose glyphs pypdf scatters one per line is re-read from glyph
  positions (pdfplumber).  Pages without text are named in ``Source.notes``.
- html: block elements become line breaks, data tables become ``Table``s,
  layout tables are unwrapped.
- csv: one ``Table``.

Table cells are stripped of surrounding whitespace; merged cells repeat their
text in every cell they cover.
"""

from __future__ import annotations

import io
import os
import re
import sys
import zipfile
from pathlib import Path

from duban.doc.loaders.excel import read_xlsx
from duban.doc.loaders.html_page import read_html
from duban.doc.loaders.pdf import read_pdf
from duban.doc.loaders.text import decode_text, looks_like_text, read_csv, read_text
from duban.doc.loaders.word import read_docx
from duban.doc.source import Source
from duban.errors import InputError
from duban.limits import MB, Limits, check, check_file_size, check_zip
from duban.limits import current as current_limits

# The budgets (file size, unzipped size, zip ratio and members, PDF pages, table cells) live
# in duban.limits, the one table every entry point reads.
DEFAULT_MAX_BYTES = Limits().file_bytes

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


def load(path: str | os.PathLike, *, max_bytes: int | None = None, limits: Limits | None = None) -> Source:
    """Read a file (or ``"-"`` for standard input) into a ``Source``."""
    limits = _limits(limits, max_bytes)
    if str(path) == "-":
        data = sys.stdin.buffer.read(limits.file_bytes + 1)
        return load_bytes(data, "stdin", limits=limits)
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise InputError(f"{path}：这是一个文件夹，不是文件")
        check_file_size(size, name, limits)
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"找不到文件：{path}") from None
    except PermissionError:
        raise InputError(f"{path}：没有读取这个文件的权限") from None
    except OSError as exc:
        raise InputError(f"{path}：无法读取（{exc.strerror or exc}）") from None
    return load_bytes(data, name, limits=limits)


def _limits(limits: Limits | None, max_bytes: int | None) -> Limits:
    limits = limits or current_limits()
    return limits if max_bytes is None else Limits(**{**limits.__dict__, "file_bytes": max_bytes})


def load_bytes(data: bytes, name: str, *, max_bytes: int | None = None, limits: Limits | None = None) -> Source:
    """Read an in-memory file (an upload) named ``name`` into a ``Source``."""
    limits = _limits(limits, max_bytes)
    check_file_size(len(data), name, limits)
    if not data.strip():
        raise InputError(f"{name}：文件是空的")
    ext = Path(name).suffix.lower()
    if ext in LEGACY_EXTENSIONS and not data.startswith((b"PK\x03\x04", b"%PDF")):
        raise InputError(f"{name}：{LEGACY_EXTENSIONS[ext]}")

    fmt = sniff(data, name, limits=limits)
    expected = STRICT_EXTENSIONS.get(ext)
    if expected and fmt != expected:
        if fmt in ("docx", "xlsx", "pdf", "html"):
            found = _join("内容是", FORMAT_NAMES[fmt])
        else:
            found = _join("内容不是", FORMAT_NAMES[expected])
        raise InputError(f"{name}：文件扩展名为 {ext}，但{found}")
    if fmt == "txt" and ext == ".csv":
        fmt = "csv"

    if fmt == "html":
        check("html_bytes", len(data), name, limits, option="--max-mb")
    elif fmt in ("txt", "csv"):
        check("text_bytes", len(data), name, limits, option="--max-mb")
    reader = _READERS[fmt]
    try:
        source = reader(data, name, limits=limits) if fmt in _BUDGETED else reader(data, name)
    except InputError:
        raise
    except Exception as exc:  # a library choking on a file it accepted: still the file's fault
        raise InputError(f"{name}：{FORMAT_NAMES[fmt]}已损坏或无法解析（{type(exc).__name__}）") from exc
    check("table_cells", sum(len(row) for table in source.tables for row in table.rows), name, limits)
    if not source.text().strip():
        raise InputError(f"{name}：文件中没有文字")
    source.name = name
    source.format = fmt
    return source


# --- format detection ---------------------------------------------------------------------------------------------

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HTML_START = re.compile(r"<(?:!doctype\s+html|html|head|body|meta|p|div|table|br|h[1-6]|span|title)\b", re.I)


def sniff(data: bytes, name: str = "", *, limits: Limits | None = None) -> str:
    """The format of ``data``: docx | xlsx | pdf | html | txt; raises InputError for
    formats we recognise but do not read (images, old Office, encrypted Office)."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _sniff_zip(data, name, limits or current_limits())
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
    text = decode_text(data[:4096], name)
    if text.lstrip().startswith("<") and HTML_START.search(text[:2048]):
        return "html"
    return "txt"


def _sniff_zip(data: bytes, name: str, limits: Limits) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            check_zip(zf, name, limits)
    except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError, EOFError):
        raise InputError(f"{name}：文件已损坏或不完整（压缩结构无法读取）") from None
    names = {i.filename for i in infos}
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "[Content_Types].xml" in names:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                types = zf.read("[Content_Types].xml")[: 1 * MB]
        except Exception:  # bad CRC, bad deflate stream, unknown method: all mean a damaged file
            raise InputError(f"{name}：文件已损坏或不完整（压缩结构无法读取）") from None
        if b"wordprocessingml.document.main" in types:
            return "docx"
        if b"spreadsheetml.sheet.main" in types:
            return "xlsx"
        if b"presentationml" in types:
            raise InputError(f"{name}：这是 PowerPoint 演示文稿，不支持；请提供 Word、Excel、PDF 或文本文件")
    if "mimetype" in names or any(n.endswith(".ofd") or n == "OFD.xml" for n in names):
        raise InputError(f"{name}：这种压缩格式的文档（OFD / ODF）不支持，请另存为 .docx 或 PDF")
    raise InputError(f"{name}：这是一个 ZIP 压缩包，但不是 Word 或 Excel 文件")


# --- helpers --------------------------------------------------------------------------------------------------------


def _join(chinese: str, term: str) -> str:
    """Chinese text followed by a term, with a space before a Latin word."""
    return f"{chinese} {term}" if term[:1].isascii() else chinese + term


# Readers that check a budget of their own before the expensive part (PDF pages, sheet cells).
_BUDGETED = ("pdf", "xlsx", "csv")
_READERS = {
    "txt": read_text,
    "csv": read_csv,
    "docx": read_docx,
    "xlsx": read_xlsx,
    "pdf": read_pdf,
    "html": read_html,
}

__all__ = ["DEFAULT_MAX_BYTES", "load", "load_bytes", "looks_like_text", "sniff"]
