"""Figures read from task and target text, held to exact values from the corpus."""

from __future__ import annotations

import re

import pytest

from duban.doc.indicators import find_indicators
from duban.doc.model import Indicator
from tests.conftest import corpus_file


def corpus_text(name: str) -> str:
    return corpus_file(name).read_text(encoding="utf-8")


def rows(text: str) -> list[tuple]:
    return [(i.name, i.value, i.unit, i.qualifier, i.kind) for i in find_indicators(text)]


# Task sentences as the notices write them (济源 = notice-jiyuan-2026, 河南 = notice-henan-2026).
NOTICE_CASES = [
    # 济源 1–9: the main targets.
    ("生产总值增长 5.5%。", [("生产总值", 5.5, "%", None, "growth")]),
    ("一般公共预算收入增长 3.5%。", [("一般公共预算收入", 3.5, "%", None, "growth")]),
    ("规模以上工业增加值增长 7%。", [("规模以上工业增加值", 7, "%", None, "growth")]),
    ("进出口总值增长 3%。", [("进出口总值", 3, "%", None, "growth")]),
    ("城镇调查失业率控制在 5.5%。", [("城镇调查失业率", 5.5, "%", "控制在", "share")]),
    ("居民收入增长 5.5%。", [("居民收入", 5.5, "%", None, "growth")]),
    ("粮食产量 4.8 亿斤。", [("粮食产量", 4.8, "亿斤", None, "level")]),
    ("单位生产总值碳排放与“十五五”考核目标统筹衔接。", []),
    # 济源 11–24.
    (
        "深入实施提振消费专项行动，开展家电、汽车、房地产等领域促消费活动 100 场次以上。",
        [("促消费活动", 100, "场次", "以上", "count")],
    ),
    (
        "培育数字消费、绿色消费等新增长点，力争社会消费品零售总额突破 170 亿元。",
        [("社会消费品零售总额", 170, "亿元", "突破", "level")],
    ),
    ("抢抓政策机遇，力争政策类项目投资增长 20%以上。", [("政策类项目投资", 20, "%", "以上", "growth")]),
    (
        "做实项目谋划、储备、建设，滚动实施重点项目 200 个以上，完成投资 300 亿元以上。",
        [("重点项目", 200, "个", "以上", "count"), ("投资", 300, "亿元", "以上", "level")],
    ),
    (
        "推动高铁等基础设施项目全面开工，富联科技 F 区、金利 15 万吨高纯锌等产业项目竣工投产。",
        [],  # 15 万吨 sizes a project; it is no target
    ),
    ("深化产融对接，力争新增贷款增长 10%以上。", [("新增贷款", 10, "%", "以上", "growth")]),
    (
        "强化产销对接，组织“融链固链”“地产互采”等对接活动 5 场以上。",
        [("对接活动", 5, "场", "以上", "count")],
    ),
    (
        "推动产学研对接，转化科技成果 10 项以上，技术合同成交额增长 10%以上。",
        [("科技成果", 10, "项", "以上", "count"), ("技术合同成交额", 10, "%", "以上", "growth")],
    ),
    (
        "做实要素对接，强化产教融合，培育技能人才 8000 人以上，动态储备标准地 2000 亩以上。",
        [("技能人才", 8000, "人", "以上", "count"), ("标准地", 2000, "亩", "以上", "level")],
    ),
    ("开展招商对接，组团参加重大经贸活动 10 场次以上。", [("重大经贸活动", 10, "场次", "以上", "count")]),
    ("组织实施市级以上科技计划项目 40 项以上。", [("市级以上科技计划项目", 40, "项", "以上", "count")]),
    (
        "打造 3 个省级“两业”融合标杆企业和重点区域。",
        [("省级“两业”融合标杆企业", 3, "个", None, "count")],
    ),
    # 济源 later tasks.
    ("加快企业数字化转型，企业数字化转型新增 30 家以上。", [("企业数字化转型", 30, "家", "以上", "count")]),
    ("落地实施亿元以上项目 40 个。", [("亿元以上项目", 40, "个", None, "count")]),
    ("盘活利用标准化厂房 10 万平方米以上。", [("标准化厂房", 10, "万平方米", "以上", "level")]),
    (
        "改造北潘商住楼、水保所家属院等 4 个老旧小区，新改建东三环、荆浩路等 4 条道路，"
        "打通文博路南延等 9 条“断头路”，完成交通渠化改造 10 处以上。",
        [
            ("老旧小区", 4, "个", None, "count"),
            ("道路", 4, "条", None, "count"),
            ("断头路", 9, "条", None, "count"),
            ("交通渠化改造", 10, "处", "以上", "count"),
        ],
    ),
    ("开展文化惠民演出150场以上。", [("文化惠民演出", 150, "场", "以上", "count")]),
    (
        "打造6条精品旅游线路，创建2个以上省级旅游度假区。",
        [
            ("精品旅游线路", 6, "条", None, "count"),
            ("省级旅游度假区", 2, "个", "以上", "count"),
        ],
    ),
    (
        "办好第20届王屋山旅游节、第2届全国大圣文化艺术周，力争接待游客突破 1800 万人次、旅游综合收入超 100 亿元。",
        [("接待游客", 1800, "万人次", "突破", "count"), ("旅游综合收入", 100, "亿元", "超过", "level")],
    ),
    ("严守耕地红线，建成高标准农田 1.7 万亩。", [("高标准农田", 1.7, "万亩", None, "level")]),
    ("确保蔬菜制种面积稳定在 7.5 万亩以上。", [("蔬菜制种面积", 7.5, "万亩", "以上", "level")]),
    (
        "新认定省市知名品牌 2 个、绿色食品 2 个、名特优新产品 1 个。",
        [
            ("省市知名品牌", 2, "个", None, "count"),
            ("绿色食品", 2, "个", None, "count"),
            ("名特优新产品", 1, "个", None, "count"),
        ],
    ),
    ("新改建农村公路 100 公里。", [("农村公路", 100, "公里", None, "level")]),
    ("推广产业带动模式，力争“百万村财”村达到 100 个。", [("“百万村财”村", 100, "个", "达到", "count")]),
    (
        "培育新型农业经营主体 10 家、职业化“新农人” 200 名以上。",
        [("新型农业经营主体", 10, "家", None, "count"), ("职业化“新农人”", 200, "名", "以上", "count")],
    ),
    ("深化国企改革，净利润增长 20%以上。", [("净利润", 20, "%", "以上", "growth")]),
    (
        "实现申请材料免提交率 60%以上、高频事项办理时限压缩 70%以上。",
        [("申请材料免提交率", 60, "%", "以上", "share"), ("高频事项办理时限", 70, "%", "下降以上", "growth")],
    ),
    (
        "开工外来投资项目 50 个以上、完成投资 50 亿元以上，制造业占比不低于 50%。",
        [
            ("外来投资项目", 50, "个", "以上", "count"),
            ("投资", 50, "亿元", "以上", "level"),
            ("制造业占比", 50, "%", "不低于", "share"),
        ],
    ),
    (
        "完成营造林3.36万亩、湿地保护修复100亩。",
        [
            ("营造林", 3.36, "万亩", None, "level"),
            ("湿地保护修复", 100, "亩", None, "level"),
        ],
    ),
    (
        "实施减排项目20个以上、污染物减排2000吨以上，推动30家企业升A晋B，新增纯电新能源货车500辆，建设重卡换电站9座。",
        [
            ("减排项目", 20, "个", "以上", "count"),
            ("污染物减排", 2000, "吨", "以上", "level"),
            ("企业升A晋B", 30, "家", None, "count"),
            ("新增纯电新能源货车", 500, "辆", None, "count"),
            ("重卡换电站", 9, "座", None, "count"),
        ],
    ),
    ("启动500千伏受电断面加强工程。", []),
    ("改造提升12345等数智城市治理平台。", []),
    (
        "城镇新增就业1.2万人，发放创业担保贷款1亿元以上。",
        [("城镇新增就业", 1.2, "万人", None, "count"), ("创业担保贷款", 1, "亿元", "以上", "level")],
    ),
    ("适龄残疾儿童少年入学率 99%以上。", [("适龄残疾儿童少年入学率", 99, "%", "以上", "share")]),
    ("医保参保率稳定在 95%以上。", [("医保参保率", 95, "%", "以上", "share")]),
    ("认真组织第四次全国农业普查。", []),
    # 河南.
    (
        "实施 1000 个以上省重点项目，年度完成投资 1 万亿元。",
        [
            ("省重点项目", 1000, "个", "以上", "count"),
            ("年度完成投资", 1, "万亿元", None, "level"),
        ],
    ),
    (
        "加快中国邮政国际航空枢纽、洛阳等10个国家物流枢纽建设。",
        [("国家物流枢纽", 10, "个", None, "count")],
    ),
    (
        "国家高新技术企业达到1.5万家、科技型中小企业达到3.2万家。",
        [("国家高新技术企业", 1.5, "万家", "达到", "count"), ("科技型中小企业", 3.2, "万家", "达到", "count")],
    ),
    (
        "推进5G—A超宽带网络重要场景深度覆盖，建设10个省级数据产业园，新建200个智能车间、智能工厂，数字经济规模达到2.5万亿元。",
        [
            ("省级数据产业园", 10, "个", None, "count"),
            ("智能车间", 200, "个", None, "count"),
            ("数字经济规模", 2.5, "万亿元", "达到", "level"),
        ],
    ),
    ("力争技术合同成交额3000亿元。", [("技术合同成交额", 3000, "亿元", "力争", "level")]),
    (
        "推进 66 个粮食产能提升重点县和豫东平原 200 万亩整区域工程化建设高标准农田项目，新建改造高标准农田 400 万亩以上。",
        [("粮食产能提升重点县", 66, "个", None, "count"), ("高标准农田", 400, "万亩", "以上", "level")],
    ),
    (
        "新、改建农村公路 5000 公里、村级寄递物流综合服务点 3 万个以上。",
        [("农村公路", 5000, "公里", None, "level"), ("村级寄递物流综合服务点", 3, "万个", "以上", "count")],
    ),
    ("关停淘汰10万千瓦及以下燃煤机组。", []),
    ("可再生能源发电装机突破 1 亿千瓦。", [("可再生能源发电装机", 1, "亿千瓦", "突破", "level")]),
    (
        "新增农村劳动力转移就业 40 万人，完成职业技能培训 200 万人次。",
        [("新增农村劳动力转移就业", 40, "万人", None, "count"), ("职业技能培训", 200, "万人次", None, "count")],
    ),
    ("省属公办普通高校生均经费增加 1000 元。", [("省属公办普通高校生均经费", 1000, "元", None, "growth")]),
    (
        "推动 60%以上的县级特困供养机构三级达标。",
        [("县级特困供养机构三级达标", 60, "%", "以上", "share")],
    ),
]

