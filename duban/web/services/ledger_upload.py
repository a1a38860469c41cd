"""A unit's filled ledger template, uploaded: checked by ``duban.render``, then applied to the web models.

The upload is kept on disk (under ``UPLOAD_DIR/ledger-imports``, named by
the unit and the file's checksum) between the check and the user's decision
to keep only the good rows, so the second step reads exactly the file the
first one showed.  Applying is one transaction with one audit event per
ledger, report and contribution it changes.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from duban import vocab
from duban.errors import DubanError, InputError
from duban.web import audit
from duban.web.models import Assignment, Contribution, Ledger, Milestone, Plan, ProgressReport, Unit
from duban.web.services import reports as report_service
from duban.web.services.render_data import document_for, report_rounds

if TYPE_CHECKING:
    from duban.render.data import UnitLedger

_DIGEST = re.compile(r"^[0-9a-f]{64}$")
XLSX_MAGIC = b"PK\x03\x04"


def plan_unit_name(plan: Plan, unit: Unit) -> str:
    """The unit's name as this plan writes it (what its template and the Document use)."""
    written = Assignment.objects.filter(task__plan=plan, unit=unit).values_list("unit_name", flat=True).first()
    return written or unit.name


def _stored(unit: Unit, digest: str) -> Path:
    if not _DIGEST.match(digest or ""):
        raise InputError("上传记录无效，请重新上传台账")
    return Path(settings.UPLOAD_DIR) / "ledger-imports" / f"unit{unit.pk}-{digest}.xlsx"


def keep_upload(unit: Unit, data: bytes) -> str:
    """Store the uploaded bytes for the confirmation step; returns their sha256."""
    from duban.web.services.plans import check_upload_size

    check_upload_size(data, "台账")
    if not data:
        raise InputError("上传的文件是空的")
    digest = hashlib.sha256(data).hexdigest()
    path = _stored(unit, digest)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return digest


def stored_upload(unit: Unit, digest: str) -> bytes:
    path = _stored(unit, digest)
    if not path.exists():
        raise InputError("找不到这次上传的台账（可能已导入），请重新上传")
    return path.read_bytes()


def forget_upload(unit: Unit, digest: str) -> None:
    _stored(unit, digest).unlink(missing_ok=True)


def plan_key(plan: Plan) -> str:
    """What a template names its stored plan by, whatever its title and 文号 become."""
    return f"duban-plan:{plan.government_id}:{plan.pk}"


def template_rounds(plan: Plan) -> list[str] | None:
    """The round sheets of a unit's template: the plan's reporting rounds by title."""
    return [r.title for r in report_rounds(plan)] or None


def current_ledger(plan: Plan, unit: Unit) -> UnitLedger:
    """What the application holds for ``unit`` as a template shows it: its ledgers (milestones with
    their done ticks; undated ones are 工作事项) and, per round title, its reports and contributions."""
    from duban.render.data import LedgerEntry, RoundEntry, UnitLedger
    from duban.render.data import Milestone as DataMilestone

    name = plan_unit_name(plan, unit)
    out = UnitLedger(unit=name)
    for ledger in (
        Ledger.objects.filter(task__plan=plan, unit=unit).select_related("task").prefetch_related("milestones")
    ):
        milestones = list(ledger.milestones.all())
        out.entries.append(
            LedgerEntry(
                task=ledger.task.number,
                work_items="\n".join(m.title for m in milestones if m.due is None),
                milestones=[DataMilestone(m.due, m.title, m.done) for m in milestones if m.due is not None],
                measures=ledger.measures,
                safeguards=ledger.safeguards,
                leader=ledger.responsible_leader,
                person=ledger.responsible_person,
            )
        )
    titles = {r.pk: r.title for r in report_rounds(plan)}
    for report in ProgressReport.objects.filter(task__plan=plan, unit=unit, round_id__in=titles).select_related("task"):
        out.rounds.setdefault(titles[report.round_id], []).append(
            RoundEntry(
                task=report.task.number,
                status=report.status,
                progress=report.done_text,
                figures={k: float(v) for k, v in (report.figures or {}).items() if isinstance(v, (int, float))},
                problems=report.problems,
                next_steps=report.next_steps,
            )
        )
    for c in Contribution.objects.filter(task__plan=plan, unit=unit, round_id__in=titles).select_related("task"):
        out.rounds.setdefault(titles[c.round_id], []).append(RoundEntry(task=c.task.number, progress=c.text))
    return out


def template(plan: Plan, unit: Unit, out) -> None:
    """The unit's ledger template, carrying what the application holds for it now."""
    from duban.render.ledger import unit_ledger_template

    name = plan_unit_name(plan, unit)
    current = current_ledger(plan, unit)
    unit_ledger_template(document_for(plan), name, out, template_rounds(plan), current=current, plan_key=plan_key(plan))


