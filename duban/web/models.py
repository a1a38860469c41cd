"""What the supervision office stores: governments, their units, the year's
plan, each unit's ledgers and reports, and an audit log nobody can edit.

See ``docs/data-model.md`` for the picture.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from duban import vocab


def choices(words: vocab.Words) -> type[models.TextChoices]:
    """Django choices built from one of ``duban.vocab``'s lists: the words are defined there, once."""
    name = words.name.title().replace("_", "")
    return models.TextChoices(name, [(w.key.upper(), (w.key, w.label)) for w in words.words])


Level = choices(vocab.LEVELS)
PlanKind = choices(vocab.PLAN_KINDS)
# The kinds of duban.doc.directory, so directories move between the two unchanged.
UnitKind = choices(vocab.UNIT_KINDS)
Role = choices(vocab.ROLES)
RoundKind = choices(vocab.ROUND_KINDS)
ReportStatus = choices(vocab.REPORT_STATUSES)
ReportState = choices(vocab.REPORT_STATES)
UserRole = choices(vocab.USER_ROLES)
ChangeKind = choices(vocab.CHANGE_KINDS)
ChangeState = choices(vocab.CHANGE_STATES)
InspectionKind = choices(vocab.INSPECTION_KINDS)
LEVELS = Level.choices
UNIT_KINDS = UnitKind.choices
ROLES = Role.choices
REPORTING_ROLES = vocab.REPORTING_ROLES
MATCHES = [("exact", "精确"), ("alias", "别名"), ("fuzzy", "近似"), ("unknown", "未知"), ("manual", "人工")]
# A name the notice writes that is a unit's former name (发展改革委 → 发展改革和统计局): the unit it became.
MATCHES.append(("renamed", "更名"))


class Government(models.Model):
    name = models.CharField("名称", max_length=100, unique=True)
    level = models.CharField("层级", max_length=16, choices=LEVELS, default="city")
    # What its bulletins and year-end accounts are signed with (云溪市人民政府办公室); empty: from the name.
    office_name = models.CharField("办公室名称", max_length=100, blank=True)
    # The government above it (a city's province); empty at the top of the tree.
    # PROTECT: a government with governments below it is never deleted with them.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name="上级政府"
    )

    class Meta:
        verbose_name = "政府"
        verbose_name_plural = "政府"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list[Government]:
        """The governments above, nearest first (a county's city, then its province)."""
        found, seen, current = [], {self.pk}, self.parent
        while current is not None and current.pk not in seen:
            found.append(current)
            seen.add(current.pk)
            current = current.parent
        return found

    def descendant_ids(self) -> list[int]:
        """The ids of every government below this one, nearest level first (one query per level)."""
        found, frontier = [], [self.pk]
        while frontier:
            frontier = [
                pk
                for pk in Government.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
                if pk not in found and pk != self.pk
            ]
            found.extend(frontier)
        return found


class Unit(models.Model):
    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="units")
    name = models.CharField("名称", max_length=120)
    aliases = models.JSONField("别名", default=list, blank=True)
    kind = models.CharField("类型", max_length=16, choices=UNIT_KINDS, default="department")
    # 各镇人民政府 stands for its members.
    members = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="collectives")
    # Renamed or merged away (services/unit_changes.py): the unit its open work moved to, and since when.
    # A retired unit keeps its name and its past plans' history; matching sends its name to the successor.
    successor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="predecessors", verbose_name="并入/更名为"
    )
    retired_on = models.DateField("撤并日期", null=True, blank=True)

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["government", "name"], name="unit_unique_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def retired(self) -> bool:
        return self.successor_id is not None

    def current(self) -> Unit:
        """The unit this one is now: itself, or the end of its chain of renamings and mergers."""
        unit, seen = self, {self.pk}
        while unit.successor_id is not None and unit.successor_id not in seen:
            seen.add(unit.successor_id)
            unit = unit.successor
        return unit

    @property
    def renamed_from(self) -> Unit | None:
        """The unit renamed into this one, latest first (a merger has several: ``predecessors``)."""
        return self.predecessors.order_by("-retired_on", "-pk").first() if self.pk else None


