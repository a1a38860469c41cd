"""The services behind issue 9's rules: a ledger's sign-off and lock, milestone change requests,
first-sign-off timeliness of reports, all audited."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from duban.errors import DubanError, InputError
from duban.web.models import AuditEvent, ChangeRequest, Ledger, Milestone
from duban.web.services import ledgers, reports
from duban.web.services.overview import overview
from tests.web.conftest import TODAY


def _ledger(world):
    ledger = Ledger.objects.create(task=world.tasks["1"], unit=world.units["商务局"])
    rows = [ledgers.MilestoneRow("完成方案", date(2026, 5, 31), False), ledgers.MilestoneRow("开工", None, False)]
    return ledgers.save(ledger, ledger.version, {"measures": "专班"}, rows, world.users["a_staff"])


def _accepted(world):
    ledger = _ledger(world)
    ledger = ledgers.send_to_head(ledger, ledger.version, world.users["a_staff"])
    ledger = ledgers.approve(ledger, ledger.version, world.users["a_head"])
    return ledgers.accept(ledger, ledger.version, world.users["office"])


def test_a_ledger_is_signed_accepted_and_then_locked(world):
    ledger = _accepted(world)
    assert ledger.locked and ledger.first_approved_at is not None
    rows = [ledgers.MilestoneRow("完成方案", date(2026, 5, 31), True), ledgers.MilestoneRow("开工", None, False)]
    # Ticking a milestone done is allowed on a locked ledger …
    ledger = ledgers.save(ledger, ledger.version, {"measures": "专班"}, rows, world.users["a_staff"])
    assert Milestone.objects.get(title="完成方案").done
    # … moving one, un-ticking one, rewriting the measures or adding a milestone is not.
    moved = [ledgers.MilestoneRow("完成方案", date(2026, 8, 1), True), rows[1]]
    untick = [ledgers.MilestoneRow("完成方案", date(2026, 5, 31), False), rows[1]]
    extra = [*rows, ledgers.MilestoneRow("验收", date(2026, 11, 1), False)]
    for fields, changed, why in (
        ({"measures": "专班"}, moved, "节点变更申请"),
        ({"measures": "专班"}, untick, "取消节点"),
        ({"measures": "换了措施"}, rows, "不能再修改"),
        ({"measures": "专班"}, extra, "不能增加或删除节点"),
    ):
        with pytest.raises(InputError, match=why):
            ledgers.save(ledger, ledger.version, fields, changed, world.users["a_staff"])
    assert list(Milestone.objects.order_by("order").values_list("due", "done")) == [
        (date(2026, 5, 31), True),
        (None, False),
    ]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"填写台账", "台账提交负责人签批", "负责人签批台账", "督查审核台账（锁定）", "勾选完成节点"} <= actions


def test_a_milestone_change_applies_only_when_the_office_approves(world):
    _accepted(world)
    milestone = Milestone.objects.get(title="完成方案")
    with pytest.raises(InputError, match="变更理由"):
        ledgers.request_change(milestone, " ", date(2026, 8, 1), False, world.users["a_staff"])
    refused = ledgers.request_change(milestone, "推迟", date(2026, 8, 1), False, world.users["a_staff"])
    ledgers.decide(refused, "refused", "理由不足", world.users["office"])
    milestone.refresh_from_db()
    assert milestone.due == date(2026, 5, 31)
    approved = ledgers.request_change(milestone, "场地改造推迟", date(2026, 8, 1), False, world.users["a_staff"])
    ledgers.decide(approved, "approved", "同意", world.users["office"])
    milestone.refresh_from_db()
    assert milestone.due == date(2026, 8, 1)
    with pytest.raises(DubanError, match="已处理"):
        ledgers.decide(approved, "refused", "", world.users["office"])
    assert ChangeRequest.objects.get(pk=approved.pk).state == "approved"
    event = AuditEvent.objects.filter(action="同意申请").first()
    assert event.before["milestone"]["due"] == "2026-05-31" and event.after["milestone"]["due"] == "2026-08-01"


def test_an_unlocked_ledger_needs_no_request(world):
    ledger = _ledger(world)
    with pytest.raises(InputError, match="尚未审核锁定"):
        ledgers.request_change(ledger.milestones.first(), "推迟", date(2026, 8, 1), False, world.users["a_staff"])


def test_a_return_keeps_the_first_sign_off_and_sets_a_revision_deadline(world):
    report = world.reports["b2"]
    report = reports.save(report, report.version, {"status": "on_schedule"})
    report = reports.send_to_head(report, report.version)
    report = reports.approve(report, report.version)
    first = report.first_approved_at
    later = timezone.localdate() + timedelta(days=30)
    with pytest.raises(InputError, match="不能早于今天"):
        reports.office_return(report, report.version, "补充数据", revise_by=date(2000, 1, 1))
    returned = reports.office_return(report, report.version, "补充数据", revise_by=later)
    assert (returned.state, returned.first_approved_at, returned.revise_by) == (
        "returned",
        first,
        later,
    )
    again = reports.approve(reports.send_to_head(returned, returned.version), returned.version + 1)
    assert again.first_approved_at == first and again.revise_by is None
    assert AuditEvent.objects.filter(action="督查退回").first().after["revise_by"] == str(later)


def test_the_plan_round_is_on_the_dashboard(world):
    """No ledger signed by 3-18: every reporting unit's ledger is missing, listed apart from the reports."""
    data = overview(world.plan, TODAY)
    ledgers_late = sorted((x.unit, x.task.number, x.timeliness) for x in data.late if x.what == "ledger")
    assert ledgers_late == [("商务局", "1", "missing"), ("教育局", "3", "missing"), ("财政局", "2", "missing")]
    _accepted(world)  # signed today, after the plan deadline: late, not missing
    data = overview(world.plan, TODAY)
    assert [(x.unit, x.timeliness) for x in data.late if x.what == "ledger" and x.task.number == "1"] == [
        ("商务局", "late")
    ]


def test_the_workspace_shows_each_ledger_and_what_waits_for_the_head(world, login):
    ledger = _ledger(world)
    ledgers.send_to_head(ledger, ledger.version, world.users["a_staff"])
    page = login(world.users["a_head"]).get("/workspace/").content.decode()
    assert "待我签批（1）" in page and "任务 1 · 落实方案和工作台账" in page
    assert "待负责人签批" in page  # the ledger column of task 1
    staff = login(world.users["b_staff"]).get("/workspace/").content.decode()
    assert f'href="/tasks/{world.tasks["2"].pk}/ledger/"' in staff  # 财政局 has no ledger yet: 填写
