"""A rendered task clause with a 完成时限 reads back with its units (an amended deadline must not lose them).

``task_paragraph`` writes ``（A牵头，B按职责分工负责；完成时限：…）``; the parser reads
the units before the first label as well as the labelled deadline.
"""

from hypothesis import given
from hypothesis import strategies as st

from duban.doc.clauses import parse_clause
from duban.doc.model import LEAD, MONITOR, RESPONSIBLE, SUPPORT, Task, UnitRef
from duban.render.notice import task_paragraph

NAMES = ["商务局", "财政局", "教育局", "发展改革和统计局", "市场监督管理局", "各镇人民政府", "国家统计局云溪调查队"]
DEADLINES = ["6月底前", "2026年12月底", "2026年9月30日", "年底前完成"]


@st.composite
def tasks(draw):
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=4, unique=True))
    shape = draw(st.sampled_from(["lead", "responsible"]))
    if shape == "lead":
        roles = [LEAD] + [SUPPORT] * (len(names) - 1)
    else:
        roles = [RESPONSIBLE] * len(names)
    if len(names) > 1 and draw(st.booleans()):
        roles[-1] = MONITOR
        if shape == "responsible" and len(names) == 2:
            roles[0] = RESPONSIBLE
    deadline = draw(st.one_of(st.none(), st.sampled_from(DEADLINES)))
    return Task("7", ["一、部分"], "推进重点工作。", [UnitRef(n, r) for n, r in zip(names, roles)], deadline=deadline)


def _clause(paragraph: str) -> str:
    return paragraph[paragraph.index("（") + 1 : paragraph.rindex("）")]


@given(tasks())
def test_a_rendered_clause_reads_back_with_units_and_deadline(task):
    result = parse_clause(_clause(task_paragraph(task)))
    assert [(u.name, u.role) for u in result.units] == [(u.name, u.role) for u in task.units]
    assert result.deadline == task.deadline


def test_units_written_before_a_deadline_label():
    result = parse_clause("教育局牵头负责；完成时限：2026年12月底")
    assert [(u.name, u.role) for u in result.units] == [("教育局", LEAD)] and result.deadline == "2026年12月底"
    labelled = parse_clause("牵头单位：商务局；完成时限：6月底")
    assert [(u.name, u.role) for u in labelled.units] == [("商务局", LEAD)]