class Plan(models.Model):
    DRAFT, PUBLISHED = "draft", "published"
    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="plans")
    year = models.PositiveIntegerField("年度")
    kind = models.CharField("类别", max_length=16, choices=PlanKind.choices, default=vocab.WORK_REPORT_PLAN)
    title = models.CharField("标题", max_length=300)
    doc_number = models.CharField("文号", max_length=100, blank=True)
    status = models.CharField("状态", max_length=16, choices=[(DRAFT, "待发布"), (PUBLISHED, "已发布")], default=DRAFT)
    # The notice's schedule as read: [{"what": "progress", "due": "2026-06-15", "rule": "6月15日"}, ...]
    schedule = models.JSONField("报送安排", default=list, blank=True)
    warnings = models.JSONField("解析提示", default=list, blank=True)
    source_name = models.CharField("来源文件", max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # How many amendments (PlanRevision) the published plan has had; 0 as published.
    revision = models.PositiveIntegerField("修订次数", default=0)
    # The notice's issuer as read, and why it seems another government's (duban.doc.issuer); publishing
    # such a plan needs the office to acknowledge it.
    issuer = models.CharField("发文机关", max_length=200, blank=True)
    issuer_warning = models.TextField("发文机关提示", blank=True)

    class Meta:
        verbose_name = "年度计划"
        verbose_name_plural = "年度计划"
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return f"{self.government} {self.year} {self.title}"

    @property
    def is_published(self) -> bool:
        return self.status == self.PUBLISHED


class Section(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    path = models.JSONField(default=list)  # every heading above the tasks, outermost first
    title = models.CharField(max_length=300)
    # The outermost heading (一、…): what a leader is in charge of.
    area = models.CharField(max_length=300, blank=True, db_index=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.title


class Task(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    section = models.ForeignKey(Section, null=True, on_delete=models.SET_NULL, related_name="tasks")
    number = models.CharField("序号", max_length=20)
    text = models.TextField("任务")
    deadline = models.CharField("完成时限", max_length=100, blank=True)
    # [{"name", "value", "unit", "qualifier", "kind", "text"}] as duban.doc.model.Indicator.to_json
    indicators = models.JSONField("指标", default=list, blank=True)
    clause = models.TextField("责任单位原文", blank=True)
    order = models.PositiveIntegerField(default=0)
    # A drafted task's suggested candidates, best first: [{"name", "score", "role", "why"}] (duban.draft.suggest).
    candidates = models.JSONField("推荐候选", default=list, blank=True)
    # The office has set this draft task's units itself: its units are learned from, never re-ranked.
    reviewed = models.BooleanField("已核对", default=False)
    # Bumped by every edit of the task, its units or its place; an edit made on an older version is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "任务"
        verbose_name_plural = "任务"
        ordering = ["order"]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:30]}"


class Assignment(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    # Empty while a draft plan names a unit the directory does not know yet; publishing creates it.
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="assignments")
    unit_name = models.CharField("单位名称", max_length=120)
    role = models.CharField("角色", max_length=16, choices=ROLES)
    match = models.CharField("匹配", max_length=16, choices=MATCHES, default="exact")
    written = models.CharField("原文", max_length=200, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.unit_name}（{self.get_role_display()}）"

    @property
    def reports(self) -> bool:
        return self.role in REPORTING_ROLES


class ReportingRound(models.Model):
    KINDS = RoundKind.choices
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="rounds")
    kind = models.CharField(max_length=16, choices=KINDS)
    title = models.CharField(max_length=100)
    due = models.DateField("截止日期")
    rule = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["due", "id"]

    def __str__(self) -> str:
        return self.title


class Ledger(models.Model):
    """A unit's implementation plan and ledger (落实方案和工作台账) for one task."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="ledgers")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="ledgers")
    measures = models.TextField("主要措施", blank=True)
    safeguards = models.TextField("保障机制", blank=True)
    responsible_leader = models.CharField("责任领导", max_length=100, blank=True)
    responsible_person = models.CharField("责任人", max_length=100, blank=True)
    # Submitted, signed off by the head and accepted by the office by the plan round's due date,
    # like a report (duban.track.round); once accepted it is locked: a milestone moves or is
    # un-ticked only through a change request the office approves.
    state = models.CharField("流转状态", max_length=16, choices=ReportState.choices, default=vocab.DRAFT)
    first_approved_at = models.DateTimeField("负责人首次签批", null=True, blank=True)
    comment = models.TextField("退回意见", blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    # The unit's name when it filed this (a renaming or merger moved it to the unit it became).
    filed_as = models.CharField("报送时单位名称", max_length=120, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "unit"], name="ledger_unique")]

    def __str__(self) -> str:
        return f"{self.unit} · 任务{self.task.number}台账"

    @property
    def locked(self) -> bool:
        return self.state == vocab.ACCEPTED

    @property
    def editable(self) -> bool:
        return self.state in (vocab.DRAFT, vocab.RETURNED)


class Milestone(models.Model):
    ledger = models.ForeignKey(Ledger, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField("工作事项", max_length=300)
    due = models.DateField("时序节点", null=True, blank=True)
    done = models.BooleanField("已完成", default=False)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "due", "id"]


class ProgressReport(models.Model):
    STATUSES = ReportStatus.choices
    DRAFT, AWAITING_HEAD, SUBMITTED, ACCEPTED, RETURNED = vocab.REPORT_STATES.keys
    STATES = ReportState.choices
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="reports")
    round = models.ForeignKey(ReportingRound, on_delete=models.CASCADE, related_name="reports")
    status = models.CharField("进展状态", max_length=16, choices=STATUSES, default="not_started")
    done_text = models.TextField("工作进展", blank=True)
    # {"indicator name": number} for the task's indicators
    figures = models.JSONField("指标完成值", default=dict, blank=True)
    problems = models.TextField("存在问题", blank=True)
    next_steps = models.TextField("下步打算", blank=True)
    state = models.CharField("流转状态", max_length=16, choices=STATES, default=DRAFT)
    comment = models.TextField("退回意见", blank=True)
    version = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Timeliness is the head's first sign-off; a return by the office does not move it.
    first_approved_at = models.DateTimeField("负责人首次签批", null=True, blank=True)
    # Returned by the office: the revision's own deadline.
    revise_by = models.DateField("修改期限", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The unit's name when it filed this (a renaming or merger moved it to the unit it became).
    filed_as = models.CharField("报送时单位名称", max_length=120, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "unit", "round"], name="report_unique")]
        indexes = [models.Index(fields=["round", "state"])]

    def __str__(self) -> str:
        return f"{self.unit} · {self.task.number} · {self.round}"

    @property
    def editable(self) -> bool:
        return self.state in (self.DRAFT, self.RETURNED)

    @property
    def is_in(self) -> bool:
        """Counts as submitted: signed off by the head (and possibly accepted)."""
        return self.state in (self.SUBMITTED, self.ACCEPTED)


class Contribution(models.Model):
    """A supporting unit's part of the lead's report for one task and round."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="contributions")
    round = models.ForeignKey(ReportingRound, on_delete=models.CASCADE, related_name="contributions")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="contributions")
    text = models.TextField("配合工作情况")
    updated_at = models.DateTimeField(auto_now=True)
    # The unit's name when it filed this (a renaming or merger moved it to the unit it became).
    filed_as = models.CharField("报送时单位名称", max_length=120, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "round", "unit"], name="contribution_unique")]


