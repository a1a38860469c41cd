"""Hand-made notices in forms the issue names, on which an earlier parser failed.

- task texts that begin with digits (``4.10%以上…``, ``5.6月底前…``, ``8.2022年底前…``):
  the expected next number wins over reading ``4.10`` as a decimal;
- a whole page on one line with ``[…牵头，…配合]`` clauses and ``2.6月底前…``;
- a traditional-script notice whose inline ``責任單位：`` clause is followed by an
  em-dash sub-heading on the next line;
- signature dates in Chinese numerals and in figures after the last task, and an
  issuer named only in the signature.
"""

from __future__ import annotations

from datetime import date

from duban.doc import parse_source
from duban.doc.source import Source


def parse(text: str, name: str = "probe.txt"):
    return parse_source(Source.from_text(text, name=name))


def units(task):
    return [(u.name, u.role) for u in task.units]


OPENINGS = ["12月底前实现", "3个以上", "2022年底前建成", "10%以上增长", "6月底前完成"]
PAIRS = [
    ("市财政局", "市工业和信息化局"),
    ("市教育局", "市民政局"),
    ("市科技局", "市交通运输局"),
    ("市工业和信息化局", "市发展改革委"),
    ("市民政局", "市财政局"),
    ("市交通运输局", "市教育局"),
    ("市发展改革委", "市科技局"),
]


def _hundred_tasks() -> str:
    lines = ["关于印发2021年政府工作报告重点工作责任分工的通知", "各区人民政府，市政府各部门：", "一、经济发展"]
    for n in range(1, 101):
        if n == 51:
            lines.append("二、社会民生")
        lead, support = PAIRS[(n - 1) % len(PAIRS)]
        lines.append(f"{n}.{OPENINGS[(n - 1) % 5]}第{n}项重点工作任务的推进落实。（{lead}牵头，{support}配合）")
    lines += ["", "某市人民政府办公室", "二○二一年三月四日"]
    return "\n".join(lines)


def test_hundred_tasks_whose_texts_begin_with_digits():
    doc = parse(_hundred_tasks())
    assert doc.unplaced == []
    assert doc.warnings == []
    assert [t.number for t in doc.tasks] == [str(n) for n in range(1, 101)]
    for n, task in enumerate(doc.tasks, start=1):
        assert task.text == f"{OPENINGS[(n - 1) % 5]}第{n}项重点工作任务的推进落实。"
        lead, support = PAIRS[(n - 1) % len(PAIRS)]
        assert units(task) == [(lead, "lead"), (support, "support")]
        assert task.section == ["一、经济发展" if n <= 50 else "二、社会民生"]
    assert doc.tasks[3].text.startswith("10%以上增长")
    assert doc.tasks[4].text.startswith("6月底前完成")
    assert doc.tasks[7].text.startswith("2022年底前建成")
    assert doc.issuer == "某市人民政府办公室"
    assert doc.date == date(2021, 3, 4)
    assert doc.year == 2021


ONE_LINE = (
    "某某县人民政府关于印发2024年政府工作报告重点任务分工的通知 某政〔2024〕3号 各乡镇人民政府，县政府各部门： "
    "现将2024年县政府工作报告确定的重点任务分工如下，请认真抓好落实。每季度末报送进展情况。 一、稳增长 "
    "1.地区生产总值增长6.5%。[县发改局牵头，县统计局配合] 2.6月底前完成县城污水处理厂提标改造。[县住建局负责] "
    "3.新增市场主体3000户。[县市场监管局负责] 二、惠民生 "
    "4.新建幼儿园5所。[县教育局牵头，县财政局、县自然资源局配合] 5.12月底前实现行政村5G网络全覆盖。[县工信局负责] "
    "某某县人民政府 2024年2月20日"
)


