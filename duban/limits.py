"""The budget of every kind of input, checked before any expensive work.

One table, read the same by every entry point — ``duban parse``, ``draft``,
``suggest``, ``directory``, ``import``, every ``render`` subcommand, the web
uploads and the API.  A file over a limit is refused with one sentence that
names the limit and how to raise it; nothing is half-read or half-written.

Every limit can be raised (or lowered) by an environment variable
``DUBAN_MAX_<NAME>`` (``DUBAN_MAX_PDF_PAGES=3000``); the command line's
``--max-mb`` raises the file size for one run.  The web application reads the
same variables at start-up (``docs/limits.md``).

The defaults are set from what real inputs need and what the code can do in
time: the largest work report or notice in the corpus is under 1 MB of text,
150 pages and 600 tasks; at the defaults every input finishes in well under
30 s and 1 GB (``scripts/size-curve`` measures it).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace

from duban.errors import InputError

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    # Bytes of any input file as it arrives (text, .docx, .xlsx, .pdf, ledger, plan JSON).
    file_bytes: int = 50 * MB
    # Bytes of a text or CSV file: the parser reads dense task text at 1-2 s a MB (linear,
    # measured by scripts/size-curve); the longest notice or work report is under 1 MB.
    text_bytes: int = 10 * MB
    # Bytes of an HTML page: Python's HTML parser reads tag-dense markup at 0.3-1 MB a second,
    # and a government web page is well under 1 MB.
    html_bytes: int = 8 * MB
    # Bytes of all members after decompression, summed over a zip-based file (.docx, .xlsx,
    # ledger templates): what python-docx and openpyxl hold in memory, images included.
    unzipped_bytes: int = 200 * MB
    # Bytes of XML after decompression (the .xml and .rels members): what the readers parse.
    # A real notice's document.xml is 0.2-3 MB; 16 MB of bare paragraphs take about 30 s.
    xml_bytes: int = 16 * MB
    # Decompressed / compressed for a member over 1 MB: Office XML packs 5-20x; bombs 1000x.
    zip_ratio: int = 100
    # Members in one zip: a .docx has a few dozen.
    zip_members: int = 10_000
    # Pages of a PDF: the longest notice in the corpus has about 60, a work report 40; pypdf
    # reads 25-60 pages a second, so 300 pages stay well inside 30 s.
    pdf_pages: int = 300
    # Cells of all tables of one file (rows × columns; merged cells repeat).  A notice's task
    # table has under 10,000; openpyxl builds about 50,000 cells a second, so 200,000 stay
    # inside the time budget.
    table_cells: int = 200_000
    # Tasks of a plan JSON (and of a parsed notice given as a plan): real plans hold hundreds;
    # rendering 10,000 takes 15-30 s.
    plan_tasks: int = 10_000
    # Seconds a background job of the web application may run before it is stopped.
    job_seconds: int = 600

    def with_file_mb(self, mb: float | None) -> Limits:
        """These limits with the file size of one run's ``--max-mb``."""
        return self if mb is None else replace(self, file_bytes=int(mb * MB))


# What each limit is called in a sentence, and its unit.
LABELS = {
    "file_bytes": ("文件大小", "MB"),
    "text_bytes": ("文本文件大小", "MB"),
    "html_bytes": ("网页文件大小", "MB"),
    "unzipped_bytes": ("压缩文件解压后大小", "MB"),
    "xml_bytes": ("解压后的 XML 大小", "MB"),
    "zip_ratio": ("压缩比", "倍"),
    "zip_members": ("压缩包内文件数", "个"),
    "pdf_pages": ("PDF 页数", "页"),
    "table_cells": ("表格单元格数", "个"),
    "plan_tasks": ("计划任务数", "项"),
    "job_seconds": ("后台任务运行时间", "秒"),
}
# Environment variables, in MB for the byte limits so that a person can write them.
ENV = {
    name: f"DUBAN_MAX_{name.upper().removesuffix('_BYTES')}" + ("_MB" if name.endswith("_bytes") else "")
    for name in LABELS
}


def current() -> Limits:
    """The limits in force: the defaults, each overridden by its environment variable."""
    values = {}
    for f in fields(Limits):
        raw = os.environ.get(ENV[f.name])
        if not raw:
            continue
        try:
            number = float(raw)
        except ValueError:
            raise InputError(f"环境变量 {ENV[f.name]} 应为数字：{raw}") from None
        values[f.name] = int(number * MB) if f.name.endswith("_bytes") else int(number)
    return Limits(**values)


