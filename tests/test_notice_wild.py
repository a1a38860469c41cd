"""Notices in the forms other governments and web pages publish them.

Each case is a small notice written the way real ones are (see
../shared/corpus/excerpts for the pages these forms come from); each must read
to the exact tasks, units, roles and sections, with nothing left unplaced
unless the case is about what cannot be placed.
"""

from __future__ import annotations

import json
from datetime import date

from duban.doc import parse_source
from duban.doc.source import Para, Source, Table

HEAD = [
    "某市人民政府文件",
    "某政〔2024〕3号",
    "某市人民政府关于明确政府工作报告提出的2024年重点工作责任单位的通知",
    "各县（区）人民政府，市人民政府各部门：",
    "现将2024年重点工作任务予以分解，请于6月15日、9月15日报告进展情况。",
]
SIGN = ["某市人民政府", "2024年3月1日"]


def parse(lines, name="n.txt"):
    text = lines if isinstance(lines, str) else "\n".join(lines)
    return parse_source(Source.from_text(text, name=name))


def units(task):
    return [(u.name, u.role) for u in task.units]


def test_run_in_number_after_its_predecessor_is_the_next_task():
    lines = HEAD + ["一、重点任务"]
    lines += [f"{n}.推进第{n}项工作。（财政局负责）" for n in range(1, 79)]
    lines += ["79.6月底前完成城市体检。（住房和城乡建设局负责）", "80.持续推进老旧小区改造。（住房和城乡建设局负责）"]
    doc = parse(lines + SIGN)
    assert [t.number for t in doc.tasks] == [str(n) for n in range(1, 81)]
    assert doc.tasks[78].text == "6月底前完成城市体检。"
    assert units(doc.tasks[78]) == [("住房和城乡建设局", "responsible")]
    assert doc.unplaced == []


def test_a_decimal_at_a_line_start_stays_in_its_task():
    lines = HEAD + [
        "一、目标",
        "1.生产总值增长",
        "2.5%左右，居民收入同步增长。（发展改革委负责）",
        "2.财政收入增长。（财政局负责）",
    ]
    doc = parse(lines + SIGN)
    assert [t.number for t in doc.tasks] == ["1", "2"]
    assert doc.tasks[0].text == "生产总值增长2.5%左右，居民收入同步增长。"


def test_a_missing_number_is_a_warning_that_names_it():
    lines = HEAD + ["一、任务", "1.甲。（财政局负责）", "2.乙。（商务局负责）", "4.丁。（商务局负责）"]
    doc = parse(lines + SIGN)
    assert any("第2项" in w and "4" in w for w in doc.warnings)


def test_news_repost_preamble_is_set_aside():
    news = ["7月17日,河南济源市人民政府关于明确重点工作责任单位的通知。文件提出,要对照分工抓落实。", "原文如下:"]
    lines = news + HEAD + ["一、目标", "1.生产总值增长5%。（发展改革委牵头，财政局配合）"] + SIGN
    doc = parse(lines)
    assert doc.title == "某市人民政府关于明确政府工作报告提出的2024年重点工作责任单位的通知"
    assert doc.issuer == "某市人民政府"
    assert doc.doc_number == "某政〔2024〕3号"
    assert doc.date == date(2024, 3, 1)
    assert units(doc.tasks[0]) == [("发展改革委", "lead"), ("财政局", "support")]


def test_portal_chrome_fields_are_metadata():
    chrome = [
        "首页 > 政务公开 > 政府文件",
        "索 引 号 MB1534522/2024-00011 发文日期 2024-02-03",
        "发布机构 某县人民政府办公室 文    号 某政办〔2024〕9号",
        "分   类 政务公开 有 效 性 有效",
        "【打印】 【关闭】",
    ]
    lines = chrome + [
        "关于印发2024年重点工作任务分解方案的通知",
        "一、目标",
        "1.生产总值增长5%。",
        "责任单位：县发改局",
    ]
    doc = parse(lines)
    assert doc.doc_number == "某政办〔2024〕9号"
    assert doc.issuer == "某县人民政府办公室"
    assert doc.date == date(2024, 2, 3)
    assert units(doc.tasks[0]) == [("县发改局", "responsible")]
    assert doc.unplaced == []


