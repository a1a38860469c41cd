"""Every input of the web application, as a Django form.

A view binds one of these to ``request.POST`` (or to an API call's JSON body),
asks ``is_valid()`` and hands ``cleaned_data`` to a service; a form that does
not validate answers with ``first_error()``, one Chinese sentence naming the
field.  Nothing here writes to the database.

Forms carrying an optimistic ``version`` derive from ``VersionedForm``: on a
refused save the page shows the editor's own words beside what was stored
(``conflict_rows``), for any such form.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator

from duban import vocab
from duban.errors import DubanError
from duban.web.models import (
    LEVELS,
    ROLES,
    UNIT_KINDS,
    ChangeRequest,
    Government,
    Inspection,
    Membership,
    ProgressReport,
    ReportingRound,
    Section,
)
from duban.web.services.amend import clean_unit_rows
from duban.web.services.reports import number

# A year a notice can be for: the people's republic's plans, not typos like 99999999999.
YEAR_MIN, YEAR_MAX = 2000, 2100
# Dates typed into a form are read only inside this window: 0001-01-01 is a typo, not a deadline.
DATE_MIN, DATE_MAX = date(1990, 1, 1), date(2199, 12, 31)
# Free text longer than this is not a report paragraph but a pasted file.
TEXT_MAX = 20000


class DubanForm(forms.Form):
    """A form whose errors read as one sentence: “字段：错误”."""

    def first_error(self) -> str:
        for name, errors in self.errors.items():
            message = errors[0] if errors else "输入有误"
            if name == forms.forms.NON_FIELD_ERRORS or name not in self.fields:
                return str(message)
            label = self.fields[name].label or name
            return f"{label}：{message}"
        return "输入有误"


class Text(forms.CharField):
    """Free text: stripped, no NUL characters, refuses a JSON list or object posing as text."""

    def __init__(self, *, label, required=False, max_length=TEXT_MAX, **kwargs):
        super().__init__(label=label, required=required, max_length=max_length, **kwargs)

    def to_python(self, value):
        if isinstance(value, (list, dict)):
            raise forms.ValidationError("应为文字", code="invalid")
        return super().to_python(value)


class Day(forms.DateField):
    """A date in ISO form (2026-06-30), within years a plan can mean."""

    default_error_messages = {"invalid": "日期格式不对，请用 2026-06-30 这样的格式"}

    def __init__(self, *, label, required=False, **kwargs):
        super().__init__(label=label, required=required, input_formats=["%Y-%m-%d"], **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
        day = super().to_python(value)
        if day is not None and not (DATE_MIN <= day <= DATE_MAX):
            raise forms.ValidationError(f"日期“{day}”超出 {DATE_MIN.year}–{DATE_MAX.year} 年", code="invalid")
        return day


class Whole(forms.IntegerField):
    """An integer that refuses booleans and floats from JSON instead of reading them as 1 or 0."""

    def to_python(self, value):
        # A JSON list or object would count as "empty" to Django and silently mean "not given".
        if isinstance(value, (bool, float, list, dict)):
            raise forms.ValidationError("应为整数", code="invalid")
        return super().to_python(value)


# The largest primary key a database column holds: a longer number is no row's id, not a reason to crash.
ID_MAX = 2**63 - 1


class _RowIds:
    """Mixin for model choice fields: an id that is not a whole number in range is simply not a row."""

    def _ids_in_range(self, values):
        for value in values:
            text = str(value).strip()
            if not text.isascii() or not text.isdigit() or int(text) > ID_MAX:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": text[:20]}
                )


class Row(_RowIds, forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and not isinstance(value, self.queryset.model):
            self._ids_in_range([value])
        return super().to_python(value)


class Rows(_RowIds, forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        if isinstance(value, (list, tuple)):
            self._ids_in_range(value)
        return super()._check_values(value)


def _choices_error(label: str) -> dict:
    return {"invalid_choice": f"“%(value)s”不是有效的{label}"}


class VersionedForm(DubanForm):
    """A form editing a stored object under optimistic locking.

    ``version`` is what the editor loaded.  ``conflict_fields`` names the fields compared with the
    stored object when the save is refused because someone else saved first.
    """

    version = Whole(label="版本", min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput)
    conflict_fields: tuple[str, ...] = ()

    def conflict_rows(self, stored: dict) -> list[dict]:
        """The editor's words beside the stored ones, field by field (only the fields that differ)."""
        rows = []
        for name in self.conflict_fields:
            field = self.fields.get(name)
            mine = self.data.get(name, "") if hasattr(self.data, "get") else ""
            theirs = stored.get(name, "")
            mine, theirs = ("" if mine is None else str(mine)), ("" if theirs is None else str(theirs))
            if mine.strip() != theirs.strip():
                row = {"name": name, "label": field.label if field else name, "mine": mine, "theirs": theirs}
                row["value"] = theirs
                if isinstance(field, forms.ChoiceField):  # show the labels; copy the stored key
                    labels = dict(field.choices)
                    row["mine"], row["theirs"] = str(labels.get(mine, mine)), str(labels.get(theirs, theirs))
                rows.append(row)
        return rows


