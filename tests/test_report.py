"""Reading work reports: the year-work part, its targets and areas."""

import json
import re
from datetime import date

import pytest

from duban.doc.model import Paragraph
from duban.doc.report import looks_like_report, read_report, split_targets
from duban.doc.source import Source
from duban.errors import NotADocumentError
from tests.conftest import corpus_file


def corpus_source(name: str) -> Source:
    return Source.from_text(corpus_file(name).read_text(encoding="utf-8"), name=name)


@pytest.fixture(scope="module")
def yanshi():
    return read_report(corpus_source("report-yanshi-2026.txt"))


@pytest.fixture(scope="module")
def pingdingshan():
    return read_report(corpus_source("report-pingdingshan-2026.txt"))


YANSHI_TARGETS = [
    "地区生产总值增长 5.5%左右",
    "规模以上工业增加值增长 7%左右",
    "固定资产投资增长 5%左右",
    "社会消费品零售总额增长 5%左右",
    "一般公共预算收入增长 3%左右",
    "城镇新增就业 8000 人以上",
    "居民收入增长与经济增长基本同步",
    "粮食产量 4.8 亿斤以上",
    "单位生产总值碳排放与“十五五”目标统筹衔接",
]

PINGDINGSHAN_TARGETS = [
    "经济增长5.5%左右，在实际工作中努力争取更好结果",
    "规上工业增加值增长7%左右",
    "固定资产投资增长5.5%",
    "社会消费品零售总额增长6%",
    "一般公共预算收入增长4.5%左右",
    "进出口平稳增长",
    "城镇调查失业率5.5%左右",
    "城镇新增就业6.7万人以上",
    "居民消费价格涨幅2%左右",
    "居民收入增长与经济增长同步",
    "粮食产量225万吨以上",
    "单位生产总值二氧化碳排放降低目标与“十五五”考核目标统筹衔接",
]


@pytest.mark.corpus
def test_yanshi_header(yanshi):
    assert yanshi.kind == "report"
    assert yanshi.title == "政府工作报告"
    assert yanshi.date == date(2026, 1, 31)
    assert yanshi.year == 2026
    assert yanshi.issuer == "洛阳市偃师区人民政府"
    assert yanshi.warnings == []


@pytest.mark.corpus
def test_yanshi_targets_text(yanshi):
    assert [t.text for t in yanshi.targets] == YANSHI_TARGETS


@pytest.mark.corpus
def test_pingdingshan_skips_the_news_summary(pingdingshan):
    # The summary above the title quotes only four targets; the part itself has twelve.
    assert pingdingshan.title == "政府工作报告"
    assert pingdingshan.date == date(2026, 2, 7)
    assert pingdingshan.issuer == "平顶山市人民政府"
    assert [t.text for t in pingdingshan.targets] == PINGDINGSHAN_TARGETS


@pytest.mark.corpus
def test_yanshi_areas(yanshi):
    assert len(yanshi.areas) == 10
    assert yanshi.areas[0].heading == "全力以赴稳定经济运行，实现高质量发展"
    assert yanshi.areas[-1].heading == "全力以赴推动基层善治，努力实现高效能治理"
    first = yanshi.areas[0].paragraphs
    # The area's own opening sentence, then paragraphs with lead phrases.
    assert first[0].lead is None and first[0].text.startswith("深入落实提振消费与扩大有效投资专项行动")
    assert [p.lead for p in first[1:]] == ["全力扩大有效投资", "加力释放消费潜能", "加强项目服务保障"]
    # A paragraph broken by a page ("着力" / "引进一批…") is one paragraph again.
    assert "着力引进一批产业关联度高" in first[3].text
    assert first[1].text.startswith("聚焦提高投资效益")
    assert [len(a.paragraphs) for a in yanshi.areas] == [4, 4, 4, 4, 4, 4, 4, 4, 4, 5]


@pytest.mark.corpus
def test_yanshi_excludes_closing_and_glossary(yanshi):
    last = yanshi.areas[-1].paragraphs[-1]
    assert last.lead is None and last.text.startswith("同时，我们将加强国防动员和后备力量建设")
    everything = "".join(p.text for a in yanshi.areas for p in a.paragraphs)
    assert "即智能化、绿色化、融合化改造" not in everything  # the glossary (名词解释)
    assert "新征程，新使命" not in everything  # the part on the government itself