# Reports (延 = report-yanshi-2026, 平 = report-pingdingshan-2026).
REPORT_CASES = [
    (
        "PM2.5浓度下降26%,空气质量综合指数改善20.8%,重污染天数下降71.4%",
        [
            ("PM2.5浓度", 26, "%", "下降", "growth"),
            ("空气质量综合指数", 20.8, "%", None, "growth"),
            ("重污染天数", 71.4, "%", "下降", "growth"),
        ],
    ),
    ("信访事项总量同比下降 22%", [("信访事项总量", 22, "%", "下降", "growth")]),
    ("地区生产总值年均增速保持在 5.5% 左右", [("地区生产总值年均增速", 5.5, "%", "左右", "growth")]),
    (
        "制造业增加值占地区生产总值比重稳定在 45% 左右",
        [
            ("制造业增加值占地区生产总值比重", 45, "%", "左右", "share"),
        ],
    ),
    ("力争技术合同成交额保持在 10 亿元以上", [("技术合同成交额", 10, "亿元", "以上", "level")]),
    ("较“十三五”末提高 25.3 个百分点。", []),  # no name: the phrase before is a time reference
    ("常住人口城镇化率提高5个百分点", [("常住人口城镇化率", 5, "个百分点", None, "growth")]),
    ("电线电缆产业集群年产值近 60 亿元", [("电线电缆产业集群年产值", 60, "亿元", "近", "level")]),
    ("新增10万元以上收入村100个。", [("新增10万元以上收入村", 100, "个", None, "count")]),
    ("最低工资标准上调19.1%。", [("最低工资标准", 19.1, "%", None, "growth")]),
    ("**“十五五”期间累计新增城镇就业3万人", [("新增城镇就业", 3, "万人", None, "count")]),
    ("年底前建成完整社区试点4个", [("完整社区试点", 4, "个", None, "count")]),
    ("谋划储备项目数量保持新开工项目的 3 倍以上", []),
]