def test_whole_document_on_one_line():
    line = (
        "某省人民政府 关于明确政府工作报告提出的2024年 重点工作责任单位的通知 某政〔2024〕5号 现将重点工作任务予以分解。"
        " 一、扩大需求 (一)促进消费。 1.恢复和扩大消费。(省商务厅、财政厅等相关部门按职责分工负责)"
        " 2.落实提振信心措施。(省发展改革委牵头,省商务厅、财政厅按职责分工负责)"
        " (二)扩大投资。 3.加快重大项目建设。(省发展改革委负责) 二、改革开放 4.深化国企改革。(省政府国资委负责)"
    )
    doc = parse([line])
    assert [t.number for t in doc.tasks] == ["1", "2", "3", "4"]
    assert doc.doc_number == "某政〔2024〕5号"
    assert doc.issuer == "某省人民政府"
    assert units(doc.tasks[0]) == [("省商务厅", "responsible"), ("省财政厅", "responsible")]
    assert units(doc.tasks[1]) == [("省发展改革委", "lead"), ("省商务厅", "support"), ("省财政厅", "support")]
    assert doc.tasks[2].section == ["一、扩大需求", "(二)扩大投资。"]
    assert doc.tasks[3].section == ["二、改革开放"]


TABLE = [
    ("1", "居民消费价格涨幅3%左右", "发展改革委", "财政部、商务部", "张三", "年底前"),
    ("2", "城镇新增就业1000万人以上", "人力资源社会保障部", "", "李四", "持续推进"),
    ("3", "安排地方专项债券4000亿元", "财政部", "发展改革委", "王五", "6月底前"),
]
HEADER = ["序号", "工作任务", "牵头单位", "责任单位", "分管领导", "完成时限"]


def _check_table(doc):
    assert [t.number for t in doc.tasks] == ["1", "2", "3"]
    assert units(doc.tasks[0]) == [("发展改革委", "lead"), ("财政部", "support"), ("商务部", "support")]
    assert units(doc.tasks[1]) == [("人力资源社会保障部", "lead")]
    assert doc.tasks[0].text == "居民消费价格涨幅3%左右"
    assert doc.tasks[0].leaders == ["张三"]
    assert [t.deadline for t in doc.tasks] == ["年底前", "持续推进", "6月底前"]
    assert all("张三" not in (u.name for u in t.units) for t in doc.tasks)
    assert doc.unplaced == []


def test_flattened_table_tabs():
    rows = ["\t".join(HEADER)] + ["\t".join(r) for r in TABLE]
    _check_table(parse(HEAD + rows))


def test_flattened_table_pipes():
    rows = ["| " + " | ".join(HEADER) + " |"] + ["| " + " | ".join(r) + " |" for r in TABLE]
    _check_table(parse(HEAD + rows))


def test_flattened_table_one_cell_per_line():
    rows = list(HEADER)
    for r in TABLE:
        rows += [c for c in r]
    # an empty cell is simply absent in this layout: the row is read from its number
    doc = parse(HEAD + [c for c in rows if c] + SIGN)
    assert [t.number for t in doc.tasks] == ["1", "2", "3"]
    assert units(doc.tasks[0]) == [("发展改革委", "lead"), ("财政部", "support"), ("商务部", "support")]


def test_flattened_table_spaces_with_spaced_header():
    rows = ["序号 工 作 任 务 牵头负责部门"] + [f"{n} {t} {u}" for n, t, u, *_ in TABLE]
    doc = parse(["国务院办公厅关于印发量化指标任务分工的通知", "国办函[2016]38号"] + rows)
    assert [t.number for t in doc.tasks] == ["1", "2", "3"]
    assert [units(t) for t in doc.tasks] == [
        [("发展改革委", "lead")],
        [("人力资源社会保障部", "lead")],
        [("财政部", "lead")],
    ]
    assert doc.tasks[2].text == "安排地方专项债券4000亿元"


def test_real_table_leader_column_is_the_leader():
    source = Source(blocks=[Para(x) for x in HEAD] + [Table([HEADER] + [list(r) for r in TABLE])], name="t.docx")
    _check_table(parse_source(source))


