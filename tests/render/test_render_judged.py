"""A round that carries duban.track's judgement: figures in the tracker's five colours, everywhere."""

import json

import pytest
from docx import Document as open_docx
from render_fixtures import build_plan, build_round

from duban.cli import main
from duban.errors import DubanError
from duban.render import charts
from duban.render.bulletin import bulletin_text, render_bulletin
from duban.render.data import RoundData
from duban.render.summary import round_summary
from duban.render.yearend import render_yearend

MILESTONE = "节点“一季度经济运行分析”已过期（2026-04-10）未完成"


def judged_round() -> RoundData:
    """The fixture round as the dashboard judged it on 20 June: task 1 lags on a milestone though its
    unit reported on schedule, task 3 (reported late) is on track, tasks 5 and 7 need attention."""
    data = build_round()
    data.judged = {"1": "lagging", "2": "lagging", "3": "on_track", "4": "lagging", "5": "at_risk", "6": "done"}
    data.judged["7"] = "at_risk"
    data.judged_reasons = {
        "1": MILESTONE,
        "2": "单位报告进度滞后",
        "5": "社会消费品零售总额：实际 82，序时应达 85.6（96%）",
        "7": "本轮进展报告未报送",
    }
    return data


@pytest.fixture
def judged():
    return judged_round()


def test_a_judged_round_counts_tasks_by_the_trackers_colours(plan, judged):
    s = round_summary(plan, judged)
    assert s.judged
    assert s.task_counts == {"done": 1, "claimed": 0, "on_track": 1, "not_started": 0, "at_risk": 2, "lagging": 3}
    assert s.tasks_by_status == {
        "done": ["6"],
        "claimed": [],
        "on_track": ["3"],
        "not_started": [],
        "at_risk": ["5", "7"],
        "lagging": ["1", "2", "4"],
    }
    assert s.attention_tasks == ["5", "7"]
    assert s.report_counts == {"on_time": 6, "late": 2, "missing": 1}  # reports are counted as before
    # Lagging tasks and their reasons: a unit's own reason first, the tracker's where nobody gave one.
    assert [(t.number, t.units, t.reasons) for t in s.lagging_tasks] == [
        ("1", ["发展改革和统计局"], [("发展改革和统计局", MILESTONE)]),
        ("2", ["财政局"], [("财政局", "土地出让收入下滑")]),
        ("4", ["住房和城乡建设局"], [("住房和城乡建设局", "场地未落实")]),  # 商务局 reported done on it
    ]
    # 发展改革和统计局 did well by its reports, but the tracker has its task 1 lagging; 商务局's task 5
    # needs attention, which is not lagging.
    assert [u.unit for u in s.good_units] == ["商务局"]
    units = {u.unit: u for u in s.units}
    assert units["发展改革和统计局"].behind == ["1"] and units["商务局"].behind == []
    assert set(u.unit for u in s.lagging_units) == {
        "发展改革和统计局",
        "财政局",
        "住房和城乡建设局",
        "人力资源和社会保障局",
        "工业信息和科技局",
    }
    assert s.to_json()["counted_by"] == "duban.track"
    assert s.to_json()["task_labels"] == {
        "done": "已完成",
        "claimed": "待确认",
        "on_track": "序时推进",
        "not_started": "未启动",
        "at_risk": "需关注",
        "lagging": "滞后",
    }


def test_without_a_judgement_the_reports_count_as_before(plan):
    s = round_summary(plan, build_round())
    assert not s.judged and s.to_json()["counted_by"] == "reports"
    assert s.task_counts == {"not_started": 1, "on_schedule": 3, "behind": 2, "done": 1}


def test_a_judged_task_owing_no_report_still_counts(plan, judged):
    judged.reports = [r for r in judged.reports if r.task != "1"]
    s = round_summary(plan, judged)
    assert s.tasks == 7 and s.unreported_tasks == []
    assert (s.lagging_tasks[0].number, s.lagging_tasks[0].units, s.lagging_tasks[0].reasons) == (
        "1",
        [],
        [("", MILESTONE)],
    )
    assert f"滞后原因：{MILESTONE}。" in bulletin_text(plan, judged).to_text()


def test_a_lagging_task_no_unit_calls_behind_lags_for_all_its_units(plan, judged):
    judged.judged["5"] = "lagging"
    s = round_summary(plan, judged)
    (task5,) = [t for t in s.lagging_tasks if t.number == "5"]
    assert task5.units == ["商务局", "发展改革和统计局"]
    assert {reason for _unit, reason in task5.reasons} == {judged.judged_reasons["5"]}
    text = bulletin_text(plan, judged).to_text()
    assert f"滞后原因：{judged.judged_reasons['5']}。" in text  # one reason, said once
    assert "商务局" not in [u.unit for u in s.good_units]


