"""A notice becomes a plan: upload → parse → draft plan for review → publish.

Both the web upload and ``duban import`` go through ``import_document`` and
``publish``.  Each runs in one transaction, so a failure leaves nothing behind.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from duban.errors import DubanError, InputError
from duban.web import audit
from duban.web.models import Assignment, Government, Plan, ReportingRound, Section, Task, Unit
from duban.web.services.matching import UnitIndex, guess_kind

ACCEPTED_SUFFIXES = (".txt", ".docx", ".pdf", ".xlsx", ".html", ".htm")
ROUND_TITLES = {"plan": "落实方案和工作台账", "progress": "进展情况", "annual": "全年落实情况"}


def check_upload(data: bytes, name: str) -> None:
    """What can be said of an upload at once, before any job reads it: its type, size, emptiness
    and, for a .docx or .xlsx, the zip directory against ``duban.limits`` (a zip bomb, refused
    before a byte is inflated)."""
    suffix = Path(name).suffix.lower()
    if suffix not in ACCEPTED_SUFFIXES:
        raise InputError(f"不支持的文件类型“{suffix or name}”：请上传 .txt、.docx、.pdf、.xlsx 或 .html 文件")
    check_upload_size(data)
    if not data.strip():
        raise InputError("文件是空的")
    from duban.doc.load import sniff

    sniff(data, name)


def check_upload_size(data: bytes, what: str = "文件") -> None:
    """An upload within the web application's upload limit and ``duban.limits``' file size."""
    from duban.limits import check_file_size

    if len(data) > settings.MAX_UPLOAD_BYTES:
        raise InputError(
            f"{what}太大（{len(data) / 1024 / 1024:.3g} MB），上传文件的上限为 {settings.MAX_UPLOAD_BYTES // 1024 // 1024} MB"
            "（可用环境变量 DUBAN_MAX_UPLOAD_BYTES 调高）"
        )
    check_file_size(len(data), f"上传的{what}", option=None)


def _quiet(percent: int, stage: str) -> None:
    """Progress of work run in the request itself: nobody is watching."""


def read_upload(data: bytes, name: str):
    """Bytes of an uploaded file → a parsed notice, or a DubanError with one sentence.

    The same work a background import job does (``duban.web.jobs.work``), in the caller."""
    from duban.web.jobs import work

    check_upload(data, name)
    return work.read_notice(data, name, _quiet)


def draft_from_report(data: bytes, name: str, government: Government):
    """A work report → a draft notice with suggested units (``duban.draft``), ready for review.

    The government's earlier published plans are the history the suggester learns from.
    """
    from duban.web.jobs import work

    check_upload(data, name)
    history, directory = draft_context(government)
    return work.draft_report(data, name, _quiet, history=history, directory=directory)


def draft_context(government: Government):
    """What the suggester learns from: the government's three latest published plans, and its units."""
    from duban.draft.catalogue import functions_of
    from duban.web.services.export import plan_document

    history = [plan_document(p) for p in government.plans.filter(status=Plan.PUBLISHED).order_by("-year")[:3]]
    directory = [(u.name, functions_of(u.name)) for u in government.units.exclude(kind="collective")] or None
    return history, directory


def government_named(name: str, level: str = "city") -> Government:
    government, _ = Government.objects.get_or_create(name=name.strip(), defaults={"level": level})
    return government