# Forms the corpus does not show but other notices use.
FORM_CASES = [
    ("地区生产总值增长５．５％左右", [("地区生产总值", 5.5, "%", "左右", "growth")]),
    ("研发投入强度达到2.1%", [("研发投入强度", 2.1, "%", "达到", "share")]),
    ("城镇调查失业率控制在5.5%以内", [("城镇调查失业率", 5.5, "%", "以内", "share")]),
    ("单位生产总值能耗下降3%", [("单位生产总值能耗", 3, "%", "下降", "growth")]),
    ("居民消费价格涨幅3%左右", [("居民消费价格涨幅", 3, "%", "左右", "growth")]),
    ("城镇调查失业率不超过5.5%", [("城镇调查失业率", 5.5, "%", "不超过", "share")]),
    ("空气优良天数比例不低于 75％", [("空气优良天数比例", 75, "%", "不低于", "share")]),
    ("2026年3月8日，济政〔2026〕1号，于6月15日前报送", []),
    ("5 个工作日内办结，3个月内完成", []),
    ("研发经费投入1,200亿元", [("研发经费投入", 1200, "亿元", None, "level")]),
    (
        "工业投资比上年增长 8.2%，税收收入较去年同期下降 1.5%",
        [
            ("工业投资", 8.2, "%", None, "growth"),
            ("税收收入", 1.5, "%", "下降", "growth"),
        ],
    ),
    ("城镇新增就业1-2万人", [("城镇新增就业", 1, "万人", "区间", "count")]),
    ("关于印发《2026—2028年行动方案》的通知", []),
    ("创建5A级景区1家、4A级景区2家", [("5A级景区", 1, "家", None, "count"), ("4A级景区", 2, "家", None, "count")]),
    ("1. 生产总值增长 5.5%。（发展改革和统计局牵头）", [("生产总值", 5.5, "%", None, "growth")]),
]