def stored_template(
    government: str, year: int, unit_name: str, out, rounds: list[str] | None = None, kind: str | None = None
) -> None:
    """``duban render ledger --government G --year Y --unit U``: the template a download gives."""
    from duban.render.clauses import no_tasks_message
    from duban.render.ledger import unit_ledger_template
    from duban.web.services.render_data import published_plan

    plan = published_plan(government, year, kind)
    doc = document_for(plan)
    assignment = Assignment.objects.filter(task__plan=plan, unit_name=unit_name, unit__isnull=False).first()
    if assignment is None:
        raise DubanError(no_tasks_message(doc.tasks, unit_name))
    current = current_ledger(plan, assignment.unit)
    rounds = rounds or template_rounds(plan)
    unit_ledger_template(doc, unit_name, out, rounds, current=current, plan_key=plan_key(plan))


def precheck(data: bytes) -> None:
    """What can be said of an uploaded ledger at once: an .xlsx, within the zip budget."""
    if not data.startswith(XLSX_MAGIC):
        raise InputError("上传的文件不是 Excel（.xlsx）文件，请上传从本系统下载并填写的台账模板")
    from duban.limits import check_zip_bytes

    check_zip_bytes(data, "上传的台账")  # a zip bomb is refused before the plan is even read


def check(plan: Plan, unit: Unit, data: bytes, *, accept_partial: bool = False):
    """``import_unit_ledger`` on the uploaded bytes, in the caller (a background job does the same)."""
    from duban.web.jobs import work

    precheck(data)
    doc = document_for(plan)
    return work.check_ledger(
        data,
        "台账",
        lambda *_: None,
        doc=doc,
        unit=plan_unit_name(plan, unit),
        accept_partial=accept_partial,
        current=current_ledger(plan, unit),
        plan_key=plan_key(plan),
    )


def checked_from_job(job):
    """The ``LedgerImport`` and ``Applied`` a background ledger job recorded, for its result page."""
    from duban.render.data import UnitLedger
    from duban.render.ledger_import import LedgerImport, LedgerProblem, RowResult

    data = job.result["import"]
    rows = [
        RowResult(
            r["sheet"],
            r["row"],
            r["task"],
            r["outcome"],
            [LedgerProblem(**p) for p in r["problems"]],
            changed=r.get("changed", []),
            kept=r.get("kept", []),
        )
        for r in data["rows"]
    ]
    result = LedgerImport(
        unit=data["unit"],
        rows=rows,
        structural=[LedgerProblem(**p) for p in data["structural"]],
        ledger=UnitLedger.from_json(data["ledger"]) if data["ledger"] else None,
    )
    applied = Applied(**job.result["applied"]) if job.result.get("applied") else None
    return result, applied


@dataclass
class Applied:
    ledgers: int = 0
    reports: int = 0
    contributions: int = 0
    skipped: list[str] = field(default_factory=list)  # what was read but not written, and why

    def summary(self) -> str:
        text = f"已导入：台账 {self.ledgers} 项，进展报告 {self.reports} 份，配合情况 {self.contributions} 条"
        return text + (f"；未导入 {len(self.skipped)} 处（见下）" if self.skipped else "")


