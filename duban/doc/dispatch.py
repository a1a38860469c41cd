"""Decide what a loaded source is — a notice or a work report — and read it."""

from __future__ import annotations

from duban.doc.model import Document
from duban.doc.normalise import clean_lines
from duban.doc.source import Source
from duban.errors import NotADocumentError


def parse_source(source: Source, *, kind: str | None = None, directory=None) -> Document:
    lines = [line for line in clean_lines(source.lines()) if line]
    if not lines:
        raise NotADocumentError(f"{_name(source)}没有任何文字内容")
    if kind is None:
        from duban.doc.report import looks_like_report

        kind = "report" if looks_like_report(lines) else "notice"
    if kind == "report":
        from duban.doc.report import read_report

        doc = read_report(source)
        _carry_notes(source, doc)
        return doc
    from duban.doc.notice import read_notice

    doc = read_notice(source, directory=directory)
    _carry_notes(source, doc)
    if not doc.tasks:
        raise NotADocumentError(f"{_name(source)}不像一份任务分解通知：没有找到带编号的任务和责任单位")
    if not any(t.units for t in doc.tasks):
        raise NotADocumentError(f"{_name(source)}不像一份任务分解通知：{len(doc.tasks)}个编号条目都没有写明责任单位")
    return doc


def _carry_notes(source: Source, doc: Document) -> None:
    """What the loader skipped or repaired (hidden sheets, bad bytes) is worth a warning."""
    for note in getattr(source, "notes", []):
        doc.warn(note)


def _name(source: Source) -> str:
    return f"“{source.name}”" if source.name else "输入"
