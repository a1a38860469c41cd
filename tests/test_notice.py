"""The notice parser on the real notices and on every form the corpus README lists."""

from __future__ import annotations

from datetime import date

from duban.doc import parse_source
from duban.doc.source import Source


def units(task):
    return [(u.name, u.role) for u in task.units]


def by_number(doc, n):
    return next(t for t in doc.tasks if t.number == str(n))


def parse_text(text: str):
    return parse_source(Source.from_text(text, name="test.txt"))


def parse_table(rows: list[list[str]], name: str):
    """A notice laid out as one table, as a .docx or .xlsx loader hands it over."""
    from duban.doc.source import Table

    return parse_source(Source(blocks=[Table(rows=rows)], name=name, format=name.rsplit(".", 1)[1]))


# ------------------------------------------------------------------ Jiyuan


def test_jiyuan_tasks_numbered_1_to_118_without_gaps(jiyuan):
    assert [t.number for t in jiyuan.tasks] == [str(n) for n in range(1, 119)]


def test_jiyuan_typo_resolved_with_a_warning_never_silently(jiyuan):
    assert jiyuan.warnings == [
        "第24项：单位名称“发展改革委和统计局”不在名录中，按“发展改革和统计局”处理",
        "第28项：单位名称“发展改革委和统计局”不在名录中，按“发展改革和统计局”处理",
    ]
    lead = by_number(jiyuan, 24).units[0]
    assert (lead.name, lead.written, lead.role) == ("发展改革和统计局", "发展改革委和统计局", "lead")


def test_directory_given_checks_names_against_it(tmp_path):
    from duban.doc.directory import UnitDirectory

    directory = UnitDirectory.from_yaml("government: 测试市\nunits:\n  - name: 财政局\n  - name: 发展改革和统计局\n")
    doc = parse_source(
        Source.from_text(
            "通知\n一、发展\n1. 甲。（发展改革委和统计局牵头，财政局、教育局按职责分工负责）\n", name="t.txt"
        ),
        directory=directory,
    )
    assert units(doc.tasks[0]) == [("发展改革和统计局", "lead"), ("财政局", "support"), ("教育局", "support")]
    assert doc.warnings == [
        "第1项：单位名称“发展改革委和统计局”不在名录中，按“发展改革和统计局”处理",
        "第1项：单位名称“教育局”不在名录中",
    ]


def test_jiyuan_ten_sections_and_the_targets_first(jiyuan):
    top = []
    for t in jiyuan.tasks:
        if t.section[0] not in top:
            top.append(t.section[0])
    assert len(top) == 10
    assert top[0] == "一、2026年主要预期目标"
    assert top[-1] == "十、聚焦保障改善民生，提高群众生活品质"
    targets = [t for t in jiyuan.tasks if t.section == ["一、2026年主要预期目标"]]
    assert [t.number for t in targets] == [str(n) for n in range(1, 11)]
    assert by_number(jiyuan, 11).section == ["二、聚焦推动高质量发展，稳住经济基本盘", "（一）深挖消费潜力"]


def test_jiyuan_metadata_and_schedule(jiyuan):
    assert jiyuan.doc_number == "济政〔2026〕1号"
    assert jiyuan.issuer == "济源市人民政府"
    assert jiyuan.date == date(2026, 3, 8)
    assert jiyuan.year == 2026
    assert jiyuan.title.endswith("关于明确政府工作报告提出的2026年重点工作责任单位的通知")
    assert [(s.what, s.due) for s in jiyuan.schedule] == [
        ("plan", date(2026, 3, 18)),
        ("progress", date(2026, 6, 15)),
        ("progress", date(2026, 9, 15)),
        ("annual", date(2026, 12, 15)),
    ]


def test_jiyuan_lead_and_supports_with_list_closer(jiyuan):
    assert units(by_number(jiyuan, 1)) == [
        ("发展改革和统计局", "lead"),
        ("农业农村局", "support"),
        ("工业信息和科技局", "support"),
        ("住房和城乡建设局", "support"),
        ("交通运输局", "support"),
        ("商务局", "support"),
    ]


