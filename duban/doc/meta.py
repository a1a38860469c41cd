"""Document metadata: title, issuer, 文号, date, recipients and the reporting schedule.

The schedule is read from the preamble's own sentences (``3月18日前制定具体
落实方案…于6月15日、9月15日…报告…季度进展情况，12月15日报告全年落实情况``):
each date is classified by what the words right after it ask for.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from duban.doc.model import Document, ScheduleItem
from duban.doc.outline import cn_to_int
from duban.vocab_clauses import FIRST_LISTED_LEADS_RE

DOC_NUMBER_RE = re.compile(r"([\u4e00-\u9fff]{1,10})\s*[〔\[［【(（]\s*(\d{4})\s*[〕\]］】)）]\s*(\d{1,4})\s*号")
# Greedy: 关于印发…分解方案的通知 ends at 通知, not at 方案.
TITLE_RE = re.compile(r"(关于.{4,80}(通知|方案|意见|安排|清单|分工|任务表|分解表))")
_HEADER_RE = re.compile(r"^(.{2,30}?(人民政府|政府办公室|政府办公厅|办公室|办公厅|委员会))(文件)?$")
DATE_RE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_CN_ZERO = "〇零○Ｏ０OΟ"
_CN_DATE_RE = re.compile(
    rf"([{_CN_ZERO}一二三四五六七八九]{{4}})\s*年\s*([一二三四五六七八九十]{{1,3}})\s*月\s*([一二三四五六七八九十]{{1,3}})\s*日"
)
_ISSUER_IN_TEXT_RE = re.compile(
    r"(?:^|[，。,；\s]|近日)((?:[\u4e00-\u9fff]{2,4}省)?[\u4e00-\u9fff]{2,6}(?:省|市|县|区)?人民政府(?:办公厅|办公室)?)(?:文件|印发|发布|下发)"
)
# 立山经济开发区，各街道办事处，各区直部门，各有关单位：
_RECIPIENT_LIST_RE = re.compile(r"^[^。；]{2,60}[，,、]各[^。；]{2,120}(部门|单位|机构|办事处|政府|管委会)[：:]$")
_RECIPIENTS_RE = re.compile(r"^(各.{2,200}|.{2,60}(人民政府|各部门|各单位|管委会).{0,200})[：:]$")
_FIRST_LEADS_RE = FIRST_LISTED_LEADS_RE

# A due point inside a schedule sentence: 3月18日, 6月底, 2026年3月10日, 12月中旬
_DUE_RE = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2}日|底|末|上旬|中旬|下旬)")
_MONTHLY_RE = re.compile(r"每(?:个)?月(?:的)?(\d{1,2})日(?:前|以前|之前)?")
_QUARTERLY_RE = re.compile(
    r"每(?:个)?季度(?:末|结束前|结束后)(?:\d{1,2}(?:个工作)?日(?:内|前))?"
    r"|每(?:个)?季度(?:最后一个月|第一个月)(?:的)?\d{1,2}日(?:前)?"
)
_HALF_YEARLY_RE = re.compile(r"每半年")


def read_date(text: str) -> date | None:
    m = DATE_RE.search(text)
    if m:
        return _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _CN_DATE_RE.search(text)
    if m:
        year = int("".join(str(0 if c in _CN_ZERO else cn_to_int(c)) for c in m.group(1)))
        return _safe_date(year, cn_to_int(m.group(2)) or 0, cn_to_int(m.group(3)) or 0)
    return None


def says_first_listed_leads(text: str) -> bool:
    """列第一位的为牵头单位: the first unit of each list leads."""
    return bool(_FIRST_LEADS_RE.search(text))


def read_doc_number(lines: list[str]) -> str | None:
    """豫政〔2026〕4号 — with any bracket form written, normalised to 〔〕."""
    for line in lines:
        m = DOC_NUMBER_RE.search(line)
        if m:
            # the issuer's code is the few characters just before the bracket,
            # not a header run into it (济源市人民政府文件济政〔2026〕1号)
            code = re.split(r"文件|政府|通知|：|:", m.group(1))[-1] or m.group(1)
            return f"{code}〔{m.group(2)}〕{m.group(3)}号"
    return None


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def fill_metadata(doc: Document, preamble: list[str], tail: list[str]) -> None:
    """Set title, issuer, doc number, date, year, recipients, schedule from the text
    around the tasks. ``preamble`` is the text before the first heading; ``tail``
    the signature block after the last task."""
    head_text = "".join(preamble)
    doc.doc_number = read_doc_number(preamble)
    _read_title(doc, preamble)
    for line in preamble[:4]:
        # 甬政办发[2006]64号2006年03月30日宁波市人民政府办公厅: the issuer after the number and date
        bare = DATE_RE.sub("", DOC_NUMBER_RE.sub("", line)).strip()
        h = _HEADER_RE.match(bare)
        if h and not bare.startswith("各") and not re.search(r"\d", bare):
            doc.issuer = h.group(1)
            break
    for line in reversed(tail):
        d = read_date(line)
        if d and doc.date is None:
            doc.date = d
        elif not d and doc.date and _HEADER_RE.match(line) and not doc.issuer:
            doc.issuer = _HEADER_RE.match(line).group(1)
    if doc.date is None:
        for line in preamble[:8]:
            if DATE_RE.fullmatch(line.strip()) or _CN_DATE_RE.fullmatch(line.strip()):
                doc.date = read_date(line)
    if doc.issuer is None and doc.title and "关于" in doc.title:
        before = doc.title.split("关于", 1)[0]
        if before:
            doc.issuer = before
    if doc.issuer is None:
        # a page header spliced into the text (许昌市人民政府文件), or a news summary
        # (近日，浙江省人民政府办公厅印发…的通知)
        m = _ISSUER_IN_TEXT_RE.search(head_text)
        if m:
            doc.issuer = m.group(1)
    for line in preamble:
        if _RECIPIENTS_RE.match(line) or _RECIPIENT_LIST_RE.match(line) and "如下" not in line:
            doc.recipients = line.rstrip("：:")
            break
    doc.year = _read_year(doc, head_text)
    # the signature's date is the document's, never a due date
    body = "".join(
        line
        for line in preamble
        if line != doc.title and not DATE_RE.fullmatch(line.strip()) and not _CN_DATE_RE.fullmatch(line.strip())
    )
    doc.first_listed_leads = says_first_listed_leads(body)
    doc.schedule = read_schedule(body, doc.year or (doc.date.year if doc.date else None))


def _read_title(doc: Document, preamble: list[str]) -> None:
    for i, line in enumerate(preamble[:12]):
        if "关于" not in line:
            continue
        # a title wrapped over two or three lines (PDF, narrow columns)
        text = line
        for extra in preamble[i + 1 : i + 4]:
            if TITLE_RE.search(text) and re.search(r"(通知|方案|意见|安排|清单|分工|任务表|分解表)$", text):
                break
            if DOC_NUMBER_RE.search(extra) or extra.endswith(("：", ":")):
                break
            text += extra
        m = TITLE_RE.search(text)
        if m:
            doc.title = text[: m.end()].strip()
            return
    for line in preamble[:6]:
        if re.search(r"(通知|方案|意见|任务表|分解表|任务分解|责任分解|任务分工)$", line) and len(line) < 80:
            doc.title = line
            return


def _read_year(doc: Document, text: str) -> int | None:
    if doc.title:
        m = re.search(r"(20\d{2})\s*年", doc.title)
        if m:
            return int(m.group(1))
    if doc.doc_number:
        m = re.search(r"〔(\d{4})〕", doc.doc_number)
        if m:
            return int(m.group(1))
    m = re.search(r"(20\d{2})\s*年", text)
    if m:
        return int(m.group(1))
    return doc.date.year if doc.date else None


def read_schedule(text: str, year: int | None) -> list[ScheduleItem]:
    """The reporting obligations stated in a preamble, in the order they appear."""
    items: list[ScheduleItem] = []
    for sentence in re.split(r"[。；]", text):
        items += _schedule_in_sentence(sentence, year)
    order = {"plan": 0, "progress": 1, "annual": 2}
    return sorted(items, key=lambda item: order[item.what])


def _schedule_in_sentence(sentence: str, year: int | None) -> list[ScheduleItem]:
    out: list[ScheduleItem] = []
    mentions_plan = bool(re.search(r"方案|台账|工作计划|推进计划|实施计划", sentence))
    m = _MONTHLY_RE.search(sentence)
    if m and re.search(r"报送|报告|上报|报", sentence[m.end() : m.end() + 30]):
        out.append(ScheduleItem("progress", None, m.group(0).rstrip("前以之") + "前"))
    m = _QUARTERLY_RE.search(sentence)
    if m:
        out.append(ScheduleItem("progress", None, m.group(0)))
    if _HALF_YEARLY_RE.search(sentence):
        out.append(ScheduleItem("progress", None, "每半年"))
    dues = list(_DUE_RE.finditer(sentence))
    i = 0
    while i < len(dues):
        # a list of dates (6月15日、9月15日) shares the words after its last member
        j = i
        while j + 1 < len(dues) and re.fullmatch(
            r"[、和及与,，]?", sentence[dues[j].end() : dues[j + 1].start()].strip()
        ):
            j += 1
        after = sentence[dues[j].end() : dues[j + 1].start() if j + 1 < len(dues) else len(sentence)]
        what = _classify(after, mentions_plan and not any(s.what == "plan" for s in out))
        if what:
            for d in dues[i : j + 1]:
                out.append(
                    ScheduleItem(what, _due_date(d, year), d.group(0) + ("前" if after.startswith("前") else ""))
                )
        i = j + 1
    return out


def _classify(after: str, plan_possible: bool) -> str | None:
    # what the date is for is said in its own clause: 3月18日前制定…方案，…
    words = re.split(r"[，,]", after, maxsplit=1)[0][:60]
    if re.search(r"全年|年度(工作)?(落实|完成|总结)|全年落实|年终", words):
        return "annual"
    if re.search(r"进展|进度|季度|半年|推进情况|落实情况|工作情况", words):
        return "progress"
    if re.search(r"方案|台账|计划", words) or plan_possible and re.search(r"上报|报送|报", words):
        return "plan"
    return None


def _due_date(m: re.Match, year: int | None) -> date | None:
    y = int(m.group(1)) if m.group(1) else year
    if y is None:
        return None
    month = int(m.group(2))
    if not 1 <= month <= 12:
        return None
    day_word = m.group(3)
    last = calendar.monthrange(y, month)[1]
    if day_word.endswith("日"):
        return _safe_date(y, month, int(day_word[:-1]))
    return {"上旬": _safe_date(y, month, 10), "中旬": _safe_date(y, month, 20)}.get(
        day_word, _safe_date(y, month, last)
    )
