"""The task-decomposition notice as an official .docx (GB/T 9704-2012).

``render_notice(doc, path)`` lays out a notice or a draft: the red issuer
mark and 文号 with its red rule, the title, the recipients, a preamble that
states the reporting schedule, the sections and numbered tasks with their
unit clauses in the notice's own words, and the issuer and date at the end.
"""

from __future__ import annotations

import re

from duban.doc.loaders.word_numbering import chinese_number
from duban.doc.model import Document, ScheduleItem
from duban.render import official
from duban.render.clauses import unit_clause

_NUMBERED_L1 = re.compile(r"^[一二三四五六七八九十百]+[、.．]")
_NUMBERED_L2 = re.compile(r"^[（(][一二三四五六七八九十百]+[）)]")
_SENTENCE_END = "。；！？.;!?"


def notice_title(doc: Document) -> str:
    if doc.title:
        return doc.title
    year = f"{doc.year}年" if doc.year else ""
    return f"{doc.issuer or ''}关于明确政府工作报告提出的{year}重点工作责任单位的通知"


def _superior(issuer: str | None) -> str:
    """How units address the issuing government in the preamble: 市政府, 省政府, 区政府, 县政府."""
    issuer = issuer or ""
    for level in ("省", "自治区", "县", "区", "市"):
        if f"{level}人民政府" in issuer:
            return f"{level}政府"
    return "市政府"


def _when(item: ScheduleItem) -> str:
    if item.due:
        return f"{item.due.month}月{item.due.day}日"
    return item.rule


def preamble(doc: Document) -> str:
    """The opening paragraph, built from the plan's reporting schedule so the parser reads the same schedule back."""
    year = f"{doc.year}年" if doc.year else ""
    plan = [s for s in doc.schedule if s.what == "plan"]
    progress = [s for s in doc.schedule if s.what == "progress"]
    annual = [s for s in doc.schedule if s.what == "annual"]
    superior = _superior(doc.issuer)
    text = f"现将《政府工作报告》提出的{year}重点工作任务予以分解并明确责任单位。各责任单位要对照分工，"
    if plan:
        text += f"{_when(plan[0])}前"
    text += "制定具体落实方案和工作台账，逐项明确工作任务、时序节点、主要措施、保障机制、责任领导和责任人"
    reports = []
    if progress:
        dated = all(s.due for s in progress)
        when = "、".join(_when(s) for s in progress)
        reports.append(f"{'于' if dated else ''}{when}向{superior}报告各项重点工作的进展情况")
    if annual:
        reports.append(f"{_when(annual[0])}报告全年落实情况")
    if reports:
        text += "，并" + "，".join(reports)
        text += "，报送材料经单位主要负责同志签字并加盖公章后送督查局"
    text += "。各责任单位要加强谋划，相互配合，有力有效推动工作任务落实。"
    text += f"{superior}办公室、督查局将对各责任单位重点工作任务落实情况进行跟踪督办，及时掌握和定期通报相关情况，"
    text += "确保年度重点工作任务圆满完成。"
    return text


def _heading_text(heading: str, level: int, count: int) -> str:
    heading = heading.strip()
    if level == 1 and not _NUMBERED_L1.match(heading):
        return f"{chinese_number(count)}、{heading}"
    if level == 2 and not _NUMBERED_L2.match(heading):
        return f"（{chinese_number(count)}）{heading}"
    return heading


def task_paragraph(task) -> str:
    text = task.text.strip()
    if text and text[-1] not in _SENTENCE_END:
        text += "。"
    clause = unit_clause(task, deadline=True)
    return f"{task.number}. {text}{clause}"


def build_notice(doc: Document):
    """The python-docx Document for ``doc`` (a notice or a draft)."""
    if not doc.tasks:
        from duban.errors import DubanError

        raise DubanError("这份计划没有任务，无法生成通知")
    document = official.new_document()
    if doc.issuer:
        official.issuer_mark(document, f"{doc.issuer}文件")
    official.doc_number_with_rule(document, doc.doc_number)
    official.title(document, notice_title(doc))
    if doc.recipients:
        official.recipients(document, doc.recipients)
    official.body(document, preamble(doc))

    current: list[str] = []
    counts = [0, 0]
    for task in doc.tasks:
        section = list(task.section)
        if section != current:
            # Print only the headings that changed, from the first level that differs.
            common = 0
            while common < min(len(section), len(current)) and section[common] == current[common]:
                common += 1
            for level, heading in enumerate(section[common:], start=common + 1):
                if level == 1:
                    counts = [counts[0] + 1, 0]
                    official.heading1(document, _heading_text(heading, 1, counts[0]))
                elif level == 2:
                    counts[1] += 1
                    official.heading2(document, _heading_text(heading, 2, counts[1]))
                else:
                    official.body(document, heading)
            current = section
        official.body(document, task_paragraph(task))

    official.signature(document, doc.issuer, doc.date)
    return document


def render_notice(doc: Document, path) -> None:
    """Write the notice for ``doc`` to ``path`` (.docx), atomically."""
    official.save(build_notice(doc), path)
