"""上级交办: a parent government's published tasks addressed to a government below it become that
government's 上级交办 tasks, and its own tasks are linked to them (see docs/cascade.md).

Which tasks are addressed to whom and which of the government's tasks take one up is
``duban.draft.coverage`` (``addressed_to`` and ``pair``); this module stores what they say and what
the office decides.  Every write runs in one transaction and is audited; the reads (``coverage_of``,
``rollup``) are what the pages, ``duban coverage`` and the province's roll-up show.  A task's standing
comes from ``duban.track.round`` through ``services.overview``, never recounted here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from duban import vocab
from duban.draft import coverage as rule
from duban.errors import DubanError, InputError
from duban.web import audit
from duban.web.models import (
    Assignment,
    CoverageLink,
    Government,
    ParentTask,
    Plan,
    Section,
    Task,
    Unit,
)

# The section a task added to take a 上级交办 task up goes under, when the office names none.
ADDED_SECTION = "上级交办事项"


# --- placing a government under its parent -----------------------------------------------------------


def check_placement(government: Government, parent: Government) -> None:
    """Refuse, in one sentence, a placement that would make a cycle or put a level under an equal or lower one."""
    if parent.pk == government.pk:
        raise InputError(f"{government.name}不能是自己的上级政府")
    if government.pk is not None and government.pk in {g.pk for g in parent.ancestors()}:
        raise InputError(f"{parent.name}是{government.name}的下级政府，不能反过来作为它的上级（会形成循环）")
    rank = vocab.LEVEL_RANK
    if rank.get(government.level, 99) <= rank.get(parent.level, -1):
        raise InputError(
            f"层级不符：{vocab.LEVELS.label(government.level)}的{government.name}"
            f"不能放在{vocab.LEVELS.label(parent.level)}的{parent.name}之下"
        )
    if government.parent_id and government.parent_id != parent.pk:
        raise InputError(f"{government.name}已在{government.parent.name}之下，不能再放到{parent.name}之下")


@transaction.atomic
def place_under(government: Government, parent: Government, user=None) -> int:
    """Put ``government`` under ``parent`` and bring down the tasks of the parent's published plans
    addressed to it.  Returns how many 上级交办 tasks it received."""
    government = Government.objects.select_for_update().get(pk=government.pk)
    check_placement(government, parent)
    if government.parent_id != parent.pk:
        government.parent = parent
        government.save(update_fields=["parent"])
        audit.record(user, "设置上级政府", government, government=government, after={"parent": parent.name})
    return cascade_to(government, user=user)


# --- bringing the parent's tasks down ------------------------------------------------------------------


def _indicator_names(task: Task) -> tuple[str, ...]:
    return tuple(i.get("name", "") for i in task.indicators or () if isinstance(i, dict) and i.get("name"))


def _item(key, task: Task, units) -> rule.Item:
    return rule.Item(key=str(key), text=task.text, units=tuple(units), indicators=_indicator_names(task))


def _parent_items(plan: Plan) -> tuple[list[rule.Item], dict[str, Task]]:
    """The parent plan's tasks as the rule reads them: each unit by its name and as the notice wrote it."""
    tasks = list(plan.tasks.prefetch_related("assignments"))
    items = []
    for task in tasks:
        units: list[str] = []
        for a in task.assignments.all():
            for name in (a.unit_name, a.written):
                if name and name not in units:
                    units.append(name)
        items.append(_item(task.pk, task, units))
    return items, {str(t.pk): t for t in tasks}


def aliases_of(government: Government) -> list[str]:
    """Other names the parent's notice may use for ``government``: its office's name, and the names and aliases
    of the parent's own directory entry for it (济源示范区管委会 for 济源示范区)."""
    found = [government.office_name] if government.office_name else []
    if government.parent_id:
        stems = [rule_stem for rule_stem in {government.name, government.name.removesuffix("人民政府")} if rule_stem]
        for unit in Unit.objects.filter(government_id=government.parent_id, kind="government"):
            if any(stem in unit.name for stem in stems):
                found += [unit.name, *unit.aliases]
    return [name for name in dict.fromkeys(found) if name and name != government.name]


