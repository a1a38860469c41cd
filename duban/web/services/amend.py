"""Changing a plan: a draft under review, or a published plan amended during the year.

One set of operations serves both.  On a draft each change is audited; on a
published plan it also needs a reason and becomes a numbered ``PlanRevision``
(who, when, why, before and after), and ``Plan.revision`` counts them, so a
download, a ledger template or a bulletin can say which revision it was made
from.

Every task edit carries the ``Task.version`` the editor saw; an edit made on an
older version is refused (``StaleEdit``) rather than silently overwriting
someone else's.  The plan row is locked for the length of each change, so
revisions are numbered without gaps or duplicates.

Every function runs in one transaction and is usable from a command.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import models, transaction
from django.db.models import CharField, F
from django.db.models.functions import Cast

from duban.errors import DubanError, InputError
from duban.web import audit
from duban.web.models import (
    REPORTING_ROLES,
    ROLES,
    Assignment,
    ChangeRequest,
    Contribution,
    Finding,
    Ledger,
    Plan,
    PlanRevision,
    ProgressReport,
    ReportingRound,
    Section,
    Task,
    Urge,
)
from duban.web.services.matching import UnitIndex

ROLE_KEYS = {r for r, _ in ROLES}
ROUND_KINDS = dict(ReportingRound.KINDS)


class StaleEdit(DubanError):
    """Someone changed the task (or plan) after this editor loaded it."""


@dataclass
class Change:
    """What an operation changed, for the page to update in place."""

    tasks: list[Task] = field(default_factory=list)  # rows to show again (new or changed), in plan order
    removed: list[int] = field(default_factory=list)  # task ids no longer in the plan
    renumbered: dict[int, str] = field(default_factory=dict)  # task id → its new number
    revision: PlanRevision | None = None
    reranked: int = 0  # on a drafted plan: tasks not yet reviewed whose suggestions were made again


# --- shared steps -----------------------------------------------------------------------------------


def _locked(plan: Plan) -> Plan:
    return Plan.objects.select_for_update().get(pk=plan.pk)


def _reason(plan: Plan, reason: str | None) -> str:
    reason = " ".join((reason or "").split())
    if plan.is_published and not reason:
        raise InputError("已发布的计划修订须写明修订原因")
    if len(reason) > 500:
        raise InputError("修订原因不能超过 500 字")
    return reason


def _fresh(task: Task, version: int | None) -> Task:
    """The task as stored now, locked; StaleEdit when it moved on since ``version`` was read."""
    current = Task.objects.select_for_update().filter(pk=task.pk).first()
    if current is None:
        raise StaleEdit("这项任务已被合并或删除，请刷新页面")
    if version is not None and current.version != version:
        raise StaleEdit(f"第 {current.number} 项任务已被他人修改（版本 {current.version}），请刷新后再改")
    return current


def _bump(*tasks: Task) -> None:
    ids = [t.pk for t in tasks]
    Task.objects.filter(pk__in=ids).update(version=F("version") + 1)
    for t in tasks:
        t.version += 1


def _record(
    plan: Plan,
    user,
    action: str,
    summary: str,
    reason: str,
    *,
    obj=None,
    before=None,
    after=None,
    task: Task | None = None,
    change_request: ChangeRequest | None = None,
) -> PlanRevision | None:
    """Audit the change; on a published plan also number it as the plan's next revision."""
    after = dict(after or {})
    revision = None
    if plan.is_published:
        Plan.objects.filter(pk=plan.pk).update(revision=F("revision") + 1)
        plan.revision = Plan.objects.values_list("revision", flat=True).get(pk=plan.pk)
        revision = PlanRevision.objects.create(
            plan=plan,
            number=plan.revision,
            action=action,
            summary=summary[:300],
            reason=reason,
            before=before,
            after=after,
            task=task,
            change_request=change_request,
            user=user if getattr(user, "is_authenticated", False) else None,
            username=getattr(user, "username", "") or "命令行",
        )
        after.update(revision=revision.number, reason=reason)
    elif reason:
        after["reason"] = reason
    audit.record(user, action, obj if obj is not None else plan, government=plan.government, before=before, after=after)
    return revision


