"""``duban parse`` as a user runs it: output shapes, and one clear sentence for bad input."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile

import pytest

from duban.cli import main
from tests.conftest import corpus_file


def run(*args, stdin: bytes | None = None):
    proc = subprocess.run([sys.executable, "-m", "duban", *args], input=stdin, capture_output=True, timeout=120)
    return proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")


def test_json_shape_on_the_jiyuan_notice():
    code, out, err = run("parse", str(corpus_file("notice-jiyuan-2026.txt")), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["schema"] == "duban.document/1"
    assert data["kind"] == "notice"
    assert data["doc_number"] == "济政〔2026〕1号"
    assert data["date"] == "2026-03-08"
    assert len(data["tasks"]) == 118
    first = data["tasks"][0]
    assert first["number"] == "1"
    assert first["section"] == ["一、2026年主要预期目标"]
    assert first["units"][0] == {"name": "发展改革和统计局", "role": "lead"}
    assert first["indicators"][0]["value"] == 5.5
    assert data["schedule"][0] == {"what": "plan", "due": "2026-03-18", "rule": "3月18日前"}


def test_standard_input_and_markdown():
    data = corpus_file("notice-henan-2026.txt").read_bytes()
    code, out, err = run("parse", "-", "--md", stdin=data)
    assert code == 0, err
    assert out.startswith("# 关于明确政府工作报告提出的2026年重点工作责任单位的通知")
    assert "148. 支持工会、共青团" in out
    assert "   - 牵头：省发展改革委" in out


def test_xlsx_task_table(tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "tasks.xlsx"
    assert main(["parse", str(corpus_file("notice-jiyuan-2026.txt")), "--xlsx", str(out)]) == 0
    ws = load_workbook(out).active
    assert ws.max_row == 119
    assert [c.value for c in ws[2]][:4] == ["1", "一、2026年主要预期目标", "生产总值增长5.5%。", "发展改革和统计局"]


def _one_sentence(err: str) -> str:
    lines = [line for line in err.strip().splitlines() if line]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def test_empty_file(tmp_path):
    f = tmp_path / "empty.txt"
    f.write_bytes(b"")
    code, out, err = run("parse", str(f), "--json")
    assert code != 0 and out == ""
    assert "空" in _one_sentence(err)


def test_missing_file(tmp_path):
    code, _, err = run("parse", str(tmp_path / "nope.docx"))
    assert code != 0
    _one_sentence(err)


def test_text_that_is_no_notice(tmp_path):
    f = tmp_path / "poem.txt"
    f.write_text("床前明月光，疑是地上霜。\n举头望明月，低头思故乡。\n", encoding="utf-8")
    code, out, err = run("parse", str(f), "--json")
    assert code != 0 and out == ""
    assert "不像一份任务分解通知" in _one_sentence(err)


def test_docx_that_is_not_a_docx(tmp_path):
    f = tmp_path / "notice.docx"
    f.write_text("1. 任务。（财政局负责）", encoding="utf-8")
    code, _, err = run("parse", str(f))
    assert code != 0
    assert ".docx" in _one_sentence(err)


def test_truncated_docx(tmp_path):
    from docx import Document as Docx

    good = tmp_path / "good.docx"
    d = Docx()
    d.add_paragraph("1. 任务。（财政局负责）")
    d.save(good)
    bad = tmp_path / "bad.docx"
    bad.write_bytes(good.read_bytes()[:2000])
    code, _, err = run("parse", str(bad))
    assert code != 0
    _one_sentence(err)


def test_zip_bomb_is_refused(tmp_path):
    f = tmp_path / "bomb.docx"
    with zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"\0" * (300 * 1024 * 1024))
    code, _, err = run("parse", str(f))
    assert code != 0
    _one_sentence(err)


def test_file_over_the_size_limit(tmp_path):
    f = tmp_path / "big.txt"
    f.write_bytes(("1. 任务。（财政局负责）\n" * 200000).encode("utf-8"))
    code, _, err = run("parse", str(f), "--max-mb", "1")
    assert code != 0
    _one_sentence(err)


def test_scanned_pdf(tmp_path):
    pytest.importorskip("reportlab")
    from reportlab.pdfgen import canvas

    f = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(f))
    c.rect(50, 50, 400, 600, fill=1)
    c.showPage()
    c.save()
    code, _, err = run("parse", str(f))
    assert code != 0
    assert "扫描" in _one_sentence(err)


def test_gb18030_text(tmp_path):
    f = tmp_path / "gbk.txt"
    f.write_bytes("关于分工的通知\n一、发展\n1. 甲项目开工。（财政局负责）\n".encode("gb18030"))
    code, out, err = run("parse", str(f), "--json")
    assert code == 0, err
    assert json.loads(out)["tasks"][0]["units"] == [{"name": "财政局", "role": "responsible"}]


def test_a_single_item_without_units_is_no_notice(tmp_path):
    f = tmp_path / "x.txt"
    f.write_text("关于做好春节期间安全工作的通知\n\n1. 加强值班值守。\n", encoding="utf-8")
    code, out, err = run("parse", str(f))
    assert code != 0 and out == ""
    assert "不像一份任务分解通知" in _one_sentence(err)