class LimitError(InputError):
    """An input over one of the limits: the sentence names the limit and how to raise it."""

    def __init__(
        self, name: str, what: str, found: int | float, limit: int, *, option: str | None = None, detail: str = ""
    ):
        self.limit_name = name
        label, unit = LABELS[name]
        how = f"环境变量 {ENV[name]}"
        if option:
            how = f"{option} 或{how}"
        why = "，可能是压缩炸弹" if name in ("unzipped_bytes", "zip_ratio", "zip_members") else ""
        shown = _amount(found, name, unit)
        if shown == _amount(limit, name, unit):  # just over: 10.00007 MB is not "10 MB over 10 MB"
            shown = f"{int(found)} 字节"
        super().__init__(
            f"{what}：{label}{detail} {shown}，超过上限 {_amount(limit, name, unit)}{why}，未处理"
            f"（如确需处理，可用{' ' if how[0].isascii() else ''}{how} 调高上限）"
        )


def _is_bytes(name: str) -> bool:
    return name.endswith("_bytes")


def _amount(n: int | float, name: str, unit: str) -> str:
    if _is_bytes(name):
        if n >= MB:
            return f"{n / MB:.4g} MB"
        if n >= 1024:
            return f"{n / 1024:.4g} KB"
        return f"{int(n)} 字节"
    return f"{n:g} {unit}" if isinstance(n, float) else f"{n} {unit}"


def check(
    name: str,
    found: int | float,
    what: str,
    limits: Limits | None = None,
    *,
    option: str | None = None,
    detail: str = "",
) -> None:
    """Raise ``LimitError`` when ``found`` is over the limit ``name`` (a field of ``Limits``).

    ``what`` names the input (a file name), ``detail`` the part of it (a sheet, a zip member)."""
    limit = getattr(limits or current(), name)
    if found > limit:
        raise LimitError(name, what, found, limit, option=option, detail=detail)


def check_zip(zf, what: str, limits: Limits | None = None) -> None:
    """A zip-based file (.docx, .xlsx, a ledger template) within the member, size and ratio limits.

    Read from the central directory only, before any member is inflated.  A member whose
    declared size lies cannot inflate past it: Python's zipfile, which python-docx and openpyxl
    read through, stops at the declared size (and then fails the CRC check)."""
    limits = limits or current()
    infos = zf.infolist()
    check("zip_members", len(infos), what, limits)
    check("unzipped_bytes", sum(i.file_size for i in infos), what, limits)
    for info in infos:
        # Tiny members compress absurdly well (empty XML parts); only big ones matter.
        if info.file_size > MB:
            ratio = round(info.file_size / max(info.compress_size, 1))
            check("zip_ratio", ratio, what, limits, detail=f"（{info.filename}）")
    packed = sum(i.compress_size for i in infos)
    total = sum(i.file_size for i in infos)
    if total > MB:
        check("zip_ratio", round(total / max(packed, 1)), what, limits)
    # After the ratios: a bomb is named as one before its XML is called merely too large.
    check("xml_bytes", sum(i.file_size for i in infos if i.filename.endswith((".xml", ".rels"))), what, limits)


def check_xlsx_cells(zf, what: str, limits: Limits | None = None, *, chunk: int = 1 << 20) -> None:
    """The stored cells of a workbook's sheets within ``table_cells``, counted by streaming the
    sheet XML (a fraction of a second for millions of cells) before openpyxl builds a cell
    object for each of them (minutes)."""
    limits = limits or current()
    cap = limits.table_cells
    count = 0
    for info in zf.infolist():
        if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
            continue
        tail = b""
        with zf.open(info) as member:
            while data := member.read(chunk):
                block = tail + data
                count += block.count(b"<c ") + block.count(b"<c>") + block.count(b":c ")
                tail = block[-3:]
                # An element cut by the chunk boundary is counted again in the next block; back it out.
                count -= tail.count(b"<c ") + tail.count(b"<c>") + tail.count(b":c ")
                if count > cap:
                    raise LimitError("table_cells", what, count, cap, detail="（至少）")


def check_zip_bytes(data: bytes, what: str, limits: Limits | None = None) -> None:
    """``check_zip`` for the bytes of a file; a damaged zip is left for its reader to refuse."""
    import io
    import zipfile

    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError, EOFError):
        return
    with zf:
        check_zip(zf, what, limits)


def check_file_size(size: int, what: str, limits: Limits | None = None, *, option: str | None = "--max-mb") -> None:
    check("file_bytes", size, what, limits, option=option)


__all__ = [
    "ENV",
    "LABELS",
    "LimitError",
    "Limits",
    "check",
    "check_file_size",
    "check_zip",
    "check_xlsx_cells",
    "check_zip_bytes",
    "current",
]