@transaction.atomic
def import_document(document, government: Government, year: int, user=None) -> Plan:
    """Store a parsed notice as a draft plan, every unit matched to the directory."""
    plan = Plan.objects.create(
        government=government,
        year=year,
        title=(document.title or f"{year}年重点工作责任分解")[:300],
        doc_number=(document.doc_number or "")[:100],
        schedule=[s.to_json() for s in document.schedule],
        warnings=list(document.warnings),
        source_name=(document.source or "")[:255],
    )
    index = UnitIndex(government.units.all())
    sections: dict[tuple, Section] = {}
    assignments = []
    for order, item in enumerate(document.tasks):
        key = tuple(item.section)
        if key not in sections:
            sections[key] = Section.objects.create(
                plan=plan,
                path=list(item.section),
                title=(item.section[-1] if item.section else "其他")[:300],
                area=(item.section[0] if item.section else "其他")[:300],
                order=len(sections),
            )
        task = Task.objects.create(
            plan=plan,
            section=sections[key],
            number=str(item.number)[:20],
            text=item.text,
            deadline=(item.deadline or "")[:100],
            indicators=[i.to_json() for i in item.indicators],
            clause=item.clause or "",
            order=order,
        )
        for n, ref in enumerate(item.units):
            match = index.resolve(ref.name, ref.alias)
            assignments.append(
                Assignment(
                    task=task,
                    unit=match.unit,
                    unit_name=(match.unit.name if match.unit else ref.name)[:120],
                    role=ref.role,
                    match=match.kind,
                    written=(ref.written or ref.name)[:200],
                    order=n,
                )
            )
    Assignment.objects.bulk_create(assignments)
    audit.record(user, "导入通知", plan, after={"tasks": len(document.tasks), "source": plan.source_name})
    return plan


def set_task_units(task: Task, rows: list[tuple[str, str]], user=None) -> None:
    """Replace a draft task's units with ``(name, role)`` rows from the review page."""
    before = [(a.unit_name, a.role) for a in task.assignments.all()]
    index = UnitIndex(task.plan.government.units.all())
    with transaction.atomic():
        task.assignments.all().delete()
        for n, (name, role) in enumerate(rows):
            name = name.strip()[:120]
            if not name:
                continue
            match = index.resolve(name)
            exact = match.kind == "exact"
            Assignment.objects.create(
                task=task,
                unit=match.unit if exact else None,
                unit_name=match.unit.name if exact else name,
                role=role,
                match="manual" if exact else "unknown",
                written=name,
                order=n,
            )
        audit.record(user, "修改责任单位", task, before={"units": before}, after={"units": rows})


def _renumber(plan: Plan) -> None:
    for order, task in enumerate(plan.tasks.order_by("order", "id")):
        if (task.order, task.number) != (order, str(order + 1)):
            task.order, task.number = order, str(order + 1)
            task.save(update_fields=["order", "number"])


def _draft(task: Task) -> None:
    if task.plan.is_published:
        raise DubanError("已发布的计划不能再拆分、合并或移动任务")


@transaction.atomic
def edit_task_text(task: Task, text: str, user=None) -> list[Task]:
    """Rewrite a draft task; a blank line in ``text`` splits it, each part keeping the units."""
    _draft(task)
    parts = [" ".join(p.split()) for p in text.replace("\r\n", "\n").split("\n\n")]
    parts = [p for p in parts if p]
    if not parts:
        raise DubanError("任务内容不能为空")
    before = task.text
    task.text = parts[0]
    task.save(update_fields=["text"])
    created = [task]
    later = Task.objects.filter(plan=task.plan, order__gt=task.order)
    later.update(order=models.F("order") + len(parts) - 1)
    units = list(task.assignments.all())
    for n, part in enumerate(parts[1:], 1):
        new = Task.objects.create(
            plan=task.plan, section=task.section, number="", text=part, deadline=task.deadline, order=task.order + n
        )
        Assignment.objects.bulk_create(
            Assignment(
                task=new,
                unit=a.unit,
                unit_name=a.unit_name,
                role=a.role,
                match=a.match,
                written=a.written,
                order=a.order,
            )
            for a in units
        )
        created.append(new)
    _renumber(task.plan)
    action = "拆分任务" if len(parts) > 1 else "修改任务"
    audit.record(user, action, task, before={"text": before}, after={"texts": parts})
    return created


