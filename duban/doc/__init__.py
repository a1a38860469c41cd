"""The document engine: file → text → Document.

Plain Python, no Django.  The pipeline, in order:

- ``load``      file bytes → ``Source`` (paragraphs and tables, in order)
- ``normalise`` source lines → clean logical lines (page markers, broken lines, preambles)
- ``outline``   lines → headings and numbered items
- ``clauses``   a unit clause → ``UnitRef`` list with roles
- ``indicators`` task text → ``Indicator`` list
- ``meta``      preamble → title, issuer, 文号, date, schedule
- ``notice``    all of the above → ``Document(kind="notice")``
- ``report``    a work report → ``Document(kind="report")``
"""

from duban.doc.model import Document, Indicator, ScheduleItem, Task, UnitRef

__all__ = ["Document", "Indicator", "ScheduleItem", "Task", "UnitRef", "parse_file", "parse_source"]


def parse_file(path, *, kind: str | None = None, directory=None, max_bytes: int | None = None) -> Document:
    """Read any supported file (or ``-`` for standard input) into a Document."""
    from duban.doc.load import load

    source = load(path, max_bytes=max_bytes)
    return parse_source(source, kind=kind, directory=directory)


def parse_source(source, *, kind: str | None = None, directory=None) -> Document:
    from duban.doc.dispatch import parse_source as _parse

    return _parse(source, kind=kind, directory=directory)