def test_clause_before_the_final_full_stop_and_every_bracket():
    forms = ["（财政局负责）", "(财政局负责)", "[财政局负责]", "【财政局负责】", "〔财政局负责〕"]
    for form in forms:
        doc = parse(HEAD + ["一、任务", f"1.加强预算管理{form}。", f"2.盘活存量资产。{form}"] + SIGN)
        assert [units(t) for t in doc.tasks] == [[("财政局", "responsible")]] * 2, form
        assert [t.text for t in doc.tasks] == ["加强预算管理", "盘活存量资产。"], form


def test_bare_units_and_first_listed_note_anywhere():
    lines = (
        HEAD[:3]
        + ["（列第一位的为牵头单位）"]
        + ["一、任务", "1.稳定增长。（市发改委、市财政局）", "2.扩大开放。（市商务局）"]
    )
    doc = parse(lines + SIGN)
    assert units(doc.tasks[0]) == [("市发改委", "lead"), ("市财政局", "support")]
    assert units(doc.tasks[1]) == [("市商务局", "lead")]
    inline = HEAD + [
        "一、任务",
        "1.稳定增长。",
        "责任单位：市发改委、市财政局（除标注为“牵头”单位外，列第一位者为牵头或汇总单位，下同）",
        "2.扩大开放。",
        "责任单位：市商务局、市外办",
    ]
    doc = parse(inline + SIGN)
    assert units(doc.tasks[0]) == [("市发改委", "lead"), ("市财政局", "support")]
    assert units(doc.tasks[1]) == [("市商务局", "lead"), ("市外办", "support")]


def test_bare_deng_closes_the_list():
    doc = parse(
        HEAD
        + [
            "一、任务",
            "1.做好疫情防控。（市卫生健康委、市疾控中心等负责）",
            "2.做好防护。",
            "责任单位：市疫情防控指挥部办公室、市卫生健康委等，各县（市、区）政府（管委会）",
        ]
        + SIGN
    )
    assert units(doc.tasks[0]) == [("市卫生健康委", "responsible"), ("市疾控中心", "responsible")]
    assert [u.name for u in doc.tasks[1].units] == [
        "市疫情防控指挥部办公室",
        "市卫生健康委",
        "各县（市、区）政府（管委会）",
    ]


def test_leader_lines_and_clause_labels():
    lines = HEAD + [
        "一、目标",
        "1.地区生产总值增长6%以上。",
        "分管省领导:林克庆",
        "部门分工:省发展改革委牵头,各地、各部门配合。",
        "2.社会消费品零售总额增长6%以上。",
        "主责单位：省商务厅",
        "参与单位：省财政厅、省统计局",
        "监测单位：省统计局",
        "3.城镇新增就业。",
        "牵头责任单位：省人力资源社会保障厅",
        "时间节点：12月底前",
    ]
    doc = parse(lines + SIGN)
    assert units(doc.tasks[0]) == [("省发展改革委", "lead"), ("各地", "support"), ("各部门", "support")]
    assert doc.tasks[0].leaders == ["林克庆"]
    assert doc.tasks[0].text == "地区生产总值增长6%以上。"
    assert units(doc.tasks[1])[:2] == [("省商务厅", "lead"), ("省财政厅", "support")]
    assert ("省统计局", "support") in units(doc.tasks[1]) or ("省统计局", "monitor") in units(doc.tasks[1])
    assert doc.tasks[1].text == "社会消费品零售总额增长6%以上。"
    assert units(doc.tasks[2]) == [("省人力资源社会保障厅", "lead")]
    assert doc.tasks[2].deadline == "12月底前"


def test_dash_subheadings_are_child_sections():
    lines = HEAD + [
        "一、扩大有效需求",
        "——在促消费上",
        "1.发放消费券。（商务局负责）",
        "2.办好展会。（商务局负责）",
        "——在扩投资上",
        "3.建设重大项目。（发展改革委负责）",
        "二、深化改革",
        "4.改革国企。（国资委负责）",
    ]
    doc = parse(lines + SIGN)
    assert [t.section for t in doc.tasks] == [["一、扩大有效需求", "——在促消费上"]] * 2 + [
        ["一、扩大有效需求", "——在扩投资上"],
        ["二、深化改革"],
    ]
    assert doc.unplaced == []


