"""A notice becomes a plan: upload → parse → draft plan for review → publish.

Both the web upload and ``duban import`` go through ``import_document`` and
``publish``.  Each runs in one transaction, so a failure leaves nothing behind.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from duban import vocab
from duban.doc.model import UnitRef
from duban.errors import DubanError, InputError
from duban.web import audit
from duban.web.models import Assignment, Government, Plan, ReportingRound, Section, Task, Unit
from duban.web.services.matching import UnitIndex, guess_kind

ACCEPTED_SUFFIXES = (".txt", ".docx", ".pdf", ".xlsx", ".html", ".htm")
ROUND_TITLES = vocab.ROUND_KINDS.labels


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

    What the suggestions learn from is ``suggestion_inputs(government)``, as ``duban draft`` would be given it.
    """
    from duban.web.jobs import work

    check_upload(data, name)
    return work.draft_report(data, name, _quiet, inputs=suggestion_inputs(government))


# The web application's government levels as the directory's.
_DIRECTORY_LEVELS = {"province": "province", "city": "city", "county": "county"}


def suggestion_inputs(government: Government):
    """What a draft for ``government`` learns from: its directory (each unit with its
    aliases and former names — a unit renamed since is found under its present
    name), its published plans as history, models cached under the data directory."""
    from duban.draft.suggest.inputs import SuggestionInputs, directory_entry, government_named
    from duban.web.services.export import plan_document
    from duban.web.services.matching import former_names

    units = list(government.units.all())
    former = former_names(units)
    directory = []
    for unit in units:
        if unit.successor_id is not None:
            continue  # a retired unit: its names are aliases of the unit it became
        aliases = list(unit.aliases)
        aliases += [n for n in former.get(unit.pk, ()) if n not in aliases and n != unit.name]
        directory.append(directory_entry(unit.name, (), aliases))
    plans = government.plans.filter(status=Plan.PUBLISHED).order_by("-year", "-pk")
    return SuggestionInputs(
        government=government_named(government.name, _DIRECTORY_LEVELS.get(government.level)),
        directory=directory or None,
        history=[plan_document(p) for p in plans],
        cache=Path(settings.DATA_DIR) / "models",
    )


def issuer_warning(document, government: Government) -> str:
    """Why ``document`` seems another government's notice (``duban.doc.issuer``), or ""."""
    from duban.doc.issuer import foreign_issuer

    return foreign_issuer(
        document.issuer,
        document.doc_number,
        government.name,
        government.level,
        other_names=[government.office_name] if government.office_name else [],
        above=[g.name for g in government.ancestors()],
    )


def plan_kind(kind: str | None) -> str:
    """A plan kind as given (its key or its Chinese label, ``vocab.PLAN_KINDS``); the work report's when empty."""
    if not kind:
        return vocab.WORK_REPORT_PLAN
    kind = str(kind).strip()
    if kind in vocab.PLAN_KINDS:
        return kind
    if vocab.PLAN_KINDS.key_of(kind):
        return vocab.PLAN_KINDS.key_of(kind)
    raise InputError(f"计划类别“{kind}”无效，可选：{'、'.join(vocab.PLAN_KINDS.labels.values())}")


def government_named(name: str, level: str = "city") -> Government:
    government, _ = Government.objects.get_or_create(name=name.strip(), defaults={"level": level})
    return government


def _assignment(task: Task, index: UnitIndex, ref: UnitRef, order: int) -> Assignment:
    """A parsed or suggested unit of ``task`` as an Assignment, matched against the directory."""
    match = index.resolve(ref.name, ref.alias)
    return Assignment(
        task=task,
        unit=match.unit,
        unit_name=(match.unit.name if match.unit else ref.name)[:120],
        role=ref.role,
        match=match.kind,
        written=(ref.written or ref.name)[:200],
        order=order,
    )


@transaction.atomic
def import_document(document, government: Government, year: int, user=None, kind: str | None = None) -> Plan:
    """Store a parsed notice as a draft plan of ``kind`` (``vocab.PLAN_KINDS``; the work report's
    when None), every unit matched to the directory."""
    kind = plan_kind(kind)
    plan = Plan.objects.create(
        government=government,
        year=year,
        kind=kind,
        title=(document.title or f"{year}年{vocab.PLAN_KINDS.label(kind)}责任分解")[:300],
        doc_number=(document.doc_number or "")[:100],
        schedule=[s.to_json() for s in document.schedule],
        warnings=list(document.warnings),
        source_name=(document.source or "")[:255],
        issuer=(document.issuer or "")[:200],
        issuer_warning=issuer_warning(document, government),
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
            candidates=list(item.candidates),
        )
        assignments += [_assignment(task, index, ref, n) for n, ref in enumerate(item.units)]
    Assignment.objects.bulk_create(assignments)
    audit.record(
        user, "导入通知", plan, after={"tasks": len(document.tasks), "source": plan.source_name, "kind": plan.kind}
    )
    from duban.web.services import cascade

    cascade.suggest_links(government, year, user=user)  # its 上级交办 tasks paired with the new ones
    return plan


