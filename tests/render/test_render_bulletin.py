"""Round figures, the bulletin (通报) drafted from them, and the year-end account."""

from datetime import date

import pytest
from docx import Document as open_docx
from render_fixtures import build_round

from duban.errors import DubanError
from duban.render import charts
from duban.render.bulletin import CHART, BulletinDraft, bulletin_text, render_bulletin
from duban.render.data import RoundData, TaskReport
from duban.render.summary import round_summary
from duban.render.yearend import render_yearend


@pytest.fixture
def round_data():
    return build_round()


def test_round_figures_and_their_evidence(plan, round_data):
    s = round_summary(plan, round_data)
    assert s.task_counts == {"not_started": 1, "on_schedule": 3, "behind": 2, "done": 1}
    assert s.tasks_by_status == {
        "not_started": ["7"],
        "on_schedule": ["1", "3", "5"],
        "behind": ["2", "4"],
        "done": ["6"],
    }
    assert s.report_counts == {"on_time": 6, "late": 2, "missing": 1}
    assert s.reports_by_state["late"] == [("3", "人力资源和社会保障局"), ("4", "住房和城乡建设局")]
    assert s.reports_by_state["missing"] == [("7", "工业信息和科技局")]
    assert [u.unit for u in s.good_units] == ["发展改革和统计局", "商务局"]
    assert [u.unit for u in s.lagging_units] == [
        "住房和城乡建设局",
        "人力资源和社会保障局",
        "工业信息和科技局",
        "财政局",
    ]
    assert [(t.number, t.units, t.reasons) for t in s.lagging_tasks] == [
        ("2", ["财政局"], [("财政局", "土地出让收入下滑")]),
        ("4", ["住房和城乡建设局"], [("住房和城乡建设局", "场地未落实")]),  # no reason given: its problems stand in
    ]
    assert s.unreported_tasks == []


def test_a_task_counts_once_at_its_least_advanced_report(plan, round_data):
    # Task 4: 商务局 done, 住房和城乡建设局 behind → one task, behind.
    assert round_data.task_status("4") == "behind"
    assert round_summary(plan, round_data).tasks == 7


def test_reports_on_tasks_outside_the_plan_are_refused(plan, round_data):
    round_data.reports.append(TaskReport("99", "财政局", "done", "on_time"))
    with pytest.raises(DubanError, match="99"):
        round_summary(plan, round_data)


def test_round_json_round_trips(round_data):
    assert RoundData.from_json(round_data.to_json()) == round_data
    with pytest.raises(ValueError, match="报送轮次"):
        RoundData.from_json({"name": "x"})
    with pytest.raises(ValueError, match="任务状态"):
        TaskReport("1", "财政局", status="finished")


def test_bulletin_text_states_exactly_what_the_data_says(plan, round_data):
    draft = bulletin_text(plan, round_data)
    text = draft.to_text()
    assert draft.title == "关于2026年第二季度政府工作报告重点工作推进情况的通报"
    assert "本轮共有7项重点工作任务、6个责任单位应报送进展情况" in text
    assert "已完成1项，序时推进3项，滞后2项，未启动1项" in text
    assert "应报送9份，按时报送6份，逾期报送2份，未报送1份" in text
    assert "发展改革和统计局、商务局等2个单位按时报送" in text
    assert "住房和城乡建设局：1项任务进度滞后（第4项），逾期报送1份（第4项）。" in text
    assert "人力资源和社会保障局：逾期报送1份（第3项）。" in text
    assert "工业信息和科技局：未报送1份（第7项）。" in text
    assert "财政局：1项任务进度滞后（第2项）。" in text
    assert "2. 一般公共预算收入增长3.5%。（财政局）\n滞后原因：土地出让收入下滑。" in text
    assert draft.signer == "济源市人民政府办公室" and draft.date == date(2026, 6, 20)
    assert [b.text for b in draft.blocks if b.kind == CHART] == ["任务推进情况", "报送情况"]


def test_edited_text_reads_back_to_the_same_draft(plan, round_data):
    draft = bulletin_text(plan, round_data)
    assert BulletinDraft.from_text(draft.to_text(), signer=draft.signer, when=draft.date) == draft
    with pytest.raises(DubanError):
        BulletinDraft.from_text("  \n")


def test_bulletin_docx_has_the_edited_text_and_both_charts(plan, round_data, tmp_path):
    draft = bulletin_text(plan, round_data)
    edited = draft.to_text().replace("予以表扬。", "予以通报表扬。")
    path = tmp_path / "bulletin.docx"
    render_bulletin(plan, round_data, path, BulletinDraft.from_text(edited, signer=draft.signer, when=draft.date))
    document = open_docx(path)
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "督查通报"
    assert "济源市人民政府办公室　　2026年6月20日" in texts
    assert any(t.endswith("予以通报表扬。") for t in texts)
    assert len(document.inline_shapes) == 2
    assert document.styles["公文正文"].font.size.pt == 16
    assert round(document.sections[0].left_margin.mm) == 28


def test_charts_are_png_with_or_without_a_chinese_font(monkeypatch):
    png = charts.status_chart({"done": 1, "behind": 2})
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    monkeypatch.setattr(charts, "cjk_font", lambda: None)
    assert charts.report_chart({"on_time": 3})[:4] == b"\x89PNG"


def test_yearend_for_the_whole_plan(plan, round_data, tmp_path):
    path = tmp_path / "yearend.docx"
    render_yearend(plan, round_data, path)
    document = open_docx(path)
    texts = [p.text for p in document.paragraphs]
    assert "2026年政府工作报告重点工作全年落实情况" in texts
    assert (
        "7项任务中，已完成1项，未启动1项，序时推进3项，滞后2项。应报送全年落实情况9份，按时报送6份，逾期报送2份，未报送1份。"
        in texts
    )
    assert ["（一）2026年主要预期目标", "（二）聚焦推动高质量发展，稳住经济基本盘"] == [
        t for t in texts if t.startswith("（")
    ]
    rows = [[c.text for c in row.cells] for table in document.tables for row in table.rows[1:]]
    assert [r[0] for r in rows] == ["1", "2", "3", "4", "5", "6", "7"]
    assert rows[3][3] == "滞后" and rows[3][4] == "商务局：已办120场；住房和城乡建设局：房交会延期"
    unfinished = [t for t in texts if t[:2] in {"1.", "2.", "3.", "4.", "5.", "6.", "7."}]
    assert [t.split(".")[0] for t in unfinished] == ["1", "2", "3", "4", "5", "7"]
    assert "原因：财政局：土地出让收入下滑。" in unfinished[1]


def test_yearend_for_one_unit(plan, round_data, tmp_path):
    path = tmp_path / "unit.docx"
    render_yearend(plan, round_data, path, unit="商务局")
    texts = [p.text for p in open_docx(path).paragraphs if p.text]
    assert texts[0] == "商务局2026年重点工作全年落实情况"
    assert (
        "本单位承担2026年政府工作报告重点工作任务3项，已完成1项，未启动0项，序时推进1项，滞后0项，未报送进展1项。"
        in texts
    )
    assert "1. 生产总值增长5.5%。（配合）" in texts and "本项由牵头单位汇总报送。" in texts
    assert "完成情况：已完成。已办120场" in texts
    assert texts[-2:] == ["商务局", "2026年6月20日"]
    with pytest.raises(DubanError):
        render_yearend(plan, round_data, tmp_path / "x.docx", unit="不存在的局")
