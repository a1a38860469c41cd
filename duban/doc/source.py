"""What a loader hands to the parser: paragraphs and tables in document order.

Loaders (``duban.doc.load``) know file formats; the parser knows notices.
This is the only thing they share.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Para:
    """A run of text. For .txt and .pdf one Para per physical line, breaks included:
    the normaliser decides which breaks are real."""

    text: str


@dataclass
class Table:
    """A table as a grid of cell texts; merged cells repeat their text in every
    cell they cover, so a section row spanning the table reads the same in each."""

    rows: list[list[str]]


Block = Para | Table


@dataclass
class Source:
    blocks: list[Block] = field(default_factory=list)
    name: str = ""  # file name, for messages
    format: str = "txt"  # txt | docx | xlsx | pdf | html | csv
    # What the loader left out or had to guess, one sentence each (hidden sheets, pages without text).
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """All text as lines; each table row becomes one line of cells joined by tabs."""
        out: list[str] = []
        for block in self.blocks:
            if isinstance(block, Para):
                out.extend(block.text.split("\n"))
            else:
                out.extend("\t".join(row) for row in block.rows)
        return out

    def text(self) -> str:
        return "\n".join(self.lines())

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    @classmethod
    def from_text(cls, text: str, name: str = "", format: str = "txt") -> Source:
        return cls(blocks=[Para(line) for line in text.split("\n")], name=name, format=format)