def test_jiyuan_single_responsible_and_monitor(jiyuan):
    assert units(by_number(jiyuan, 2)) == [("财政局", "responsible")]
    assert units(by_number(jiyuan, 7)) == [("人力资源和社会保障局", "responsible"), ("国家统计局济源调查队", "monitor")]
    assert units(by_number(jiyuan, 8)) == [
        ("发展改革和统计局", "responsible"),
        ("农业农村局", "responsible"),
        ("国家统计局济源调查队", "monitor"),
    ]


def test_jiyuan_shared_responsibility_without_lead(jiyuan):
    assert units(by_number(jiyuan, 6)) == [("商务局", "responsible"), ("济源海关", "responsible")]


def test_jiyuan_each_distributes_over_collectives(jiyuan):
    task = by_number(jiyuan, 13)
    assert units(task) == [
        ("发展改革和统计局", "lead"),
        ("财政局", "lead"),
        ("各开发区管理办公室", "support"),
        ("各镇人民政府", "support"),
        ("各街道办事处", "support"),
        ("各区管国有企业", "support"),
    ]
    assert all(u.collective for u in task.units[2:])
    assert not any(u.collective for u in task.units[:2])


def test_jiyuan_named_company_and_collective(jiyuan):
    task = by_number(jiyuan, 79)
    assert units(task) == [("财政局", "lead"), ("河南愚公集团有限公司", "support"), ("区管国有企业", "support")]
    assert [u.collective for u in task.units] == [False, False, True]


def test_jiyuan_unit_with_inner_office_is_one_unit(jiyuan):
    task = by_number(jiyuan, 45)
    office = task.units[1]
    assert office.name == "市政府办公室（国防动员办公室）"
    assert office.alias == "国防动员办公室"
    assert len(task.units) == 3


def test_jiyuan_mixed_brackets_and_clause_on_its_own_line(jiyuan):
    # item 15 opens its clause with （ and closes it with ) across a page break
    t15 = by_number(jiyuan, 15)
    assert ("经济技术开发区管理办公室", "support") in units(t15)
    assert t15.text.endswith("竣工投产。")
    # item 107's clause stands on a line of its own
    t107 = by_number(jiyuan, 107)
    assert t107.text.endswith("新模式。")
    assert len(t107.units) == 5


def test_jiyuan_task_broken_across_lines_is_joined_without_spaces(jiyuan):
    t11 = by_number(jiyuan, 11)
    assert "房地产等领域促消费活动100场次以上" in t11.text
    assert [(i.value, i.unit, i.qualifier) for i in t11.indicators] == [(100, "场次", "以上")]


def test_jiyuan_last_task_does_not_swallow_the_signature(jiyuan):
    assert by_number(jiyuan, 118).text == "全面完成第四次全国文物普查。"


def test_jiyuan_double_role_word_typo_still_reads():
    doc = parse_text("一、目标\n1. 进出口总值增长3%。（商务局、济源海关按职责分工负责负责）\n")
    assert units(doc.tasks[0]) == [("商务局", "responsible"), ("济源海关", "responsible")]


# ------------------------------------------------------------------ Henan


def test_henan_148_tasks_and_34_subsections(henan):
    assert [t.number for t in henan.tasks] == [str(n) for n in range(1, 149)]
    assert henan.warnings == []
    subsections = []
    for t in henan.tasks:
        if t.section[1] not in subsections:
            subsections.append(t.section[1])
    assert len(subsections) == 34
    assert subsections[0] == "（一）突出重点事项攻坚。"
    assert subsections[-1] == "（三十四）提升社会治理水平。"
    assert len({t.section[0] for t in henan.tasks}) == 10


