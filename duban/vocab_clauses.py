"""The words of a unit clause, defined once: role words, labels, table column headers.

Every reader (``duban.doc.clauses`` for parenthetical, labelled-line,
labelled-inline and table clauses; ``duban.doc.notice`` for label lines and
flattened tables) and every writer (``duban.render.clauses``) takes its words
from here, so what duban writes it reads back, and a label known to one reader
is known to all.

Role keys are the ones of ``duban.doc.model`` (lead / responsible / support /
monitor).  ``SHARE`` is a role word that takes its role from the clause:
responsible when nobody leads, support after a lead.
"""

from __future__ import annotations

import re

from duban.doc.model import LEAD, MONITOR, RESPONSIBLE, SUPPORT

SHARE = "share"
DEADLINE = "deadline"
LEADER = "leader"
# 部门分工：X牵头，Y配合 — a label whose value is itself a clause with role words.
CLAUSE = "clause"

# Role words written after a list of units, longest first where one ends another.
ROLE_WORDS: tuple[tuple[str, str], ...] = (
    ("按职责分工负责", SHARE),
    ("按照职责分工负责", SHARE),
    ("按职责负责", SHARE),
    ("分别负责", SHARE),
    ("共同负责", SHARE),
    ("牵头负责", LEAD),
    ("牵头落实", LEAD),
    ("牵头", LEAD),
    ("配合落实", SUPPORT),
    ("协助", SUPPORT),
    ("配合", SUPPORT),
    ("参与", SUPPORT),
    ("监测", MONITOR),
    ("按职责分工落实", SHARE),
    ("分工负责", SHARE),
    ("协同配合", SUPPORT),
    ("负责落实", SHARE),
    ("负责", SHARE),
    ("落实", SHARE),
)

# Labels: ``牵头单位：X`` on a line of its own, inside brackets, inline after the
# task, or as a table column header.
LABELS: dict[str, str] = {
    "牵头单位": LEAD,
    "牵头部门": LEAD,
    "牵头责任单位": LEAD,
    "牵头负责单位": LEAD,
    "牵头负责部门": LEAD,
    "主责单位": LEAD,
    "主责部门": LEAD,
    "主办单位": LEAD,
    "责任单位": RESPONSIBLE,
    "责任部门": RESPONSIBLE,
    "主要责任单位": RESPONSIBLE,
    "负责单位": RESPONSIBLE,
    "承办单位": RESPONSIBLE,
    "配合单位": SUPPORT,
    "配合部门": SUPPORT,
    "协办单位": SUPPORT,
    "参与单位": SUPPORT,
    "协同单位": SUPPORT,
    "协作单位": SUPPORT,
    "配合责任单位": SUPPORT,
    "协同部门": SUPPORT,
    "参与部门": SUPPORT,
    "协办部门": SUPPORT,
    "监测单位": MONITOR,
    "监测部门": MONITOR,
    "部门分工": CLAUSE,
    "责任分工": CLAUSE,
    "单位分工": CLAUSE,
    "完成时限": DEADLINE,
    "完成时间": DEADLINE,
    "时间节点": DEADLINE,
    "时限要求": DEADLINE,
    "牵头领导": LEADER,
    "责任领导": LEADER,
    "分管领导": LEADER,
    "联系领导": LEADER,
    "包联领导": LEADER,
    "分管省领导": LEADER,
    "分管市领导": LEADER,
    "分管县领导": LEADER,
    "分管区领导": LEADER,
    "分管县级领导": LEADER,
    "分管市级领导": LEADER,
    "省级领导": LEADER,
    "市级领导": LEADER,
    "县级领导": LEADER,
    "区级领导": LEADER,
    "牵头省领导": LEADER,
    "牵头市领导": LEADER,
    "牵头县领导": LEADER,
    "责任省领导": LEADER,
    "责任市领导": LEADER,
    "责任县领导": LEADER,
    "联系省领导": LEADER,
    "联系市领导": LEADER,
    "联系县领导": LEADER,
    "分管副省长": LEADER,
    "分管副市长": LEADER,
    "分管副县长": LEADER,
    "分管副区长": LEADER,
    "责任人": LEADER,
}
_LABEL_ALTERNATION = "|".join(sorted(LABELS, key=len, reverse=True))
# A label and its colon anywhere in a (folded) clause.
LABEL_RE = re.compile(rf"({_LABEL_ALTERNATION})\s*[：:]")
# A line that starts with a label: ``牵头单位：…``, ``（责任单位：…）``, ``• 责任单位:…``.
LABEL_LINE_RE = re.compile(rf"^[（(〔\[【]?\s*({_LABEL_ALTERNATION})\s*[：:]")

# Words the writer uses, so the reader's table above always covers them.
WRITE_LEAD = "牵头"
WRITE_LEAD_ALONE = "牵头负责"
WRITE_ONE = "负责"
WRITE_SHARE = "按职责分工负责"
WRITE_SUPPORT = "配合"
WRITE_MONITOR = "监测"
WRITE_DEADLINE = "完成时限"
WRITE_LEAD_LABEL = "牵头单位"
WRITE_RESPONSIBLE_LABEL = "责任单位"
WRITE_SUPPORT_LABEL = "配合单位"
WRITE_MONITOR_LABEL = "监测单位"
WRITE_LEADER_LABEL = "牵头领导"

# Table column headers: what a header cell means.  A cell names a unit column
# by its role word; a leader column (分管领导) is never a unit column.
COLUMN_PATTERNS: tuple[tuple[str, re.Pattern], ...] = (
    ("number", re.compile(r"^(序号|编号|序|No\.?)$")),
    (LEADER, re.compile(r"领导$|^责任人$")),
    (DEADLINE, re.compile(r"(完成时限|完成时间|时间节点|时限|进度安排)")),
    (LEAD, re.compile(r"(牵头|主责|主办)")),
    (SUPPORT, re.compile(r"(配合|协办|参与|协同|协作)")),
    (MONITOR, re.compile(r"^监测")),
    (RESPONSIBLE, re.compile(r"^(责任|负责|主要责任|承办)(单位|部门)")),
    ("section", re.compile(r"^(类别|领域|板块|所属部分)$")),
    (
        "text",
        re.compile(
            r"(工作任务|重点任务|任务内容|主要任务|工作内容|重点工作|目标任务|目标与任务|具体任务|工作目标|任务|事项)"
        ),
    ),
)


def column_meaning(cell: str) -> str | None:
    """What a (folded, space-free) header cell names, or None."""
    for key, pattern in COLUMN_PATTERNS:
        if pattern.search(cell):
            return key
    return None


# A note that the first-listed unit of each list leads: 列第一位的为牵头单位,
# 除标注为“牵头”单位外，列第一位者为牵头或汇总单位，下同.
FIRST_LISTED_LEADS_RE = re.compile(
    r"(列|排|位)(在|于|居)?(第一|首)(位|个)?(的|者)?(单位|部门)?(为|是)牵头|第一(个|位)?(单位|部门)为牵头|首位(单位)?为牵头"
)
# The note as a bracketed aside or a sentence of its own inside a clause.
FIRST_LISTED_NOTE_RE = re.compile(
    r"[（(〔][^（()）〔〕]*?(?:列|排|位)(?:在|于|居)?(?:第一|首)[^（()）〔〕]*?牵头[^（()）〔〕]*[）)〕]"
    r"|(?:除[^，。；]*?外，?)?(?:列|排)(?:在|于)?(?:第一|首)(?:位|个)?(?:的|者)?(?:单位|部门)?为牵头[^，。；）)]*(?:，下同)?"
)
