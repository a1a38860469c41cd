"""Reading a government work report (政府工作报告) into ``Document(kind="report")``.

A report is prose, not a list: what matters for the draft notice is the part
that lays out this year's work (``三、2026年重点工作``), its main expected
targets paragraph (主要预期目标 … 是：A，B，C；…。) and the areas （一）（二）…
under it, each a run of paragraphs that open with a short lead phrase
(``全力扩大有效投资。``).

The reader works on logical lines: it drops what a news site puts around the
document (summary, photo caption, editor credits), page markers and blank
lines, and joins a paragraph that a PDF page broke in two (a line that stops
without closing its sentence runs on into the next; in text wrapped at a fixed
width, so does a full line).
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from duban.doc.indicators import find_indicators
from duban.doc.model import Area, Document, Paragraph, Target
from duban.doc.normalise import is_page_marker, split_outside_brackets
from duban.doc.source import Source
from duban.errors import NotADocumentError

# 一、… at the start of a line: the report's top-level parts.
PART_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}、|第[一二三四五六七八九十]{1,3}部分[、：:\s]*)\s*(?P<text>.+)$"
)
# （一）… / (一)…: an area of the year-work part.
AREA_HEADING = re.compile(r"^[（(]\s*([一二三四五六七八九十]{1,3})\s*[）)]\s*(.+)$")
# A year-work heading written without an ordinal: ``2026年工作安排``.
BARE_YEAR_WORK = re.compile(r"^(20\d\d)\s*年.{0,12}(工作|安排|任务).{0,6}$")
SPEAKER_DATE = re.compile(r"(20\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*在.*(人民代表大会|人代会)")
# 平顶山市人民政府市长 李明俊 → the government that speaks.
SPEAKER = re.compile(r"^(.{2,20}人民政府)(省长|市长|区长|县长|州长|旗长|盟长|代市长|代区长|代县长)")
YEAR = re.compile(r"(20\d\d)\s*年")
TARGETS_LEAD = re.compile(r"主要(预期)?目标(任务)?(建议|初步)?((是|为|定为|确定为)\s*[：:]?|\s*[：:])")
# A sentence ends here; a line ending otherwise was broken by the page.
SENTENCE_END = "。！？!?：:；;"
CLOSING_QUOTES = "”’」』\"'）)"

# Half-width punctuation between Chinese text is the same punctuation; numbers
# keep theirs (1,000 / 3:00).
HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"}
_HALF_PUNCT = re.compile(r"[,;:!?()]")

_WIDE_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")

# Framing around the document when it was reposted by a news site.
_CAPTION = re.compile(r"(记者|通讯员|摄影)[^。]{0,20}摄$|\s摄$|[（(]?(图|图片)[/／:：].{0,20}$|供图[)）]?$")
_EDITORIAL = re.compile(r"^[【\[](责任编辑|编辑|内容审核|总编辑|来源|审核)")


def read_report(source: Source) -> Document:
    """Read a work report; raise ``NotADocumentError`` when it has no year-work part."""
    name = source.name or "输入"
    lines = _clean_lines(source.lines())
    doc = Document(kind="report", source=source.name or None)

    start = _title_index(lines)
    if start is not None:
        doc.title = lines[start]
        # A PDF repeats the title as a running header on every page.
        lines = [line for line in lines[start + 1 :] if line != doc.title]
    lines = _join_broken_lines(lines)

    for line in lines[:8]:
        m = SPEAKER_DATE.search(line)
        if m and doc.date is None:
            try:
                doc.date = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                pass
        s = SPEAKER.match(line)
        if s and doc.issuer is None:
            doc.issuer = s.group(1)

    part = _year_work_part(lines, doc.date.year if doc.date else None)
    if part is None:
        raise NotADocumentError(f"{name}：没有找到年度重点工作部分（如“三、2026年重点工作”），无法按工作报告读取。")
    heading_year, body = part
    doc.year = heading_year or (doc.date.year if doc.date else None)
    if doc.title is None:
        doc.title = "政府工作报告"

    preamble, areas = _split_areas(body)
    # The targets are stated in the year-work part, or in a part of their own before it.
    doc.targets = _read_targets(preamble) or _read_targets(_outside_retrospective(lines))
    doc.areas = areas
    if not doc.targets:
        doc.warn("年度重点工作部分没有找到主要预期目标段落。")
    if not doc.areas:
        doc.warn("年度重点工作部分没有找到（一）（二）…分项。")
    return doc


def looks_like_report(lines: list[str]) -> bool:
    """True for a work report rather than a notice that decomposes one.

    Both name 政府工作报告 near the top; a notice then lists numbered tasks with
    unit clauses, a report addresses the deputies (各位代表) and runs as prose.
    """
    cleaned = [line.strip() for line in lines if line.strip()]
    head = cleaned[:60]
    titled = any(
        "政府工作报告" in line
        and len(line) <= 40
        and not re.search(r"通知|分解|分工|责任单位|方案|意见|台账|清单|任务表", line)
        for line in head
    )
    if not titled:
        return False
    unit_clauses = sum(
        1 for line in cleaned if re.match(r"^\d{1,3}\s*[.．、]", line) and re.search(r"(负责|牵头|监测)\s*[)）]", line)
    )
    prose = any(line.startswith("各位代表") for line in cleaned) or any(
        PART_HEADING.match(line) and _is_year_work_heading(PART_HEADING.match(line).group("text")) for line in cleaned
    )
    return prose and unit_clauses < 5


# --- lines ----------------------------------------------------------------


def normalise_punctuation(text: str) -> str:
    """Full-width punctuation where a half-width mark sits in Chinese text."""

    def swap(m: re.Match) -> str:
        i = m.start()
        before = text[i - 1] if i > 0 else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if m.group() in ",:" and before.isdigit() and after.isdigit():
            return m.group()
        return HALF_TO_FULL[m.group()]

    return _HALF_PUNCT.sub(swap, text)


def _clean_lines(raw: list[str]) -> list[str]:
    out = []
    for line in raw:
        line = line.replace("\u3000", " ").replace("**", "").translate(_WIDE_DIGITS).strip()
        if not line or is_page_marker(line) or _EDITORIAL.match(line):
            continue
        out.append(normalise_punctuation(line))
    return out


def _title_index(lines: list[str]) -> int | None:
    """Where the document proper starts: its short 政府工作报告 title line.

    A news repost puts a headline and a summary (which quotes the targets)
    above it, so the title is the last one closely followed by the speaker's
    line or the address to the deputies; failing that, the first.
    """
    titles = [
        i
        for i, line in enumerate(lines[:80])
        if "政府工作报告" in line
        and len(line) <= 40
        and not line.endswith(("。", "：", ":"))
        and not _CAPTION.search(line)
    ]
    for i in reversed(titles):
        if any(SPEAKER_DATE.search(x) or x.startswith("各位代表") for x in lines[i + 1 : i + 5]):
            return i
    return titles[0] if titles else None


def _is_heading(line: str) -> bool:
    return bool(PART_HEADING.match(line) or AREA_HEADING.match(line) or line == "名词解释")


def _join_broken_lines(lines: list[str]) -> list[str]:
    width = _wrap_width(lines)
    out: list[str] = []
    last_physical = ""
    for line in lines:
        if _CAPTION.search(line) and len(line) < 120 and not line.endswith("。"):
            continue
        # In text wrapped at a fixed width, a full line runs on even when it
        # happens to end a sentence: the paragraph ends on a shorter line.
        full = width is not None and len(last_physical) >= width
        if full and last_physical.endswith("。") and _opens_with_lead(line):
            full = False  # a sentence ends the line and a lead phrase opens the next: a new paragraph
        if out and (_runs_on(out[-1]) or full) and not _is_heading(line) and not line.startswith("各位代表"):
            out[-1] += line
        else:
            out.append(line)
        last_physical = line
    return out


def _opens_with_lead(line: str) -> bool:
    head, sep, rest = line.partition("。")
    return bool(sep and rest) and len(head) <= 16 and not re.search(r"[，；：,;:、]", head)


def _wrap_width(lines: list[str]) -> int | None:
    """The width a PDF wrapped its lines at, when it did: the most common line
    length, shared by a good part of the lines (a line of Chinese only is
    exactly that long; digits and Latin letters fit a few more)."""
    lengths = [len(line) for line in lines if len(line) >= 15]
    if len(lengths) < 20:
        return None
    width, _ = Counter(lengths).most_common(1)[0]
    near = sum(1 for n in lengths if width <= n <= width + 4)
    return width if near >= 0.4 * len(lengths) else None


def _runs_on(line: str) -> bool:
    """A long prose line that stops mid-sentence continues on the next line."""
    if _is_heading(line) and not re.search(r"[。！？]", line):
        return False  # a heading line is complete as it is
    if len(line) < 20 or line.startswith("——"):
        return False
    tail = line.rstrip(CLOSING_QUOTES) if line[-1] in "）)" else line
    if tail and tail[-1] in SENTENCE_END:
        return False
    return not (line[-1] in CLOSING_QUOTES and len(line) > 1 and line[-2] in SENTENCE_END)


# --- the year-work part -----------------------------------------------------


def _is_year_work_heading(text: str, year: int | None = None) -> bool:
    """``2026年重点工作``, ``今年主要工作安排``: not a retrospective nor a five-year plan."""
    if re.search(r"回顾|十四五|十五五|五年|过去", text) or not re.search(r"工作|安排|任务", text):
        return False
    years = [int(y) for y in YEAR.findall(text)]
    if not years:
        return bool(re.search(r"今年|本年度", text))
    return year is None or year in years


def _heading_year(text: str, year: int | None) -> int | None:
    years = [int(y) for y in YEAR.findall(text)]
    return max(years) if years else year


def _part_body(lines: list[str], start: int) -> list[str]:
    """The lines after a part heading, up to the next part, the glossary, or the
    closing address (各位代表！…) once areas have begun."""
    body: list[str] = []
    in_areas = False
    for line in lines[start + 1 :]:
        if (PART_HEADING.match(line) and len(line) <= 40) or line.startswith("名词解释"):
            break
        if AREA_HEADING.match(line):
            in_areas = True
        elif in_areas and line.startswith("各位代表"):
            break  # the closing address, or the part on the government itself
        body.append(line)
    return body


def _year_work_part(lines: list[str], year: int | None) -> tuple[int | None, list[str]] | None:
    """The year and lines of the part laying out this year's work, without its heading.

    Candidates are top-level headings naming the year (or 今年) and work; a
    report that gives its targets in a part of their own (``二、2026年总体要求
    和主要目标``) has two, and the one with areas （一）… wins.  Failing any
    such heading, the part that states the main targets is taken.
    """
    candidates = []
    for i, line in enumerate(lines):
        m = PART_HEADING.match(line)
        if m and len(line) <= 40 and _is_year_work_heading(m.group("text"), year):
            candidates.append((i, m.group("text")))
        elif BARE_YEAR_WORK.match(line) and not AREA_HEADING.match(line) and _is_year_work_heading(line, year):
            candidates.append((i, line))
    if not candidates:
        for i, line in enumerate(lines):
            m = PART_HEADING.match(line)
            if m and len(line) <= 40 and not re.search(r"回顾|十四五|十五五|五年", m.group("text")):
                if any(TARGETS_LEAD.search(x) for x in _part_body(lines, i)):
                    candidates.append((i, m.group("text")))
    if not candidates:
        return None

    def rank(candidate):
        i, heading = candidate
        body = _part_body(lines, i)
        has_areas = any(AREA_HEADING.match(x) for x in body)
        return (has_areas, _heading_year(heading, year) or 0, -i)

    start, heading = max(candidates, key=rank)
    return _heading_year(heading, year), _part_body(lines, start)


def _split_areas(body: list[str]) -> tuple[list[str], list[Area]]:
    preamble: list[str] = []
    areas: list[Area] = []
    intros: list[Paragraph] = []
    for line in body:
        m = AREA_HEADING.match(line)
        if m:
            heading, intro = _split_heading(m.group(2))
            area = Area(heading=heading)
            if intro:
                intros.append(Paragraph(lead=None, text=intro))
                area.paragraphs.append(intros[-1])
            areas.append(area)
        elif areas:
            areas[-1].paragraphs.append(_paragraph(line))
        else:
            preamble.append(line)
    _relax_leads(areas, intros)
    return preamble, areas


def _relax_leads(areas: list[Area], intros: list[Paragraph]) -> None:
    """Where most paragraphs open with a lead phrase, a short opening sentence
    with one comma (``加快建设产业体系，推动高质量发展。``) is one too.
    An area's own opening sentences, written after its heading, never are."""
    own = [p for a in areas for p in a.paragraphs if not any(p is i for i in intros)]
    if not own or sum(1 for p in own if p.lead) < 0.6 * len(own):
        return
    for area in areas:
        for i, p in enumerate(area.paragraphs):
            if p.lead is None and not any(p is x for x in intros):
                relaxed = _paragraph(p.text, commas=1)
                if relaxed.lead and not re.match(r"^(同时|此外|另外|我们)", relaxed.lead):
                    area.paragraphs[i] = relaxed