# --- a unit's work ------------------------------------------------------------------------------------


class ReportForm(VersionedForm):
    """One POST on a report page: save/send by the unit, sign-off by its head, review by the office."""

    ACTIONS = [
        ("save", "保存"),
        ("send", "提交负责人签批"),
        ("approve", "同意报送"),
        ("head_return", "负责人退回"),
        ("accept", "审核通过"),
        ("office_return", "督查退回"),
    ]
    action = forms.ChoiceField(label="操作", choices=ACTIONS, required=False, error_messages=_choices_error("操作"))
    status = forms.ChoiceField(
        label="进展状态", choices=ProgressReport.STATUSES, required=False, error_messages=_choices_error("进展状态")
    )
    done_text = Text(label="工作进展")
    problems = Text(label="存在问题")
    next_steps = Text(label="下步打算")
    comment = Text(label="意见", max_length=2000)
    revise_by = forms.DateField(
        label="修改期限", required=False, error_messages={"invalid": "修改期限格式不对，请用 2026-06-30 这样的格式"}
    )
    conflict_fields = ("status", "done_text", "problems", "next_steps")

    def __init__(self, *args, task=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = list(task.indicators) if task is not None else []
        for n, indicator in enumerate(self.indicators):
            self.fields[f"figure_{n}"] = forms.CharField(
                label=f"{indicator['name']}完成值", required=False, max_length=40
            )

    def clean_action(self):
        return self.cleaned_data.get("action") or "save"

    def clean(self):
        data = super().clean()
        if data.get("action") in ("save", "send") and "status" in self.data and not data.get("status"):
            self.add_error("status", "请选择进展状态")
        if data.get("action") == "office_return" and not data.get("comment"):
            self.add_error("comment", "退回时请填写意见")
        figures = {}
        for n, indicator in enumerate(self.indicators):
            raw = (data.get(f"figure_{n}") or "").strip()
            if raw:
                try:
                    figures[indicator["name"]] = number(raw)
                except ValueError:
                    self.add_error(f"figure_{n}", f"“{raw}”不是数字")
        data["figures"] = figures
        return data

    def stored_values(self, report: ProgressReport) -> dict:
        return {name: getattr(report, name) for name in self.conflict_fields}


class LedgerForm(VersionedForm):
    """The ledger's text fields; its milestones come as parallel lists ``m_title``/``m_due``/``m_done``."""

    measures = Text(label="主要措施")
    safeguards = Text(label="保障机制")
    responsible_leader = Text(label="责任领导", max_length=100)
    responsible_person = Text(label="责任人", max_length=100)
    conflict_fields = ("measures", "safeguards", "responsible_leader", "responsible_person", "milestones")
    MILESTONE_TITLE_MAX = 300

    def clean(self):
        data = super().clean()
        getlist = getattr(self.data, "getlist", None)
        titles = getlist("m_title") if getlist else []
        dues = getlist("m_due") if getlist else []
        done = set(getlist("m_done")) if getlist else set()
        dues = dues + [""] * (len(titles) - len(dues))
        rows = []
        day = Day(label="时序节点")
        for i, (title, due) in enumerate(zip(titles, dues)):
            title = (title or "").strip()
            if not title:
                continue
            if len(title) > self.MILESTONE_TITLE_MAX or "\x00" in title:
                self.add_error(None, f"第 {i + 1} 个工作事项太长或含无效字符（最多 {self.MILESTONE_TITLE_MAX} 字）")
                continue
            try:
                when = day.clean(due)
            except forms.ValidationError as exc:
                self.add_error(None, f"第 {i + 1} 个工作事项的时序节点：{exc.messages[0]}")
                continue
            rows.append((title, when, str(i) in done))
        data["milestones"] = rows
        return data

    def conflict_rows(self, stored: dict) -> list[dict]:
        getlist = getattr(self.data, "getlist", None)
        if getlist:
            titles, dues = getlist("m_title"), getlist("m_due")
            done = set(getlist("m_done"))
            mine = [
                f"{t.strip()} {d}{' ✓' if str(i) in done else ''}".strip()
                for i, (t, d) in enumerate(zip(titles, dues + [""] * len(titles)))
                if t.strip()
            ]
            data = self.data.copy()
            data["milestones"] = "\n".join(mine)
            self.data = data
        return super().conflict_rows(stored)

    @staticmethod
    def stored_values(ledger) -> dict:
        values = {k: getattr(ledger, k) for k in ("measures", "safeguards", "responsible_leader", "responsible_person")}
        values["milestones"] = "\n".join(
            f"{m.title} {m.due or ''}{' ✓' if m.done else ''}".strip() for m in ledger.milestones.all()
        )
        return values


class ContributionForm(DubanForm):
    text = Text(label="配合工作情况", required=True)


class AttachmentForm(DubanForm):
    file = forms.FileField(label="附件", error_messages={"required": "请选择文件"})


class UrgeForm(DubanForm):
    unit = Row(label="单位", queryset=None, error_messages={"invalid_choice": "没有这个单位"})
    task = Row(label="任务", queryset=None, required=False, error_messages={"invalid_choice": "没有这项任务"})
    round = Row(label="轮次", queryset=None, required=False, error_messages={"invalid_choice": "没有这个报送轮次"})
    message = Text(label="催办内容", max_length=2000)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = plan.government.units.all()
        self.fields["task"].queryset = plan.tasks.all()
        self.fields["round"].queryset = plan.rounds.all()


class InspectionForm(DubanForm):
    kind = forms.ChoiceField(label="督查类型", choices=Inspection.KINDS, error_messages=_choices_error("督查类型"))
    title = Text(label="名称", required=True, max_length=200)
    held_on = Day(label="日期")
    notes = Text(label="说明")


class FindingForm(DubanForm):
    task = Row(label="任务", queryset=None, error_messages={"invalid_choice": "没有这项任务"})
    text = Text(label="发现的问题", required=True)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = plan.tasks.all()


class ChangeDecisionForm(DubanForm):
    decision = forms.ChoiceField(
        label="审批结果",
        choices=[(ChangeRequest.APPROVED, "同意"), (ChangeRequest.REFUSED, "不同意")],
        error_messages=_choices_error("审批结果"),
    )
    comment = Text(label="审批意见", max_length=2000)


class DashboardFilterForm(DubanForm):
    """The dashboard's GET filters; a filter that does not validate is dropped, not obeyed or crashed on."""

    section = Whole(label="栏目", required=False, min_value=1, max_value=2**62)
    unit = Text(label="单位", max_length=120)
    status = Text(label="状态", max_length=32)
    late = forms.ChoiceField(label="逾期", choices=[("", ""), ("all", "全部")], required=False)
    lagging = forms.ChoiceField(label="滞后", choices=[("", ""), ("all", "全部")], required=False)
    page = Whole(label="任务页码", required=False, min_value=1, max_value=2**31)
    units_page = Whole(label="单位页码", required=False, min_value=1, max_value=2**31)
    sections_page = Whole(label="领域页码", required=False, min_value=1, max_value=2**31)
    late_page = Whole(label="逾期页码", required=False, min_value=1, max_value=2**31)
    lagging_page = Whole(label="滞后页码", required=False, min_value=1, max_value=2**31)

    def filters(self) -> dict:
        self.is_valid()
        return {k: self.cleaned_data.get(k) or None for k in self.fields}


# The API's task list gives at most this many tasks an answer (a 6,000-task plan is 1.9 MB at once); a
# client pages on with ``offset`` (the answer's ``next``).  A plan of up to this many tasks is one answer.
API_TASKS_MAX = 1000


class ApiPageForm(DubanForm):
    """``?offset=&limit=`` of the API's task list."""

    offset = Whole(label="offset", required=False, min_value=0, max_value=2**31)
    limit = Whole(label="limit", required=False, min_value=1, max_value=API_TASKS_MAX)

    def window(self) -> tuple[int, int]:
        return self.cleaned_data.get("offset") or 0, self.cleaned_data.get("limit") or API_TASKS_MAX


class ReportQueueForm(DubanForm):
    state = forms.ChoiceField(label="流转状态", choices=ProgressReport.STATES, required=False)


class AuditFilterForm(DubanForm):
    action = Text(label="操作", max_length=50)


# --- the unit directory and the reporting schedule ------------------------------------------------------


def split_names(text: str) -> list[str]:
    return [p.strip() for p in text.replace("，", ",").replace("、", ",").split(",") if p.strip()]


class UnitActionForm(DubanForm):
    action = forms.ChoiceField(
        label="操作",
        choices=[
            ("defaults", "载入默认名录"),
            ("add", "新增"),
            ("edit", "修改"),
            ("account", "新建账号"),
            ("rename", "更名"),
            ("merge", "合并"),
        ],
        error_messages=_choices_error("操作"),
    )


class _UnitForm(DubanForm):
    unit = Row(label="单位", queryset=None, error_messages={"invalid_choice": "没有这个单位"})

    def __init__(self, *args, government, **kwargs):
        super().__init__(*args, **kwargs)
        self.government = government
        if "unit" in self.fields:
            # A retired unit (renamed or merged away) takes no new accounts, members or changes.
            self.fields["unit"].queryset = government.units.filter(successor__isnull=True)


class Aliases(Text):
    def clean(self, value):
        return split_names(super().clean(value))


class UnitAddForm(_UnitForm):
    unit = None
    name = Text(label="单位名称", required=True, max_length=120)
    kind = forms.ChoiceField(
        label="类型", choices=UNIT_KINDS, initial="department", error_messages=_choices_error("单位类型")
    )
    aliases = Aliases(label="别名", max_length=2000)

    def clean_name(self):
        name = self.cleaned_data["name"]
        if self.government.units.filter(name=name).exists():
            raise forms.ValidationError(f"“{name}”已存在于名录中")
        return name


class UnitEditForm(_UnitForm):
    kind = forms.ChoiceField(label="类型", choices=UNIT_KINDS, error_messages=_choices_error("单位类型"))
    aliases = Aliases(label="别名", max_length=2000)
    members = Rows(
        label="成员",
        queryset=None,
        required=False,
        error_messages={"invalid_choice": "没有这个成员单位（%(value)s）", "invalid_pk_value": "没有这个成员单位"},
    )

    def __init__(self, *args, government, **kwargs):
        super().__init__(*args, government=government, **kwargs)
        self.fields["members"].queryset = government.units.filter(successor__isnull=True).exclude(kind="collective")


class AccountForm(_UnitForm):
    username = forms.CharField(label="用户名", max_length=150, validators=[UnicodeUsernameValidator()])
    role = forms.ChoiceField(
        label="角色",
        choices=[(Membership.UNIT_STAFF, "联络员"), (Membership.UNIT_HEAD, "负责人")],
        error_messages=_choices_error("角色"),
    )
    full_name = Text(label="姓名", max_length=150)

    def clean_username(self):
        from django.contrib.auth.models import User

        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username=username).exists():
            raise forms.ValidationError(f"用户名“{username}”已存在")
        return username