def test_one_line_page_with_square_bracket_clauses():
    doc = parse(ONE_LINE)
    assert doc.unplaced == []
    assert doc.warnings == []
    assert [t.number for t in doc.tasks] == ["1", "2", "3", "4", "5"]
    assert [t.text for t in doc.tasks] == [
        "地区生产总值增长6.5%。",
        "6月底前完成县城污水处理厂提标改造。",
        "新增市场主体3000户。",
        "新建幼儿园5所。",
        "12月底前实现行政村5G网络全覆盖。",
    ]
    assert units(doc.tasks[0]) == [("县发改局", "lead"), ("县统计局", "support")]
    assert units(doc.tasks[1]) == [("县住建局", "responsible")]
    assert units(doc.tasks[3]) == [("县教育局", "lead"), ("县财政局", "support"), ("县自然资源局", "support")]
    assert units(doc.tasks[4]) == [("县工信局", "responsible")]
    assert [t.section for t in doc.tasks] == [["一、稳增长"]] * 3 + [["二、惠民生"]] * 2
    assert doc.issuer == "某某县人民政府"
    assert doc.doc_number == "某政〔2024〕3号"
    assert doc.date == date(2024, 2, 20)


TRADITIONAL = """臺北示範縣人民政府關於分解落實2023年政府工作報告重點任務的通知
各鄉鎮人民政府，縣政府各部門：
除標註為“牽頭”單位外，列第一位的為牽頭或彙總單位，下同。
一、主要目標
1.地區生產總值增長6%。責任單位：縣發展改革局、縣統計局
2.城鎮調查失業率控制在5.5%以內。責任單位：縣人力社保局
二、重點任務
——在擴大有效投資上
3.實施重點項目120個，完成投資300億元。責任單位：縣發展改革局、縣財政局、縣自然資源局
——在保障改善民生上
4.新增城鎮就業8000人。責任單位：縣人力社保局
"""


def test_inline_labelled_clause_ends_before_an_em_dash_sub_heading():
    doc = parse(TRADITIONAL)
    assert doc.unplaced == []
    assert [t.number for t in doc.tasks] == ["1", "2", "3", "4"]
    assert units(doc.tasks[2]) == [("縣發展改革局", "lead"), ("縣財政局", "support"), ("縣自然資源局", "support")]
    assert [t.section for t in doc.tasks] == [
        ["一、主要目標"],
        ["一、主要目標"],
        ["二、重點任務", "——在擴大有效投資上"],
        ["二、重點任務", "——在保障改善民生上"],
    ]
    assert units(doc.tasks[3]) == [("縣人力社保局", "lead")]
    assert doc.first_listed_leads


def test_labelled_lines_then_em_dash_sub_heading():
    text = "\n".join(
        [
            "某市人民政府关于明确2024年重点工作责任单位的通知",
            "一、重点任务",
            "——在扩大有效投资上",
            "1.实施重点项目120个。",
            "牵头单位：市发展改革委",
            "责任单位：市财政局、",
            "市自然资源局",
            "——在保障改善民生上",
            "2.10%以上增长城乡居民收入。",
            "牵头单位：市人力社保局",
            "某市人民政府",
            "2024年3月1日",
        ]
    )
    doc = parse(text)
    assert doc.unplaced == []
    assert [t.number for t in doc.tasks] == ["1", "2"]
    assert units(doc.tasks[0]) == [("市发展改革委", "lead"), ("市财政局", "support"), ("市自然资源局", "support")]
    assert doc.tasks[1].text == "10%以上增长城乡居民收入。"
    assert doc.tasks[1].section == ["一、重点任务", "——在保障改善民生上"]
    assert doc.date == date(2024, 3, 1)


def test_a_decimal_continuing_an_open_task_is_still_a_decimal():
    """The rule's other side: ``2.5%…`` after a line that did not close its task."""
    text = "\n".join(
        [
            "某市人民政府关于明确2024年重点工作责任单位的通知",
            "一、目标",
            "1.城镇调查失业率控制在",
            "2.5%以内。（市人力社保局负责）",
            "2.财政收入增长。（市财政局负责）",
        ]
    )
    doc = parse(text)
    assert [t.number for t in doc.tasks] == ["1", "2"]
    assert doc.tasks[0].text == "城镇调查失业率控制在2.5%以内。"