@transaction.atomic
def merge_with_previous(task: Task, user=None) -> Task:
    """Fold a draft task into the one before it; the units of both are kept."""
    _draft(task)
    previous = Task.objects.filter(plan=task.plan, order__lt=task.order).order_by("-order").first()
    if previous is None:
        raise DubanError("第一项任务前面没有可合并的任务")
    before = {"previous": previous.text, "merged": task.text}
    previous.text = previous.text.rstrip() + task.text.strip()
    previous.indicators = list(previous.indicators) + list(task.indicators)
    previous.save(update_fields=["text", "indicators"])
    have = {(a.unit_name, a.role) for a in previous.assignments.all()}
    n = previous.assignments.count()
    for a in task.assignments.all():
        if (a.unit_name, a.role) not in have:
            a.task, a.order = previous, n
            a.save(update_fields=["task", "order"])
            n += 1
    task.delete()
    _renumber(previous.plan)
    audit.record(user, "合并任务", previous, before=before, after={"text": previous.text})
    return previous


@transaction.atomic
def move_task(task: Task, section: Section, user=None) -> None:
    """Put a draft task under another heading, as its last task."""
    _draft(task)
    if section.plan_id != task.plan_id:
        raise DubanError("只能移到本计划的其他标题下")
    before = task.section.title if task.section else ""
    # After the last task of this heading or of any heading before it, so headings stay in document order.
    last = (
        Task.objects.filter(plan=task.plan, section__order__lte=section.order)
        .exclude(pk=task.pk)
        .order_by("-order")
        .first()
    )
    position = last.order + 1 if last else 0
    Task.objects.filter(plan=task.plan, order__gte=position).exclude(pk=task.pk).update(order=models.F("order") + 1)
    task.section, task.order = section, position
    task.save(update_fields=["section", "order"])
    _renumber(task.plan)
    audit.record(user, "移动任务", task, before={"section": before}, after={"section": section.title})


def rounds_from_schedule(schedule: list[dict], year: int) -> list[tuple[str, str, date, str]]:
    rounds = []
    progress_seen = 0
    for item in schedule:
        if not item.get("due"):
            continue
        due = date.fromisoformat(item["due"])
        kind = item.get("what") or "progress"
        title = ROUND_TITLES.get(kind, "进展情况")
        if kind == "progress":
            progress_seen += 1
            title = f"第{progress_seen}次进展情况（{due.month}月{due.day}日）"
        rounds.append((kind, title, due, item.get("rule", "")))
    if not any(kind in ("progress", "annual") for kind, *_ in rounds):
        # A notice with no dated reporting rule still gets quarterly rounds, which the office can edit.
        for month, day in ((6, 30), (9, 30)):
            rounds.append(("progress", f"进展情况（{month}月{day}日）", date(year, month, day), "默认"))
        rounds.append(("annual", ROUND_TITLES["annual"], date(year, 12, 20), "默认"))
    return rounds


@transaction.atomic
def publish(plan: Plan, user=None) -> Plan:
    """Create the units the directory lacked, open the reporting rounds, and publish."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.is_published:
        raise DubanError("这份计划已经发布")
    clash = Plan.objects.filter(government=plan.government, year=plan.year, status=Plan.PUBLISHED)
    if clash.exists():
        raise DubanError(f"{plan.government.name} {plan.year} 年已有已发布的计划，不能重复发布")
    created = []
    units = {u.name: u for u in plan.government.units.all()}
    for assignment in Assignment.objects.filter(task__plan=plan, unit__isnull=True):
        unit = units.get(assignment.unit_name)
        if unit is None:
            unit = Unit.objects.create(
                government=plan.government, name=assignment.unit_name, kind=guess_kind(assignment.unit_name)
            )
            units[unit.name] = unit
            created.append(unit.name)
        assignment.unit = unit
        assignment.save(update_fields=["unit"])
    for kind, title, due, rule in rounds_from_schedule(plan.schedule, plan.year):
        ReportingRound.objects.create(plan=plan, kind=kind, title=title, due=due, rule=rule)
    plan.status = Plan.PUBLISHED
    plan.published_at = timezone.now()
    plan.save(update_fields=["status", "published_at"])
    audit.record(user, "发布计划", plan, after={"new_units": created, "rounds": plan.rounds.count()})
    return plan
