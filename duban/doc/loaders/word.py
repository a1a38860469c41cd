"""Word (.docx) → paragraphs and tables in body order; headers and footers left out.

A table cell's paragraphs are joined with "\\n": a cell may hold a task plus a
note, and the parser can rejoin a wrapped line more safely than it can split a
glued one.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from duban.doc.loaders.text import clean_text, rectangle
from duban.doc.loaders.word_numbering import WordNumbering
from duban.doc.source import Para, Source, Table
from duban.errors import InputError

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
    reader = _BodyReader(WordNumbering.of(document))
    source = Source(name=name, format="docx")
    body = document.element.body
    if body.find(f".//{W}del") is not None or body.find(f".//{W}ins") is not None:
        source.notes.append("文档中有未处理的修订，已按接受全部修订后的文字读取")
    for element in _flow(body):
        if element.tag == W + "p":
            source.blocks.append(Para(reader.paragraph(element)))
            for box in _textbox_paragraphs(element):
                source.blocks.append(Para(clean_text(_paragraph_text(box))))
        elif element.tag == W + "tbl":
            rows = reader.table_rows(element)
            if rows:
                source.blocks.append(Table(rows))
    return source


class _BodyReader:
    """Reads paragraphs and tables in document order, so automatic numbers count up as Word's do."""

    def __init__(self, numbering: WordNumbering):
        self.numbering = numbering

    def paragraph(self, p) -> str:
        return clean_text(self.numbering.label(p) + _paragraph_text(p))

    def cell_text(self, tc) -> str:
        lines: list[str] = []
        for child in _flow(tc):
            if child.tag == W + "p":
                lines.append(self.paragraph(child))
            elif child.tag == W + "tbl":
                lines.extend("\t".join(row) for row in self.table_rows(child))
        return "\n".join(lines).strip()

    def table_rows(self, tbl) -> list[list[str]]:
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
                    text = self.cell_text(tc)
                row.extend([text] * span)
            grid.append(row)
        return rectangle(grid)


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
