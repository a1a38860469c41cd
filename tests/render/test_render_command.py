"""``duban render …`` from the command line: outputs, row-level import results, one-sentence errors."""

import json

import pytest
from openpyxl import load_workbook
from render_fixtures import build_plan, build_round

from duban.cli import main


@pytest.fixture
def files(tmp_path):
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(build_plan().to_json(), ensure_ascii=False), encoding="utf-8")
    round_ = tmp_path / "round.json"
    round_.write_text(json.dumps(build_round().to_json(), ensure_ascii=False), encoding="utf-8")
    return tmp_path, str(plan), str(round_)


def test_notice(files, capsys):
    folder, plan, _ = files
    out = folder / "notice.docx"
    assert main(["render", "notice", plan, "-o", str(out)]) == 0
    assert out.stat().st_size > 10_000
    assert "7 项任务" in capsys.readouterr().err
    assert [p.name for p in folder.iterdir() if p.name.endswith(".tmp")] == []


def test_ledger_export_and_template(files):
    folder, plan, round_ = files
    assert main(["render", "ledger", plan, "--round", round_, "-o", str(folder / "all.xlsx")]) == 0
    assert load_workbook(folder / "all.xlsx").active["H3"].value == "滞后"
    out = folder / "unit.xlsx"
    assert main(["render", "ledger", plan, "--unit", "商务局", "--rounds", "二季度,三季度", "-o", str(out)]) == 0
    assert load_workbook(out).sheetnames == ["台账", "二季度", "三季度", "_duban"]


def test_bulletin_text_edited_then_rendered(files, capsys):
    folder, plan, round_ = files
    assert main(["render", "bulletin", plan, "--round", round_, "--print-text"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("关于2026年第二季度政府工作报告重点工作推进情况的通报\n")
    edited = folder / "edited.txt"
    edited.write_text(text.replace("予以表扬", "特此表扬"), encoding="utf-8")
    out = folder / "bulletin.docx"
    assert main(["render", "bulletin", plan, "--round", round_, "--text", str(edited), "-o", str(out)]) == 0
    from docx import Document

    assert any("特此表扬" in p.text for p in Document(out).paragraphs)


def test_yearend_and_summary(files, capsys):
    folder, plan, round_ = files
    assert main(["render", "yearend", plan, "--round", round_, "--unit", "财政局", "-o", str(folder / "y.docx")]) == 0
    capsys.readouterr()
    assert main(["render", "summary", plan, "--round", round_, "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["task_counts"] == {"not_started": 1, "on_schedule": 3, "behind": 2, "done": 1}
    assert summary["report_counts"] == {"on_time": 6, "late": 2, "missing": 1}


def test_import_ledger_reports_row_by_row(files, capsys):
    folder, plan, _ = files
    template = folder / "t.xlsx"
    assert main(["render", "ledger", plan, "--unit", "财政局", "-o", str(template)]) == 0
    wb = load_workbook(template)
    wb["台账"]["G2"] = "组织收入"
    wb["6月15日进展"]["E2"], wb["6月15日进展"]["G2"] = "按序时推进", "三成"
    wb.save(template)
    capsys.readouterr()

    assert main(["render", "import-ledger", plan, str(template), "--unit", "财政局"]) == 1
    out = capsys.readouterr()
    assert "通过\t工作表“台账”第2行\t任务 2" in out.out
    assert "拒绝\t工作表“6月15日进展”第2行G列（指标完成值）：“三成”不是数字" in out.out
    assert "--accept-partial" in out.err

    ledger_json = folder / "ledger.json"
    args = ["render", "import-ledger", plan, str(template), "--unit", "财政局", "--accept-partial", "--json"]
    assert main([*args, "-o", str(ledger_json)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["applied"] and not result["ok"]
    assert [r["outcome"] for r in result["rows"] if r["sheet"] == "台账"] == ["accepted"]
    assert json.loads(ledger_json.read_text(encoding="utf-8"))["entries"][0]["work_items"] == "组织收入"


@pytest.mark.parametrize(
    "argv, message",
    [
        (["render", "notice", "missing.json", "-o", "x.docx"], "找不到计划文件"),
        (["render", "notice", "{bad}", "-o", "x.docx"], "不是有效的 JSON"),
        (["render", "notice", "{other}", "-o", "x.docx"], "这不是 duban 文档 JSON"),
        (["render", "notice", "{plan}", "-o", "x.pdf"], "输出文件应以 .docx 结尾"),
        (["render", "notice", "{plan}", "-o", "nowhere/x.docx"], "输出目录不存在"),
        (["render", "bulletin", "{plan}", "-o", "b.docx"], "请用 --round"),
        (["render", "bulletin", "{plan}", "--round", "{plan}", "-o", "b.docx"], "这不是 duban 报送轮次 JSON"),
        (["render", "ledger", "{plan}", "--unit", "不存在的局", "-o", "u.xlsx"], "没有“不存在的局”承担的任务"),
        (["render", "import-ledger", "{plan}", "{plan}", "--unit", "财政局"], "不是可读取的 Excel"),
        (["render", "notice", "-o", "x.docx"], "请给出计划文件"),
        (["render", "notice", "--government", "济源市", "-o", "x.docx"], "--year"),
    ],
)
def test_bad_input_is_one_sentence_and_nothing_written(files, capsys, monkeypatch, argv, message):
    folder, plan, _ = files
    (folder / "bad.json").write_text("{not json", encoding="utf-8")
    (folder / "other.json").write_text('{"a": 1}', encoding="utf-8")
    monkeypatch.chdir(folder)
    argv = [a.format(plan=plan, bad="bad.json", other="other.json") for a in argv]
    before = set(folder.iterdir())
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert err.count("\n") == 1
    assert set(folder.iterdir()) == before


def test_writers_accept_an_open_file_for_downloads():
    import io

    from duban.render.bulletin import render_bulletin
    from duban.render.ledger import unit_ledger_template
    from duban.render.notice import render_notice

    plan, round_data = build_plan(), build_round()
    for write in (
        lambda buf: render_notice(plan, buf),
        lambda buf: unit_ledger_template(plan, "财政局", buf),
        lambda buf: render_bulletin(plan, round_data, buf),
    ):
        buf = io.BytesIO()
        write(buf)
        assert buf.getvalue()[:2] == b"PK"