def _bring_down(plan: Plan, child: Government, user=None) -> int:
    items, tasks = _parent_items(plan)
    addressed = rule.addressed_to(items, child.name, aliases_of(child), child.level)
    have = set(ParentTask.objects.filter(government=child, task__plan=plan).values_list("task_id", flat=True))
    new = [
        ParentTask(government=child, task=tasks[a.item.key], how=a.how, written=a.written[:200])
        for a in addressed
        if tasks[a.item.key].pk not in have
    ]
    ParentTask.objects.bulk_create(new)
    if new:
        audit.record(
            user,
            "接收上级交办任务",
            plan,
            government=child,
            after={"from": plan.government.name, "plan": plan.pk, "tasks": [p.task.number for p in new]},
        )
        suggest_links(child, plan.year, user=user)
    return len(new)


@transaction.atomic
def cascade_plan(plan: Plan, user=None) -> dict[str, int]:
    """A parent's plan was published: each government directly below receives the tasks addressed to it."""
    if not plan.is_published:
        return {}
    return {child.name: _bring_down(plan, child, user) for child in plan.government.children.all()}


@transaction.atomic
def cascade_to(government: Government, user=None) -> int:
    """``government`` was placed under its parent: it receives the tasks of the parent's published plans."""
    if not government.parent_id:
        return 0
    plans = Plan.objects.filter(government_id=government.parent_id, status=Plan.PUBLISHED)
    return sum(_bring_down(plan, government, user) for plan in plans)


def _own_tasks(government: Government, year: int):
    return Task.objects.filter(plan__government=government, plan__year=year)


@transaction.atomic
def suggest_links(government: Government, year: int, user=None) -> int:
    """Pair the government's 上级交办 tasks of ``year`` with its own tasks of that year (``coverage.pair``).

    Earlier suggestions are replaced; what the office decided (confirmed, linked, added, rejected) stays,
    and a pair it decided is never suggested again.  Returns the number of suggestions."""
    parents = list(ParentTask.objects.filter(government=government, task__plan__year=year).select_related("task"))
    if not parents:
        return 0
    own = list(_own_tasks(government, year).prefetch_related("assignments"))
    CoverageLink.objects.filter(parent_task__in=parents, state=vocab.SUGGESTED_LINK).delete()
    decided = set(CoverageLink.objects.filter(parent_task__in=parents).values_list("parent_task_id", "task_id"))
    found = rule.pair(
        [_item(p.pk, p.task, ()) for p in parents],
        [_item(t.pk, t, [a.unit_name for a in t.assignments.all()]) for t in own],
    )
    rows = [
        CoverageLink(
            parent_task_id=int(link.parent),
            task_id=int(link.child),
            state=vocab.SUGGESTED_LINK,
            score=link.score,
            reasons=list(link.reasons),
        )
        for link in found.links
        if (int(link.parent), int(link.child)) not in decided
    ]
    CoverageLink.objects.bulk_create(rows)
    audit.record(
        user,
        "配对上级交办任务",
        government,
        government=government,
        after={"year": year, "suggested": len(rows), "not_taken_up": len(found.not_taken_up)},
    )
    return len(rows)


# --- what the office decides ---------------------------------------------------------------------------


def _decide(link: CoverageLink, state: str, user, action: str) -> CoverageLink:
    before = {"state": link.state}
    link.state, link.decided_by, link.decided_at = state, user if getattr(user, "pk", None) else None, timezone.now()
    link.save(update_fields=["state", "decided_by", "decided_at"])
    audit.record(
        user,
        action,
        link,
        government=link.parent_task.government,
        before=before,
        after={"state": state, "parent": link.parent_task.task.number, "task": link.task.number},
    )
    return link


def _fresh_link(link: CoverageLink, seen: str | None = None) -> CoverageLink:
    """The link as stored now, locked; refused when someone else changed it since the page showed ``seen``."""
    link = CoverageLink.objects.select_for_update().select_related("parent_task__task", "task").get(pk=link.pk)
    if seen and link.state != seen:
        raise DubanError(
            f"任务{link.task.number}的承接状态已被他人改为“{vocab.COVERAGE_LINKS.label(link.state)}”，请刷新后再操作"
        )
    return link


@transaction.atomic
def confirm(link: CoverageLink, user=None, seen: str | None = None) -> CoverageLink:
    link = _fresh_link(link, seen)
    if link.state in vocab.TAKEN_UP_LINKS:
        raise DubanError(f"任务{link.task.number}已承接上级任务{link.parent_task.task.number}")
    return _decide(link, vocab.CONFIRMED_LINK, user, "确认承接上级交办任务")