def test_chinese_numeral_signature_date_is_never_a_deadline():
    lines = HEAD[:4] + [
        "一、任务",
        "1.做好工作。（财政局负责）",
        "2.抓好落实。（商务局负责）",
        "某市人民政府",
        "二○○七年六月四日",
    ]
    doc = parse(lines)
    assert doc.date == date(2007, 6, 4)
    assert [t.deadline for t in doc.tasks] == [None, None]
    assert doc.tasks[-1].text == "抓好落实。"
    assert doc.unplaced == []


def test_duban_own_clause_reads_back():
    doc = parse(
        HEAD
        + [
            "一、任务",
            "1. 做好工作。（财政局负责；完成时限：6月底前）",
            "2. 抓好落实。（发展改革委牵头，财政局、商务局按职责分工负责；完成时限：年底前）",
        ]
        + SIGN
    )
    assert units(doc.tasks[0]) == [("财政局", "responsible")]
    assert doc.tasks[0].deadline == "6月底前"
    assert units(doc.tasks[1]) == [("发展改革委", "lead"), ("财政局", "support"), ("商务局", "support")]
    assert doc.tasks[1].deadline == "年底前"


def test_traditional_script_reads_and_reports_as_written():
    lines = [
        "2024年政府工作報告重點工作責任分解",
        "一、重點工作",
        "1.一般公共預算收入與經濟增長同步。",
        "責任單位:省財政廳、省發展改革委",
        "2.堅持政府過緊日子。",
        "責任單位:省政府辦公廳牽頭,省商務廳(除標註爲“牽頭”單位外,列第一位的爲牽頭或彙總單位,下同)",
    ]
    doc = parse(lines)
    assert units(doc.tasks[0]) == [("省財政廳", "lead"), ("省發展改革委", "support")]
    assert units(doc.tasks[1]) == [("省政府辦公廳", "lead"), ("省商務廳", "support")]
    assert doc.tasks[0].text == "一般公共預算收入與經濟增長同步。"
    assert doc.tasks[0].section == ["一、重點工作"]


def test_spaced_digits_and_words():
    lines = [
        "某市人民政府办公室 关于做好 20 21 年重点工作任务落实的通知",
        "    一 、 承担的 20 21 年 重点工作任务",
        "    1 . 严格管控地方政府债务。",
        "    责任单位:市 财政局",
        "    2 . 强化县城承载能力。",
        "    牵头单位:市 城镇化服务中心",
        "    责任单位: 市发展改革委、住建局, 各乡镇政府 、伏羲 山管委 会",
    ]
    doc = parse(lines)
    assert [t.number for t in doc.tasks] == ["1", "2"]
    assert doc.tasks[0].section == ["一、承担的2021年重点工作任务"]
    assert units(doc.tasks[1]) == [
        ("市城镇化服务中心", "lead"),
        ("市发展改革委", "support"),
        ("市住建局", "support"),
        ("各乡镇政府", "support"),
        ("伏羲山管委会", "support"),
    ]


def test_unplaced_lines_are_reported_in_json(tmp_path):
    lines = (
        HEAD
        + ["一、任务", "1.做好工作。（财政局负责）", "本网编辑：张三 扫码关注我们", "2.抓好落实。（商务局负责）"]
        + SIGN
    )
    doc = parse(lines)
    assert [t.text for t in doc.tasks] == ["做好工作。", "抓好落实。"]
    assert doc.unplaced == [{"line": 8, "text": "本网编辑：张三扫码关注我们"}]
    assert any("第8行" in w for w in doc.warnings)
    assert json.loads(json.dumps(doc.to_json()))["unplaced"] == [{"line": 8, "text": "本网编辑：张三扫码关注我们"}]


def test_more_tasks_after_the_last_is_a_warning():
    lines = HEAD + [
        "一、任务",
        "1.做好工作。（财政局负责）",
        "2.抓好落实。（商务局负责）",
        "某市人民政府",
        "2024年3月1日",
        "7.另一份通知的任务。",
    ]
    doc = parse(lines)
    assert len(doc.tasks) == 2
    assert any("7." in w for w in doc.warnings)
    assert [u["text"] for u in doc.unplaced] == ["7.另一份通知的任务。"]


