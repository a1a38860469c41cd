"""PDF → the text layer, one paragraph per line, page after page."""

from __future__ import annotations

import io
import logging

from duban.doc.loaders.text import clean_text
from duban.doc.source import Para, Source
from duban.errors import InputError


def read_pdf(data: bytes, name: str, *, limits=None) -> Source:
    # pypdf and pdfminer log every repaired cross-reference and odd font; the user
    # needs the text, or one sentence.
    loggers = [logging.getLogger(n) for n in ("pypdf", "pdfminer", "pdfplumber")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        return _read_pdf(data, name, limits)
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)


def _read_pdf(data: bytes, name: str, limits) -> Source:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    from duban.limits import check

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
    check("pdf_pages", count, name, limits)

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