@pytest.mark.corpus
def test_pingdingshan_areas(pingdingshan):
    assert len(pingdingshan.areas) == 11
    assert pingdingshan.areas[0].heading == "突出内需主导，挖掘释放有效需求"
    assert [p.lead for p in pingdingshan.areas[0].paragraphs] == [
        "充分激发消费潜力",
        "持续扩大有效投资",
        "培优育强市场主体",
    ]
    assert [len(a.paragraphs) for a in pingdingshan.areas] == [3, 3, 4, 3, 4, 4, 4, 4, 3, 4, 5]
    everything = "".join(p.text for a in pingdingshan.areas for p in a.paragraphs)
    assert "加强党的全面领导" not in everything  # after 各位代表！: the government itself
    assert "责任编辑" not in everything
    # Half-width punctuation in Chinese text reads as full-width.
    assert pingdingshan.areas[0].paragraphs[0].text.startswith("深入实施提振消费专项行动，全面落实汽车、家电")


def test_targets_split_keeps_effort_clause_with_its_target():
    assert split_targets("经济增长5.5%左右，力争更好结果；进出口平稳增长，城镇新增就业1万人") == [
        "经济增长5.5%左右，力争更好结果",
        "进出口平稳增长",
        "城镇新增就业1万人",
    ]
    # Commas inside quotes do not split a target.
    assert split_targets("完成“十五五”规划“三区，三线”划定，粮食产量5万吨") == [
        "完成“十五五”规划“三区，三线”划定",
        "粮食产量5万吨",
    ]


def test_minimal_report_with_bare_year_heading_and_self_building_part():
    text = "\n".join(
        [
            "2027年某县政府工作报告",
            "——2027年1月20日在某县第十八届人民代表大会第二次会议上",
            "各位代表：",
            "一、2026年工作回顾",
            "完成生产总值增长5%。",
            "二、2027年工作安排",
            "今年主要预期目标是：生产总值增长6%，粮食产量10万吨以上。",
            "(一)稳增长",
            "扩大投资。新建项目10个。",
            "三、加强政府自身建设",
            "全面推进依法行政。严格依法办事。",
        ]
    )
    doc = read_report(Source.from_text(text, name="某县.txt"))
    assert doc.year == 2027 and doc.date == date(2027, 1, 20)
    assert [t.text for t in doc.targets] == ["生产总值增长6%", "粮食产量10万吨以上"]
    assert [a.heading for a in doc.areas] == ["稳增长"]
    assert doc.areas[0].paragraphs == [Paragraph(lead="扩大投资", text="新建项目10个。")]


def test_page_markers_and_broken_lines():
    text = "\n\n".join(
        [
            "政府工作报告",
            "三、2026年重点工作",
            "（一）推动发展。",
            "建设项目。实施重点项目二十个，总投资三十亿元，确保年内开工建设并按期投产达效，",
            "— 12 —",
            "推动产业升级。",
        ]
    )
    doc = read_report(Source.from_text(text, name="x.txt"))
    assert doc.areas[0].paragraphs == [
        Paragraph(
            lead="建设项目", text="实施重点项目二十个，总投资三十亿元，确保年内开工建设并按期投产达效，推动产业升级。"
        )
    ]


def test_no_year_work_part_names_the_file():
    text = "政府工作报告\n各位代表：\n一、过去一年的工作\n我们做了很多工作。"
    with pytest.raises(NotADocumentError, match=r"^会议纪要\.txt：没有找到年度重点工作部分"):
        read_report(Source.from_text(text, name="会议纪要.txt"))


def test_looks_like_report():
    report = ["政府工作报告", "——2026年1月31日在某区人民代表大会上", "各位代表：", "三、2026年重点工作"]
    notice = [
        "济源市人民政府关于明确政府工作报告提出的2026年重点工作责任单位的通知",
        *[f"{i}. 推进第{i}项工作。（财政局负责）" for i in range(1, 8)],
    ]
    assert looks_like_report(report)
    assert not looks_like_report(notice)
    # A notice whose title line mentions 政府工作报告 only inside a sentence is still a notice.
    assert not looks_like_report(["《政府工作报告》已经审议通过，现将任务分解如下：", "1. 推进工作。（财政局负责）"])