class _UnitChangeForm(_UnitForm):
    """A renaming or merger (services/unit_changes.py): its date (its year decides which plans' work moves) and why."""

    effective = Day(label="生效日期")
    reason = Text(label="依据", max_length=500)

    def __init__(self, *args, government, **kwargs):
        super().__init__(*args, government=government, **kwargs)
        live = government.units.filter(successor__isnull=True).exclude(kind="collective")
        for name in ("unit", "units", "into"):
            if name in self.fields:
                self.fields[name].queryset = live


class RenameForm(_UnitChangeForm):
    new_name = Text(label="新名称", required=True, max_length=120)

    def clean_new_name(self):
        name = " ".join(self.cleaned_data["new_name"].split())
        if self.government.units.filter(name=name).exists():
            raise forms.ValidationError(f"“{name}”已存在于名录中（并入已有单位请用“合并”）")
        return name


class MergeForm(_UnitChangeForm):
    unit = None
    units = Rows(
        label="合并的单位",
        queryset=None,
        error_messages={
            "required": "请选择要合并的单位",
            "invalid_choice": "没有这个单位（%(value)s）",
            "invalid_pk_value": "没有这个单位",
        },
    )
    into = Row(label="并入单位", queryset=None, required=False, error_messages={"invalid_choice": "没有这个单位"})
    new_name = Text(label="新单位名称", max_length=120)

    def clean_new_name(self):
        name = " ".join(self.cleaned_data["new_name"].split())
        if name and self.government.units.filter(name=name).exists():
            raise forms.ValidationError(f"“{name}”已存在于名录中（请改为选择并入该单位）")
        return name

    def clean(self):
        data = super().clean()
        if not self.errors and (data.get("into") is None) == (not data.get("new_name")):
            raise forms.ValidationError("请选择并入的已有单位，或填写新单位名称（二者选一）")
        return data


