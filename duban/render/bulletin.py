"""The bulletin (督查通报) for a reporting round: drafted from the data, editable, then laid out.

``bulletin_text(doc, round_data)`` drafts a ``BulletinDraft`` whose every
figure comes from ``round_summary``; the web application shows
``draft.to_text()`` for staff to edit, reads it back with
``BulletinDraft.from_text``, and ``render_bulletin(..., draft=edited)`` lays
the edited text out in the official format with the charts in their places.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from duban.doc.model import Document
from duban.render import official
from duban.render.charts import report_chart, status_chart
from duban.render.clauses import lead_names
from duban.render.data import LATE, MISSING, ON_TIME, REPORT_LABELS, RoundData
from duban.render.summary import RoundSummary, round_summary, status_label

HEADING1 = "heading1"
HEADING2 = "heading2"
PARAGRAPH = "paragraph"
CHART = "chart"

# Chart markers in the editable text: a line "[图：任务推进情况]" places the chart.
CHARTS = {"任务推进情况": "status", "报送情况": "reports"}
_CHART_LINE = re.compile(r"^\[图：(?P<name>.+)\]$")
_HEADING1 = re.compile(r"^[一二三四五六七八九十]+、")
_HEADING2 = re.compile(r"^（[一二三四五六七八九十]+）")


@dataclass
class Block:
    kind: str  # heading1 | heading2 | paragraph | chart
    text: str  # for a chart: its name, a key of CHARTS


@dataclass
class BulletinDraft:
    title: str
    recipients: str
    blocks: list[Block] = field(default_factory=list)
    signer: str = ""
    date: date | None = None
    number: int | None = None  # 期号, given when the bulletin is issued

    def to_text(self) -> str:
        """Plain text for an editing box: title, recipients, then one block a line."""
        lines = [self.title, "", f"{self.recipients}：" if self.recipients else "", ""]
        for block in self.blocks:
            lines.append(f"[图：{block.text}]" if block.kind == CHART else block.text)
        return "\n".join(lines).strip("\n") + "\n"

    @classmethod
    def from_text(cls, text: str, *, signer: str = "", when: date | None = None) -> BulletinDraft:
        """Read edited text back: first line the title, a line ending in ： the recipients, then the body."""
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if not lines:
            from duban.errors import DubanError

            raise DubanError("通报内容为空")
        draft = cls(title=lines[0], recipients="", signer=signer, date=when)
        body = lines[1:]
        if body and body[0].endswith(("：", ":")) and not _HEADING1.match(body[0]):
            draft.recipients = body[0].rstrip("：:")
            body = body[1:]
        for line in body:
            chart = _CHART_LINE.match(line)
            if chart and chart["name"] in CHARTS:
                draft.blocks.append(Block(CHART, chart["name"]))
            elif _HEADING1.match(line):
                draft.blocks.append(Block(HEADING1, line))
            elif _HEADING2.match(line):
                draft.blocks.append(Block(HEADING2, line))
            else:
                draft.blocks.append(Block(PARAGRAPH, line))
        return draft


def _numbers(numbers: list[str]) -> str:
    return "、".join(f"第{n}项" for n in numbers)


def _office(doc: Document) -> str:
    return official.office_name(doc.issuer)


def _overall(s: RoundSummary) -> str:
    """The figure sentence: tasks by status (the tracker's five colours when the round is judged), then reports."""
    tasks = "，".join(f"{status_label(k)}{s.task_counts[k]}项" for k in s.reading_order)
    text = f"本轮共有{s.tasks}项重点工作任务、{len(s.units)}个责任单位应报送进展情况。从推进情况看，{tasks}。"
    if s.attention_tasks:
        text += f"需关注的任务（{_numbers(s.attention_tasks)}）指标接近序时进度或本轮报告未报送。"
    return text + (
        f"从报送情况看，应报送{s.reports}份，{REPORT_LABELS[ON_TIME]}{s.report_counts[ON_TIME]}份，"
        f"{REPORT_LABELS[LATE]}{s.report_counts[LATE]}份，{REPORT_LABELS[MISSING]}{s.report_counts[MISSING]}份。"
    )


def bulletin_text(doc: Document, round_data: RoundData, *, when: date | None = None) -> BulletinDraft:
    """Draft the bulletin for ``round_data``: every figure is computed here from the reports."""
    s = round_summary(doc, round_data)
    when = when or round_data.as_of or round_data.due
    draft = BulletinDraft(
        title=f"关于{round_data.name}政府工作报告重点工作推进情况的通报",
        recipients=doc.recipients or "",
        signer=_office(doc),
        date=when,
    )
    add = draft.blocks.append
    source = f"《{doc.title}》" if doc.title else "政府工作报告重点工作责任分解"
    if doc.doc_number:
        source += f"（{doc.doc_number}）"
    add(Block(PARAGRAPH, f"按照{source}要求，现将{round_data.name}重点工作推进和报送情况通报如下。"))

    add(Block(HEADING1, "一、总体情况"))
    add(Block(PARAGRAPH, _overall(s)))
    add(Block(CHART, "任务推进情况"))
    add(Block(CHART, "报送情况"))

    add(Block(HEADING1, "二、推进较好的单位"))
    good = s.good_units
    if good:
        names = "、".join(u.unit for u in good)
        add(Block(PARAGRAPH, f"{names}等{len(good)}个单位按时报送进展情况，所承担任务均按序时推进或已完成，予以表扬。"))
    else:
        add(Block(PARAGRAPH, "本轮没有全部按时报送且任务均按序时推进的单位。"))

    add(Block(HEADING1, "三、进度滞后或报送不及时的单位"))
    lagging = s.lagging_units
    if not lagging:
        add(Block(PARAGRAPH, "本轮没有进度滞后或报送不及时的单位。"))
    for unit in lagging:
        parts = []
        if unit.behind:
            parts.append(f"{len(unit.behind)}项任务进度滞后（{_numbers(unit.behind)}）")
        if unit.late:
            parts.append(f"逾期报送{len(unit.late)}份（{_numbers(unit.late)}）")
        if unit.missing:
            parts.append(f"未报送{len(unit.missing)}份（{_numbers(unit.missing)}）")
        add(Block(PARAGRAPH, f"{unit.unit}：{'，'.join(parts)}。"))

    add(Block(HEADING1, "四、滞后任务及原因"))
    if not s.lagging_tasks:
        add(Block(PARAGRAPH, "本轮没有进度滞后的任务。"))
    tasks = {t.number: t for t in doc.tasks}
    for task in s.lagging_tasks:
        add(Block(PARAGRAPH, f"{task.number}. {task.text}（{lead_names(tasks[task.number])}）"))
        if len({reason for _unit, reason in task.reasons}) == 1:
            why = task.reasons[0][1].rstrip("。")
        else:
            why = "；".join(f"{unit}{reason.rstrip('。')}" for unit, reason in task.reasons)
        add(Block(PARAGRAPH, f"滞后原因：{why}。"))

    add(Block(HEADING1, "五、下步工作要求"))
    add(
        Block(
            PARAGRAPH,
            "各责任单位要对照年度目标任务，逐项查找差距，细化推进措施；进度滞后的单位要认真分析原因，"
            "制定整改措施，确保按期完成；报送不及时的单位要落实专人负责，按时报送进展情况。"
            "督查局将持续跟踪督办，并适时组织开展专项督查。",
        )
    )
    return draft


def build_bulletin(doc: Document, round_data: RoundData, draft: BulletinDraft | None = None, *, summary=None):
    draft = draft or bulletin_text(doc, round_data)
    summary: RoundSummary = summary or round_summary(doc, round_data)
    document = official.new_document()
    official.issuer_mark(document, "督查通报")
    when = draft.date
    line = f"{draft.signer}　　{when.year}年{when.month}月{when.day}日" if when else draft.signer
    official.doc_number_with_rule(document, f"第{draft.number}期　　{line}" if draft.number else line)
    official.title(document, draft.title)
    if draft.recipients:
        official.recipients(document, draft.recipients)
    charts = {
        "status": lambda: status_chart(summary.task_counts),
        "reports": lambda: report_chart(summary.report_counts),
    }
    for block in draft.blocks:
        if block.kind == HEADING1:
            official.heading1(document, block.text)
        elif block.kind == HEADING2:
            official.heading2(document, block.text)
        elif block.kind == CHART:
            official.picture(document, charts[CHARTS[block.text]](), width_mm=140)
        else:
            official.body(document, block.text)
    official.signature(document, draft.signer, when)
    return document


def render_bulletin(doc: Document, round_data: RoundData, path, draft: BulletinDraft | None = None) -> None:
    """Write the bulletin (.docx); ``draft`` is the edited text, else the one ``bulletin_text`` drafts."""
    official.save(build_bulletin(doc, round_data, draft), path)
