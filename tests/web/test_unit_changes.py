"""Renamings and mergers (机构改革): the open work moves to the new unit, the history keeps the old name."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duban.errors import DubanError
from duban.web.models import (
    Assignment,
    Attachment,
    AuditEvent,
    Contribution,
    Ledger,
    Membership,
    Milestone,
    Plan,
    ProgressReport,
    Unit,
    Urge,
)
from duban.web.services import plans, unit_changes
from duban.web.services.export import plan_document
from duban.web.services.matching import UnitIndex
from tests.web.conftest import small_notice

EFFECTIVE = date(2026, 3, 1)


def _both_responsible_on_task_2(world):
    """商务局 and 财政局 both owe task 2: each has a ledger and a first-round report."""
    task = world.tasks["2"]
    Assignment.objects.create(task=task, unit=world.units["商务局"], unit_name="商务局", role="responsible", order=1)
    signed = timezone.now()
    mine = Ledger.objects.create(
        task=task, unit=world.units["财政局"], measures="压减支出", responsible_leader="张三", state="accepted"
    )
    Milestone.objects.create(ledger=mine, title="编制预算", due=date(2026, 4, 30), order=1)
    theirs = Ledger.objects.create(
        task=task,
        unit=world.units["商务局"],
        measures="培育税源",
        responsible_leader="李四",
        state="draft",
        first_approved_at=None,
    )
    Milestone.objects.create(ledger=theirs, title="招商引资", due=date(2026, 6, 30), order=1)
    report_a = world.reports["b2"]
    report_a.done_text, report_a.figures, report_a.status = "收入增长3.1%", {"一般公共预算收入": 3.1}, "on_schedule"
    report_a.state, report_a.first_approved_at, report_a.submitted_at = "accepted", signed, signed
    report_a.save()
    report_b = ProgressReport.objects.create(
        task=task,
        unit=world.units["商务局"],
        round=world.rounds[0],
        done_text="新增税源企业12家",
        figures={"一般公共预算收入": 3.0, "新增企业": 12},
        status="behind",
        state="submitted",
        first_approved_at=signed,
        submitted_at=signed,
    )
    Attachment.objects.create(report=report_b, name="a.pdf", path="x/a.pdf", sha256="0" * 64, size=1)
    return report_a, report_b


def test_a_merger_combines_overlapping_ledgers_and_reports_and_keeps_both(world):
    report_a, report_b = _both_responsible_on_task_2(world)
    Contribution.objects.create(
        task=world.tasks["1"], round=world.rounds[0], unit=world.units["财政局"], text="资金保障"
    )
    Urge.objects.create(plan=world.plan, unit=world.units["商务局"], message="请报送")
    office = world.users["office"]
    new = unit_changes.merge_units(
        world.gov,
        [world.units["商务局"], world.units["财政局"]],
        new_name="商务和财政局",
        user=office,
        effective=EFFECTIVE,
        reason="机构改革",
    )
    task1, task2 = world.tasks["1"], world.tasks["2"]
    # Task 1: 商务局 led, 财政局 supported → the merged unit leads; task 2: both responsible → one responsible.
    assert [(a.unit_id, a.unit_name, a.role) for a in task1.assignments.all()] == [(new.pk, "商务和财政局", "lead")]
    assert [(a.unit_id, a.role) for a in task2.assignments.all()] == [(new.pk, "responsible")]
    # One ledger: both texts, both milestones, the less advanced state.
    ledger = Ledger.objects.get(task=task2)
    assert ledger.unit == new and ledger.state == "draft" and ledger.first_approved_at is None
    assert ledger.measures in ("压减支出\n【原商务局】培育税源", "培育税源\n【原财政局】压减支出")
    assert set(ledger.responsible_leader.split("、")) == {"张三", "李四"}
    assert sorted(Milestone.objects.filter(ledger=ledger).values_list("title", flat=True)) == ["招商引资", "编制预算"]
    # One report for the round: both accounts, the union of the figures, the clash written beside the text.
    report = ProgressReport.objects.get(task=task2, round=world.rounds[0])
    assert report.unit == new and report.state == "submitted" and report.status == "behind"
    assert report.figures["新增企业"] == 12 and report.figures["一般公共预算收入"] in (3.1, 3.0)
    assert "收入增长3.1%" in report.done_text and "新增税源企业12家" in report.done_text
    assert "报送的指标值：一般公共预算收入：" in report.done_text
    assert Attachment.objects.get().report == report
    assert report.filed_as in ("商务局", "财政局")
    # The supporter's contribution moved too, under its old name.
    part = Contribution.objects.get()
    assert part.unit == new and part.filed_as == "财政局"
    assert Urge.objects.get().unit == new
    # Accounts moved; the old units are retired, their names are the new unit's aliases.
    assert set(Membership.objects.filter(unit=new).values_list("user__username", flat=True)) == {
        "a_staff",
        "a_head",
        "b_staff",
        "b_head",
    }
    for name in ("商务局", "财政局"):
        old = world.gov.units.get(name=name)
        assert old.successor == new and old.retired_on == EFFECTIVE and old.current() == new
    assert set(new.aliases) >= {"商务局", "财政局"}
    # Every combination is audited with both rows before; the merger itself once, with its reason.
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions.count("单位合并") == 1
    assert {"合并台账", "合并进展报告", "合并责任单位"} <= set(actions)
    combined = AuditEvent.objects.get(action="合并进展报告")
    assert {r["done_text"] for r in combined.before["reports"]} == {"收入增长3.1%", "新增税源企业12家"}
    merger = AuditEvent.objects.get(action="单位合并")
    assert merger.username == "office" and merger.after["reason"] == "机构改革"
    assert merger.before == {"units": ["商务局", "财政局"]}


def test_merging_into_an_existing_unit_keeps_it_and_retires_the_other(world):
    _both_responsible_on_task_2(world)
    finance = world.units["财政局"]
    kept = unit_changes.merge_units(world.gov, [world.units["商务局"], finance], into=finance, effective=EFFECTIVE)
    assert kept == finance and world.gov.units.get(name="商务局").successor == finance
    assert finance.successor_id is None
    assert ProgressReport.objects.filter(task=world.tasks["2"]).count() == 1
    assert list(world.tasks["1"].assignments.values_list("unit__name", "role")) == [("财政局", "lead")]


def test_a_rename_chain_lands_next_years_notice_on_the_latest_name(world):
    education = world.units["教育局"]
    first = unit_changes.rename_unit(world.gov, education, "教育体育局", effective=EFFECTIVE)
    second = unit_changes.rename_unit(world.gov, first, "教育和体育局", effective=date(2026, 9, 1))
    assert world.gov.units.get(name="教育局").current() == second
    assert world.tasks["3"].assignments.get().unit == second
    assert Membership.objects.get(user__username="c_staff").unit == second
    index = UnitIndex(world.gov.units.all())
    for written in ("教育局", "教育体育局", "教育局 "):
        match = index.resolve(written)
        assert (match.unit, match.kind) == (second, "renamed"), written
    assert index.resolve("教育局").former == "教育局"
    assert index.resolve("教育和体育局").kind == "exact"
    # A retired unit cannot be renamed again or merged.
    with pytest.raises(DubanError, match="已于 2026-03-01 撤并到“教育和体育局”"):
        unit_changes.rename_unit(world.gov, education, "别的名字")


def test_next_years_notice_naming_the_old_units_lands_on_the_merged_one(world):
    new = unit_changes.merge_units(
        world.gov, [world.units["商务局"], world.units["财政局"]], new_name="商务和财政局", effective=EFFECTIVE
    )
    notice = small_notice()
    notice.year = 2027
    draft = plans.import_document(notice, world.gov, 2027)
    rows = list(Assignment.objects.filter(task__plan=draft).order_by("task__order", "order"))
    assert [(a.unit_id, a.match, a.written) for a in rows[:2]] == [
        (new.pk, "renamed", "商务局"),
        (new.pk, "renamed", "财政局"),
    ]
    published = plans.publish(draft)
    assert not Unit.objects.filter(government=world.gov, name="商务局", successor__isnull=True).exists()
    assert Assignment.objects.filter(task__plan=published, unit__isnull=True).count() == 0
    page_units = {a.unit_name for a in Assignment.objects.filter(task__plan=published)}
    assert page_units == {"商务和财政局", "教育局"}


def test_a_past_years_plan_keeps_the_old_name_and_its_reports(world):
    last = plans.publish(plans.import_document(small_notice(), world.gov, 2025))
    old_report = ProgressReport.objects.create(
        task=last.tasks.get(number="1"), unit=world.units["商务局"], round=last.rounds.filter(kind="progress").first()
    )
    new = unit_changes.rename_unit(world.gov, world.units["商务局"], "商务和投资促进局", effective=EFFECTIVE)
    old_report.refresh_from_db()
    assert old_report.unit == world.units["商务局"] and old_report.filed_as == ""
    assert plan_document(last).tasks[0].units[0].name == "商务局"
    assert plan_document(world.plan).tasks[0].units[0].name == "商务和投资促进局"
    moved = ProgressReport.objects.get(pk=world.reports["a1"].pk)
    assert moved.unit == new and moved.filed_as == "商务局"


def test_changes_that_cannot_be_made_are_refused_with_one_sentence_and_change_nothing(world):
    before = list(Unit.objects.values_list("name", "successor_id"))
    with pytest.raises(DubanError, match="已存在于名录中"):
        unit_changes.rename_unit(world.gov, world.units["商务局"], "财政局")
    with pytest.raises(DubanError, match="至少需要两个单位"):
        unit_changes.merge_units(world.gov, [world.units["商务局"]], new_name="新局")
    with pytest.raises(DubanError, match="二者选一"):
        unit_changes.merge_units(world.gov, [world.units["商务局"], world.units["财政局"]])
    towns = Unit.objects.create(government=world.gov, name="各镇人民政府", kind="collective")
    with pytest.raises(DubanError, match="集合单位"):
        unit_changes.rename_unit(world.gov, towns, "各乡镇")
    other = Unit.objects.get(government__name="青川县")
    with pytest.raises(DubanError, match="本政府"):
        unit_changes.merge_units(world.gov, [world.units["商务局"], other], new_name="新局")
    assert list(Unit.objects.exclude(pk=towns.pk).values_list("name", "successor_id")) == before


def test_a_merged_units_place_in_a_collective_moves(world):
    towns = Unit.objects.create(government=world.gov, name="各相关局", kind="collective")
    towns.members.set([world.units["商务局"], world.units["教育局"]])
    new = unit_changes.rename_unit(world.gov, world.units["商务局"], "商务和投资促进局", effective=EFFECTIVE)
    assert set(towns.members.values_list("name", flat=True)) == {"商务和投资促进局", "教育局"}
    assert new.collectives.get() == towns


def test_the_directory_page_renames_and_merges(world, login):
    client = login(world.users["office"])
    answer = client.post(
        "/units/",
        {
            "action": "merge",
            "units": [world.units["商务局"].pk, world.units["财政局"].pk],
            "new_name": "商务和财政局",
            "effective": "2026-03-01",
            "reason": "机构改革",
        },
        follow=True,
    ).content.decode()
    assert "已合并为商务和财政局" in answer and "已撤并的单位" in answer
    assert world.gov.units.get(name="商务局").successor.name == "商务和财政局"
    both = client.post(
        "/units/",
        {
            "action": "merge",
            "units": [world.units["教育局"].pk],
            "into": world.gov.units.get(name="商务和财政局").pk,
            "new_name": "x",
        },
        follow=True,
    ).content.decode()
    assert "二者选一" in both
    retired = client.post(
        "/units/", {"action": "rename", "unit": world.units["商务局"].pk, "new_name": "新商务局"}, follow=True
    ).content.decode()
    assert "没有这个单位" in retired
    assert Plan.objects.count() == 1


ROLES = ["lead", "responsible", "support", "monitor", None]
STATES = ["draft", "awaiting_head", "submitted", "accepted", "returned"]


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    roles=st.lists(st.tuples(st.sampled_from(ROLES), st.sampled_from(ROLES)), min_size=3, max_size=3),
    reports=st.lists(
        st.tuples(
            st.integers(0, 2),  # task
            st.integers(0, 1),  # round
            st.booleans(),  # which of the two units
            st.sampled_from(STATES),
            st.text(alphabet="推进完成项目资金企业", min_size=1, max_size=12),
        ),
        max_size=8,
    ),
)
def test_a_merger_of_any_two_units_loses_no_role_report_or_word(world, roles, reports):
    """Whatever the two units held on whichever tasks, the merged unit holds each task once, with
    the role that owes most, one report per task and round, and every word either unit wrote."""
    from django.db import transaction

    with transaction.atomic():
        a, b = (
            Unit.objects.create(government=world.gov, name="甲局"),
            Unit.objects.create(government=world.gov, name="乙局"),
        )
        tasks = [world.tasks[n] for n in ("1", "2", "3")]
        for task, pair in zip(tasks, roles):
            for unit, role in zip((a, b), pair):
                if role:
                    Assignment.objects.create(task=task, unit=unit, unit_name=unit.name, role=role, order=9)
        filed: dict[tuple[int, int], list[tuple[str, str]]] = {}
        for t, r, first, state, text in reports:
            unit = a if first else b
            key = (tasks[t].pk, world.rounds[r].pk)
            if ProgressReport.objects.filter(task_id=key[0], round_id=key[1], unit=unit).exists():
                continue
            ProgressReport.objects.create(task=tasks[t], unit=unit, round=world.rounds[r], state=state, done_text=text)
            filed.setdefault(key, []).append((state, text))
        merged = unit_changes.merge_units(world.gov, [a, b], new_name="甲乙局", effective=EFFECTIVE)
        order = unit_changes.ROLE_PRECEDENCE
        for task, pair in zip(tasks, roles):
            held = [r for r in pair if r]
            mine = list(Assignment.objects.filter(task=task, unit=merged).values_list("role", flat=True))
            assert mine == ([min(held, key=order.index)] if held else [])
        assert not Assignment.objects.filter(unit__in=[a, b]).exists()
        for (task_id, round_id), parts in filed.items():
            report = ProgressReport.objects.get(task_id=task_id, round_id=round_id, unit=merged)
            for _state, text in parts:
                assert text in report.done_text
            states = [s for s, _ in parts]
            assert report.state == min(states, key=unit_changes.STATE_ORDER.index)
        assert ProgressReport.objects.filter(unit=merged).count() == len(filed)
        transaction.set_rollback(True)
