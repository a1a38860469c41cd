"""The reminder pages' inputs: rules, channels, a person's contact, a bulk 催办."""

from __future__ import annotations

import re

from django import forms
from django.core.validators import validate_email

from duban.web.models import Channel, Membership, ReminderRules
from duban.web.services.channels import check_template

PHONE = re.compile(r"^\+?[0-9][0-9-]{5,19}$")
MAX_DAYS = 366


class RulesForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = ReminderRules
        fields = [
            "enabled",
            "before_days",
            "on_day",
            "overdue_every",
            "head_after",
            "office_after",
            "stop_after",
            "office_list",
            "quiet_start",
            "quiet_end",
            "remind_plan",
            "remind_progress",
        ]
        widgets = {
            "office_list": forms.Textarea(attrs={"rows": 4}),
            "quiet_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "quiet_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args, government=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.government = government
        for name in ("overdue_every", "head_after", "office_after", "stop_after"):
            self.fields[name].max_value = MAX_DAYS
            self.fields[name].widget.attrs["max"] = MAX_DAYS
            self.fields[name].validators.append(_at_most)

    def clean_before_days(self) -> str:
        raw = (self.cleaned_data.get("before_days") or "").replace("，", ",").replace(" ", "")
        days = []
        for part in filter(None, raw.split(",")):
            if not part.isdigit() or not 1 <= int(part) <= 60:
                raise forms.ValidationError(f"“{part}”不是 1 到 60 之间的天数；请写成 3,1 这样的逗号分隔数字")
            days.append(int(part))
        return ",".join(str(d) for d in sorted(set(days), reverse=True))

    def clean_office_list(self) -> str:
        lines = [x.strip() for x in (self.cleaned_data.get("office_list") or "").splitlines() if x.strip()]
        known = set(Membership.objects.filter(government=self.government).values_list("user__username", flat=True))
        for n, line in enumerate(lines, 1):
            if line in known or PHONE.match(line):
                continue
            if "@" in line:
                try:
                    validate_email(line)
                    continue
                except forms.ValidationError:
                    pass
            raise forms.ValidationError(f"第 {n} 行“{line[:40]}”不是本政府的用户名、电子邮箱或手机号")
        return "\n".join(lines)

    def clean(self):
        data = super().clean()
        if bool(data.get("quiet_start")) != bool(data.get("quiet_end")):
            raise forms.ValidationError("免打扰时段要同时填写开始和结束时间，或都留空")
        head, office = data.get("head_after"), data.get("office_after")
        if head is not None and office is not None and office < head:
            self.add_error("office_after", "报送督查室名单的天数不应早于提醒单位负责人的天数")
        return data


def _at_most(value):
    if value is not None and value > MAX_DAYS:
        raise forms.ValidationError(f"天数不能超过 {MAX_DAYS}")


class ChannelForm(forms.ModelForm):
    class Meta:
        model = Channel
        fields = ["kind", "name", "enabled", "url", "port", "username", "password", "use_tls", "sender", "template"]
        widgets = {
            "password": forms.PasswordInput(render_value=False, attrs={"placeholder": "留空则不修改"}),
            "template": forms.Textarea(
                attrs={"rows": 3, "placeholder": '{"msgtype": "text", "text": {"content": "{text}"}}'}
            ),
        }

    def clean_password(self):
        """The stored password is never shown; a blank field keeps it."""
        password = self.cleaned_data.get("password") or ""
        if not password and self.instance.pk:
            return self.instance.password
        return password

    def clean_port(self):
        port = self.cleaned_data.get("port")
        if port is not None and not 1 <= port <= 65535:
            raise forms.ValidationError("端口应在 1 到 65535 之间")
        return port

    def clean(self):
        data = super().clean()
        kind, url = data.get("kind"), (data.get("url") or "").strip()
        if kind in ("webhook", "sms"):
            if not re.match(r"^https?://[^\s/]+", url):
                self.add_error("url", "请填写以 http:// 或 https:// 开头的网址")
            template = (data.get("template") or "").strip()
            if template:
                problem = check_template(template)
                if problem:
                    self.add_error("template", problem)
                elif kind == "sms" and "{phone}" not in template:
                    self.add_error("template", "短信模板中应含有 {phone}（手机号）")
        if kind == "email":
            if url and not re.match(r"^[A-Za-z0-9.-]+$", url):
                self.add_error("url", "SMTP 服务器应是主机名或 IP 地址，如 smtp.example.gov.cn")
            sender = (data.get("sender") or "").strip()
            if sender:
                try:
                    validate_email(sender)
                except forms.ValidationError:
                    self.add_error("sender", "发件人应是电子邮箱地址")
        return data


class ContactForm(forms.Form):
    email = forms.EmailField(label="电子邮箱", required=False, max_length=254)
    phone = forms.CharField(label="手机号", required=False, max_length=20)

    def clean_phone(self):
        phone = (self.cleaned_data.get("phone") or "").strip()
        if phone and not PHONE.match(phone):
            raise forms.ValidationError("手机号只能含数字、加号和连字符（6 到 20 位）")
        return phone


class UrgeForm(forms.Form):
    message = forms.CharField(label="催办内容", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    targets = forms.MultipleChoiceField(label="催办对象", widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = {f"{t.unit_id}-{t.task_id}-{t.round_id or ''}": t for t in targets}
        self.fields["targets"].choices = [(k, f"{t.unit} · 任务 {t.task_number}") for k, t in self.targets.items()]
        self.fields["targets"].error_messages["invalid_choice"] = "所选单位已不在催办名单中，请刷新页面"
        self.fields["targets"].error_messages["required"] = "请至少选择一个单位"
        self.fields["message"].error_messages["required"] = "请填写催办内容"

    def chosen(self):
        return [self.targets[k] for k in self.cleaned_data["targets"]]