def _renumber(plan: Plan) -> dict[int, str]:
    """Number the tasks 1…n in order; the ids whose number changed, with the new number.

    Orders are closed up first (only the rows that moved), then every number is set from its order
    in one UPDATE, so a split near the top of a 300-task plan costs two statements, not 300.
    """
    rows = list(Task.objects.filter(plan=plan).order_by("order", "id").values_list("id", "order", "number"))
    moved = [Task(pk=pk, order=i) for i, (pk, order, _n) in enumerate(rows) if order != i]
    if moved:
        Task.objects.bulk_update(moved, ["order"], batch_size=500)
    changed = {pk: str(i + 1) for i, (pk, _o, number) in enumerate(rows) if number != str(i + 1)}
    if changed:
        Task.objects.filter(pk__in=list(changed)).update(number=Cast(F("order") + 1, output_field=CharField()))
    return changed


def _units_of(task: Task) -> list[list[str]]:
    return [[a.unit_name, a.role] for a in task.assignments.all()]


# --- the plan's title and 文号 ------------------------------------------------------------------------


@transaction.atomic
def edit_plan(plan: Plan, *, title: str, doc_number: str, seen: tuple[str, str] | None = None, reason="", user=None):
    """New title and 文号; ``seen`` is what the editor loaded, refused as stale when the plan moved on."""
    plan = _locked(plan)
    reason = _reason(plan, reason)
    title, doc_number = " ".join(title.split()), " ".join(doc_number.split())
    if not title:
        raise InputError("标题不能为空")
    if len(title) > 300 or len(doc_number) > 100:
        raise InputError("标题不能超过 300 字，文号不能超过 100 字")
    if seen is not None and tuple(seen) != (plan.title, plan.doc_number):
        raise StaleEdit("标题或文号已被他人修改，请刷新后再改")
    before = {"title": plan.title, "doc_number": plan.doc_number}
    after = {"title": title, "doc_number": doc_number}
    if before == after:
        raise InputError("标题和文号没有改动")
    plan.title, plan.doc_number = title, doc_number
    plan.save(update_fields=["title", "doc_number"])
    what = "、".join(n for k, n in (("title", "标题"), ("doc_number", "文号")) if before[k] != after[k])
    return _record(plan, user, "修改标题和文号", f"修改{what}", reason, before=before, after=after)


# --- tasks ------------------------------------------------------------------------------------------


def _split(text: str) -> list[str]:
    parts = [" ".join(p.split()) for p in (text or "").replace("\r\n", "\n").split("\n\n")]
    return [p for p in parts if p]


