"""Forms, services and the conflict page, below the browser (issues 9.7 and 15.4)."""

from __future__ import annotations

from datetime import date

import pytest
from django import forms

from duban.errors import DubanError
from duban.web.forms import BulletinForm, ImportForm, ReportForm, VersionedForm
from duban.web.models import AuditEvent, ChangeRequest, Inspection, ProgressReport, ReportingRound, Unit, Urge
from duban.web.services import amend, directory, ledgers, supervision, workspace
from duban.web.services import reports as report_service


def test_any_versioned_form_shows_the_editors_words_beside_the_stored_ones():
    class AmendmentForm(VersionedForm):  # a form none of the pages has yet: the mechanism is the base class's
        title = forms.CharField(label="标题")
        note = forms.CharField(label="说明", required=False)
        conflict_fields = ("title", "note")

    form = AmendmentForm({"version": "3", "title": "我的标题", "note": "同"})
    assert form.is_valid()
    rows = form.conflict_rows({"title": "他人的标题", "note": "同"})
    assert rows == [
        {"name": "title", "label": "标题", "mine": "我的标题", "theirs": "他人的标题", "value": "他人的标题"}
    ]


def test_a_choice_in_conflict_reads_as_its_label_and_copies_as_its_key():
    form = ReportForm({"version": "1", "action": "save", "status": "behind"})
    assert form.is_valid(), form.errors
    (row,) = form.conflict_rows({"status": "done", "done_text": "", "problems": "", "next_steps": ""})
    assert (row["mine"], row["theirs"], row["value"]) == ("滞后", "已完成", "done")


def test_form_errors_are_one_chinese_sentence_naming_the_field():
    form = ImportForm({"year": "99999999999"})
    assert not form.is_valid()
    assert form.first_error() == "年度：年度应在 2000–2100 之间"
    bad = ReportForm({"version": "x", "action": "fly"})
    assert not bad.is_valid() and "：" in bad.first_error()
    assert not BulletinForm({"version": "1", "text": "a\x00b"}).is_valid()


def test_the_report_page_keeps_a_refused_editors_words(world, login):
    report = world.reports["a1"]
    client = login(world.users["a_staff"])
    report_service.save(report, report.version, {"done_text": "先存的", "status": "on_schedule"})
    response = client.post(
        f"/reports/{report.pk}/",
        {"action": "send", "version": report.version, "status": "behind", "done_text": "我写的", "problems": "问题"},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert response.context["values"]["done_text"] == "我写的"
    assert {r["name"]: r["theirs"] for r in response.context["conflict"]} == {
        "status": "序时推进",
        "done_text": "先存的",
        "problems": "",
    }
    assert 'id="conflict"' in html and "我写的" in html and "先存的" in html
    stored = ProgressReport.objects.get(pk=report.pk)
    assert (stored.done_text, stored.state) == ("先存的", ProgressReport.DRAFT)
    # The hidden version is now the stored one: saving again (after merging) goes through.
    again = client.post(
        f"/reports/{report.pk}/",
        {"action": "save", "version": stored.version, "status": "behind", "done_text": "先存的\n我写的"},
    )
    assert again.status_code == 302
    assert ProgressReport.objects.get(pk=report.pk).done_text == "先存的\n我写的"


def test_the_ledger_page_keeps_a_refused_editors_milestones(world, login):
    task = world.tasks["1"]
    client = login(world.users["a_staff"])
    ledger = workspace.ledger_for(task, world.units["商务局"].pk)
    ledgers.save(
        ledger, ledger.version, {"measures": "甲"}, [ledgers.MilestoneRow("他人的事项", date(2026, 5, 1), True)]
    )
    response = client.post(
        f"/tasks/{task.pk}/ledger/",
        {"version": ledger.version, "measures": "乙", "m_title": ["我的事项", ""], "m_due": ["2026-09-30", ""]},
    )
    assert response.status_code == 409
    assert response.context["milestones"] == [{"title": "我的事项", "due": "2026-09-30", "done": False}]
    rows = {r["name"]: (r["mine"], r["theirs"]) for r in response.context["conflict"]}
    assert rows["measures"] == ("乙", "甲")
    assert rows["milestones"] == ("我的事项 2026-09-30", "他人的事项 2026-05-01 ✓")


def test_the_bulletin_page_keeps_a_refused_editors_text(world, login):
    rnd = world.rounds[0]
    url = f"/plans/{world.plan.pk}/rounds/{rnd.pk}/bulletin/"
    office = login(world.users["office"])
    drafted = office.get(url).context["text"]
    assert office.post(url, {"text": drafted + "第一位。\n", "version": "0"}).status_code == 302
    refused = office.post(url, {"text": drafted + "第二位。\n", "version": "0"})
    assert refused.status_code == 409
    assert refused.context["text"] == drafted + "第二位。\n" and refused.context["version"] == 1
    (row,) = refused.context["conflict"]
    assert row["mine"].endswith("第二位。\n") and row["theirs"].endswith("第一位。\n")


def test_the_services_work_from_a_command_without_a_request(world):
    """No request, no user: each write still happens whole and is audited as the command line."""
    gov, plan, task = world.gov, world.plan, world.tasks["1"]
    unit = directory.add_unit(gov, "应急管理局", "department", ["应急局"])
    with pytest.raises(DubanError, match="已存在"):
        directory.add_unit(gov, "应急管理局")
    assert Unit.objects.filter(name="应急管理局").count() == 1
    directory.edit_unit(unit, "department", ["应急局", "应急办"])
    directory.rename_unit(gov, unit, "应急管理委员会")
    directory.add_account(gov, unit, "yj_staff", "unit_staff")
    with pytest.raises(DubanError):
        directory.add_account(gov, unit, "yj_staff", "unit_staff")
    amend.add_round(plan, kind="progress", title="加报", due=date(2026, 11, 1), reason="加报一次")
    assert ReportingRound.objects.filter(plan=plan, title="加报").exists()
    urge = supervision.urge(plan, unit, task=task)
    assert urge.message == "请加快推进并及时报送进展" and Urge.objects.count() == 1
    ins = supervision.record_inspection(plan, "special", "专项督查", date(2026, 6, 1))
    supervision.add_finding(ins, task, "进度偏慢")
    assert Inspection.objects.get(pk=ins.pk).findings.count() == 1
    cr = amend.request_change(
        task, world.units["商务局"], kind="extension", reason="因故延期", new_deadline="2026年12月底"
    )
    ledgers.decide(cr, ChangeRequest.APPROVED, "同意")
    task.refresh_from_db()
    assert task.deadline == "2026年12月底"
    with pytest.raises(DubanError, match="已处理"):
        ledgers.decide(cr, ChangeRequest.REFUSED)
    assert set(AuditEvent.objects.values_list("username", flat=True)) == {"命令行"}