def _split_heading(text: str) -> tuple[str, str]:
    """``全力以赴稳定经济运行，实现高质量发展。深入落实…`` → heading, intro."""
    head, sep, rest = text.partition("。")
    if not sep:
        return text.strip().rstrip("：:，,；;"), ""
    return head.strip(), rest.strip()


# A lead phrase: one short clause closed by 。 at the start of a paragraph.
LEAD_MAX_CHARS = 24


def _paragraph(line: str, commas: int = 0) -> Paragraph:
    head, sep, rest = line.partition("。")
    if (
        sep
        and rest.strip()
        and len(head) <= LEAD_MAX_CHARS
        and len(re.findall(r"[，,]", head)) <= commas
        and not re.search(r"[；：;:]", head)
        and not (commas and re.search(r"\d", head))
    ):
        return Paragraph(lead=head.strip(), text=rest.strip())
    return Paragraph(lead=None, text=line)


# --- targets ----------------------------------------------------------------


def _outside_retrospective(lines: list[str]) -> list[str]:
    """Lines not under a part that looks back (回顾, 十四五) or ahead five years."""
    out, skipping = [], False
    for line in lines:
        m = PART_HEADING.match(line)
        if m and len(line) <= 40:
            skipping = bool(re.search(r"回顾|十四五|十五五|五年", m.group("text")))
        elif not skipping:
            out.append(line)
    return out


def _read_targets(preamble: list[str]) -> list[Target]:
    for i, line in enumerate(preamble):
        m = TARGETS_LEAD.search(line)
        if not m:
            continue
        rest = line[m.end() :].strip()
        # The list may start on a line of its own after the colon, a target a line.
        for following in preamble[i + 1 : i + 20]:
            if "。" in rest:
                break
            rest += following
        sentence = rest.split("。")[0]
        return [Target(text=t, indicators=find_indicators(t)) for t in split_targets(sentence)]
    return []


def split_targets(sentence: str) -> list[str]:
    """``A，B；C`` → the targets, each one measure.

    A piece that only says how hard to try (``在实际工作中努力争取更好结果``)
    qualifies the target before it and stays with it.
    """
    targets: list[str] = []
    for piece in split_outside_brackets(sentence, "，；"):
        piece = piece.strip()
        if not piece:
            continue
        if targets and _qualifies_previous(piece):
            targets[-1] += "，" + piece
        else:
            targets.append(piece)
    return targets


def _qualifies_previous(piece: str) -> bool:
    if re.search(r"\d", piece):
        return False
    return bool(re.match(r"^(在|并)", piece) or re.search(r"(更好|更高|更快|更大)的?(结果|成绩|成效|水平|目标)", piece))
