"""The bad-input corpus (tests/badinput.py) through every file-reading command: one sentence,
bounded time, nothing half-written.

The big cases run at 2% of their size here with the limits lowered by as much, so the
refusal paths are the ones ``scripts/bad-input`` exercises at full size, in seconds.
"""

from __future__ import annotations

import re
import time

import pytest

from duban.cli import main
from tests.badinput import UNITS, bad_files, notice_text

SCALE = 0.02
# Refused before any expensive work: these answer in under a second whatever their size.
AT_ONCE = {"empty.txt", "blank.docx", "image-named.docx", "encrypted-office.docx", "zip-bomb.docx",
           "zip-bomb-declared.xlsx", "oversize.txt", "docx-named.pdf"}  # fmt: skip


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bad")
    (tmp / "corpus").mkdir()
    files = bad_files(tmp / "corpus", scale=SCALE)
    notice = tmp / "notice.txt"
    notice.write_text(notice_text(12), encoding="utf-8")
    return tmp, files, notice


@pytest.fixture
def plan(corpus, capsys):
    tmp, _, notice = corpus
    path = tmp / "plan.json"
    if not path.exists():
        assert main(["parse", str(notice), "--json"]) == 0
        path.write_text(capsys.readouterr().out, encoding="utf-8")
    return path


COMMANDS = {
    "parse": lambda f, n, p, o: ["parse", str(f), "--json"],
    "draft": lambda f, n, p, o: ["draft", str(f), "--json"],
    "suggest": lambda f, n, p, o: ["suggest", str(f), "--history", str(n), "--json"],
    "suggest --history": lambda f, n, p, o: ["suggest", str(n), "--history", str(f), "--json"],
    "directory": lambda f, n, p, o: ["directory", str(f), "-o", f"{o}.yaml"],
    "render notice": lambda f, n, p, o: ["render", "notice", str(f), "-o", f"{o}.docx"],
    "render ledger": lambda f, n, p, o: ["render", "ledger", str(f), "--unit", UNITS[0], "-o", f"{o}.xlsx"],
    "render summary --round": lambda f, n, p, o: ["render", "summary", str(p), "--round", str(f)],
    "render bulletin --round": lambda f, n, p, o: ["render", "bulletin", str(p), "--round", str(f), "-o", f"{o}.docx"],
    "render import-ledger": lambda f, n, p, o: ["render", "import-ledger", str(p), str(f), "--unit", UNITS[1],
                                                "-o", f"{o}.json"],
    "render round": lambda f, n, p, o: ["render", "round", str(p), str(f), "--name", "6月15日进展", "-o", f"{o}.json"],
}  # fmt: skip


@pytest.mark.parametrize("command", COMMANDS)
def test_every_bad_file_through_the_command(command, corpus, plan, capsys, monkeypatch):
    tmp, files, notice = corpus
    monkeypatch.setenv("DUBAN_MAX_TABLE_CELLS", str(int(200_000 * SCALE)))
    out = tmp / "out"
    for name, path in files.items():
        for leftover in tmp.glob("out.*"):
            leftover.unlink()
        started = time.perf_counter()
        rc = main(COMMANDS[command](path, notice, plan, out))
        took = time.perf_counter() - started
        captured = capsys.readouterr()
        said = captured.err.strip().splitlines()
        case = f"{command} {name}: rc={rc} {said[-1:] if said else ''}"
        assert rc in (0, 1), case
        assert "Traceback" not in captured.err and "内部错误" not in captured.err, case
        assert took < (1 if name in AT_ONCE else 30), f"{case} took {took:.1f} s"
        if rc == 1:
            assert said, case
            assert said[-1].startswith(f"duban {command.split()[0]}: ") or command == "render import-ledger", case
            assert not list(tmp.glob("out.*")), f"{case}: wrote {[p.name for p in tmp.glob('out.*')]}"


def test_the_corpus_names_the_limit_and_how_to_raise_it(corpus, capsys, monkeypatch):
    _, files, _ = corpus
    monkeypatch.setenv("DUBAN_MAX_TABLE_CELLS", "4000")
    expected = {
        "zip-bomb.docx": "zip-bomb.docx：压缩比（word/document.xml） 1024 倍，超过上限 100 倍，可能是压缩炸弹，未处理"
        "（如确需处理，可用环境变量 DUBAN_MAX_ZIP_RATIO 调高上限）",
        "zip-bomb-declared.xlsx": "zip-bomb-declared.xlsx：压缩文件解压后大小 4096 MB，超过上限 200 MB，可能是压缩炸弹，"
        "未处理（如确需处理，可用环境变量 DUBAN_MAX_UNZIPPED_MB 调高上限）",
        "oversize.txt": "oversize.txt：文件大小 51 MB，超过上限 50 MB，未处理（如确需处理，可用 --max-mb 或环境变量 "
        "DUBAN_MAX_FILE_MB 调高上限）",
        "million-row.csv": "million-row.csv：表格单元格数（至少） 4002 个，超过上限 4000 个，未处理"
        "（如确需处理，可用环境变量 DUBAN_MAX_TABLE_CELLS 调高上限）",
        "million-row.xlsx": "million-row.xlsx：表格单元格数（至少） @N@ 个，超过上限 4000 个，未处理"
        "（如确需处理，可用环境变量 DUBAN_MAX_TABLE_CELLS 调高上限）",
    }
    for name, sentence in expected.items():
        assert main(["parse", str(files[name])]) == 1
        # The count of a streamed sheet stops at the first chunk past the limit: @N@ is at least 4001.
        pattern = re.escape(f"duban parse: {sentence}").replace("@N@", r"(\d+)")
        said = re.fullmatch(pattern, capsys.readouterr().err.strip())
        assert said and all(int(n) > 4000 for n in said.groups()), name


def test_max_mb_raises_the_file_limit_for_one_run(corpus, capsys):
    _, files, _ = corpus
    assert main(["draft", str(files["oversize.txt"]), "--max-mb", "60"]) == 1
    # Read now (51 MB of NUL bytes): refused for what it is, not for its size.
    assert "超过上限" not in capsys.readouterr().err


def test_a_plan_over_the_task_limit_is_refused_before_it_is_read(tmp_path, capsys, monkeypatch):
    import json

    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"kind": "notice", "tasks": [{"number": str(i), "text": "x"} for i in range(30)]}))
    monkeypatch.setenv("DUBAN_MAX_PLAN_TASKS", "20")
    assert main(["render", "notice", str(plan), "-o", str(tmp_path / "out.docx")]) == 1
    assert capsys.readouterr().err.strip() == (
        f"duban render: {plan}：计划任务数 30 项，超过上限 20 项，未处理（如确需处理，可用环境变量 DUBAN_MAX_PLAN_TASKS 调高上限）"
    )
    assert not (tmp_path / "out.docx").exists()