def test_henan_metadata_and_schedule(henan):
    assert henan.doc_number == "豫政〔2026〕4号"
    assert henan.issuer == "河南省人民政府"
    assert henan.date == date(2026, 2, 28)
    assert [(s.what, s.due) for s in henan.schedule] == [
        ("plan", date(2026, 3, 10)),
        ("progress", date(2026, 3, 31)),
        ("progress", date(2026, 6, 30)),
        ("progress", date(2026, 9, 30)),
        ("annual", date(2026, 12, 31)),
    ]


def test_henan_province_prefix_covers_departments_not_named_bodies(henan):
    names = [u.name for u in by_number(henan, 8).units]
    assert names[:3] == ["省发展改革委", "省教育厅", "省科技厅"]
    assert "省地方金融管理局" in names
    for own in ("人行河南省分行", "河南金融监管局", "郑商所", "豫信电科集团", "郑州市政府"):
        assert own in names
    names2 = [u.name for u in by_number(henan, 2).units]
    assert names2 == ["省发展改革委", "省司法厅", "省商务厅", "省市场监管局", "省行政审批政务信息管理局"]
    names10 = [u.name for u in by_number(henan, 10).units]
    assert "郑州海关" in names10 and "中国铁路郑州局集团" in names10


def test_henan_place_suffix_covers_each_bare_place(henan):
    names = [u.name for u in by_number(henan, 7).units]
    assert names[-4:] == ["郑州市政府", "洛阳市政府", "南阳市政府", "商丘市政府"]
    names5 = [(u.name, u.collective) for u in by_number(henan, 5).units]
    assert names5 == [
        ("省发展改革委", False),
        ("省商务厅", False),
        ("各省辖市政府", True),
        ("济源示范区管委会", False),
        ("航空港区管委会", False),
    ]


def test_henan_lead_responsible_alone(henan):
    assert units(by_number(henan, 1)) == [("省发展改革委", "lead")]


def test_henan_word_broken_across_lines(henan):
    names = [u.name for u in by_number(henan, 10).units]
    assert "中豫航空集团" in names
    assert "省财政厅" in names


# ------------------------------------------------------------------ other forms


def test_tasks_numbered_with_chinese_ordinals_and_labelled_clauses():
    text = """关于印发2026年重点工作任务分工方案的通知
各县（市、区）人民政府，市人民政府各部门：
现将任务分工印发给你们。请于每月25日前报送工作进展情况。
一、经济发展
（一）扩大有效投资，完成投资300亿元以上。（牵头单位：市发展改革委；配合单位：市财政局、市住房城乡建设局；完成时限：年底前完成）
（二）提升消费。（责任单位：市商务局）
二、民生保障
（三）城镇新增就业1.2万人。（牵头单位：市人力资源社会保障局；完成时限：持续推进）
"""
    doc = parse_text(text)
    assert [t.number for t in doc.tasks] == ["1", "2", "3"]
    assert units(doc.tasks[0]) == [("市发展改革委", "lead"), ("市财政局", "support"), ("市住房城乡建设局", "support")]
    assert doc.tasks[0].deadline == "年底前完成"
    assert units(doc.tasks[1]) == [("市商务局", "responsible")]
    assert doc.tasks[2].deadline == "持续推进"
    assert doc.tasks[2].section == ["二、民生保障"]
    assert [(s.what, s.due, s.rule) for s in doc.schedule] == [("progress", None, "每月25日前")]


def test_labelled_lines_after_the_task_with_first_listed_lead():
    text = """关于2026年重点工作责任分工的通知
各单位：
责任单位中列第一位的为牵头单位。每季度末报送进展。
一、产业发展
1、加快建设产业园区，新引进项目20个。
责任单位：县发展改革局、县财政局、县自然资源局
2、做好招商引资。
牵头单位：县商务局；责任单位：县工信局
"""
    doc = parse_text(text)
    assert doc.first_listed_leads
    assert units(doc.tasks[0]) == [("县发展改革局", "lead"), ("县财政局", "support"), ("县自然资源局", "support")]
    assert doc.tasks[0].text == "加快建设产业园区，新引进项目20个。"
    assert units(doc.tasks[1]) == [("县商务局", "lead"), ("县工信局", "support")]
    assert doc.schedule[0].rule == "每季度末"