@pytest.mark.corpus
@pytest.mark.parametrize("name", ["report-yanshi-2026.txt", "report-pingdingshan-2026.txt"])
def test_corpus_reports_look_like_reports(name):
    assert looks_like_report(corpus_source(name).lines())


@pytest.mark.corpus
@pytest.mark.parametrize("name", ["notice-jiyuan-2026.txt", "notice-henan-2026.txt"])
def test_corpus_notices_do_not(name):
    assert not looks_like_report(corpus_source(name).lines())


# (name, value, unit, qualifier, kind) of every main target; None for a qualitative one.
YANSHI_INDICATORS = [
    ("地区生产总值", 5.5, "%", "左右", "growth"),
    ("规模以上工业增加值", 7, "%", "左右", "growth"),
    ("固定资产投资", 5, "%", "左右", "growth"),
    ("社会消费品零售总额", 5, "%", "左右", "growth"),
    ("一般公共预算收入", 3, "%", "左右", "growth"),
    ("城镇新增就业", 8000, "人", "以上", "count"),
    None,
    ("粮食产量", 4.8, "亿斤", "以上", "level"),
    None,
]

PINGDINGSHAN_INDICATORS = [
    ("经济", 5.5, "%", "左右", "growth"),
    ("规上工业增加值", 7, "%", "左右", "growth"),
    ("固定资产投资", 5.5, "%", None, "growth"),
    ("社会消费品零售总额", 6, "%", None, "growth"),
    ("一般公共预算收入", 4.5, "%", "左右", "growth"),
    None,
    ("城镇调查失业率", 5.5, "%", "左右", "share"),
    ("城镇新增就业", 6.7, "万人", "以上", "count"),
    ("居民消费价格涨幅", 2, "%", "左右", "growth"),
    None,
    ("粮食产量", 225, "万吨", "以上", "level"),
    None,
]


def _indicator_rows(doc):
    rows = []
    for target in doc.targets:
        assert len(target.indicators) <= 1, target
        i = target.indicators[0] if target.indicators else None
        rows.append((i.name, i.value, i.unit, i.qualifier, i.kind) if i else None)
    return rows


@pytest.mark.corpus
def test_yanshi_target_values_exact(yanshi):
    assert _indicator_rows(yanshi) == YANSHI_INDICATORS


@pytest.mark.corpus
def test_pingdingshan_target_values_exact(pingdingshan):
    assert _indicator_rows(pingdingshan) == PINGDINGSHAN_INDICATORS