def test_gap_warning_names_the_missing_numbers():
    lines = HEAD + ["一、任务", "1.甲。（财政局负责）", "2.乙。（商务局负责）", "5.戊。（商务局负责）"]
    doc = parse(lines + SIGN)
    assert [t.number for t in doc.tasks] == ["1", "2", "5"]
    assert "任务编号不连续：第2项之后是第5项，缺第3、4项" in doc.warnings


def test_a_swallowed_task_is_reported():
    # task 3 written on the same short line as task 2: read as one task, and said so
    lines = HEAD + ["一、任务", "1.甲。（财政局负责）", "2.乙。（商务局负责）3、丙。（财政局负责）"]
    doc = parse(lines + SIGN)
    assert any("第2项的文字中似乎还含有第3项" in w for w in doc.warnings)


def test_role_marked_in_brackets_after_a_name():
    doc = parse(
        HEAD
        + [
            "一、任务",
            "1.稳定增长。",
            "责任单位：市发改委（牵头）、市财政局、市商务局",
            "2.扩大开放。（市商务局（牵头）、市外办按职责分工负责）",
        ]
        + SIGN
    )
    assert units(doc.tasks[0]) == [("市发改委", "lead"), ("市财政局", "support"), ("市商务局", "support")]
    assert units(doc.tasks[1]) == [("市商务局", "lead"), ("市外办", "support")]
    table = Source(
        blocks=[Para(x) for x in HEAD]
        + [Table([["序号", "重点任务", "责任单位"], ["1", "稳定增长", "市发改委（牵头）、市财政局"]])]
    )
    assert units(parse_source(table).tasks[0]) == [("市发改委", "lead"), ("市财政局", "support")]


def test_points_numbered_yi_shi():
    doc = parse(
        HEAD
        + [
            "一、扩大需求",
            "一是发放消费券。（商务局负责）",
            "二是办好展会。（商务局、财政局按职责分工负责）",
            "二、深化改革",
            "一是改革国企。（国资委牵头，财政局配合）",
        ]
        + SIGN
    )
    assert [t.number for t in doc.tasks] == ["1", "2", "1"]
    assert [t.section for t in doc.tasks] == [["一、扩大需求"], ["一、扩大需求"], ["二、深化改革"]]
    assert units(doc.tasks[2]) == [("国资委", "lead"), ("财政局", "support")]


def test_more_leader_and_role_labels():
    doc = parse(
        HEAD
        + [
            "一、任务",
            "1.稳定增长。",
            "分管副市长：王五",
            "牵头单位：市发改委",
            "配合责任单位：市财政局",
            "2.扩大开放。（市商务局牵头，市外办协同配合）",
            "3.抓好落实。（市商务局、市外办按职责分工落实）",
        ]
        + SIGN
    )
    assert doc.tasks[0].leaders == ["王五"]
    assert units(doc.tasks[0]) == [("市发改委", "lead"), ("市财政局", "support")]
    assert units(doc.tasks[1]) == [("市商务局", "lead"), ("市外办", "support")]
    assert units(doc.tasks[2]) == [("市商务局", "responsible"), ("市外办", "responsible")]


def test_covering_letter_signature_date_is_not_a_report_due():
    lines = HEAD[:4] + [
        "一、各单位于2024年1月15日前将工作方案报区政府办公室。",
        "二、每季度末报送进展情况。",
        "某区人民政府办公室",
        "2024年1月3日",
        "2024年区《政府工作报告》确定的主要目标任务责任分解方案",
        "一、主要预期目标",
        "（一）地区生产总值增长7%以上",
        "责任单位：区发展和改革局",
    ]
    doc = parse(lines)
    assert doc.date == date(2024, 1, 3)
    assert [(s.what, s.due) for s in doc.schedule] == [("plan", date(2024, 1, 15)), ("progress", None)]
    assert [t.section for t in doc.tasks] == [["一、主要预期目标"]]
    assert units(doc.tasks[0]) == [("区发展和改革局", "responsible")]