class Attachment(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(max_length=255)
    path = models.CharField(max_length=500)  # relative to DUBAN_DATA_DIR/uploads
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    uploaded_at = models.DateTimeField(auto_now_add=True)


class Urge(models.Model):
    """催办: the office chases a unit; the unit sees it in its workspace."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="urges")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="urges")
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.CASCADE, related_name="urges")
    round = models.ForeignKey(ReportingRound, null=True, blank=True, on_delete=models.CASCADE)
    message = models.TextField("催办内容")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"催办{self.unit}" + (f" · 任务{self.task.number}" if self.task_id else "")


class Inspection(models.Model):
    KINDS = InspectionKind.choices
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="inspections")
    kind = models.CharField("类型", max_length=16, choices=KINDS)
    title = models.CharField("名称", max_length=200)
    held_on = models.DateField("日期")
    notes = models.TextField("说明", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.title}"


class Finding(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="findings")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL)
    text = models.TextField("发现问题")


class ChangeRequest(models.Model):
    KINDS = ChangeKind.choices
    PENDING, APPROVED, REFUSED = vocab.CHANGE_STATES.keys
    STATES = ChangeState.choices
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="change_requests")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="change_requests")
    kind = models.CharField("类型", max_length=16, choices=KINDS)
    reason = models.TextField("理由")
    new_deadline = models.CharField("申请时限", max_length=100, blank=True)
    # A 节点变更 on a locked ledger: the milestone, and its new date or its tick taken off.
    milestone = models.ForeignKey(
        "Milestone", null=True, blank=True, on_delete=models.CASCADE, related_name="change_requests"
    )
    new_due = models.DateField("新时序节点", null=True, blank=True)
    undo_done = models.BooleanField("取消完成", default=False)
    # What a 调整 request asks for, applied as a plan revision when the office approves it.
    new_text = models.TextField("申请调整的任务内容", blank=True)
    new_units = models.JSONField("申请调整的责任单位", default=list, blank=True)  # [[name, role], ...]
    state = models.CharField("状态", max_length=16, choices=STATES, default=PENDING)
    decision = models.TextField("审批意见", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.unit} · 任务{self.task.number}{self.get_kind_display()}申请"

    @property
    def asked_units(self) -> str:
        """The units a 调整 request asks for, as the office reads them: 商务局（牵头）、财政局（配合）."""
        labels = dict(ROLES)
        return "、".join(f"{name}（{labels.get(role, role)}）" for name, role in self.new_units)


class Bulletin(models.Model):
    """督查通报: one version of a round's bulletin; the issued one is numbered (期号) in its plan
    and read by units and leaders in the application."""

    round = models.ForeignKey(ReportingRound, on_delete=models.CASCADE, related_name="bulletins")
    version = models.PositiveIntegerField("版本")
    number = models.PositiveIntegerField("期号", null=True, blank=True)
    text = models.TextField("正文")
    # The figures its charts draw, frozen when issued: {"task_counts": {...}, "report_counts": {...}, "as_of": ...}
    figures = models.JSONField("图表数据", default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    issued_at = models.DateTimeField("印发时间", null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "督查通报"
        verbose_name_plural = "督查通报"
        ordering = ["-round__due", "-version"]
        constraints = [models.UniqueConstraint(fields=["round", "version"], name="bulletin_unique_version")]

    def __str__(self) -> str:
        return (
            f"{self.round.title}通报（第{self.number}期）" if self.number else f"{self.round.title}通报 v{self.version}"
        )

    @property
    def issued(self) -> bool:
        return self.issued_at is not None


class AuditLogIsAppendOnly(Exception):
    pass


class PlanRevision(models.Model):
    """One amendment of a published plan: what changed, who changed it, when and why.

    Numbered 1, 2, … per plan (``Plan.revision`` is the latest); never edited or deleted.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField("修订号")
    action = models.CharField("修订内容", max_length=50)
    summary = models.CharField("摘要", max_length=300)
    reason = models.TextField("修订原因")
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.SET_NULL, related_name="revisions")
    change_request = models.ForeignKey(
        ChangeRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="revisions"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    username = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "计划修订"
        verbose_name_plural = "计划修订"
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="revision_unique_number")]

    def __str__(self) -> str:
        return f"{self.plan} 第{self.number}次修订：{self.summary}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditLogIsAppendOnly("修订记录不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly("修订记录不能删除")


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditLogIsAppendOnly("审计记录不能修改")

    def delete(self):
        raise AuditLogIsAppendOnly("审计记录不能删除")