def rerank_unreviewed(plan: Plan, user=None) -> int:
    """Learn from the tasks the office has reviewed in a drafted plan and suggest
    the units of the others again (``Model.learn``): each correction tells how
    this government assigns work this year.  Returns the number of tasks re-ranked."""
    import copy

    from duban.doc.model import Task as DocTask
    from duban.doc.model import UnitRef
    from duban.draft.suggest import build_naming
    from duban.draft.suggest.cache import cached_fit

    inputs = suggestion_inputs(plan.government)
    if inputs.government is None:
        return 0
    naming = build_naming(inputs.government, inputs.history, inputs.directory)
    model = copy.deepcopy(cached_fit(inputs.history, naming, None, inputs.cache))
    tasks = list(plan.tasks.select_related("section").prefetch_related("assignments"))
    reviewed = [t for t in tasks if t.reviewed]
    model.learn_all(
        [
            DocTask(
                number=t.number,
                section=list(t.section.path) if t.section else [],
                text=t.text,
                units=[UnitRef(a.unit_name, a.role) for a in t.assignments.all()],
            )
            for t in reviewed
        ]
    )
    pending = [t for t in tasks if not t.reviewed and t.candidates]
    suggestions = model.suggest_all(
        [DocTask(number=t.number, section=list(t.section.path) if t.section else [], text=t.text) for t in pending]
    )
    index = UnitIndex(plan.government.units.all())
    Assignment.objects.filter(task__in=pending).delete()
    rows = []
    for task, suggestion in zip(pending, suggestions):
        task.candidates = [c.to_json() for c in suggestion.candidates]
        rows += [_assignment(task, index, ref, n) for n, ref in enumerate(suggestion.units)]
    Assignment.objects.bulk_create(rows)
    Task.objects.bulk_update(pending, ["candidates"])
    audit.record(user, "按修正重新推荐责任单位", plan, after={"tasks": len(pending), "reviewed": len(reviewed)})
    return len(pending)


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
def discard(plan: Plan, user=None) -> None:
    """Throw away a draft plan; a published plan is never deleted."""
    if plan.is_published:
        raise DubanError("已发布的计划不能删除")
    audit.record(user, "放弃草稿计划", plan, after={"tasks": plan.tasks.count()})
    plan.delete()


@transaction.atomic
def publish(plan: Plan, user=None, issuer_acknowledged: bool = False) -> Plan:
    """Create the units the directory lacked, open the reporting rounds, and publish.

    A notice that seems another government's (``Plan.issuer_warning``) is published only once
    the office has acknowledged it (``issuer_acknowledged``)."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.is_published:
        raise DubanError("这份计划已经发布")
    if plan.issuer_warning and not issuer_acknowledged:
        raise DubanError(f"{plan.issuer_warning}：请确认这份通知确应由{plan.government.name}发布后再发布")
    if plan.kind in vocab.ONE_A_YEAR_PLAN_KINDS:
        clash = Plan.objects.filter(
            government=plan.government, year=plan.year, kind=plan.kind, status=Plan.PUBLISHED
        ).exclude(pk=plan.pk)
        if clash.exists():
            raise DubanError(
                f"{plan.government.name} {plan.year} 年已有已发布的{vocab.PLAN_KINDS.label(plan.kind)}计划，不能重复发布"
            )
    created = []
    units = {u.name: u for u in plan.government.units.all()}
    for assignment in Assignment.objects.filter(task__plan=plan, unit__isnull=True):
        unit = units.get(assignment.unit_name)
        if unit is not None and unit.successor_id is not None:
            unit = unit.current()  # renamed or merged since the draft was read
            assignment.unit_name, assignment.match = unit.name, "renamed"
        if unit is None:
            unit = Unit.objects.create(
                government=plan.government, name=assignment.unit_name, kind=guess_kind(assignment.unit_name)
            )
            units[unit.name] = unit
            created.append(unit.name)
        assignment.unit = unit
        assignment.save(update_fields=["unit", "unit_name", "match"])
    for kind, title, due, rule in rounds_from_schedule(plan.schedule, plan.year):
        ReportingRound.objects.create(plan=plan, kind=kind, title=title, due=due, rule=rule)
    from duban.draft.decompose import undrafted

    plan.title = undrafted(plan.title)  # a notice drafted from a report is no longer a draft
    plan.status = Plan.PUBLISHED
    plan.published_at = timezone.now()
    plan.save(update_fields=["title", "status", "published_at"])
    after = {"new_units": created, "rounds": plan.rounds.count()}
    if plan.issuer_warning:
        after["issuer_acknowledged"] = plan.issuer_warning
    audit.record(user, "发布计划", plan, after=after)
    from duban.web.services import cascade

    cascade.cascade_plan(plan, user=user)  # the governments below receive the tasks addressed to them
    return plan
