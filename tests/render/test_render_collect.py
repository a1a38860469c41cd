"""Offline: units' filled templates → a round → the bulletin's figures, with nothing re-typed."""

import json
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from render_fixtures import build_plan

from duban.cli import main
from duban.render.collect import round_from_ledgers
from duban.render.data import RoundEntry, UnitLedger


def test_round_from_ledgers_owes_one_report_per_task_and_reporting_unit():
    plan = build_plan()
    ledgers = [
        UnitLedger("财政局", rounds={"二季度": [RoundEntry("2", "behind", "完成1.2%", {}, "收入下滑")]}),
        UnitLedger(
            "发展改革和统计局",
            rounds={
                "一季度": [RoundEntry("6", "on_schedule")],
                "二季度": [RoundEntry("1", "done", "增长5.6%", {"生产总值": 5.6})],
            },
        ),
    ]
    rd = round_from_ledgers(plan, ledgers, "二季度", due=date(2026, 6, 15), late_units=["财政局"])
    got = {(r.task, r.unit): (r.status, r.report) for r in rd.reports}
    assert got == {
        ("1", "发展改革和统计局"): ("done", "on_time"),
        ("2", "财政局"): ("behind", "late"),
        ("3", "人力资源和社会保障局"): ("not_started", "missing"),
        ("4", "商务局"): ("not_started", "missing"),
        ("4", "住房和城乡建设局"): ("not_started", "missing"),
        ("5", "商务局"): ("not_started", "missing"),
        ("5", "发展改革和统计局"): ("not_started", "missing"),
        ("6", "发展改革和统计局"): ("on_schedule", "missing"),  # last known status, from 一季度
        ("7", "工业信息和科技局"): ("not_started", "missing"),
    }
    assert rd.for_task("1")[0].figures == {"生产总值": 5.6}
    assert rd.for_task("2")[0].problems == "收入下滑"


def test_ledger_json_round_trips():
    ledger = UnitLedger("财政局", rounds={"二季度": [RoundEntry("2", "behind", "完成1.2%", {"收入": 1.2}, "收入下滑")]})
    assert UnitLedger.from_json(ledger.to_json()) == ledger
    with pytest.raises(ValueError, match="台账"):
        UnitLedger.from_json({"unit": "x"})


def test_offline_cycle_from_templates_to_bulletin_figures(tmp_path, capsys):
    plan_path = tmp_path / "plan.json"
    plan_path.write_text(json.dumps(build_plan().to_json(), ensure_ascii=False), encoding="utf-8")
    plan = str(plan_path)
    filled = {}
    for unit, rows in {
        "财政局": {2: ("滞后", "完成1.2%", 1.2, "土地出让收入下滑")},
        "发展改革和统计局": {2: ("按序时推进", "增长5.6%", 5.6, ""), 3: ("已完成", "完成172亿元", 172, "")},
    }.items():
        path = tmp_path / f"{unit}.xlsx"
        assert main(["render", "ledger", plan, "--unit", unit, "-o", str(path)]) == 0
        wb = load_workbook(path)
        ws = wb["6月15日进展"]
        for row, (status, progress, figure, problems) in rows.items():
            ws[f"E{row}"], ws[f"F{row}"], ws[f"G{row}"], ws[f"H{row}"] = status, progress, figure, problems
        wb.save(path)
        filled[unit] = str(path)

    round_path = tmp_path / "round.json"
    argv = ["render", "round", plan, *filled.values(), "--name", "6月15日进展", "--due", "2026-06-15"]
    assert main([*argv, "--late", "财政局", "-o", str(round_path)]) == 0
    capsys.readouterr()
    assert main(["render", "summary", plan, "--round", str(round_path), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    # 发展改革和统计局 leads task 5 with 商务局, which sent nothing: the task is as far along as its
    # least advanced report, so not started, though one lead reports it done.
    assert summary["tasks_by_status"] == {
        "not_started": ["3", "4", "5", "6", "7"],
        "on_schedule": ["1"],
        "behind": ["2"],
        "done": [],
    }
    assert summary["report_counts"] == {"on_time": 2, "late": 1, "missing": 6}
    assert summary["lagging_tasks"] == [
        {
            "number": "2",
            "text": "一般公共预算收入增长3.5%。",
            "units": ["财政局"],
            "reasons": [{"unit": "财政局", "reason": "土地出让收入下滑"}],
        }
    ]


def test_round_refuses_a_damaged_ledger(tmp_path, capsys):
    plan_path = tmp_path / "plan.json"
    plan_path.write_text(json.dumps(build_plan().to_json(), ensure_ascii=False), encoding="utf-8")
    path = tmp_path / "caizheng.xlsx"
    assert main(["render", "ledger", str(plan_path), "--unit", "财政局", "-o", str(path)]) == 0
    wb = load_workbook(path)
    wb["6月15日进展"]["G2"] = "一成"
    wb["6月15日进展"]["E2"] = "滞后"
    wb.save(path)
    capsys.readouterr()
    out = tmp_path / "round.json"
    assert main(["render", "round", str(plan_path), str(path), "--name", "6月15日进展", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "第2行G列（指标完成值）" in err and "未生成报送数据" in err
    assert not out.exists()


@given(
    st.lists(st.tuples(st.sampled_from("123456"), st.sampled_from(["甲局", "乙局", "丙局"])), max_size=30),
    st.lists(st.tuples(st.sampled_from("1234567"), st.sampled_from(["甲局", "丁局"])), max_size=5),
)
def test_a_rounds_reports_by_task_and_unit_are_a_scan_of_them_in_order(first, added):
    """``for_task`` and ``for_unit`` group once, not by a scan per call; they stay what a scan gives, in the
    reports' order, after reports are added or the list is replaced."""
    from duban.render.data import RoundData, TaskReport

    data = RoundData(name="第二季度", reports=[TaskReport(task=t, unit=u) for t, u in first])

    def same():
        for number in "1234567":
            assert data.for_task(number) == [r for r in data.reports if r.task == number]
        for unit in ("甲局", "乙局", "丙局", "丁局"):
            assert data.for_unit(unit) == [r for r in data.reports if r.unit == unit]

    same()
    data.reports.extend(TaskReport(task=t, unit=u) for t, u in added)
    same()
    data.reports = list(reversed(data.reports))
    same()