class PublishForm(DubanForm):
    """Publishing a draft: a notice that seems another government's needs ``issuer_ok`` ticked."""

    issuer_ok = forms.ChoiceField(
        label="确认发文机关", choices=[("", ""), ("1", "已核对")], required=False, error_messages=_choices_error("确认")
    )


class ImportForm(DubanForm):
    year = Whole(
        label="年度",
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        error_messages={
            "invalid": "年度必须是数字",
            "min_value": f"年度应在 {YEAR_MIN}–{YEAR_MAX} 之间",
            "max_value": f"年度应在 {YEAR_MIN}–{YEAR_MAX} 之间",
        },
    )
    kind = forms.ChoiceField(
        label="文件类型",
        choices=[("notice", "通知"), ("report", "政府工作报告")],
        required=False,
        error_messages=_choices_error("文件类型"),
    )
    plan_kind = forms.ChoiceField(
        label="计划类别", choices=vocab.PLAN_KINDS.choices, required=False, error_messages=_choices_error("计划类别")
    )
    notice = forms.FileField(label="文件", error_messages={"required": "请选择要上传的通知文件"})

    def clean_notice(self):
        from django.conf import settings

        upload = self.cleaned_data["notice"]
        if upload.size > settings.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"文件太大（{upload.size // 1024 // 1024} MB），上限为 {settings.MAX_UPLOAD_BYTES // 1024 // 1024} MB"
            )
        return upload