class AuditEvent(models.Model):
    """Who did what, when, to which object, with the fields before and after."""

    objects = AuditQuerySet.as_manager()

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    username = models.CharField(max_length=150, blank=True)
    government = models.ForeignKey(Government, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=50)
    object_type = models.CharField(max_length=50)
    object_id = models.CharField(max_length=50, blank=True)
    object_repr = models.CharField(max_length=300, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditLogIsAppendOnly("审计记录不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly("审计记录不能删除")


class Membership(models.Model):
    """A user's place: which government, which unit, which role."""

    SUPERVISOR, UNIT_STAFF, UNIT_HEAD, LEADER, ADMIN = vocab.USER_ROLES.keys
    ROLES = UserRole.choices
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=ROLES)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="members_staff")
    # A leader's areas: section titles (一级标题) across years, matched by title.
    sections = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


def new_token_key() -> str:
    return secrets.token_hex(20)


def hash_token_key(key: str) -> str:
    """Tokens are stored as their SHA-256: 160 random bits need no salt or slow hash."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """``Authorization: Token <key>`` for other office systems.

    Only the key's hash is stored; the key is shown once, when the token is made (``duban token`` or /admin/).
    A read-only token may only read; a report-push token may also save and send reports.
    """

    READ, PUSH = "read", "push"
    SCOPES = [(READ, "只读"), (PUSH, "报送进展")]
    DEFAULT_DAYS = 365

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField("令牌开头", max_length=8, editable=False)
    name = models.CharField("用途", max_length=100, blank=True)
    scope = models.CharField("权限", max_length=8, choices=SCOPES, default=READ)
    expires_at = models.DateTimeField("有效期至")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"

    def __str__(self) -> str:
        return f"{self.prefix}… {self.name or self.user}（{self.get_scope_display()}）"

    @classmethod
    def issue(cls, user, name: str = "", scope: str = READ, days: int = DEFAULT_DAYS) -> ApiToken:
        """A new token; its plain ``key`` lives only on the returned object."""
        token = cls(user=user, name=name, scope=scope, expires_at=timezone.now() + timedelta(days=days))
        token.set_new_key()
        token.save()
        return token

    def set_new_key(self) -> str:
        self.key = new_token_key()
        self.key_hash = hash_token_key(self.key)
        self.prefix = self.key[:8]
        return self.key

    @classmethod
    def find(cls, key: str) -> ApiToken | None:
        return cls.objects.select_related("user").filter(key_hash=hash_token_key(key)).first()

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()


class OneTimePassword(models.Model):
    """The user's password was set by someone else (``--init``, the office, /admin/): change it at next login."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="one_time_password")
    set_at = models.DateTimeField(default=timezone.now)


