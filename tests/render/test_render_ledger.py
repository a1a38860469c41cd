"""Excel ledgers: the plan export, a unit's template, and the filled template read back."""

from datetime import date

import pytest
from openpyxl import load_workbook

from duban.errors import InputError
from duban.render.data import BEHIND, DONE, ON_SCHEDULE, LedgerEntry, Milestone, RoundData, TaskReport
from duban.render.ledger import export_plan_xlsx, unit_ledger_template
from duban.render.ledger_import import ACCEPTED, EMPTY, REJECTED, import_unit_ledger

UNIT = "发展改革和统计局"  # lead on 1, 5 and 6 (two indicators) in the hand-built plan


@pytest.fixture
def template(plan, tmp_path):
    path = tmp_path / "ledger.xlsx"
    unit_ledger_template(plan, UNIT, path)
    return path


def _fill(path, out):
    """Fill every input cell the way a unit would, and return the file."""
    wb = load_workbook(path)
    ws = wb["台账"]
    values = {
        2: (
            "稳增长专项行动",
            "2026-03-31：印发方案\n2026年6月30日：完成过半\n9月底前：完成75%",
            "项目调度",
            "周例会",
            "王副局长",
            "李科长",
        ),
        3: ("促消费活动", "6月30日：举办50场", "政策兑现", "专班推进", "赵局长", "钱科长"),
        4: ("项目建设", "12月15日、全部开工", "要素保障", "周调度", "孙局长", "周科员"),
    }
    for row, cells in values.items():
        for col, value in zip("GHIJKL", cells):
            ws[f"{col}{row}"] = value
    rs = wb["6月15日进展"]
    rs["E2"], rs["F2"], rs["G2"], rs["H2"], rs["I2"] = "序时推进", "一季度增长5.6%", 5.6, "", "继续调度"
    rs["E3"], rs["F3"], rs["G3"], rs["H3"], rs["I3"] = "滞后", "完成78亿元", "78", "消费需求不足", "加密活动"
    rs["E4"], rs["F4"], rs["G4"], rs["I4"] = "已完成", "开工212个", 212, "转入运营"
    rs["G5"] = 310.5
    wb.save(out)
    return out


def test_template_has_a_plan_sheet_a_sheet_per_round_and_a_very_hidden_identity(template):
    wb = load_workbook(template)
    assert wb.sheetnames == ["台账", "6月15日进展", "9月15日进展", "全年落实情况", "_duban"]
    assert wb["_duban"].sheet_state == "veryHidden"
    meta = {k: v for k, v in wb["_duban"].iter_rows(values_only=True)}
    assert meta["unit"] == UNIT and meta["doc_number"] == "济政〔2026〕1号" and meta["tasks"] == '["1", "5", "6"]'
    ws = wb["台账"]
    assert [c.value for c in ws[1]] == [
        "行键", "序号", "所属部分", "重点工作任务", "本单位职责", "完成时限",
        "工作事项", "时序节点", "主要措施", "保障机制", "责任领导", "责任人",
    ]  # fmt: skip
    assert [ws.cell(row=r, column=2).value for r in range(2, ws.max_row + 1)] == ["1", "5", "6"]
    assert ws.column_dimensions["A"].hidden
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["D"].width == 48


def test_template_locks_task_columns_and_unlocks_inputs(template):
    wb = load_workbook(template)
    for ws in wb.worksheets[:-1]:
        assert ws.protection.sheet, ws.title
        assert ws.protection.insertRows and ws.protection.deleteColumns, ws.title
    ws = wb["台账"]
    assert all(ws[f"{c}2"].protection.locked for c in "ABCDEF")
    assert not any(ws[f"{c}2"].protection.locked for c in "GHIJKL")
    rs = wb["6月15日进展"]
    assert [rs.cell(row=r, column=1).value for r in range(2, rs.max_row + 1)] == ["1", "5", "6", "6#2"]
    assert not rs["E4"].protection.locked and rs["E5"].protection.locked  # status only on a task's first row
    assert not rs["G5"].protection.locked  # the second indicator's figure


