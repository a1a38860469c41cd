"""How long the renderers take on a real plan (the 148-task Henan notice)."""

import re

import pytest

from duban.render.clauses import unit_tasks
from duban.render.ledger import unit_ledger_template
from duban.render.ledger_import import import_unit_ledger
from duban.render.notice import build_notice


@pytest.fixture(scope="module")
def henan():
    from render_fixtures import CORPUS

    if not (CORPUS / "notice-henan-2026.txt").exists():
        pytest.skip(f"corpus folder {CORPUS} is absent")
    from duban.doc import parse_file

    return parse_file(CORPUS / "notice-henan-2026.txt")


@pytest.mark.corpus
def test_benchmark_notice_148_tasks(benchmark, henan):
    document = benchmark(build_notice, henan)
    assert sum(1 for p in document.paragraphs if re.match(r"\d+\. ", p.text)) == 148


@pytest.mark.corpus
def test_benchmark_ledger_import(benchmark, henan, tmp_path):
    unit = "省发展改革委"
    path = tmp_path / "ledger.xlsx"
    unit_ledger_template(henan, unit, path)
    result = benchmark(import_unit_ledger, path, henan, unit)
    # An untouched template: every row checked, none filled in.
    assert result.ok and {r.outcome for r in result.rows} == {"empty"}
    assert len([r for r in result.rows if r.sheet == "台账"]) == len(unit_tasks(henan.tasks, unit)) > 50