def apply(plan: Plan, unit: Unit, ledger, user=None) -> Applied:
    """Write a checked ``UnitLedger`` into Ledger/Milestone rows, draft ProgressReports and Contributions."""
    out = Applied()
    tasks = {t.number: t for t in plan.tasks.all()}
    roles: dict[int, set[str]] = {}
    for task_id, role in Assignment.objects.filter(task__plan=plan, unit=unit).values_list("task_id", "role"):
        roles.setdefault(task_id, set()).add(role)
    rounds = {}
    for rnd in plan.rounds.all():
        # A template made from the notice's schedule (``duban render ledger --government … --unit``)
        # names rounds as default_rounds does: 6月15日进展, 全年落实情况.
        if rnd.kind == "progress":
            rounds.setdefault(f"{rnd.due.month}月{rnd.due.day}日进展", rnd)
        elif rnd.kind == "annual":
            rounds.setdefault("全年落实情况", rnd)
    rounds.update({r.title: r for r in plan.rounds.all()})

    def reports_on(task) -> bool:
        return bool(roles.get(task.id, set()) & {"lead", "responsible"})

    with transaction.atomic():
        for entry in ledger.entries:
            task = tasks[entry.task]
            if not reports_on(task):
                out.skipped.append(f"任务 {task.number}：本单位不是牵头或负责单位，台账由牵头单位填写")
                continue
            held = Ledger.objects.filter(task=task, unit=unit).exclude(state__in=(vocab.DRAFT, vocab.RETURNED)).first()
            if held is not None:
                # A signed or accepted ledger is not rewritten by an upload; a locked one changes by request only.
                why = (
                    "已审核锁定，节点变更须在系统中提交申请"
                    if held.locked
                    else f"{held.get_state_display()}，不能由导入覆盖"
                )
                out.skipped.append(f"任务 {task.number}：台账{why}")
                continue
            out.skipped += _apply_entry(task, unit, entry, user)
            out.ledgers += 1
        for round_name, entries in ledger.rounds.items():
            rnd = rounds.get(round_name)
            if rnd is None:
                if any(e.status for e in entries):
                    out.skipped.append(f"报送轮次“{round_name}”不在计划的报送安排中")
                continue
            for entry in entries:
                if entry.status is None:
                    continue
                task = tasks[entry.task]
                if reports_on(task):
                    why = _apply_report(task, unit, rnd, entry, user)
                    if why:
                        out.skipped.append(why)
                    else:
                        out.reports += 1
                elif "support" in roles.get(task.id, set()) and entry.progress:
                    contribution, created = Contribution.objects.get_or_create(
                        task=task, round=rnd, unit=unit, defaults={"text": entry.progress}
                    )
                    before = None if created else {"text": contribution.text}
                    if not created:
                        contribution.text = entry.progress
                        contribution.save(update_fields=["text", "updated_at"])
                    audit.record(
                        user,
                        "导入台账",
                        contribution,
                        government=plan.government,
                        before=before,
                        after={"text": entry.progress, "round": rnd.title, "task": task.number},
                    )
                    out.contributions += 1
                else:
                    out.skipped.append(f"任务 {task.number}「{rnd.title}」：本单位为监测单位，进展由牵头单位报送")
    return out


def _apply_entry(task, unit: Unit, entry, user) -> list[str]:
    """Write one checked plan row; what it could not take (a done milestone it dropped) is said back."""
    ledger, _ = Ledger.objects.get_or_create(task=task, unit=unit)
    fields = {
        "measures": entry.measures,
        "safeguards": entry.safeguards,
        "responsible_leader": entry.leader[:100],
        "responsible_person": entry.person[:100],
    }
    old = list(ledger.milestones.all())
    before = audit.snapshot(ledger, list(fields))
    before["milestones"] = [(m.title, str(m.due), m.done) for m in old]
    done = {(m.title, m.due): m.done for m in old}
    rows = [(m.what[:300], m.due) for m in entry.milestones]
    titles = {title for title, _ in rows}
    # 工作事项 without a date are milestones still to be dated (Milestone.title is the work item).
    rows += [(line[:300], None) for line in _lines(entry.work_items) if line[:300] not in titles]
    # A done tick is never lost: a ticked milestone the upload leaves out stays, and the unit is told.
    kept = [(m.title, m.due) for m in old if m.done and (m.title, m.due) not in set(rows)]
    rows += kept
    # The ledger page saves by compare-and-set on version; bumping it makes an open edit there stale.
    Ledger.objects.filter(pk=ledger.pk).update(version=F("version") + 1, updated_at=timezone.now(), **fields)
    ledger.milestones.all().delete()
    Milestone.objects.bulk_create(
        Milestone(ledger=ledger, title=title, due=due, done=done.get((title, due), False), order=i)
        for i, (title, due) in enumerate(rows)
    )
    after = dict(fields, milestones=[(t, str(d), done.get((t, d), False)) for t, d in rows], source="台账导入")
    audit.record(user, "导入台账", task, before=before, after=after)
    return [f"任务 {task.number}：已完成的节点“{title}”不能通过台账删除，已保留" for title, _due in kept]


def _apply_report(task, unit: Unit, rnd, entry, user) -> str | None:
    report = report_service.report_for(task, unit, rnd)
    if not report.editable:
        return f"任务 {task.number}「{rnd.title}」的报告{report.get_state_display()}，不能由台账覆盖"
    changes = {
        "status": entry.status,
        "done_text": entry.progress,
        "figures": {k: float(v) for k, v in entry.figures.items()},
        "problems": entry.problems,
        "next_steps": entry.next_steps,
    }
    before = audit.snapshot(report, list(changes))
    updated = ProgressReport.objects.filter(
        pk=report.pk, state__in=(ProgressReport.DRAFT, ProgressReport.RETURNED)
    ).update(version=F("version") + 1, updated_at=timezone.now(), **changes)
    if not updated:  # sent to the head between reading and writing
        return f"任务 {task.number}「{rnd.title}」的报告已提交，不能由台账覆盖"
    audit.record(user, "导入台账", report, before=before, after=dict(changes, source="台账导入"))
    return None


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
