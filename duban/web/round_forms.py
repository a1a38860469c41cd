"""Forms for the round's steps: a ledger's sign-off and acceptance, a milestone change request on
a locked ledger, a return for revision with its own deadline, a monitor's figures."""

from __future__ import annotations

from django import forms

LEDGER_STEPS = [
    ("send", "提交负责人签批"),
    ("approve", "签批"),
    ("head_return", "退回经办人"),
    ("accept", "审核通过（锁定）"),
    ("office_return", "退回修改"),
]


class LedgerStepForm(forms.Form):
    action = forms.ChoiceField(choices=LEDGER_STEPS, error_messages={"invalid_choice": "未知操作"})
    version = forms.IntegerField(min_value=0, error_messages={"invalid": "版本号无效，请刷新后重试"})
    comment = forms.CharField(required=False, max_length=2000)


class MilestoneChangeForm(forms.Form):
    milestone = forms.IntegerField(error_messages={"invalid": "请选择节点", "required": "请选择节点"})
    new_due = forms.DateField(required=False, error_messages={"invalid": "日期格式不对，请用 2026-06-30 这样的格式"})
    undo_done = forms.BooleanField(required=False)
    reason = forms.CharField(max_length=2000, error_messages={"required": "请填写变更理由"})


class ReturnForm(forms.Form):
    """The office returns a report: why, and by when the revision is due (default: in a few days)."""

    comment = forms.CharField(max_length=2000, error_messages={"required": "退回时请填写意见"})
    revise_by = forms.DateField(
        required=False, error_messages={"invalid": "修改期限格式不对，请用 2026-06-30 这样的格式"}
    )


def first_error(form: forms.Form) -> str:
    for errors in form.errors.values():
        return str(errors[0])
    return "输入有误"


class BulletinIssueForm(forms.Form):
    version = forms.IntegerField(min_value=1, error_messages={"invalid": "版本号无效，请刷新后重试"})