def test_without_the_first_listed_note_the_list_is_all_responsible():
    text = "关于2026年重点工作责任分工的通知\n一、发展\n1、加快建设园区。\n责任单位：县发展改革局、县财政局\n"
    doc = parse_text(text)
    assert units(doc.tasks[0]) == [("县发展改革局", "responsible"), ("县财政局", "responsible")]


def test_a_line_starting_with_a_number_is_not_a_task():
    text = """关于分解任务的通知
一、目标
1. 城镇调查失业率控制在
5.5%以内。（人力资源和社会保障局负责）
2. 居民收入增长与经济增长同步，
3个重点项目开工。（发展改革和统计局负责）
3. 粮食产量4.8亿斤。（农业农村局负责）
"""
    doc = parse_text(text)
    assert [t.number for t in doc.tasks] == ["1", "2", "3"]
    assert doc.tasks[0].text == "城镇调查失业率控制在5.5%以内。"
    assert doc.tasks[1].text == "居民收入增长与经济增长同步，3个重点项目开工。"


def test_numbering_restarting_under_each_heading():
    text = """关于分解任务的通知
一、发展
（一）投资
1. 甲项目开工。（发展改革委负责）
2. 乙项目开工。（财政局负责）
（二）消费
1. 丙活动。（商务局负责）
二、民生
1. 丁工程。（民政局负责）
"""
    doc = parse_text(text)
    assert [(t.number, t.section) for t in doc.tasks] == [
        ("1", ["一、发展", "（一）投资"]),
        ("2", ["一、发展", "（一）投资"]),
        ("1", ["一、发展", "（二）消费"]),
        ("1", ["二、民生"]),
    ]


def test_a_malformed_task_is_kept_with_a_warning():
    text = """关于分解任务的通知
一、发展
1. 甲项目开工。（发展改革委负责）
2. 乙项目开工，责任单位漏写。
3. 丙活动。（商务局负责）
"""
    doc = parse_text(text)
    assert [t.number for t in doc.tasks] == ["1", "2", "3"]
    assert doc.tasks[1].units == []
    assert any("第2项" in w for w in doc.warnings)


def test_alias_in_half_width_brackets():
    doc = parse_text(
        "通知\n一、生态\n1. 植树造林。（自然资源和规划局(林业局)牵头，各镇人民政府按职责分工负责）\n2. 护林。（应急管理局负责）\n"
    )
    lead = doc.tasks[0].units[0]
    assert (lead.name, lead.alias, lead.role) == ("自然资源和规划局（林业局）", "林业局", "lead")
    assert doc.tasks[0].units[1].name == "各镇人民政府"


def test_news_preamble_and_photo_caption_are_dropped():
    text = """本报讯 近日，市政府印发通知，明确今年重点工作。
图为会议现场。（记者 张三 摄）
济源市人民政府文件
济政〔2026〕1号
济源市人民政府关于明确2026年重点工作责任单位的通知
各镇人民政府：
一、目标
1. 生产总值增长5.5%。（发展改革和统计局负责）
2. 粮食产量4.8亿斤。（农业农村局负责）
济源市人民政府
2026年3月8日
"""
    doc = parse_text(text)
    assert doc.issuer == "济源市人民政府"
    assert doc.doc_number == "济政〔2026〕1号"
    assert [t.text for t in doc.tasks] == ["生产总值增长5.5%。", "粮食产量4.8亿斤。"]
    assert doc.date == date(2026, 3, 8)