class TaskUnitsForm(DubanForm):
    """A task's units as parallel lists ``unit``/``role``; a blank name drops the row.
    ``lead`` alone is the one-click choice of a candidate as the task's lead."""

    lead = forms.CharField(required=False, max_length=120, strip=True)

    def clean(self):
        data = super().clean()
        getlist = getattr(self.data, "getlist", None)
        names = getlist("unit") if getlist else []
        roles = getlist("role") if getlist else []
        valid = {r for r, _ in ROLES}
        rows = []
        for name, role in zip(names, roles + ["responsible"] * len(names)):
            name = (name or "").strip()
            if not name:
                continue
            if len(name) > 120 or "\x00" in name:
                raise forms.ValidationError(f"单位名称“{name[:20]}…”太长或含无效字符（最多 120 字）")
            if role not in valid:
                raise forms.ValidationError(f"“{role}”不是有效的角色")
            rows.append((name, role))
        data["rows"] = rows
        return data


class TaskEditForm(DubanForm):
    action = forms.ChoiceField(
        label="操作",
        choices=[("text", "修改"), ("merge", "合并"), ("move", "移动")],
        error_messages=_choices_error("操作"),
    )
    text = Text(label="任务内容")
    section = Row(label="栏目", queryset=None, required=False, error_messages={"invalid_choice": "没有这个栏目"})

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = plan.sections.all()

    def clean(self):
        data = super().clean()
        if data.get("action") == "move" and not data.get("section"):
            self.add_error("section", "请选择要移到的栏目")
        if data.get("action") == "text" and not data.get("text"):
            self.add_error("text", "任务内容不能为空")
        return data


