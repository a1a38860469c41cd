"""HTML → lines and tables: block elements break lines, data tables become tables,
layout tables are unwrapped, scripts and styles dropped."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser

from duban.doc.loaders.text import clean_text, decode_text, looks_like_text, rectangle
from duban.doc.source import Para, Source, Table

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
    return decode_text(data, name)


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


# Elements nested deeper than this are read as siblings at this depth: real pages nest a few
# dozen levels; a page of 100,000 nested <div>s must not cost a recursion (or a stack scan
# per tag) that deep.
MAX_DEPTH = 200


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
        if tag not in _VOID and len(self.stack) < MAX_DEPTH:
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
                rows = _data_table_rows(child)
                if rows:
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
    return rectangle(grid)


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


def _data_table_rows(table: _Node) -> list[list[str]] | None:
    """The grid of a data table, or None for a layout table.  Pages lay themselves
    out with tables; only a grid of two or more rows with two or more filled
    columns, holding no further table, is data."""
    if any(isinstance(c, _Node) and c.tag == "table" for c in _descendants(table)):
        return None
    rows = _html_table_rows(table)
    multi = sum(1 for row in rows if sum(1 for cell in row if cell) >= 2)
    return rows if multi >= 2 else None


def _descendants(node: _Node) -> Iterator[_Node | str]:
    for child in node.children:
        yield child
        if isinstance(child, _Node):
            yield from _descendants(child)