@transaction.atomic
def reject(link: CoverageLink, user=None, seen: str | None = None) -> CoverageLink:
    link = _fresh_link(link, seen)
    if link.state == vocab.REJECTED_LINK:
        raise DubanError(f"任务{link.task.number}已标为不承接")
    return _decide(link, vocab.REJECTED_LINK, user, "标为不承接上级交办任务")


@transaction.atomic
def link_task(parent_task: ParentTask, task: Task, user=None) -> CoverageLink:
    """The office links one of its own tasks of the same year by hand."""
    if task.plan.government_id != parent_task.government_id or task.plan.year != parent_task.task.plan.year:
        raise InputError(f"任务{task.number}不是本级{parent_task.task.plan.year}年的任务")
    link, made = CoverageLink.objects.select_for_update().get_or_create(
        parent_task=parent_task, task=task, defaults={"state": vocab.LINKED_BY_HAND}
    )
    if not made and link.state in vocab.TAKEN_UP_LINKS:
        raise DubanError(f"任务{task.number}已承接上级任务{parent_task.task.number}")
    if made:
        link.decided_by, link.decided_at = (user if getattr(user, "pk", None) else None), timezone.now()
        link.save(update_fields=["decided_by", "decided_at"])
        audit.record(
            user,
            "关联承接上级交办任务",
            link,
            government=parent_task.government,
            after={"parent": parent_task.task.number, "task": task.number},
        )
        return link
    return _decide(link, vocab.LINKED_BY_HAND, user, "关联承接上级交办任务")


def _next_number(plan: Plan) -> str:
    numbers = [int(n) for n in plan.tasks.values_list("number", flat=True) if str(n).isdigit()]
    return str(max(numbers, default=0) + 1)


@transaction.atomic
def add_task(parent_task: ParentTask, plan: Plan, *, text: str, unit: Unit | None = None, user=None) -> Task:
    """The office adds a task of its own, at the end of ``plan``, to take the 上级交办 task up.

    On a published plan this is an amendment: numbered as the plan's next revision, with its reason."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.government_id != parent_task.government_id or plan.year != parent_task.task.plan.year:
        raise InputError(f"《{plan.title}》不是本级{parent_task.task.plan.year}年的计划")
    text = (text or "").strip()
    if not text:
        raise InputError("任务内容：请填写承接上级任务的工作内容")
    if unit is not None and unit.government_id != plan.government_id:
        raise InputError("责任单位不在本级单位名录中")
    section, _ = Section.objects.get_or_create(
        plan=plan,
        title=ADDED_SECTION,
        defaults={
            "path": [ADDED_SECTION],
            "area": ADDED_SECTION,
            "order": (plan.sections.aggregate(n=Max("order"))["n"] or 0) + 1,
        },
    )
    task = Task.objects.create(
        plan=plan,
        section=section,
        number=_next_number(plan),
        text=text,
        order=(plan.tasks.aggregate(n=Max("order"))["n"] or 0) + 1,
        reviewed=True,
    )
    if unit is not None:
        Assignment.objects.create(task=task, unit=unit, unit_name=unit.name, role=vocab.LEAD, match="manual")
    link = CoverageLink.objects.create(
        parent_task=parent_task,
        task=task,
        state=vocab.ADDED_LINK,
        decided_by=user if getattr(user, "pk", None) else None,
        decided_at=timezone.now(),
    )
    from duban.web.services.amend import _record

    _record(
        plan,
        user,
        "新增承接任务",
        f"新增任务{task.number}，承接上级交办任务{parent_task.task.number}",
        f"承接{parent_task.task.plan.government.name}交办的任务{parent_task.task.number}",
        obj=link,
        after={"task": task.number, "text": text[:200], "unit": unit.name if unit else "", "parent": parent_task.pk},
        task=task,
    )
    return task


# --- reading -----------------------------------------------------------------------------------------


@dataclass
class CoverageRow:
    """One 上级交办 task and the government's tasks that take it up (rejected suggestions left out)."""

    parent_task: ParentTask
    links: list[CoverageLink] = field(default_factory=list)

    @property
    def state(self) -> str:
        if any(link.state in vocab.TAKEN_UP_LINKS for link in self.links):
            return vocab.TAKEN_UP
        if self.links:
            return vocab.AWAITING_CONFIRMATION
        return vocab.NOT_TAKEN_UP

    @property
    def state_label(self) -> str:
        return vocab.COVERAGE_STATES.label(self.state)

    @property
    def task(self) -> Task:
        return self.parent_task.task

    def to_json(self) -> dict:
        task = self.task
        return {
            "parent_government": task.plan.government.name,
            "plan": task.plan.title,
            "number": task.number,
            "text": task.text,
            "addressed": vocab.ADDRESSED_HOW.label(self.parent_task.how),
            "written": self.parent_task.written,
            "state": self.state,
            "state_label": self.state_label,
            "taken_up_by": [
                {
                    "number": link.task.number,
                    "plan": link.task.plan.title,
                    "text": link.task.text,
                    "state": link.state,
                    "state_label": vocab.COVERAGE_LINKS.label(link.state),
                    "score": link.score,
                    "reasons": list(link.reasons),
                }
                for link in self.links
            ],
        }


