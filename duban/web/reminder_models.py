"""What the reminders store: each government's rules and channels, every
message that leaves (``Delivery``) and every reminder step it carries
(``Reminder``).  Imported by ``duban.web.models``; see ``docs/reminders.md``.
"""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.signals import post_save
from django.dispatch import receiver

from duban.track.remind import Rules

CHANNEL_KINDS = [("email", "电子邮件"), ("webhook", "群机器人（政务微信/钉钉）"), ("sms", "短信网关")]
INAPP = "inapp"
# How a message is shown on the office's record.
DELIVERY_CHANNELS = [(INAPP, "站内"), *CHANNEL_KINDS]


class ReminderRules(models.Model):
    """One government's reminder rules, edited by the office (提醒规则)."""

    government = models.OneToOneField("duban.Government", on_delete=models.CASCADE, related_name="reminder_rules")
    enabled = models.BooleanField("自动提醒", default=True)
    before_days = models.CharField("截止前提醒（天，逗号分隔）", max_length=50, default="3,1")
    on_day = models.BooleanField("截止当天提醒", default=True)
    overdue_every = models.PositiveIntegerField("逾期后每隔几天提醒（0 为不提醒）", default=3)
    head_after = models.PositiveIntegerField("逾期几天起同时提醒单位负责人", default=3)
    office_after = models.PositiveIntegerField("逾期几天起报送督查室名单", default=7)
    stop_after = models.PositiveIntegerField("逾期几天后停止自动提醒", default=90)
    office_list = models.TextField(
        "督查室名单（每行一个：用户名、电子邮箱或手机号）", blank=True, help_text="逾期较久时提醒分管领导联系人"
    )
    quiet_start = models.TimeField("免打扰开始", null=True, blank=True, default=time(22, 0))
    quiet_end = models.TimeField("免打扰结束", null=True, blank=True, default=time(8, 0))
    remind_plan = models.BooleanField("提醒落实方案和台账", default=True)
    remind_progress = models.BooleanField("提醒进展报告", default=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "提醒规则"
        verbose_name_plural = "提醒规则"

    def rules(self) -> Rules:
        kinds = (("plan",) if self.remind_plan else ()) + (("progress", "annual") if self.remind_progress else ())
        return Rules(
            before=tuple(int(x) for x in self.before_days.replace("，", ",").split(",") if x.strip()),
            on_day=self.on_day,
            overdue_every=self.overdue_every,
            head_after=self.head_after,
            office_after=self.office_after,
            stop_after=self.stop_after,
            quiet_start=self.quiet_start,
            quiet_end=self.quiet_end,
            kinds=kinds,
        )

    def office_contacts(self) -> list[str]:
        return [line.strip() for line in self.office_list.splitlines() if line.strip()]


class Channel(models.Model):
    """A way out of the application for one government: SMTP e-mail, a group robot's webhook, an SMS gateway."""

    government = models.ForeignKey("duban.Government", on_delete=models.CASCADE, related_name="channels")
    kind = models.CharField("类型", max_length=16, choices=CHANNEL_KINDS)
    name = models.CharField("名称", max_length=100)
    enabled = models.BooleanField("启用", default=True)
    # webhook / sms: where to POST; email: the SMTP server (blank: the server's EMAIL_HOST settings).
    url = models.CharField("地址（网址或 SMTP 服务器）", max_length=500, blank=True)
    port = models.PositiveIntegerField("SMTP 端口", null=True, blank=True)
    username = models.CharField("SMTP 用户名", max_length=200, blank=True)
    # Stored sealed (duban.web.sealed), never in plain text; read it with smtp_password().
    password = models.CharField("SMTP 密码", max_length=500, blank=True)
    use_tls = models.BooleanField("SMTP 使用 STARTTLS", default=False)
    sender = models.CharField("发件人", max_length=200, blank=True)
    # webhook / sms: the JSON body; {text} {title} {count} {day} {phone} are filled in (JSON-escaped).
    template = models.TextField("消息模板（JSON）", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "提醒渠道"
        verbose_name_plural = "提醒渠道"
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.name}"

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.pk}"

    def save(self, *args, **kwargs):
        from duban.web.sealed import seal

        self.password = seal(self.password)  # whoever set it (form, admin, a script), it is stored sealed
        super().save(*args, **kwargs)

    def smtp_password(self) -> str:
        """The password in plain text, for the SMTP login; raises sealed.Unsealable under another key."""
        from duban.web.sealed import unseal

        return unseal(self.password)