# Reminders and notifications (issue 10) live in their own module.
from duban.web.reminder_models import Channel, Contact, Delivery, Reminder, ReminderRules  # noqa: E402, F401

# 上级交办 (issue 11): a parent government's task addressed to a government below, and the links to its own tasks.
AddressedHow = choices(vocab.ADDRESSED_HOW)
CoverageLinkState = choices(vocab.COVERAGE_LINKS)


class ParentTask(models.Model):
    """A task of the parent government's published plan addressed to ``government`` (by name or collective):
    a 上级交办 task of that government.  Made when the parent publishes, or when the government is placed
    under a parent that already has (duban.web.services.cascade)."""

    government = models.ForeignKey(Government, on_delete=models.CASCADE, related_name="parent_tasks")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="cascaded")
    how = models.CharField("交办方式", max_length=16, choices=AddressedHow.choices)
    written = models.CharField("上级通知原文", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "上级交办任务"
        verbose_name_plural = "上级交办任务"
        ordering = ["task__plan_id", "task__order", "id"]
        constraints = [models.UniqueConstraint(fields=["government", "task"], name="parent_task_unique")]

    def __str__(self) -> str:
        return f"{self.government} · 上级交办 {self.task.number}"


class CoverageLink(models.Model):
    """One of the government's own tasks taking a 上级交办 task up: suggested (with its score and reasons),
    confirmed, linked by hand, added for it, or rejected by the office."""

    parent_task = models.ForeignKey(ParentTask, on_delete=models.CASCADE, related_name="links")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="takes_up")
    state = models.CharField("承接状态", max_length=16, choices=CoverageLinkState.choices)
    score = models.FloatField("相似度", null=True, blank=True)
    reasons = models.JSONField("依据", default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "承接关系"
        verbose_name_plural = "承接关系"
        ordering = ["-score", "id"]
        constraints = [models.UniqueConstraint(fields=["parent_task", "task"], name="coverage_link_unique")]

    def __str__(self) -> str:
        return f"{self.parent_task} ← {self.task.number}（{self.get_state_display()}）"