def test_judgements_must_cover_the_reports_and_name_plan_tasks(plan, judged):
    del judged.judged["3"]
    with pytest.raises(DubanError, match="没有判定任务 3"):
        round_summary(plan, judged)
    judged.judged["3"] = "on_track"
    judged.judged["99"] = "done"
    with pytest.raises(DubanError, match="99"):
        round_summary(plan, judged)
    with pytest.raises(ValueError, match="任务判定"):
        RoundData("x", judged={"1": "behind"})  # a report status is not a tracker colour


def test_round_json_carries_the_judgement_and_old_files_read_as_before(judged):
    data = judged.to_json()
    assert data["judged"]["1"] == "lagging" and data["judged_reasons"]["1"] == MILESTONE
    assert RoundData.from_json(json.loads(json.dumps(data, ensure_ascii=False))) == judged
    plain = build_round().to_json()
    assert "judged" not in plain and "judged_reasons" not in plain
    assert RoundData.from_json(plain).judged == {}


def test_the_bulletin_reads_the_five_colours_and_names_the_tasks_needing_attention(plan, judged):
    text = bulletin_text(plan, judged).to_text()
    assert (
        "从推进情况看，已完成1项，序时推进1项，需关注2项，滞后3项，未启动0项。"
        "需关注的任务（第5项、第7项）指标接近序时进度或本轮报告未报送。"
        "从报送情况看，应报送9份，按时报送6份，逾期报送2份，未报送1份。"
    ) in text
    assert "按序时推进" not in text.split("二、")[0]
    assert "商务局等1个单位按时报送进展情况" in text
    assert "发展改革和统计局：1项任务进度滞后（第1项）。" in text
    assert f"滞后原因：{MILESTONE}。" in text


def test_the_bulletin_chart_draws_the_summary_figures(plan, judged, tmp_path, monkeypatch):
    drawn = []
    real = charts._bar_chart

    def spy(keys, counts, labels, title, english_title):
        drawn.append((title, [(k, labels(k), counts.get(k, 0)) for k in keys]))
        return real(keys, counts, labels, title, english_title)

    monkeypatch.setattr(charts, "_bar_chart", spy)
    render_bulletin(plan, judged, tmp_path / "b.docx")
    assert drawn[0] == (
        "任务推进情况（项）",
        [("done", "已完成", 1), ("claimed", "待确认", 0), ("on_track", "序时推进", 1), ("not_started", "未启动", 0)]
        + [("at_risk", "需关注", 2), ("lagging", "滞后", 3)],
    )
    drawn.clear()
    render_bulletin(plan, build_round(), tmp_path / "b4.docx")
    assert [(k, n) for k, _label, n in drawn[0][1]] == [
        ("not_started", 1),
        ("on_schedule", 3),
        ("behind", 2),
        ("done", 1),
    ]


def test_the_year_end_account_counts_by_the_judgement(plan, judged, tmp_path):
    render_yearend(plan, judged, tmp_path / "y.docx")
    document = open_docx(tmp_path / "y.docx")
    texts = [p.text for p in document.paragraphs]
    assert "7项任务中，已完成1项，序时推进1项，未启动0项，需关注2项，滞后3项。应报送全年落实情况9份，" in "\n".join(
        texts
    )
    rows = {row.cells[0].text: row.cells[3].text for table in document.tables for row in table.rows[1:]}
    assert rows == {"1": "滞后", "2": "滞后", "3": "序时推进", "4": "滞后", "5": "需关注", "6": "已完成", "7": "需关注"}
    assert any(t.startswith("7. ") and t.endswith("原因：本轮进展报告未报送。") for t in texts)


def test_summary_command_on_a_judged_round_json(tmp_path, capsys):
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(build_plan().to_json(), ensure_ascii=False), encoding="utf-8")
    round_ = tmp_path / "round.json"
    round_.write_text(json.dumps(judged_round().to_json(), ensure_ascii=False), encoding="utf-8")
    assert main(["render", "summary", str(plan), "--round", str(round_), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["task_counts"] == {
        "done": 1,
        "claimed": 0,
        "on_track": 1,
        "not_started": 0,
        "at_risk": 2,
        "lagging": 3,
    }
    assert main(["render", "summary", str(plan), "--round", str(round_)]) == 0
    assert "  需关注\t2\t5、7" in capsys.readouterr().out.splitlines()