_LINK_ORDER = {key: n for n, key in enumerate(vocab.COVERAGE_LINKS.keys)}


def coverage_of(government: Government, year: int) -> list[CoverageRow]:
    """Each 上级交办 task of ``year`` in plan order, with the links to the government's tasks, decided first."""
    parents = list(
        ParentTask.objects.filter(government=government, task__plan__year=year).select_related("task__plan__government")
    )
    rows = {p.pk: CoverageRow(p) for p in parents}
    links = (
        CoverageLink.objects.filter(parent_task__in=parents)
        .exclude(state=vocab.REJECTED_LINK)
        .select_related("task__plan")
    )
    for link in sorted(links, key=lambda li: (_LINK_ORDER[li.state], -(li.score or 0), li.task.order)):
        rows[link.parent_task_id].links.append(link)
    return list(rows.values())


def years_of(government: Government) -> list[int]:
    """The years the government has 上级交办 tasks for, latest first."""
    return sorted(
        set(ParentTask.objects.filter(government=government).values_list("task__plan__year", flat=True)), reverse=True
    )


@dataclass
class CityRollup:
    """For one government below: how many of the parent's tasks addressed to it it took up, and how its
    taking-up tasks stand (the states of ``duban.track.round``, from its own reports)."""

    government: Government
    addressed: int = 0
    taken_up: int = 0
    awaiting: int = 0
    not_taken_up: int = 0
    by_state: Counter = field(default_factory=Counter)  # vocab.TASK_STATES key → the city's tasks
    unpublished: int = 0  # taking-up tasks in a plan the city has not published yet: no standing
    plans: list[Plan] = field(default_factory=list)  # the city's published plans of the year (read-only views)

    @property
    def states(self) -> list[tuple[str, str, str, int]]:
        return [(w.key, w.label, w.colour, self.by_state.get(w.key, 0)) for w in vocab.TASK_STATES.words]


def rollup(parent: Government, year: int, today: date) -> list[CityRollup]:
    """Each government directly below ``parent``: its coverage of the parent's ``year`` tasks and the standing
    of the tasks that take them up, read through ``services.overview`` (one ``standing`` per city plan)."""
    from duban.web.services.overview import load

    out = []
    for child in parent.children.order_by("id"):
        rows = [r for r in coverage_of(child, year) if r.task.plan.government_id == parent.pk]
        item = CityRollup(child, addressed=len(rows))
        item.plans = list(child.plans.filter(year=year, status=Plan.PUBLISHED))
        taking: dict[int, set[int]] = {}
        for r in rows:
            state = r.state
            item.taken_up += state == vocab.TAKEN_UP
            item.awaiting += state == vocab.AWAITING_CONFIRMATION
            item.not_taken_up += state == vocab.NOT_TAKEN_UP
            for link in r.links:
                if link.state in vocab.TAKEN_UP_LINKS:
                    taking.setdefault(link.task.plan_id, set()).add(link.task_id)
        for plan_id, task_ids in taking.items():
            plan = next((p for p in item.plans if p.pk == plan_id), None)
            if plan is None:
                item.unpublished += len(task_ids)
                continue
            standing = load(plan, Task.objects.filter(pk__in=task_ids)).standing(today)
            item.by_state.update(ts.state.status for ts in standing.tasks.values())
        out.append(item)
    return out