def test_status_cells_offer_the_four_statuses(template):
    rs = load_workbook(template)["6月15日进展"]
    lists = [dv for dv in rs.data_validations.dataValidation if dv.type == "list"]
    assert len(lists) == 1
    assert lists[0].formula1 == '"未启动,序时推进,滞后,已完成"'
    assert str(lists[0].sqref) == "E2 E3 E4"
    decimals = [dv for dv in rs.data_validations.dataValidation if dv.type == "decimal"]
    assert str(decimals[0].sqref) == "G2 G3 G4 G5"


def test_template_for_a_unit_without_tasks_is_refused(plan, tmp_path):
    from duban.errors import DubanError

    with pytest.raises(DubanError, match="没有“发改统计局”承担的任务；是否指：发展改革和统计局"):
        unit_ledger_template(plan, "发改统计局", tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()


def test_importing_for_a_unit_without_tasks_is_refused(plan, template):
    from duban.errors import DubanError

    with pytest.raises(DubanError, match="没有“不存在的局”承担的任务"):
        import_unit_ledger(template, plan, "不存在的局")


def test_filled_template_lands_exactly(plan, template, tmp_path):
    result = import_unit_ledger(_fill(template, tmp_path / "filled.xlsx"), plan, UNIT)
    assert result.ok, [str(p) for p in result.problems]
    assert result.applied
    ledger = result.ledger
    assert ledger.entries == [
        LedgerEntry(
            "1",
            "稳增长专项行动",
            [
                Milestone(date(2026, 3, 31), "印发方案"),
                Milestone(date(2026, 6, 30), "完成过半"),
                Milestone(date(2026, 9, 30), "完成75%"),
            ],
            "项目调度",
            "周例会",
            "王副局长",
            "李科长",
        ),
        LedgerEntry(
            "5", "促消费活动", [Milestone(date(2026, 6, 30), "举办50场")], "政策兑现", "专班推进", "赵局长", "钱科长"
        ),
        LedgerEntry(
            "6", "项目建设", [Milestone(date(2026, 12, 15), "全部开工")], "要素保障", "周调度", "孙局长", "周科员"
        ),
    ]
    rows = {r.task: r for r in ledger.rounds["6月15日进展"]}
    assert [(r.task, r.status) for r in ledger.rounds["6月15日进展"]] == [
        ("1", ON_SCHEDULE),
        ("5", BEHIND),
        ("6", DONE),
    ]
    assert rows["1"].figures == {"生产总值": 5.6} and rows["1"].next_steps == "继续调度"
    assert rows["5"].figures == {"社会消费品零售总额": 78.0} and rows["5"].problems == "消费需求不足"
    assert rows["6"].figures == {"重点项目": 212.0, "完成投资": 310.5}
    assert ledger.rounds["9月15日进展"] == [] and ledger.rounds["全年落实情况"] == []
    outcomes = [(r.sheet, r.row, r.outcome) for r in result.rows]
    assert ("台账", 2, ACCEPTED) in outcomes and ("9月15日进展", 2, EMPTY) in outcomes


def test_an_untouched_template_imports_nothing_and_complains_of_nothing(plan, template):
    result = import_unit_ledger(template, plan, UNIT)
    assert result.ok and result.accepted == [] and result.ledger.entries == []


def _damage(plan, template, tmp_path, damage):
    path = _fill(template, tmp_path / "filled.xlsx")
    wb = load_workbook(path)
    damage(wb)
    wb.save(path)
    return path


def _where(result):
    return {(p.sheet, p.row, p.column) for p in result.problems}


def test_bad_cells_reject_their_rows_and_keep_nothing_unless_confirmed(plan, template, tmp_path):
    def damage(wb):
        wb["台账"]["H3"] = "六月中旬：举办活动"  # no date
        wb["台账"]["H4"] = "2026-02-30：开工"  # no such day
        wb["6月15日进展"]["G2"] = "约5.6%"  # not a number
        wb["6月15日进展"]["E3"] = "基本完成"  # not a status
        wb["6月15日进展"]["I4"] = "=1+1"  # a formula
        wb["台账"]["K2"] = date(2026, 1, 1)  # a date where a name goes

    path = _damage(plan, template, tmp_path, damage)
    result = import_unit_ledger(path, plan, UNIT)
    assert not result.ok and not result.applied and result.ledger is None
    assert _where(result) >= {
        ("台账", 3, "H"),
        ("台账", 4, "H"),
        ("台账", 2, "K"),
        ("6月15日进展", 2, "G"),
        ("6月15日进展", 3, "E"),
        ("6月15日进展", 4, "I"),
    }
    messages = {str(p) for p in result.problems}
    assert "工作表“6月15日进展”第2行G列（指标完成值）：“约5.6%”不是数字，请只填数值（单位见“指标”列）" in messages
    assert "工作表“台账”第4行H列（时序节点）：“2026-02-30：开工”中的日期不存在" in messages
    # Task 6's second indicator row is fine, but its first row has a formula: both go back.
    assert {(r.sheet, r.row): r.outcome for r in result.rows}[("6月15日进展", 5)] == REJECTED

    partial = import_unit_ledger(path, plan, UNIT, accept_partial=True)
    assert partial.applied
    assert [e.task for e in partial.ledger.entries] == []  # every plan row had a bad cell
    assert partial.ledger.rounds["6月15日进展"] == []


def test_changed_task_cells_reject_the_row(plan, template, tmp_path):
    def damage(wb):
        wb["台账"]["F2"] = "6月底前"  # 完成时限 is the notice's, not the unit's
        wb["台账"]["E3"] = "配合"  # and so is the unit's role

    result = import_unit_ledger(_damage(plan, template, tmp_path, damage), plan, UNIT)
    assert {(p.row, p.column, p.message) for p in result.problems} == {
        (2, "F", "锁定的任务内容被改动，请勿修改"),
        (3, "E", "锁定的任务内容被改动，请勿修改"),
    }


def test_partial_import_keeps_exactly_the_good_rows(plan, template, tmp_path):
    def damage(wb):
        wb["台账"]["H3"] = "下半年：举办活动"
        wb["6月15日进展"]["H3"] = None  # behind without a reason

    path = _damage(plan, template, tmp_path, damage)
    refused = import_unit_ledger(path, plan, UNIT)
    assert refused.ledger is None
    assert {(p.sheet, p.row, p.column) for p in refused.problems} == {("台账", 3, "H"), ("6月15日进展", 3, "H")}
    kept = import_unit_ledger(path, plan, UNIT, accept_partial=True).ledger
    assert [e.task for e in kept.entries] == ["1", "6"]
    assert [r.task for r in kept.rounds["6月15日进展"]] == ["1", "6"]


@pytest.mark.parametrize(
    "damage, where, words",
    [
        (
            lambda wb: wb["台账"].insert_cols(13) or wb["台账"].cell(row=1, column=13, value="备注"),
            ("台账", 1, "M"),
            "多出",
        ),
        (lambda wb: wb["台账"].delete_cols(12), ("台账", 1, "L"), "缺少“责任人”列"),
        (lambda wb: wb["6月15日进展"].merge_cells("F2:F3"), ("6月15日进展", 2, "F"), "合并"),
        (lambda wb: _hidden_sheet(wb), ("草稿", None, None), "隐藏"),
        (lambda wb: wb["台账"].__setitem__("A3", "2"), ("台账", 3, "A"), "不是本单位承担的任务"),
        (lambda wb: wb["台账"].__setitem__("A3", "999"), ("台账", 3, "A"), "通知中没有任务 999"),
        (lambda wb: wb["台账"].delete_rows(4), ("台账", None, None), "缺少任务 6 的行"),
        (lambda wb: wb.remove(wb["9月15日进展"]), ("9月15日进展", None, None), "缺少这个工作表"),
        (lambda wb: wb["_duban"].__setitem__("B2", "财政局"), ("_duban", None, None), "是“财政局”的台账"),
    ],
)
def test_broken_structure_is_refused_even_when_partial_is_accepted(plan, template, tmp_path, damage, where, words):
    path = _damage(plan, template, tmp_path, damage)
    result = import_unit_ledger(path, plan, UNIT, accept_partial=True)
    assert result.ledger is None
    matching = [p for p in result.problems if (p.sheet, p.row, p.column) == where]
    assert matching, [str(p) for p in result.problems]
    assert any(words in p.message for p in matching), [str(p) for p in matching]


def _hidden_sheet(wb):
    ws = wb.create_sheet("草稿")
    ws["A1"] = "旧数据"
    ws.sheet_state = "hidden"


def test_a_ledger_for_another_plan_is_refused(plan, template):
    plan.doc_number = "济政〔2027〕1号"
    result = import_unit_ledger(template, plan, UNIT)
    assert result.ledger is None and "另一份通知" in str(result.structural[0])


def test_a_spreadsheet_that_is_not_a_template_is_refused(plan, tmp_path):
    path = tmp_path / "mine.xlsx"
    export_plan_xlsx(plan, path)
    result = import_unit_ledger(path, plan, UNIT)
    assert result.ledger is None and "不是 duban 生成的台账模板" in str(result.structural[0])


def test_a_file_that_is_not_excel_is_an_input_error(plan, tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_text("not a spreadsheet")
    with pytest.raises(InputError, match="不是可读取的 Excel"):
        import_unit_ledger(path, plan, UNIT)


def test_plan_export_has_one_row_a_task_with_status_from_the_round(plan, tmp_path):
    round_data = RoundData(
        "2026年第二季度",
        reports=[
            TaskReport("1", "发展改革和统计局", ON_SCHEDULE, "on_time", progress="增长5.6%"),
            TaskReport("4", "商务局", DONE, "on_time", progress="已办120场"),
            TaskReport("4", "住房和城乡建设局", BEHIND, "late", progress="房交会延期"),
        ],
    )
    path = tmp_path / "plan.xlsx"
    export_plan_xlsx(plan, path, round_data)
    ws = load_workbook(path).active
    assert [c.value for c in ws[1]] == [
        "序号", "所属部分", "重点工作任务", "牵头单位", "责任/配合单位", "完成时限", "指标", "状态", "最新进展",
    ]  # fmt: skip
    assert ws.max_row == len(plan.tasks) + 1
    assert ws.freeze_panes == "A2"
    assert [c.value for c in ws[2]][:5] == [
        "1",
        "一、2026年主要预期目标",
        "生产总值增长5.5%。",
        "发展改革和统计局",
        "农业农村局、商务局",
    ]
    assert ws["D5"].value == "商务局、住房和城乡建设局"  # both responsible: both answer for it
    assert ws["H2"].value == "序时推进"
    assert ws["H5"].value == "滞后"  # one unit behind makes the task behind
    assert ws["I5"].value == "商务局：已办120场\n住房和城乡建设局：房交会延期"
    assert ws["H3"].value is None
    assert ws["C2"].alignment.wrap_text


def test_text_beginning_with_an_equals_sign_stays_text_and_reads_back(plan, tmp_path):
    """A task's text or a unit's entry beginning with = is written as text, never as a formula
    the reader's Excel would run, and the filled template still imports."""
    plan.tasks[0].text = '=HYPERLINK("http://example.invalid","生产总值增长5.5%")'
    path = tmp_path / "plan.xlsx"
    export_plan_xlsx(plan, path)
    cell = load_workbook(path).active["C2"]
    assert (cell.value, cell.data_type) == (plan.tasks[0].text, "s")
    template = tmp_path / "ledger.xlsx"
    unit_ledger_template(plan, UNIT, template)
    ws = load_workbook(template)["台账"]
    written = [c for row in ws.iter_rows() for c in row if c.value == plan.tasks[0].text]
    assert written and all(c.data_type == "s" for c in written)
    filled = _fill(template, tmp_path / "filled.xlsx")
    result = import_unit_ledger(filled, plan, UNIT)
    assert result.ok, [str(p) for p in result.problems]
    assert [e.task for e in result.ledger.entries] == ["1", "5", "6"]


def test_a_formula_typed_into_the_template_is_still_refused(plan, template, tmp_path):
    wb = load_workbook(template)
    wb["台账"]["G2"] = "=1+1"  # what Excel stores when a unit types a formula
    wb.save(tmp_path / "formula.xlsx")
    result = import_unit_ledger(tmp_path / "formula.xlsx", plan, UNIT)
    assert any("不能使用公式" in str(p) for p in result.problems)