@pytest.mark.parametrize("text,expected", NOTICE_CASES + REPORT_CASES + FORM_CASES, ids=lambda v: str(v)[:24])
def test_figures_read_exactly(text, expected):
    assert rows(text) == expected


def test_range_keeps_both_bounds():
    (indicator,) = find_indicators("力争经济增长5%—6%")
    assert (indicator.name, indicator.value, indicator.value_max, indicator.unit) == ("经济", 5, 6, "%")
    assert (indicator.qualifier, indicator.kind) == ("区间", "growth")
    assert indicator.to_json()["value_max"] == 6
    assert Indicator.from_json(indicator.to_json()) == indicator


def test_value_max_only_in_json_when_set():
    (indicator,) = find_indicators("粮食产量 4.8 亿斤")
    assert "value_max" not in indicator.to_json()
    assert indicator.to_json()["value"] == 4.8


def test_text_is_the_span_read_from_the_original():
    (first, second) = find_indicators("力争社会消费品零售总额突破 170 亿元，旅游综合收入超 100 亿元。")
    assert first.text == "社会消费品零售总额突破 170 亿元"
    assert second.text == "旅游综合收入超 100 亿元"
    (wide,) = find_indicators("地区生产总值增长５．５％左右")
    assert wide.text == "地区生产总值增长５．５％左右"


def test_name_after_the_count_when_nothing_before():
    (indicator,) = find_indicators("打造 3 个省级“两业”融合标杆企业和重点区域")
    assert indicator.text == "3 个省级“两业”融合标杆企业"


def _target_paragraph(text: str) -> str:
    (line,) = [ln for ln in text.splitlines() if "主要预期目标是" in ln and "增长" in ln][-1:]
    return line


# The main-target paragraphs: another stage reads these, so every figure must be exact.
YANSHI_TARGETS = [
    ("地区生产总值", 5.5, "%", "左右", "growth"),
    ("规模以上工业增加值", 7, "%", "左右", "growth"),
    ("固定资产投资", 5, "%", "左右", "growth"),
    ("社会消费品零售总额", 5, "%", "左右", "growth"),
    ("一般公共预算收入", 3, "%", "左右", "growth"),
    ("城镇新增就业", 8000, "人", "以上", "count"),
    ("粮食产量", 4.8, "亿斤", "以上", "level"),
]
PINGDINGSHAN_TARGETS = [
    ("经济", 5.5, "%", "左右", "growth"),
    ("规上工业增加值", 7, "%", "左右", "growth"),
    ("固定资产投资", 5.5, "%", None, "growth"),
    ("社会消费品零售总额", 6, "%", None, "growth"),
    ("一般公共预算收入", 4.5, "%", "左右", "growth"),
    ("城镇调查失业率", 5.5, "%", "左右", "share"),
    ("城镇新增就业", 6.7, "万人", "以上", "count"),
    ("居民消费价格涨幅", 2, "%", "左右", "growth"),
    ("粮食产量", 225, "万吨", "以上", "level"),
]