class BulletinForm(VersionedForm):
    text = Text(label="通报正文", required=True, max_length=200000, strip=False)
    conflict_fields = ("text",)


class LedgerImportForm(DubanForm):
    confirm = forms.ChoiceField(label="确认", choices=[("", "否"), ("1", "是")], required=False)
    digest = forms.RegexField(label="文件摘要", regex=r"^[0-9a-f]{0,64}$", required=False, max_length=64)
    file = forms.FileField(label="文件", required=False)


# --- the JSON API ---------------------------------------------------------------------------------------


class Flag(forms.Field):
    """A JSON true/false (or 0/1, "true"/"false"); anything else is refused, absent is false."""

    widget = forms.HiddenInput
    TRUE, FALSE = (True, 1, "true", "1"), (False, 0, "false", "0", "", None)

    def __init__(self, *, label):
        super().__init__(label=label, required=False)

    def to_python(self, value):
        if isinstance(value, (list, dict, float)):
            raise forms.ValidationError("应为 true 或 false", code="invalid")
        if value in self.TRUE:
            return True
        if value in self.FALSE:
            return False
        raise forms.ValidationError("应为 true 或 false", code="invalid")


class ReportPushForm(DubanForm):
    """POST /api/reports and /api/reports/<id>: the JSON body, field by field."""

    task = Whole(label="task", min_value=1, max_value=2**62)
    round = Whole(label="round", min_value=1, max_value=2**62)
    status = forms.ChoiceField(
        label="status", choices=ProgressReport.STATUSES, required=False, error_messages=_choices_error("进展状态")
    )
    done_text = Text(label="done_text")
    problems = Text(label="problems")
    next_steps = Text(label="next_steps")
    version = Whole(label="version", min_value=0, max_value=2**31 - 1, required=False)
    send_to_head = Flag(label="send_to_head")
    EDITABLE = ("status", "done_text", "problems", "next_steps")

    def __init__(self, data, *, task=None, existing: bool = False):
        super().__init__(data)
        self.task_obj = task
        if existing:
            del self.fields["task"], self.fields["round"]

    def clean(self):
        data = super().clean()
        nulls = [k for k in (*self.fields, "figures") if k in self.data and self.data[k] is None]
        if nulls:  # the API's description has no nullable field: null is not "leave as is"
            self.add_error(None, f"{'、'.join(nulls)} 不能为 null：不改的字段请省略")
        raw = self.data.get("figures")
        if "figures" in self.data and raw is not None and not isinstance(raw, dict):
            self.add_error(None, "figures 应为 {指标名称: 数值} 对象")
        return data

    def changes(self) -> dict:
        """Only what the body carries: a push that leaves out a field keeps the stored value."""
        return {k: self.cleaned_data[k] for k in self.EDITABLE if k in self.data}


# --- the round's steps: a ledger's sign-off and acceptance, a milestone change on a locked ledger,
# issuing a bulletin --------------------------------------------------------------------------------

LEDGER_STEPS = [
    ("send", "提交负责人签批"),
    ("approve", "签批"),
    ("head_return", "退回经办人"),
    ("accept", "审核通过（锁定）"),
    ("office_return", "退回修改"),
]


class LedgerStepForm(DubanForm):
    action = forms.ChoiceField(label="操作", choices=LEDGER_STEPS, error_messages=_choices_error("台账操作"))
    version = Whole(label="版本", min_value=0, error_messages={"invalid": "无效，请刷新后重试"})
    comment = Text(label="意见", max_length=2000)


