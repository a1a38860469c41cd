"""Whatever duban writes, duban reads back: every clause form of ``duban.render.clauses``
(and so of ``duban render notice`` and the web application's notice download) and
the task table of ``duban parse --xlsx``, for plans hypothesis composes."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from duban.doc import parse_file, parse_source
from duban.doc.export import write_task_table
from duban.doc.model import Document, Task, UnitRef
from duban.doc.source import Source
from duban.render.clauses import unit_clause
from duban.render.notice import render_notice, task_paragraph

UNITS = [
    "发展改革和统计局",
    "财政局",
    "商务局",
    "住房和城乡建设局",
    "市政府办公室（国防动员办公室）",
    "教育局",
    "国家统计局济源调查队",
    "自然资源和规划局",
    "各镇人民政府",
    "区管国有企业",
]
DEADLINES = ["6月底前", "年底前", "持续推进", "9月底前完成", "2026年10月底前"]


@st.composite
def task_units(draw):
    """Every shape the writer has a form for: one or more responsible units, a lead
    alone or with supporting units, responsible units with supporting ones, and a
    monitoring unit after any of them."""
    names = draw(st.lists(st.sampled_from(UNITS), min_size=1, max_size=5, unique=True))
    shape = draw(st.sampled_from(["responsible", "lead", "responsible+support"]))
    monitor = draw(st.booleans()) and len(names) > 1
    body, watch = (names[:-1], names[-1:]) if monitor else (names, [])
    if shape == "lead":
        units = [UnitRef(body[0], "lead")] + [UnitRef(n, "support") for n in body[1:]]
    elif shape == "responsible+support" and len(body) > 1:
        units = [UnitRef(body[0], "responsible")] + [UnitRef(n, "support") for n in body[1:]]
    else:
        units = [UnitRef(n, "responsible") for n in body]
    return units + [UnitRef(n, "monitor") for n in watch]


@st.composite
def plan(draw):
    n = draw(st.integers(min_value=1, max_value=8))
    tasks = []
    for i in range(1, n + 1):
        tasks.append(
            Task(
                str(i),
                ["一、2026年主要预期目标"] if i <= n // 2 else ["二、重点工作", "（一）扩大有效投资"],
                draw(
                    st.sampled_from(["生产总值增长5.5%。", "推进重点项目建设。", "6月底前完成城市体检。", "深化改革"])
                ),
                draw(task_units()),
                deadline=draw(st.one_of(st.none(), st.sampled_from(DEADLINES))),
            )
        )
    return Document(
        kind="notice",
        title="济源市人民政府关于明确政府工作报告提出的2026年重点工作责任单位的通知",
        issuer="济源市人民政府",
        doc_number="济政〔2026〕1号",
        date=date(2026, 3, 8),
        year=2026,
        tasks=tasks,
    )


def _roles(task):
    return [(u.name, u.role) for u in task.units]


def _same(before: Document, after: Document) -> None:
    assert [t.number for t in after.tasks] == [t.number for t in before.tasks]
    for b, a in zip(before.tasks, after.tasks, strict=True):
        assert a.text.rstrip("。") == b.text.rstrip("。")
        assert _roles(a) == _roles(b), unit_clause(b, deadline=True)
        assert a.deadline == b.deadline
        assert a.section == b.section
    assert after.unplaced == []


@settings(max_examples=60, deadline=None)
@given(doc=plan())
def test_every_written_clause_reads_back(doc):
    """The paragraphs the notice writer lays out, read as text."""
    lines = [doc.title, doc.doc_number]
    section: list[str] = []
    for task in doc.tasks:
        for depth, heading in enumerate(task.section):
            if section[depth : depth + 1] != [heading]:
                lines.append(heading)
        section = task.section
        lines.append(task_paragraph(task))
    lines += [doc.issuer, "2026年3月8日"]
    _same(doc, parse_source(Source.from_text("\n".join(lines), name="written.txt")))


@settings(max_examples=12, deadline=None)
@given(doc=plan())
def test_rendered_notice_docx_reads_back(doc, tmp_path_factory):
    path = tmp_path_factory.mktemp("notice") / "notice.docx"
    render_notice(doc, path)
    _same(doc, parse_file(path))


@settings(max_examples=12, deadline=None)
@given(doc=plan())
def test_task_table_xlsx_reads_back(doc, tmp_path_factory):
    path = tmp_path_factory.mktemp("table") / "tasks.xlsx"
    write_task_table(doc, path)
    after = parse_file(path)
    assert [t.number for t in after.tasks] == [t.number for t in doc.tasks]
    for b, a in zip(doc.tasks, after.tasks, strict=True):
        assert _roles(a) == _roles(b)
        assert a.deadline == b.deadline
        assert a.section == b.section