class Contact(models.Model):
    """A person's mobile number for SMS (their e-mail address is the account's)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contact")
    phone = models.CharField("手机号", max_length=20, blank=True)


class Delivery(models.Model):
    """One message to one recipient through one channel: a day's digest or a manual urge."""

    DIGEST, URGE = "digest", "urge"
    KINDS = [(DIGEST, "每日提醒"), (URGE, "催办")]
    NEW, CLAIMED, PENDING, SENDING, SENT, FAILED, EMPTY = (
        "new",
        "claimed",
        "pending",
        "sending",
        "sent",
        "failed",
        "empty",
    )
    STATES = [
        (NEW, "待生成"),
        (CLAIMED, "生成中"),
        (PENDING, "待发送"),
        (SENDING, "发送中"),
        (SENT, "已发送"),
        (FAILED, "发送失败"),
        (EMPTY, "无内容"),
    ]
    government = models.ForeignKey("duban.Government", on_delete=models.CASCADE, related_name="deliveries")
    kind = models.CharField("类型", max_length=16, choices=KINDS, default=DIGEST)
    channel = models.CharField("渠道", max_length=16, choices=DELIVERY_CHANNELS)
    channel_key = models.CharField(max_length=40)  # inapp / email:3 / webhook:4
    channel_config = models.ForeignKey(Channel, null=True, blank=True, on_delete=models.SET_NULL)
    recipient = models.CharField("收件人", max_length=200)  # user:12 / email:a@b.cn / phone:138… / channel:4
    recipient_label = models.CharField("收件人", max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    address = models.CharField("地址", max_length=300, blank=True)
    day = models.DateField("日期")
    subject = models.CharField("标题", max_length=300, blank=True)
    body = models.TextField("内容", blank=True)
    state = models.CharField("状态", max_length=16, choices=STATES, default=NEW)
    attempts = models.PositiveIntegerField("尝试次数", default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField("错误", blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "提醒消息"
        verbose_name_plural = "提醒消息"
        ordering = ["-created_at", "-id"]
        constraints = [
            # One digest per person (or group robot) per channel per day.
            models.UniqueConstraint(
                fields=["government", "recipient", "channel_key", "day"],
                condition=Q(kind="digest"),
                name="delivery_one_digest_a_day",
            )
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"]),
            models.Index(fields=["user", "read_at"]),
            models.Index(fields=["claimed_by"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient_label or self.recipient} · {self.day}"


class Reminder(models.Model):
    """One reminder step for one obligation, to one recipient through one channel, and the message that carried it."""

    government = models.ForeignKey("duban.Government", on_delete=models.CASCADE, related_name="reminders")
    task = models.ForeignKey("duban.Task", on_delete=models.CASCADE, related_name="reminders")
    unit = models.ForeignKey("duban.Unit", on_delete=models.CASCADE, related_name="reminders")
    round = models.ForeignKey("duban.ReportingRound", null=True, blank=True, on_delete=models.CASCADE)
    step = models.CharField("提醒节点", max_length=40)  # before-3 / due / overdue-4 / urge-17
    audience = models.CharField("对象", max_length=16, blank=True)  # staff / head / office
    recipient = models.CharField("收件人", max_length=200)
    channel_key = models.CharField("渠道", max_length=40)
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="reminders")
    urge = models.ForeignKey("duban.Urge", null=True, blank=True, on_delete=models.CASCADE, related_name="reminders")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "提醒记录"
        verbose_name_plural = "提醒记录"
        constraints = [
            # Never the same step twice to the same recipient through the same channel.
            models.UniqueConstraint(
                fields=["task", "unit", "round", "step", "recipient", "channel_key"], name="reminder_once"
            )
        ]


@receiver(post_save, sender="duban.Urge")
def _urge_made(sender, instance, created, **kwargs):
    """Every urge, however it was made, goes through the reminder channels (once)."""
    if created and not getattr(instance, "delivered", False):
        from duban.web.services.reminders import deliver_urge

        instance.delivered = True
        deliver_urge(instance)