class MilestoneChangeForm(DubanForm):
    milestone = Whole(label="节点", error_messages={"invalid": "请从台账中选择", "required": "请从台账中选择"})
    new_due = Day(label="新的时序节点", required=False)
    undo_done = forms.BooleanField(label="取消完成", required=False)
    reason = Text(label="变更理由", required=True, max_length=2000)


class BulletinIssueForm(DubanForm):
    version = Whole(label="版本", min_value=1, error_messages={"invalid": "无效，请刷新后重试"})


# --- amending a plan: the review page of a draft and the amend page of a published plan ----------------


class AmendmentForm(DubanForm):
    """Every change: the reason (required on a published plan, by the service) and the version seen."""

    reason = forms.CharField(label="修订原因", required=False, max_length=500)
    version = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)


class TaskTextForm(AmendmentForm):
    text = forms.CharField(label="任务内容", max_length=20000, strip=False)
    deadline = forms.CharField(label="完成时限", required=False, max_length=100)


class MoveForm(AmendmentForm):
    section = forms.ModelChoiceField(label="移到", queryset=Section.objects.none())

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = plan.sections.all()
        self.fields["section"].error_messages["invalid_choice"] = "所选标题不在本计划中"


class UnitsForm(AmendmentForm):
    """The repeated ``unit``/``role`` inputs of the units editor, cleaned into (name, role) rows;
    or ``lead`` alone: one click on a suggested candidate makes it the task's lead."""

    lead = forms.CharField(required=False, max_length=120)

    def clean(self):
        data = super().clean()
        if data.get("lead"):
            data["rows"] = []
            return data
        names, roles = self.data.getlist("unit"), self.data.getlist("role")
        try:
            data["rows"] = clean_unit_rows(list(zip(names, roles)))
        except DubanError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return data


class PlanHeaderForm(AmendmentForm):
    title = forms.CharField(label="标题", max_length=300)
    doc_number = forms.CharField(label="文号", required=False, max_length=100)
    seen_title = forms.CharField(required=False, max_length=300)
    seen_doc_number = forms.CharField(required=False, max_length=100)


class RoundForm(AmendmentForm):
    kind = forms.ChoiceField(label="类型", choices=ReportingRound.KINDS, error_messages=_choices_error("轮次类型"))
    title = forms.CharField(label="名称", max_length=100)
    due = Day(label="截止日期", required=True)
    seen_kind = forms.CharField(required=False, max_length=16)
    seen_title = forms.CharField(required=False, max_length=100)
    seen_due = forms.CharField(required=False, max_length=10)


class ChangeRequestForm(DubanForm):
    """A unit's 延期 or 调整 request: the new 完成时限, task text or units (one a line: 商务局 牵头)."""

    kind = forms.ChoiceField(label="类型", choices=ChangeRequest.KINDS)
    reason = forms.CharField(label="理由", max_length=2000)
    new_deadline = forms.CharField(label="申请的完成时限", required=False, max_length=100)
    new_text = forms.CharField(label="调整后的任务内容", required=False, max_length=20000)
    new_units = forms.CharField(label="调整后的责任单位", required=False, max_length=5000)


# --- governments in a tree and their accounts (issue 11) -------------------------------------------------


class Username(forms.CharField):
    def __init__(self, *, label="用户名", **kwargs):
        super().__init__(label=label, max_length=150, validators=[UnicodeUsernameValidator()], **kwargs)

    def to_python(self, value):
        if isinstance(value, (list, dict)):
            raise forms.ValidationError("应为文字", code="invalid")
        return super().to_python(value)

    def clean(self, value):
        from django.contrib.auth.models import User

        value = super().clean(value)  # the validators first: a NUL never reaches the database's query
        if value and User.objects.filter(username=value).exists():
            raise forms.ValidationError(f"“{value}”已被使用", code="taken")
        return value