def test_table_layout_from_blocks():
    from duban.doc.source import Para, Table

    source = Source(
        blocks=[
            Para("关于印发2026年重点工作任务分解表的通知"),
            Para("各单位：请于3月20日前报送落实方案。"),
            Table(
                rows=[
                    ["序号", "重点工作任务", "牵头领导", "牵头单位", "责任单位", "完成时限"],
                    ["一、稳增长", "一、稳增长", "一、稳增长", "一、稳增长", "一、稳增长", "一、稳增长"],
                    ["1", "完成投资300亿元以上", "张副市长", "市发展改革委", "市财政局、市住建局", "12月底前"],
                    ["2", "社会消费品零售总额增长6%", "李副市长", "", "市商务局、市统计局", "年底前完成"],
                ]
            ),
        ],
        name="table.docx",
        format="docx",
    )
    doc = parse_source(source)
    assert [t.number for t in doc.tasks] == ["1", "2"]
    assert doc.tasks[0].section == ["一、稳增长"]
    assert units(doc.tasks[0]) == [("市发展改革委", "lead"), ("市财政局", "support"), ("市住建局", "support")]
    assert doc.tasks[0].leaders == ["张副市长"]
    assert doc.tasks[0].deadline == "12月底前"
    assert units(doc.tasks[1]) == [("市商务局", "responsible"), ("市统计局", "responsible")]
    assert [(s.what, s.due) for s in doc.schedule] == [("plan", date(2026, 3, 20))]


def test_table_section_rows_numbered_in_the_number_column():
    doc = parse_table(
        [
            ["工作任务分解表", "", "", ""],
            ["序号", "工作任务", "责任单位", "配合单位"],
            ["一", "稳增长", "", ""],
            ["1", "完成投资300亿元以上", "县发展改革局", "县财政局"],
            ["二", "保民生", "", ""],
            ["2", "新增就业1000人", "县人社局", ""],
        ],
        "t.xlsx",
    )
    assert [(t.number, t.section) for t in doc.tasks] == [("1", ["一、稳增长"]), ("2", ["二、保民生"])]
    assert units(doc.tasks[0]) == [("县发展改革局", "responsible"), ("县财政局", "support")]


def test_city_prefix_and_vague_collectives():
    doc = parse_text(
        "通知\n一、发展\n1. 甲。（市发展改革委牵头，财政局、市场监管局、市直有关部门配合）\n2. 乙。（市政府办公室负责）\n"
    )
    assert [(u.name, u.role, u.collective) for u in doc.tasks[0].units] == [
        ("市发展改革委", "lead", False),
        ("市财政局", "support", False),
        ("市市场监管局", "support", False),
        ("市直有关部门", "support", True),
    ]
    assert units(doc.tasks[1]) == [("市政府办公室", "responsible")]


def test_table_with_a_category_column_and_no_number_column():
    doc = parse_table(
        [
            ["类别", "工作任务", "牵头单位", "配合单位", "完成时限"],
            ["稳增长", "完成投资300亿元以上", "县发展改革局", "县财政局", "12月底前"],
            ["稳增长", "社会消费品零售总额增长6%", "县商务局", "", "年底前"],
            ["保民生", "新增就业1000人", "县人社局", "", "持续推进"],
        ],
        "t.xlsx",
    )
    assert [(t.number, t.section) for t in doc.tasks] == [("1", ["稳增长"]), ("2", ["稳增长"]), ("3", ["保民生"])]
    assert units(doc.tasks[0]) == [("县发展改革局", "lead"), ("县财政局", "support")]
    assert doc.tasks[2].deadline == "持续推进"


COUNTY_NOTICE = """XX县人民政府办公室文件
X政办〔2026〕3号
XX县人民政府办公室
关于印发2026年县政府工作报告重点工作任务分解方案的通知
各乡镇人民政府，县政府各部门：
　　现将方案印发给你们，请于2026年3月15日前将落实方案报县政府督查室，每季度末5日前报送进展情况。
一、经济发展
（一）全年完成固定资产投资增长8%以上，其中工业投资增长10%。（县发改委牵头，县工信局、县财政局配合，6月底前完成）
（二）推进重点项目建设：
（1）新开工项目30个；
（2）竣工项目20个。
（县发改委牵头，各乡镇人民政府按职责分工负责）
二、民生保障
（三）城镇新增就业2000人。（县人社局负责，年底前完成）
（四）实施老旧小区改造10个。（县住建局牵头，城关镇、城南镇人民政府配合）
XX县人民政府办公室
2026年3月1日
（此件公开发布）
"""


