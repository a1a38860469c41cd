"""The domain's words, each defined once with its Chinese label.

Everything that names a role, a report status, a round kind, a task state, a
government level, a unit kind or a user's role reads it from here: the core
(``duban.doc``, ``duban.track``, ``duban.render``), the API schema and the
web models, whose ``choices`` are ``TextChoices`` built from these lists
(``duban.web.models``).  A second spelling of one of these words anywhere
else is a bug: the copies drift (序时推进 / 按序时推进).

Plain Python, no Django: import it from anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Word:
    key: str  # stored in the database and in JSON
    label: str  # what people read
    colour: str = ""  # for task states and timeliness: the CSS / chart colour name
    alias: tuple[str, ...] = ()  # other spellings read back from documents and spreadsheets


class Words:
    """An ordered set of words: ``WORDS.label(key)``, ``WORDS.keys``, ``WORDS.choices``, ``key in WORDS``."""

    def __init__(self, name: str, *words: Word):
        self.name = name
        self.words = words
        self._by_key = {w.key: w for w in words}
        if len(self._by_key) != len(words):
            raise ValueError(f"{name}: a key is defined twice")

    def __iter__(self):
        return iter(self.keys)

    def __contains__(self, key) -> bool:
        return key in self._by_key

    def __len__(self) -> int:
        return len(self.words)

    def __getitem__(self, key: str) -> Word:
        return self._by_key[key]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(w.key for w in self.words)

    @property
    def labels(self) -> dict[str, str]:
        """key → label, in order."""
        return {w.key: w.label for w in self.words}

    @property
    def choices(self) -> list[tuple[str, str]]:
        return [(w.key, w.label) for w in self.words]

    def label(self, key: str) -> str:
        return self._by_key[key].label

    def colour(self, key: str) -> str:
        return self._by_key[key].colour

    def key_of(self, label: str) -> str | None:
        """The key whose label (or one of its other spellings) is ``label``; None when none is."""
        label = (label or "").strip()
        for w in self.words:
            if label == w.label or label in w.alias:
                return w.key
        return None


# --- who does what -----------------------------------------------------------------------------

# A unit's role on a task, in the order a notice names them.
ROLES = Words(
    "ROLES",
    Word("lead", "牵头"),  # coordinates and reports for the task
    Word("responsible", "负责"),  # 负责 / 按职责分工负责 with no lead: owns its share and reports
    Word("support", "配合"),  # after a lead: contributes to the lead's report
    Word("monitor", "监测"),  # measures an indicator independently, reports its figures
)
LEAD, RESPONSIBLE, SUPPORT, MONITOR = ROLES.keys
# The roles that owe a progress report, a plan and a ledger.
REPORTING_ROLES = (LEAD, RESPONSIBLE)

# The kinds of unit a directory knows.  A collective (各镇人民政府, 市政府各部门) stands for its members.
UNIT_KINDS = Words(
    "UNIT_KINDS",
    Word("department", "政府部门"),
    Word("government", "下级政府"),
    Word("zone", "开发区"),
    Word("company", "国有企业"),
    Word("central", "驻地/垂直管理单位"),
    Word("institution", "事业单位和团体"),
    Word("collective", "集合"),
    Word("other", "其他"),
)
COLLECTIVE = "collective"

# Government levels.
LEVELS = Words(
    "LEVELS",
    Word("province", "省级"),
    Word("city", "市级"),
    Word("district", "区级"),
    Word("county", "县级"),
)

# What a government's plan is for: one work report a year, one list of 民生实事, any number of campaigns.
PLAN_KINDS = Words(
    "PLAN_KINDS",
    Word("work_report", "政府工作报告重点工作", alias=("政府工作报告",)),
    Word("livelihood", "民生实事"),
    Word("campaign", "专项工作", alias=("专项行动",)),
)
WORK_REPORT_PLAN, LIVELIHOOD_PLAN, CAMPAIGN_PLAN = PLAN_KINDS.keys
# A government publishes at most one plan of each of these kinds a year; campaigns are as many as it runs.
ONE_A_YEAR_PLAN_KINDS = (WORK_REPORT_PLAN, LIVELIHOOD_PLAN)

# A user's place in the system.
USER_ROLES = Words(
    "USER_ROLES",
    Word("supervisor", "督查人员"),
    Word("unit_staff", "单位联络员"),
    Word("unit_head", "单位负责人"),
    Word("leader", "市领导"),
    Word("admin", "管理员"),
)

# --- rounds ------------------------------------------------------------------------------------

ROUND_KINDS = Words(
    "ROUND_KINDS",
    Word("plan", "落实方案和工作台账", alias=("落实方案和台账",)),
    Word("progress", "进展情况", alias=("季度进展", "进展报告")),
    Word("annual", "全年落实情况"),
)
PLAN_ROUND, PROGRESS_ROUND, ANNUAL_ROUND = ROUND_KINDS.keys
REPORT_ROUND_KINDS = (PROGRESS_ROUND, ANNUAL_ROUND)

# --- what a unit reports ----------------------------------------------------------------------

# A progress report's own verdict on its task.
REPORT_STATUSES = Words(
    "REPORT_STATUSES",
    Word("not_started", "未启动"),
    Word("on_schedule", "序时推进", alias=("按序时推进", "正常推进")),
    Word("behind", "滞后", alias=("滞后推进",)),
    Word("done", "已完成"),
)
NOT_STARTED, ON_SCHEDULE, BEHIND, DONE = REPORT_STATUSES.keys

# Where a report or a ledger is in its life: unit staff → head → office.
REPORT_STATES = Words(
    "REPORT_STATES",
    Word("draft", "草稿"),
    Word("awaiting_head", "待负责人签批"),
    Word("submitted", "已报送"),
    Word("accepted", "已审核"),
    Word("returned", "退回修改", alias=("已退回",)),
)
DRAFT, AWAITING_HEAD, SUBMITTED, ACCEPTED, RETURNED = REPORT_STATES.keys

# Whether an obligation was met in time.  Timeliness is the day the unit's head first signed off.
TIMELINESS = Words(
    "TIMELINESS",
    Word("on_time", "按时报送", "green"),
    Word("late", "逾期报送", "yellow"),
    Word("missing", "未报送", "red"),
    Word("pending", "未到期", "grey"),
    # Returned by the office for revision after the head signed it: neither late nor missing.
    Word("returned", "退回修改", "yellow"),
)
ON_TIME, LATE, MISSING, PENDING, RETURNED_FOR_REVISION = TIMELINESS.keys
# The states a bulletin counts reports by (pending is not owed yet; a returned one was on time or late).
COUNTED_TIMELINESS = (ON_TIME, LATE, MISSING)

# --- how a task stands -------------------------------------------------------------------------

# Task states from best to worst, each with its colour.
TASK_STATES = Words(
    "TASK_STATES",
    Word("done", "已完成", "blue"),
    # A unit said 已完成 and its head signed: the office has not accepted it yet.
    Word("claimed", "待确认", "teal"),
    Word("on_track", "序时推进", "green", alias=("按序时推进",)),
    Word("not_started", "未启动", "grey"),
    Word("at_risk", "需关注", "yellow"),
    Word("lagging", "滞后", "red"),
)
TASK_DONE, TASK_CLAIMED, ON_TRACK, TASK_NOT_STARTED, AT_RISK, LAGGING = TASK_STATES.keys

# --- change requests ---------------------------------------------------------------------------

CHANGE_KINDS = Words(
    "CHANGE_KINDS",
    Word("extension", "延期"),
    Word("change", "调整"),
    # Moving a milestone's date or un-ticking it once the ledger is accepted.
    Word("milestone", "节点变更"),
)
CHANGE_STATES = Words(
    "CHANGE_STATES",
    Word("pending", "待审批"),
    Word("approved", "已同意"),
    Word("refused", "不同意"),
)

INSPECTION_KINDS = Words(
    "INSPECTION_KINDS",
    Word("special", "专项督查"),
    Word("comprehensive", "综合督查"),
)

# --- across levels (上级交办) ------------------------------------------------------------------

# The words a notice puts after 各 to name every government of a level (各省辖市政府, 各市县政府,
# 各县（市、区）人民政府), and the level each names; None: a level below the ones duban keeps (乡镇, 街道).
# A 市 in brackets after 县 is a county-level city: 县（市、区） is counties, cities under them and districts.
LEVEL_WORDS = {
    "省辖市": "city",
    "地级市": "city",
    "地市": "city",
    "自治州": "city",
    "市": "city",
    "州": "city",
    "盟": "city",
    "县级市": "county",
    "自治县": "county",
    "县": "county",
    "旗": "county",
    "区": "district",
    "自治区": "province",
    "直辖市": "province",
    "省": "province",
    "乡镇": None,
    "乡": None,
    "镇": None,
    "街道": None,
}
# 各地 / 各地方: every government below the writer, whatever its level.
ALL_LOCAL_WORDS = ("各地方", "各地")
# What follows a place to make it the place's government: 郑州市人民政府, 济源示范区管委会.
GOVERNMENT_BODIES = ("人民政府", "政府", "管理委员会", "管委会")
# What a place's name ends with, longest first: 济源示范区 → 济源, 郑州市 → 郑州.
PLACE_ENDINGS = (
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "示范区",
    "新区",
    "地区",
    "省",
    "市",
    "区",
    "县",
    "旗",
    "盟",
)

# How a parent government's task is addressed to the government below it (duban.draft.coverage.Addressed.how).
ADDRESSED_HOW = Words(
    "ADDRESSED_HOW",
    Word("name", "点名交办"),  # 济源示范区, 郑州市政府
    Word("collective", "统一交办"),  # 各省辖市政府
)
# How one of the government's own tasks stands to a 上级交办 task.
COVERAGE_LINKS = Words(
    "COVERAGE_LINKS",
    Word("suggested", "建议承接"),  # duban.draft.coverage.pair suggested it, nobody has looked yet
    Word("confirmed", "已确认"),  # the office confirmed the suggestion
    Word("linked", "人工关联"),  # the office linked a task the rule did not suggest
    Word("added", "新增承接"),  # the office added a task of its own to take the parent task up
    Word("rejected", "不承接"),  # the office said the suggested task does not take it up
)
SUGGESTED_LINK, CONFIRMED_LINK, LINKED_BY_HAND, ADDED_LINK, REJECTED_LINK = COVERAGE_LINKS.keys
# The links that say a parent task is taken up; a suggestion waits for the office.
TAKEN_UP_LINKS = (CONFIRMED_LINK, LINKED_BY_HAND, ADDED_LINK)
# Where a 上级交办 task stands in the government below, from its links.
COVERAGE_STATES = Words(
    "COVERAGE_STATES",
    Word("taken_up", "已承接", "green"),
    Word("suggested", "待确认", "yellow"),
    Word("not_taken_up", "未承接", "red"),
)
TAKEN_UP, AWAITING_CONFIRMATION, NOT_TAKEN_UP = COVERAGE_STATES.keys
# Government levels from the top: a government sits under one of a level strictly above its own.
LEVEL_RANK = {"province": 0, "city": 1, "district": 2, "county": 2}

# --- renamings and mergers (机构改革) ------------------------------------------------------------

# What happened to a unit the office retired: renamed (one old unit, a new name) or merged
# (several units into one, new or existing).  Its work moves to its successor; its history stays.
UNIT_CHANGES = Words(
    "UNIT_CHANGES",
    Word("rename", "单位更名"),
    Word("merge", "单位合并"),
)
UNIT_RENAME, UNIT_MERGE = UNIT_CHANGES.keys