@transaction.atomic
def edit_task(
    task: Task,
    *,
    text: str,
    deadline: str | None = None,
    version: int | None = None,
    reason: str = "",
    user=None,
    change_request: ChangeRequest | None = None,
) -> Change:
    """Rewrite a task (and its 完成时限); a blank line in ``text`` splits it, each new part keeping the units.

    The first part stays the same task, so its reports, ledgers and requests stay with it.
    """
    plan = _locked(task.plan)
    reason = _reason(plan, reason)
    task = _fresh(task, version)
    parts = _split(text)
    if not parts:
        raise InputError("任务内容不能为空")
    deadline = task.deadline if deadline is None else " ".join(deadline.split())
    if len(deadline) > 100:
        raise InputError("完成时限不能超过 100 字")
    if parts == [task.text] and deadline == task.deadline:
        raise InputError("任务内容和完成时限没有改动")
    before = {"number": task.number, "text": task.text, "deadline": task.deadline}
    task.text, task.deadline = parts[0], deadline
    task.save(update_fields=["text", "deadline"])
    _bump(task)
    change = Change(tasks=[task])
    if len(parts) > 1:
        Task.objects.filter(plan=plan, order__gt=task.order).update(order=F("order") + len(parts) - 1)
        units = list(task.assignments.all())
        for n, part in enumerate(parts[1:], 1):
            new = Task.objects.create(
                plan=plan, section=task.section, number="", text=part, deadline=deadline, order=task.order + n
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
            change.tasks.append(new)
        change.renumbered = _renumber(plan)
        for t in change.tasks:
            t.number = change.renumbered.get(t.pk, t.number)
    action = "拆分任务" if len(parts) > 1 else "修改任务"
    summary = (
        f"第 {before['number']} 项拆分为 {len(parts)} 项（第 {change.tasks[0].number}–{change.tasks[-1].number} 项）"
        if len(parts) > 1
        else f"修改第 {task.number} 项的" + ("任务内容" if parts[0] != before["text"] else "完成时限")
    )
    change.revision = _record(
        plan,
        user,
        action,
        summary,
        reason,
        obj=task,
        task=task,
        before=before,
        after={"texts": parts, "deadline": deadline},
        change_request=change_request,
    )
    return change


def _published_units(plan: Plan, rows: list[tuple[str, str]]) -> list[tuple]:
    """(unit row, name, role, written) for a published plan: every name must be a unit of the directory.

    A name as the directory writes it (what the page offers) is looked up directly; only another
    spelling builds the matcher (aliases, normalised forms).
    """
    # A retired unit's row steps aside (its name leads to its successor), as in UnitIndex.
    named = plan.government.units.filter(name__in=[n for n, _ in rows], successor__isnull=True)
    exact = {u.name: u for u in named}
    index = None
    out, unknown = [], []
    for name, role in rows:
        unit = exact.get(name)
        if unit is None:
            index = index or UnitIndex(plan.government.units.all())
            match = index.resolve(name)
            unit = match.unit if match.kind in ("exact", "alias", "renamed") else None
        if unit is None:
            unknown.append(name)
            continue
        out.append((unit, unit.name, role, name))
    if unknown:
        raise InputError(
            f"单位名录中没有“{'”“'.join(unknown)}”：已发布的计划只能指定名录中的单位，请先在单位名录中新增或改用已有名称"
        )
    if not any(role in REPORTING_ROLES for *_u, role, _w in out):
        raise InputError("至少要有一个牵头或负责单位，否则这项任务无人报送")
    return out


def clean_unit_rows(rows) -> list[tuple[str, str]]:
    """(name, role) rows as typed: blanks dropped, names trimmed, an unknown role refused, a repeat refused."""
    out, seen = [], set()
    for name, role in rows:
        name = " ".join((name or "").split())
        if not name:
            continue
        if role not in ROLE_KEYS:
            raise InputError(f"“{name}”的角色“{role}”无效，请选择牵头、负责、配合或监测")
        if len(name) > 120:
            raise InputError(f"单位名称“{name[:20]}…”太长（不能超过 120 字）")
        if (name, role) in seen:
            raise InputError(f"“{name}”重复填写")
        seen.add((name, role))
        out.append((name, role))
    return out


@transaction.atomic
def set_units(
    task: Task,
    rows: list[tuple[str, str]],
    *,
    version: int | None = None,
    reason: str = "",
    user=None,
    change_request: ChangeRequest | None = None,
) -> Change:
    """Replace a task's units and roles with ``(name, role)`` rows.

    On a draft a name the directory lacks is kept to be created at publishing; on a
    published plan every name must be a directory unit (matched by name or alias).
    """
    plan = _locked(task.plan)
    reason = _reason(plan, reason)
    task = _fresh(task, version)
    rows = clean_unit_rows(rows)
    before = _units_of(task)
    if [list(r) for r in rows] == before:
        raise InputError("责任单位没有改动")
    if plan.is_published:
        if not rows:
            raise InputError("已发布计划的任务至少要有一个责任单位")
        new = [
            Assignment(task=task, unit=unit, unit_name=name, role=role, match="manual", written=written, order=n)
            for n, (unit, name, role, written) in enumerate(_published_units(plan, rows))
        ]
    else:
        index = UnitIndex(plan.government.units.all())
        new = []
        for n, (name, role) in enumerate(rows):
            match = index.resolve(name)
            exact = match.kind == "exact"
            new.append(
                Assignment(
                    task=task,
                    unit=match.unit if exact else None,
                    unit_name=match.unit.name if exact else name,
                    role=role,
                    match="manual" if exact else "unknown",
                    written=name,
                    order=n,
                )
            )
    task.assignments.all().delete()
    Assignment.objects.bulk_create(new)
    _bump(task)
    if not plan.is_published:
        # The office has set this task's units itself: learned from, never re-ranked.
        Task.objects.filter(pk=task.pk).update(reviewed=True)
    after = [[a.unit_name, a.role] for a in new]
    labels = dict(ROLES)
    summary = f"第 {task.number} 项责任单位改为" + "、".join(f"{n}（{labels[r]}）" for n, r in after)
    change = Change(tasks=[task])
    change.revision = _record(
        plan,
        user,
        "修改责任单位",
        summary,
        reason,
        obj=task,
        task=task,
        before={"units": before},
        after={"units": after},
        change_request=change_request,
    )
    if not plan.is_published and plan.tasks.exclude(candidates=[]).exists():
        # Each correction tells how this government assigns work this year: suggest the rest again.
        from duban.web.services.plans import rerank_unreviewed

        change.reranked = rerank_unreviewed(plan, user)
    return change


def _carry_over(task: Task, into: Task) -> dict:
    """Move what hangs on ``task`` (reports, ledgers, contributions, urges, findings, requests) to ``into``.

    Refused when ``into`` already has the same unit's report for a round, or the same unit's ledger:
    two accounts of one thing cannot be folded into one without someone choosing.
    """
    clashes = []
    theirs = set(ProgressReport.objects.filter(task=into).values_list("unit_id", "round_id"))
    for report in ProgressReport.objects.filter(task=task).select_related("unit", "round"):
        if (report.unit_id, report.round_id) in theirs:
            clashes.append(f"{report.unit.name}「{report.round.title}」的报告")
    ledgers = set(Ledger.objects.filter(task=into).values_list("unit_id", flat=True))
    for ledger in Ledger.objects.filter(task=task).select_related("unit"):
        if ledger.unit_id in ledgers:
            clashes.append(f"{ledger.unit.name}的台账")
    contributions = set(Contribution.objects.filter(task=into).values_list("unit_id", "round_id"))
    for c in Contribution.objects.filter(task=task).select_related("unit", "round"):
        if (c.unit_id, c.round_id) in contributions:
            clashes.append(f"{c.unit.name}「{c.round.title}」的配合情况")
    if clashes:
        raise InputError(
            f"第 {task.number} 项和第 {into.number} 项都有{'、'.join(clashes[:3])}{'等' if len(clashes) > 3 else ''}，"
            "不能合并；请改写任务内容代替合并"
        )
    moved = {}
    for model in (ProgressReport, Ledger, Contribution, Urge, Finding, ChangeRequest):
        n = model.objects.filter(task=task).update(task=into)
        if n:
            moved[model.__name__] = n
    return moved


@transaction.atomic
def merge_into_previous(task: Task, *, version: int | None = None, reason: str = "", user=None) -> Change:
    """Fold a task into the one before it: texts joined, indicators and units of both kept.

    On a published plan the folded task's reports, ledgers and requests go to the task it joins.
    """
    plan = _locked(task.plan)
    reason = _reason(plan, reason)
    task = _fresh(task, version)
    previous = Task.objects.filter(plan=plan, order__lt=task.order).order_by("-order").first()
    if previous is None:
        raise InputError("第一项任务前面没有可合并的任务")
    before = {
        "previous": {"number": previous.number, "text": previous.text, "units": _units_of(previous)},
        "merged": {"number": task.number, "text": task.text, "units": _units_of(task)},
    }
    moved = _carry_over(task, previous) if plan.is_published else {}
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
    gone, number, order = task.pk, task.number, task.order
    task.delete()
    Task.objects.filter(plan=plan, order__gt=order).update(order=F("order") - 1)
    _bump(previous)
    change = Change(tasks=[previous], removed=[gone])
    change.renumbered = _renumber(plan)
    previous.number = change.renumbered.get(previous.pk, previous.number)
    change.revision = _record(
        plan,
        user,
        "合并任务",
        f"第 {number} 项并入第 {previous.number} 项",
        reason,
        obj=previous,
        task=previous,
        before=before,
        after={"text": previous.text, "units": _units_of(previous), "moved": moved},
    )
    return change


@transaction.atomic
def move_task(task: Task, section: Section, *, version: int | None = None, reason: str = "", user=None) -> Change:
    """Put a task under another heading, as its last task; the tasks are numbered again in order."""
    plan = _locked(task.plan)
    reason = _reason(plan, reason)
    task = _fresh(task, version)
    if section.plan_id != plan.pk:
        raise InputError("只能移到本计划的其他标题下")
    if section.pk == task.section_id:
        raise InputError("任务已在这个标题下")
    before = {"number": task.number, "section": task.section.title if task.section else ""}
    # After the last task of this heading or of any heading before it, so headings stay in document order.
    last = (
        Task.objects.filter(plan=plan, section__order__lte=section.order).exclude(pk=task.pk).order_by("-order").first()
    )
    position = last.order + 1 if last else 0
    Task.objects.filter(plan=plan, order__gte=position).exclude(pk=task.pk).update(order=F("order") + 1)
    task.section, task.order = section, position
    task.save(update_fields=["section", "order"])
    _bump(task)
    change = Change(tasks=[task])
    change.renumbered = _renumber(plan)
    task.number = change.renumbered.get(task.pk, task.number)
    change.revision = _record(
        plan,
        user,
        "移动任务",
        f"第 {before['number']} 项移到“{section.title}”下（现为第 {task.number} 项）",
        reason,
        obj=task,
        task=task,
        before=before,
        after={"number": task.number, "section": section.title},
    )
    return change


# --- reporting rounds ---------------------------------------------------------------------------------


def _round_fields(plan: Plan, kind: str, title: str, due: date) -> tuple[str, str, date]:
    if not plan.is_published:
        raise InputError("报送轮次在计划发布时按通知的报送安排建立，发布后才能调整")
    title = " ".join((title or "").split())
    if kind not in ROUND_KINDS:
        raise InputError(f"报送类型“{kind}”无效，请选择{'、'.join(ROUND_KINDS.values())}")
    if not title or len(title) > 100:
        raise InputError("轮次名称不能为空，也不能超过 100 字")
    if not isinstance(due, date) or abs(due.year - plan.year) > 1:
        raise InputError(f"截止日期须在 {plan.year} 年前后")
    return kind, title, due


def _round_json(rnd: ReportingRound) -> dict:
    return {"kind": rnd.kind, "title": rnd.title, "due": rnd.due.isoformat(), "rule": rnd.rule}


@transaction.atomic
def add_round(plan: Plan, *, kind: str, title: str, due: date, reason: str = "", user=None) -> ReportingRound:
    plan = _locked(plan)
    reason = _reason(plan, reason)
    kind, title, due = _round_fields(plan, kind, title, due)
    if plan.rounds.filter(title=title).exists():
        raise InputError(f"已有名为“{title}”的报送轮次")
    rnd = ReportingRound.objects.create(plan=plan, kind=kind, title=title, due=due, rule="手工添加")
    _record(plan, user, "新增报送轮次", f"新增报送轮次“{title}”（{due}）", reason, obj=rnd, after=_round_json(rnd))
    return rnd


@transaction.atomic
def edit_round(
    rnd: ReportingRound, *, kind: str, title: str, due: date, seen: dict | None = None, reason: str = "", user=None
) -> ReportingRound:
    """New kind, title or due date; ``seen`` (as ``_round_json``) guards against an edit made meanwhile."""
    plan = _locked(rnd.plan)
    reason = _reason(plan, reason)
    rnd = ReportingRound.objects.select_for_update().get(pk=rnd.pk)
    before = _round_json(rnd)
    if seen is not None and any(before[k] != seen.get(k, before[k]) for k in ("kind", "title", "due")):
        raise StaleEdit(f"报送轮次“{rnd.title}”已被他人修改，请刷新后再改")
    kind, title, due = _round_fields(plan, kind, title, due)
    if kind != rnd.kind and (rnd.reports.exists() or rnd.contributions.exists()):
        raise InputError(f"“{rnd.title}”已有报告，不能改变报送类型")
    if title != rnd.title and plan.rounds.filter(title=title).exclude(pk=rnd.pk).exists():
        raise InputError(f"已有名为“{title}”的报送轮次")
    rnd.kind, rnd.title, rnd.due = kind, title, due
    after = _round_json(rnd)
    if after == before:
        raise InputError("报送轮次没有改动")
    rnd.save(update_fields=["kind", "title", "due"])
    _record(plan, user, "修改报送轮次", f"修改报送轮次“{before['title']}”", reason, obj=rnd, before=before, after=after)
    return rnd


@transaction.atomic
def delete_round(rnd: ReportingRound, *, reason: str = "", user=None) -> None:
    """Delete a round nobody has reported for; one with reports or contributions is refused."""
    plan = _locked(rnd.plan)
    reason = _reason(plan, reason)
    rnd = ReportingRound.objects.select_for_update().filter(pk=rnd.pk).first()
    if rnd is None:
        raise StaleEdit("这个报送轮次已被删除，请刷新页面")
    if not plan.is_published:
        raise InputError("报送轮次在计划发布时按通知的报送安排建立，发布后才能调整")
    reports, contributions = rnd.reports.count(), rnd.contributions.count()
    if reports or contributions:
        raise InputError(
            f"“{rnd.title}”已有 {reports} 份报告、{contributions} 条配合情况，不能删除；可以修改它的名称或日期"
        )
    before = _round_json(rnd)
    # An urge about this round stays on record (without its round): what was asked of whom is history.
    urges = Urge.objects.filter(round=rnd).update(round=None)
    rnd.delete()
    _record(
        plan,
        user,
        "删除报送轮次",
        f"删除报送轮次“{before['title']}”（{before['due']}）",
        reason,
        obj=plan,
        before=before,
        after={"urges_kept": urges},
    )


# --- publishing and change requests -------------------------------------------------------------------


def published_title(title: str) -> str:
    """A plan's title as published: a drafted notice's （草稿） mark comes off."""
    from duban.draft.decompose import undrafted

    return undrafted(title)


def parse_unit_lines(text: str) -> list[tuple[str, str]]:
    """Units as a unit types them in a request, one a line: 商务局 牵头 / 商务局（牵头） / 商务局：配合."""
    by_label = {label: key for key, label in ROLES} | {key: key for key in ROLE_KEYS}
    rows = []
    for line in (text or "").splitlines():
        line = line.strip().rstrip("）)")
        if not line:
            continue
        for sep in ("（", "(", "：", ":", " ", "\t"):
            if sep in line:
                name, _, role = line.rpartition(sep)
                break
        else:
            name, role = line, ""
        role = role.strip()
        if role not in by_label:
            raise InputError(f"“{line}”没有写明角色：请写成“单位名称 牵头”（牵头、负责、配合或监测）")
        rows.append((name.strip(), by_label[role]))
    return clean_unit_rows(rows)


@transaction.atomic
def request_change(task: Task, unit, *, kind: str, reason: str, new_deadline="", new_text="", new_units="", user=None):
    """A unit asks to extend (延期) or change (调整) its task; what it asks is kept to be applied on approval."""
    reason = " ".join((reason or "").split())
    if kind not in dict(ChangeRequest.KINDS):
        raise InputError("请选择申请类型（延期或调整）")
    if not reason:
        raise InputError("请填写申请理由")
    new_deadline = " ".join((new_deadline or "").split())[:100]
    units = parse_unit_lines(new_units) if kind == "change" else []
    text = (new_text or "").strip() if kind == "change" else ""
    if kind == "extension" and not new_deadline:
        raise InputError("延期申请须写明申请的完成时限")
    if kind == "change" and not (text or units or new_deadline):
        raise InputError("调整申请须写明要调整的任务内容、完成时限或责任单位")
    cr = ChangeRequest.objects.create(
        task=task,
        unit=unit,
        kind=kind,
        reason=reason,
        new_deadline=new_deadline,
        new_text=text,
        new_units=[list(r) for r in units],
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    audit.record(
        user,
        "申请" + cr.get_kind_display(),
        task,
        after={"reason": reason, "new_deadline": new_deadline, "new_text": text, "new_units": cr.new_units},
    )
    return cr


@transaction.atomic
def apply_change_request(cr: ChangeRequest, user=None) -> list[PlanRevision]:
    """What an approved request asks, applied as revisions of the plan (each naming the request).

    延期: the new 完成时限.  调整: the new task text and/or 完成时限 and/or units and roles.
    A request that asks nothing applicable, or whose change fails (an unknown unit), raises and
    changes nothing — the approval itself rolls back with it.
    """
    task = Task.objects.select_related("plan").get(pk=cr.task_id)
    reason = f"同意{cr.unit.name}的{cr.get_kind_display()}申请：{cr.reason}"[:500]
    done: list[PlanRevision | None] = []
    text = cr.new_text.strip() if cr.kind == "change" else ""
    deadline = " ".join(cr.new_deadline.split())
    if (text and _split(text) != [task.text]) or (deadline and deadline != task.deadline):
        done.append(
            edit_task(
                task, text=text or task.text, deadline=deadline or None, reason=reason, user=user, change_request=cr
            ).revision
        )
        task.refresh_from_db()
    if cr.kind == "change" and cr.new_units:
        rows = [(str(n), str(r)) for n, r in cr.new_units]
        if [list(r) for r in rows] != _units_of(task):
            done.append(set_units(task, rows, reason=reason, user=user, change_request=cr).revision)
    if not done:
        raise InputError("这项申请没有写明要调整的内容（任务内容、完成时限或责任单位），无法按申请修订；请不同意并说明")
    return [r for r in done if r is not None]


def revisions(plan: Plan) -> models.QuerySet:
    return plan.revisions.select_related("task")