def test_county_notice_with_chinese_ordinal_tasks_sub_items_and_deadlines_in_clauses():
    doc = parse_text(COUNTY_NOTICE)
    assert doc.title == "关于印发2026年县政府工作报告重点工作任务分解方案的通知"
    assert doc.issuer == "XX县人民政府办公室"
    assert doc.date == date(2026, 3, 1)
    assert [(s.what, s.due, s.rule) for s in doc.schedule] == [
        ("plan", date(2026, 3, 15), "2026年3月15日前"),
        ("progress", None, "每季度末5日前"),
    ]
    assert [t.number for t in doc.tasks] == ["1", "2", "3", "4"]
    t1, t2, t3, t4 = doc.tasks
    assert units(t1) == [("县发改委", "lead"), ("县工信局", "support"), ("县财政局", "support")]
    assert t1.deadline == "6月底前完成"
    assert t2.text == "推进重点项目建设：（1）新开工项目30个；（2）竣工项目20个。"
    assert units(t2) == [("县发改委", "lead"), ("各乡镇人民政府", "support")]
    assert (units(t3), t3.deadline) == ([("县人社局", "responsible")], "年底前完成")
    assert units(t4) == [("县住建局", "lead"), ("城关镇人民政府", "support"), ("城南镇人民政府", "support")]
    assert t4.section == ["二、民生保障"]
    assert doc.warnings == []


def test_bare_unit_lists_with_the_first_listed_lead_convention():
    text = """关于分解2026年重点工作任务的通知
各单位：
各项任务中列第一位的为牵头单位，其他为配合单位。
一、发展
1. 完成投资300亿元以上。（市发改委、市财政局、市住建局）
2. 建设大运河国家文化公园（河南段）。（市文广旅局）
3. 推动产业集聚区提质（含高新区、经开区）。（市工信局、各县（市、区）人民政府）
"""
    doc = parse_text(text)
    assert units(doc.tasks[0]) == [("市发改委", "lead"), ("市财政局", "support"), ("市住建局", "support")]
    assert doc.tasks[1].text == "建设大运河国家文化公园（河南段）。"
    assert units(doc.tasks[1]) == [("市文广旅局", "lead")]
    assert doc.tasks[2].text == "推动产业集聚区提质（含高新区、经开区）。"
    assert units(doc.tasks[2]) == [("市工信局", "lead"), ("各县（市、区）人民政府", "support")]


def test_table_with_a_two_row_header():
    doc = parse_table(
        [
            ["序号", "重点工作任务", "责任单位", "责任单位", "完成时限"],
            ["", "", "牵头单位", "配合单位", ""],
            ["1", "完成投资300亿元以上", "市发展改革委", "市财政局、市住建局", "12月底前"],
            ["2", "新增就业1万人", "", "市人社局", "年底前"],
        ],
        "t.docx",
    )
    assert units(doc.tasks[0]) == [("市发展改革委", "lead"), ("市财政局", "support"), ("市住建局", "support")]
    assert units(doc.tasks[1]) == [("市人社局", "support")]


def test_henan_bodies_the_province_prefix_must_not_or_must_reach(henan):
    names = {u.name for t in henan.tasks for u in t.units}
    # 工业和信息化部 is a ministry of the state, not a provincial department
    assert "工业和信息化部" in names and "省工业和信息化部" not in names
    # 科学院 after 省… is the province's academy; 电力公司 is written 省电力公司 elsewhere
    assert "省科学院" in names and "科学院" not in names
    assert "省电力公司" in names and "电力公司" not in names


def test_jiyuan_related_distributes_like_each(jiyuan):
    assert [(u.name, u.collective) for u in by_number(jiyuan, 35).units][1:] == [
        ("各相关镇人民政府", True),
        ("各相关街道办事处", True),
    ]
    assert [u.name for u in by_number(jiyuan, 52).units][1:] == ["相关镇人民政府", "相关街道办事处", "相关开发区"]