class GovernmentForm(DubanForm):
    """The site administrator's new government: its place in the tree and its first administrator."""

    name = Text(label="政府名称", required=True, max_length=100)
    level = forms.ChoiceField(label="层级", choices=LEVELS, error_messages=_choices_error("政府层级"))
    parent = Row(
        label="上级政府",
        queryset=Government.objects.all(),
        required=False,
        error_messages={"invalid_choice": "没有这个上级政府"},
    )
    office_name = Text(label="办公室名称", max_length=100)
    admin_username = Username(label="管理员用户名")
    admin_full_name = Text(label="管理员姓名", max_length=150)

    def clean_name(self):
        name = self.cleaned_data["name"]
        if Government.objects.filter(name=name).exists():
            raise forms.ValidationError(f"“{name}”已存在")
        return name

    def clean(self):
        data = super().clean()
        if "level" in data and "parent" in data:
            from duban.web.services.accounts import check_place

            try:
                check_place(data["level"], data["parent"], data.get("name") or "新政府")
            except DubanError as exc:
                raise forms.ValidationError(str(exc)) from exc
        return data


class GovernmentAdminForm(DubanForm):
    """Another administrator for a government (its only one left, forgot the password …)."""

    government = Row(label="政府", queryset=Government.objects.all(), error_messages={"invalid_choice": "没有这个政府"})
    username = Username()
    full_name = Text(label="姓名", max_length=150)


class _AccountFields(DubanForm):
    """Role, unit and a leader's areas (checkboxes of the section areas of the government's plans)."""

    role = forms.ChoiceField(label="角色", choices=Membership.ROLES, error_messages=_choices_error("角色"))
    unit = Row(label="所在单位", queryset=None, required=False, error_messages={"invalid_choice": "没有这个单位"})
    sections = forms.MultipleChoiceField(
        label="分管领域",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "“%(value)s”不是本政府计划中的领域", "invalid_list": "分管领域应为列表"},
    )
    full_name = Text(label="姓名", max_length=150)

    def __init__(self, *args, government, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.government = government
        self.fields["unit"].queryset = government.units.exclude(kind="collective")
        self.fields["sections"].choices = [(a, a) for a in areas]

    def clean(self):
        data = super().clean()
        from duban.web.access import UNIT_ROLES

        if data.get("role") in UNIT_ROLES and "unit" in data and data["unit"] is None:
            self.add_error("unit", f"{dict(Membership.ROLES)[data['role']]}须选择所在单位")
        return data


class AccountCreateForm(_AccountFields):
    username = Username()
    field_order = ["username", "full_name", "role", "unit", "sections"]


class AccountChangeForm(_AccountFields):
    state = Text(label="账号状态", required=True, max_length=16, widget=forms.HiddenInput)


class AccountActionForm(DubanForm):
    action = forms.ChoiceField(
        label="操作",
        choices=[("change", "保存"), ("disable", "停用"), ("enable", "启用"), ("reset", "重置密码")],
        error_messages=_choices_error("操作"),
    )
    state = Text(label="账号状态", required=True, max_length=16, widget=forms.HiddenInput)


# --- 上级交办 (issue 11): the coverage page's forms -----------------------------------------------------


class CoverageYearForm(DubanForm):
    year = Whole(label="年度", required=False, min_value=YEAR_MIN, max_value=YEAR_MAX)


class CoverageDecideForm(DubanForm):
    """Confirm or reject a link: ``seen`` is its state as the page showed it (someone else's change is refused)."""

    seen = forms.ChoiceField(
        label="承接状态",
        required=False,
        choices=vocab.COVERAGE_LINKS.choices,
        error_messages=_choices_error("承接状态"),
    )


class CoverageLinkForm(DubanForm):
    """Link one of the government's own tasks of the year to a 上级交办 task by hand."""

    task = Row(label="本级任务", queryset=None, error_messages=_choices_error("本级任务"))

    def __init__(self, *args, tasks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = tasks
        self.fields["task"].error_messages["required"] = "请选择承接的本级任务"


class CoverageAddForm(DubanForm):
    """Add a task of the government's own to one of its plans of the year, taking a 上级交办 task up."""

    plan = Row(label="加入计划", queryset=None, error_messages=_choices_error("计划"))
    text = Text(label="任务内容", required=True, max_length=5000)
    unit = Row(label="牵头单位", queryset=None, required=False, error_messages=_choices_error("单位"))

    def __init__(self, *args, plans, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans
        self.fields["plan"].error_messages["required"] = "请选择加入哪份计划"
        self.fields["unit"].queryset = units