YANSHI_PARAGRAPH = (
    "今年全区经济社会发展的主要预期目标是：地区生产总值增长 5.5%左右，规模以上工业增加值增长 7%左右，"
    "固定资产投资增长 5%左右，社会消费品零售总额增长 5%左右，一般公共预算收入增长 3%左右，城镇新增就业 8000 人以上，"
    "居民收入增长与经济增长基本同步，粮食产量 4.8 亿斤以上，单位生产总值碳排放与“十五五”目标统筹衔接。"
)
PINGDINGSHAN_PARAGRAPH = (
    "今年经济社会发展主要预期目标是:经济增长5.5%左右,在实际工作中努力争取更好结果;规上工业增加值增长7%左右,"
    "固定资产投资增长5.5%,社会消费品零售总额增长6%,一般公共预算收入增长4.5%左右,进出口平稳增长,城镇调查失业率5.5%左右,"
    "城镇新增就业6.7万人以上,居民消费价格涨幅2%左右,居民收入增长与经济增长同步,粮食产量225万吨以上,"
    "单位生产总值二氧化碳排放降低目标与“十五五”考核目标统筹衔接。"
)


def test_yanshi_main_targets():
    assert rows(YANSHI_PARAGRAPH) == YANSHI_TARGETS


def test_pingdingshan_main_targets():
    assert rows(PINGDINGSHAN_PARAGRAPH) == PINGDINGSHAN_TARGETS


@pytest.mark.corpus
@pytest.mark.parametrize(
    "name,paragraph,expected",
    [
        ("report-yanshi-2026.txt", YANSHI_PARAGRAPH, YANSHI_TARGETS),
        ("report-pingdingshan-2026.txt", PINGDINGSHAN_PARAGRAPH, PINGDINGSHAN_TARGETS),
    ],
)
def test_main_targets_in_the_corpus_file(name, paragraph, expected):
    line = _target_paragraph(corpus_text(name))
    assert line.strip() == paragraph
    assert rows(line) == expected


@pytest.mark.corpus
def test_jiyuan_main_target_tasks():
    text = corpus_text("notice-jiyuan-2026.txt")
    tasks = re.findall(r"^([1-9]|10)\. (.+)$", text.split("二、")[0], re.M)
    got = {int(n): rows(t.split("（")[0]) for n, t in tasks}
    assert got == {
        1: [("生产总值", 5.5, "%", None, "growth")],
        2: [("一般公共预算收入", 3.5, "%", None, "growth")],
        3: [("规模以上工业增加值", 7, "%", None, "growth")],
        4: [("固定资产投资", 6, "%", None, "growth")],
        5: [("社会消费品零售总额", 6, "%", None, "growth")],
        6: [("进出口总值", 3, "%", None, "growth")],
        7: [("城镇调查失业率", 5.5, "%", "控制在", "share")],
        8: [("居民收入", 5.5, "%", None, "growth")],
        9: [("粮食产量", 4.8, "亿斤", None, "level")],
        10: [],
    }


@pytest.mark.corpus
def test_every_value_is_written_in_its_span():
    """Precision check over the whole corpus: each value is the number shown in its own span."""
    for name in ("notice-jiyuan-2026.txt", "notice-henan-2026.txt", "report-yanshi-2026.txt"):
        for line in corpus_text(name).splitlines():
            for indicator in find_indicators(line):
                shown = indicator.text.translate(str.maketrans("０１２３４５６７８９．", "0123456789.")).replace(
                    ",", ""
                )
                value = f"{indicator.value:g}" if indicator.value < 1e6 else str(int(indicator.value))
                assert re.search(rf"(?<![0-9.]){re.escape(value)}(?:\.0+)?(?![0-9])", shown), (indicator, line)
                assert indicator.name and indicator.name in re.sub(r"\s+", "", line), (indicator, line)


@pytest.mark.corpus
def test_benchmark_henan_notice(benchmark):
    lines = [ln for ln in corpus_text("notice-henan-2026.txt").splitlines() if ln.strip()]
    found = benchmark(lambda: [i for ln in lines for i in find_indicators(ln)])
    assert len(found) == 32