@pytest.mark.corpus
def test_duban_parse_report_json(capsys):
    from duban.cli import main

    path = corpus_file("report-yanshi-2026.txt")
    assert main(["parse", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["kind"] == "report" and out["year"] == 2026 and out["date"] == "2026-01-31"
    assert out["targets"][0] == {
        "text": "地区生产总值增长 5.5%左右",
        "indicators": [
            {
                "name": "地区生产总值",
                "value": 5.5,
                "unit": "%",
                "qualifier": "左右",
                "kind": "growth",
                "text": "地区生产总值增长 5.5%左右",
            }
        ],
    }
    assert len(out["targets"]) == 9 and len(out["areas"]) == 10
    assert out["areas"][0]["paragraphs"][1]["lead"] == "全力扩大有效投资"


def test_duban_parse_report_without_year_work_fails_cleanly(tmp_path, capsys):
    from duban.cli import main

    path = tmp_path / "空报告.txt"
    path.write_text("政府工作报告\n各位代表：\n一、过去一年的工作回顾\n我们做了很多工作。\n", encoding="utf-8")
    assert main(["parse", str(path), "--json"]) == 1
    err = capsys.readouterr().err
    assert "空报告.txt：没有找到年度重点工作部分" in err and "Traceback" not in err


def test_targets_in_a_part_of_their_own_and_running_headers():
    text = "\n".join(
        [
            "某市政府工作报告",
            "——2026年2月1日在某市第八届人民代表大会第五次会议上",
            "各位代表：",
            "一、2025年工作回顾",
            "主要预期目标是：生产总值增长4%。",
            "二、2026年工作总体要求和主要目标",
            "今年全市经济社会发展的主要预期目标建议为：生产总值增长6%左右；确保完成省下达的节能减排任务，力争实现更好结果。",
            "三、2026年重点工作",
            "（一）扩大内需",
            "扩大有效投资。实施重点项目50个，完成投资100亿",
            "某市政府工作报告",
            "元以上。",
            "四、加强政府自身建设",
            "全面推进依法行政。严格依法办事。",
        ]
    )
    doc = read_report(Source.from_text(text, name="某市.txt"))
    assert doc.year == 2026
    assert [t.text for t in doc.targets] == ["生产总值增长6%左右", "确保完成省下达的节能减排任务，力争实现更好结果"]
    assert [a.heading for a in doc.areas] == ["扩大内需"]
    assert doc.areas[0].paragraphs == [Paragraph(lead="扩大有效投资", text="实施重点项目50个，完成投资100亿元以上。")]


def test_year_work_part_named_this_year_or_found_by_its_targets():
    this_year = "\n".join(
        [
            "政府工作报告",
            "——2026年1月10日在某县第十七届人民代表大会第六次会议上",
            "一、过去一年工作回顾",
            "完成生产总值增长5%。",
            "二、今年主要工作安排",
            "今年主要预期目标是：生产总值增长5.5%。",
            "（一）稳增长",
            "扩大投资。实施项目10个。",
        ]
    )
    doc = read_report(Source.from_text(this_year, name="a.txt"))
    assert doc.year == 2026 and [a.heading for a in doc.areas] == ["稳增长"]
    slogan = this_year.replace("二、今年主要工作安排", "二、奋力谱写高质量发展新篇章")
    doc = read_report(Source.from_text(slogan, name="b.txt"))
    assert [t.text for t in doc.targets] == ["生产总值增长5.5%"] and len(doc.areas) == 1


def _rewrapped(text: str, width: int) -> str:
    """The report as a PDF would hand it over: every paragraph cut into lines of ``width`` characters."""
    out = []
    for line in text.split("\n"):
        while len(line) > width:
            out.append(line[:width])
            line = line[width:]
        out.append(line)
    return "\n".join(out)


def _shape(doc):
    squash = lambda s: re.sub(r"\s+", "", s or "")  # noqa: E731 — spaces at a cut are the wrapper's, not the text's
    targets = [squash(t.text) for t in doc.targets]
    paragraphs = [(squash(a.heading), squash(p.lead), squash(p.text)) for a in doc.areas for p in a.paragraphs]
    return targets, [squash(a.heading) for a in doc.areas], paragraphs


@pytest.mark.corpus
@pytest.mark.parametrize("name", ["report-yanshi-2026.txt", "report-pingdingshan-2026.txt"])
def test_report_wrapped_at_a_fixed_width_reads_the_same(name):
    text = corpus_source(name).text()
    targets, headings, paragraphs = _shape(read_report(Source.from_text(text, name=name)))
    same = total = 0
    for width in range(26, 42):
        got_targets, got_headings, got_paragraphs = _shape(
            read_report(Source.from_text(_rewrapped(text, width), name=name))
        )
        assert got_targets == targets, width
        assert got_headings == headings, width
        same += len(set(got_paragraphs) & set(paragraphs))
        total += len(paragraphs)
    # A paragraph whose last line happens to be exactly full cannot be told from one
    # that runs on; measured: 99.5% (Yanshi) and 98.3% (Pingdingshan) of paragraphs survive.
    assert same / total >= 0.98


def test_news_headline_above_the_summary_is_not_the_title():
    text = "\n".join(
        [
            "2026年某市政府工作报告",
            "报告中提到，2026年主要预期目标是：生产总值增长5%左右。",
            "政府工作报告",
            "——2026年2月7日在某市第十二届人民代表大会第四次会议上",
            "各位代表：",
            "三、2026年重点工作安排",
            "今年主要预期目标是：生产总值增长5.5%左右，粮食产量225万吨以上。",
            "(一)稳增长",
            "扩大投资。实施项目10个。",
        ]
    )
    doc = read_report(Source.from_text(text, name="news.txt"))
    assert doc.title == "政府工作报告" and doc.date == date(2026, 2, 7)
    assert [t.text for t in doc.targets] == ["生产总值增长5.5%左右", "粮食产量225万吨以上"]


def test_lead_with_one_comma_where_the_report_writes_leads():
    text = "\n".join(
        [
            "政府工作报告",
            "三、2026年重点工作",
            "（一）稳增长。深入落实扩大内需行动，推动经济回升。",
            "扩大有效投资。实施项目10个，完成投资20亿元。",
            "加快建设产业体系，推动高质量发展。培育企业5家，建设园区2个。",
            "提振消费。举办活动100场。",
            "（二）惠民生",
            "稳定就业。新增就业1000人。",
            "新增就业1000人，城镇调查失业率5.5%。持续推进技能培训。",
        ]
    )
    doc = read_report(Source.from_text(text, name="x.txt"))
    leads = [p.lead for a in doc.areas for p in a.paragraphs]
    # The area's opening sentence stays an opening; a sentence with figures is no lead.
    assert leads == [None, "扩大有效投资", "加快建设产业体系，推动高质量发展", "提振消费", "稳定就业", None]


def test_targets_listed_on_the_line_after_the_colon():
    text = "政府工作报告\n三、2026年重点工作\n今年主要预期目标是：\n生产总值增长6%，粮食产量5万吨以上。\n（一）稳增长\n扩大投资。实施项目10个。"
    doc = read_report(Source.from_text(text, name="x.txt"))
    assert [t.text for t in doc.targets] == ["生产总值增长6%", "粮食产量5万吨以上"]

    text = "政府工作报告\n三、2026年重点工作\n今年主要预期目标是：\n生产总值增长6%；\n粮食产量5万吨以上。\n今年要做好以下工作：\n（一）稳增长"
    doc = read_report(Source.from_text(text, name="x.txt"))
    assert [t.text for t in doc.targets] == ["生产总值增长6%", "粮食产量5万吨以上"]


def test_parts_written_as_di_n_bufen_and_wide_digits():
    text = "政府工作报告\n第三部分　２０２６年重点工作\n今年主要预期目标是：生产总值增长６%。\n（一）稳增长\n扩大投资。实施项目10个。\n第四部分　加强政府自身建设\n依法行政。严格依法办事。"
    doc = read_report(Source.from_text(text, name="x.txt"))
    assert doc.year == 2026 and [t.text for t in doc.targets] == ["生产总值增长6%"]
    assert [p.lead for a in doc.areas for p in a.paragraphs] == ["扩大投资"]


@pytest.mark.corpus
@pytest.mark.parametrize("name", ["report-yanshi-2026.txt", "report-pingdingshan-2026.txt"])
@pytest.mark.parametrize("form", ["docx", "pdf"])
def test_report_as_word_or_typeset_pdf_reads_the_same(name, form, tmp_path):
    from duban.doc import parse_file
    from tests.variants import notice_docx, notice_pdf

    text = corpus_source(name).text()
    path = tmp_path / f"report.{form}"
    # The builders were written for notices; they lay out any lines (PDF: 28 a line, — N — page feet).
    (notice_docx if form == "docx" else notice_pdf)(text.split("\n"), path)
    doc = parse_file(path)
    assert doc.kind == "report"
    assert _shape(doc) == _shape(read_report(Source.from_text(text, name=name)))


def test_photo_captions_dropped_but_not_headings_that_mention_reporters():
    text = "\n".join(
        [
            "政府工作报告",
            "三、2026年重点工作",
            "（一）加强新闻记者队伍建设",
            "市长作政府工作报告。 记者 牛智广 摄",
            "培养记者人才。举办培训班10期，培训记者500人次。",
        ]
    )
    doc = read_report(Source.from_text(text, name="x.txt"))
    assert [a.heading for a in doc.areas] == ["加强新闻记者队伍建设"]
    assert doc.areas[0].paragraphs == [Paragraph(lead="培养记者人才", text="举办培训班10期，培训记者500人次。")]