def test_half_bracket_numbers_restarting_under_each_heading_with_role_marks():
    """``1）`` tasks, numbered again from 1 under each heading, each followed by a 责任单位 line
    whose lead is marked ``（牵头）`` after its name — and units set apart by full-width spaces."""
    doc = parse(
        "\n".join(
            [
                "云溪市人民政府办公室",
                "关于印发2026年市政府工作报告重点工作任务分解方案的通知",
                "云政办〔2026〕5号",
                "各县（市、区）人民政府，市政府各部门：",
                "现将分解方案印发给你们，请认真贯彻落实。",
                "一、扩大有效需求",
                "1）实施城市更新行动，改造老旧小区120个。",
                "责任单位：市住房城乡建设局（牵头）、市财政局、各县（市、区）政府",
                "2）办好第五届云溪消费节。",
                "责任单位：市商务局（牵头）　市文化广电和旅游局",
                "二、发展新质生产力",
                "1）新增国家高新技术企业80家。",
                "牵头单位：市科技局　配合单位：市工业和信息化局　市财政局",
                "云溪市人民政府办公室",
                "2026年2月20日",
            ]
        )
    )
    assert doc.unplaced == []
    assert [(t.number, t.section, t.text) for t in doc.tasks] == [
        ("1", ["一、扩大有效需求"], "实施城市更新行动，改造老旧小区120个。"),
        ("2", ["一、扩大有效需求"], "办好第五届云溪消费节。"),
        ("1", ["二、发展新质生产力"], "新增国家高新技术企业80家。"),
    ]
    assert [units(t) for t in doc.tasks] == [
        [("市住房城乡建设局", "lead"), ("市财政局", "support"), ("各县（市、区）政府", "support")],
        [("市商务局", "lead"), ("市文化广电和旅游局", "support")],
        [("市科技局", "lead"), ("市工业和信息化局", "support"), ("市财政局", "support")],
    ]


def test_one_section_numbers_its_tasks_1_2_and_another_with_circled_numbers():
    """1. 2. under （一）, ① ② under （二）, each task naming its units: all four are tasks,
    and a clause on a line of its own still closes the task above it."""
    doc = parse(
        "\n".join(
            [
                "云溪县人民政府",
                "关于2026年县政府工作报告重点工作任务分工的通知",
                "云政〔2026〕2号",
                "各乡镇人民政府，县直各单位：",
                "（一）稳住经济增长",
                "1.全年地区生产总值增长6%。",
                "（县发展改革委牵头，县统计局、县财政局配合）",
                "2.一般公共预算收入增长5%。",
                "（县财政局负责）",
                "（二）抓好项目建设",
                "①实施重点项目60个，完成投资120亿元。（县发展改革委牵头，各乡镇人民政府配合）",
                "②新建改建农村公路100公里。（县交通运输局负责）",
                "云溪县人民政府",
                "2026年2月1日",
            ]
        )
    )
    assert doc.unplaced == []
    assert [(t.number, t.section[-1], units(t)) for t in doc.tasks] == [
        ("1", "（一）稳住经济增长", [("县发展改革委", "lead"), ("县统计局", "support"), ("县财政局", "support")]),
        ("2", "（一）稳住经济增长", [("县财政局", "responsible")]),
        ("1", "（二）抓好项目建设", [("县发展改革委", "lead"), ("各乡镇人民政府", "support")]),
        ("2", "（二）抓好项目建设", [("县交通运输局", "responsible")]),
    ]


def test_a_paragraph_under_a_heading_is_reported_not_swallowed_by_it():
    """A heading is a line or two; a paragraph after it is not heading text, and is reported."""
    paragraph = "今年是实施“十五五”规划的开局之年，各单位要坚持稳中求进工作总基调，把各项任务抓紧抓实抓出成效，确保完成全年目标。"
    doc = parse(
        "\n".join(
            [
                "关于分解重点工作任务的通知",
                "一、稳增长",
                paragraph,
                "1.生产总值增长6%。（发展改革委负责）",
                "2.一般公共预算收入增长5%。（财政局负责）",
            ]
        )
    )
    assert [t.number for t in doc.tasks] == ["1", "2"] and doc.tasks[0].section == ["一、稳增长"]
    assert [u["text"] for u in doc.unplaced] == [paragraph]
    assert any("不属于任何任务" in w for w in doc.warnings)
