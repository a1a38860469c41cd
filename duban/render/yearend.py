"""The year-end account (全年落实情况): for the whole plan, or for one unit, as an official .docx."""

from __future__ import annotations

import re

from duban.doc.model import Document
from duban.errors import DubanError
from duban.render import official
from duban.render.clauses import ROLE_LABELS, lead_names, no_tasks_message, unit_tasks
from duban.render.data import DONE, MISSING, REPORT_LABELS, STATUS_LABELS, STATUSES, RoundData
from duban.render.notice import chinese_number
from duban.render.summary import RoundSummary, round_summary, status_label
from duban.track import CLAIMED

_NUMBERING = re.compile(r"^([一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十百]+[）)])\s*")


def _counts(statuses: list[str | None], keys=STATUSES) -> str:
    keys = [x for x in keys if x != DONE and (x != CLAIMED or CLAIMED in statuses)]  # 待确认 only when counted
    parts = [f"{status_label(s)}{statuses.count(s)}项" for s in (DONE, *keys)]
    missing = statuses.count(None)
    if missing:
        parts.append(f"未报送进展{missing}项")
    return "，".join(parts)


def _figures(task, reports) -> str:
    parts = []
    for indicator in task.indicators:
        reached = [r.figures[indicator.name] for r in reports if indicator.name in r.figures]
        if reached:
            target = indicator.text or f"{indicator.value:g}{indicator.unit}"
            parts.append(f"{indicator.name}目标{target}，完成{'、'.join(f'{v:g}' for v in reached)}{indicator.unit}")
    return "；".join(parts)


def build_yearend(doc: Document, round_data: RoundData, unit: str | None = None):
    year = f"{doc.year}年" if doc.year else ""
    document = official.new_document()
    if unit is None:
        _whole_plan(document, doc, round_data, year)
        signer = official.office_name(doc.issuer)
    else:
        _one_unit(document, doc, round_data, unit, year)
        signer = unit
    official.signature(document, signer, round_data.as_of or round_data.due)
    return document


def _whole_plan(document, doc: Document, round_data: RoundData, year: str) -> None:
    # Every task figure comes from the summary, so a judged round reads as duban status does.
    s: RoundSummary = round_summary(doc, round_data)
    keys = list(s.task_counts)

    def label(status: str | None) -> str:
        return status_label(status) if status else REPORT_LABELS[MISSING]

    official.title(document, f"{year}政府工作报告重点工作全年落实情况")
    official.body(
        document,
        f"{year}政府工作报告确定的{len(doc.tasks)}项重点工作任务，经各责任单位共同努力，全年落实情况如下。",
    )
    official.heading1(document, "一、总体情况")
    statuses = [s.status_of(t.number) for t in doc.tasks]
    official.body(
        document,
        f"{len(doc.tasks)}项任务中，{_counts(statuses, keys)}。应报送全年落实情况{s.reports}份，"
        + "，".join(f"{REPORT_LABELS[k]}{v}份" for k, v in s.report_counts.items())
        + "。",
    )
    official.heading1(document, "二、分领域落实情况")
    sections: dict[str, list] = {}
    for task in doc.tasks:
        sections.setdefault(task.section[0] if task.section else "其他", []).append(task)
    for i, (heading, tasks) in enumerate(sections.items(), start=1):
        official.heading2(document, f"（{chinese_number(i)}）{_NUMBERING.sub('', heading)}")
        official.body(document, f"本部分{len(tasks)}项任务，{_counts([s.status_of(t.number) for t in tasks], keys)}。")
        rows = []
        for task in tasks:
            progress = "；".join(f"{r.unit}：{r.progress}" for r in round_data.for_task(task.number) if r.progress)
            rows.append([task.number, task.text, lead_names(task), label(s.status_of(task.number)), progress])
        official.table(
            document, ["序号", "重点工作任务", "责任单位", "完成情况", "落实情况"], rows, [10, 60, 26, 18, 42]
        )
    official.heading1(document, "三、未完成的任务")
    unfinished = [t for t in doc.tasks if s.status_of(t.number) != DONE]
    if not unfinished:
        official.body(document, "全部任务已完成。")
    for task in unfinished:
        reasons = "；".join(
            f"{r.unit}：{r.reasons or r.problems}" for r in round_data.for_task(task.number) if r.reasons or r.problems
        ) or round_data.judged_reasons.get(task.number, "")
        text = f"{task.number}. {task.text}（{lead_names(task)}，{label(s.status_of(task.number))}）"
        official.body(document, text + (f"原因：{reasons}。" if reasons else ""))


def _one_unit(document, doc: Document, round_data: RoundData, unit: str, year: str) -> None:
    tasks = unit_tasks(doc.tasks, unit)
    if not tasks:
        raise DubanError(no_tasks_message(doc.tasks, unit))
    official.title(document, f"{unit}{year}重点工作全年落实情况")
    own = round_data.for_unit(unit)
    statuses = [next((r.status for r in own if r.task == t.number), None) for t, _ in tasks]
    official.heading1(document, "一、总体情况")
    official.body(document, f"本单位承担{year}政府工作报告重点工作任务{len(tasks)}项，{_counts(statuses)}。")
    official.heading1(document, "二、逐项落实情况")
    for task, role in tasks:
        official.body(document, f"{task.number}. {task.text}（{ROLE_LABELS[role]}）")
        reports = [r for r in own if r.task == task.number]
        if not reports:
            official.body(document, "本项由牵头单位汇总报送。" if role == "support" else "未报送全年落实情况。")
            continue
        for r in reports:
            official.body(document, f"完成情况：{STATUS_LABELS[r.status]}。{r.progress}")
            figures = _figures(task, [r])
            if figures:
                official.body(document, f"指标完成情况：{figures}。")
            if r.problems or r.reasons:
                official.body(document, f"存在问题：{r.reasons or r.problems}")
            if r.next_steps:
                official.body(document, f"下步打算：{r.next_steps}")


def render_yearend(doc: Document, round_data: RoundData, path, unit: str | None = None) -> None:
    """Write the year-end account of ``round_data`` (the annual round) for the plan, or for ``unit``."""
    official.save(build_yearend(doc, round_data, unit), path)
