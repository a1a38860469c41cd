"""Decomposition rules: one task per action, framing dropped, continuations merged, figures kept."""

import re
from pathlib import Path

import pytest

from duban.doc.model import Area, Document, Paragraph, Target
from duban.doc.report import read_report
from duban.doc.source import Source
from duban.draft.decompose import chinese_number, decompose, is_framing, paragraph_tasks, split_sentences

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def corpus_report(name: str) -> Document:
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"corpus file {path} is absent (tests read ../shared/corpus)")
    return read_report(Source.from_text(path.read_text(encoding="utf-8"), name=name))


def kept(text: str) -> list[str]:
    return [t for t, keep in paragraph_tasks(Paragraph(lead=None, text=text)) if keep]


def test_each_sentence_is_a_task_and_keeps_its_figures_and_projects():
    text = "加快推进平漯周高铁建设，叶鲁高速建成通车。新增社会融资350亿元以上。加快人才公寓建设。"
    assert kept(text) == [
        "加快推进平漯周高铁建设，叶鲁高速建成通车。",
        "新增社会融资350亿元以上。",
        "加快人才公寓建设。",
    ]


def test_framing_is_dropped():
    text = "我们将坚持以人民为中心。项目建设是稳增长的关键。民生无小事，枝叶总关情。实施重点项目20个。"
    tasks = paragraph_tasks(Paragraph(lead=None, text=text))
    assert [t for t, keep in tasks if not keep] == [
        "我们将坚持以人民为中心。",
        "项目建设是稳增长的关键。",
        "民生无小事，枝叶总关情。",
    ]
    assert [t for t, keep in tasks if keep] == ["实施重点项目20个。"]


def test_a_figure_is_never_framing():
    assert is_framing("项目建设是稳增长的关键。")
    assert not is_framing("项目建设是稳增长的关键，全年实施项目20个。")
    assert not is_framing("必须确保粮食产量稳定在225万吨以上。")
    assert not is_framing("坚持和发展新时代“枫桥经验”，从源头上预防和化解各类社会矛盾。")
    # A purpose phrase or a statement followed by work is a task.
    assert not is_framing("以数字化为核心，推进传统产业转型升级。")
    assert not is_framing("项目建设是稳增长的关键，要加快推进重点项目建设。")
    assert not is_framing("必须严格落实安全生产责任制。")
    assert is_framing("必须坚持以人民为中心的发展思想。")


def test_continuation_is_merged_into_the_sentence_before():
    assert kept("建设产业园3个。其中，省级产业园1个。") == ["建设产业园3个，其中，省级产业园1个。"]
    assert kept("推进老旧小区改造。特别是加快加装电梯。") == ["推进老旧小区改造，特别是加快加装电梯。"]
    # The same predicate for another subject: its verb is in the sentence before.
    assert kept("推动甲镇、乙镇与开发区联动发展。丙镇、丁镇与中心城区联动发展。") == [
        "推动甲镇、乙镇与开发区联动发展，丙镇、丁镇与中心城区联动发展。"
    ]
    # A sentence with its own verb is its own task even when it ends alike.
    assert kept("推动甲镇与开发区联动发展。深化乙镇与中心城区联动发展。") == [
        "推动甲镇与开发区联动发展。",
        "深化乙镇与中心城区联动发展。",
    ]


def test_connective_and_speaker_are_cut_from_a_task():
    assert kept("同时，我们将加强国防动员和后备力量建设，抓好民兵工作。") == [
        "加强国防动员和后备力量建设，抓好民兵工作。"
    ]
    assert kept("此外，做好第四次全国农业普查工作。") == ["做好第四次全国农业普查工作。"]
    # Words that merely begin like a speaker are not cut.
    assert kept("要素保障实现全覆盖，新增用地指标1000亩。") == ["要素保障实现全覆盖，新增用地指标1000亩。"]


def test_semicolon_halves_that_each_act_are_two_tasks():
    assert split_sentences("谋划老旧小区改造项目34个；全力化解问题楼盘，加快推进安置房建设。") == [
        "谋划老旧小区改造项目34个。",
        "全力化解问题楼盘，加快推进安置房建设。",
    ]
    # Not inside quotes, and not when a half is no action of its own.
    assert split_sentences("落实“一老一小；两新”政策。") == ["落实“一老一小；两新”政策。"]
    assert split_sentences("城乡居民收入稳步增长；农民增收。") == ["城乡居民收入稳步增长；农民增收。"]


def test_chinese_numbers():
    assert [chinese_number(n) for n in (1, 9, 10, 11, 20, 34)] == ["一", "九", "十", "十一", "二十", "三十四"]


def test_draft_layout_targets_areas_leads_and_numbering():
    report = Document(
        kind="report",
        year=2026,
        issuer="某县人民政府",
        targets=[Target("生产总值增长6%"), Target("居民收入增长与经济增长同步")],
        areas=[
            Area(
                "稳增长",
                [
                    Paragraph(None, "深入落实扩大有效投资专项行动。"),
                    Paragraph("扩大有效投资", "实施项目10个。开工项目5个。"),
                    Paragraph("提振消费", "举办促消费活动100场。"),
                    Paragraph(None, "同时，我们将做好统计工作。"),
                ],
            ),
            Area("惠民生", [Paragraph("稳定就业", "新增就业1000人。")]),
        ],
    )
    draft = decompose(report)
    assert draft.kind == "draft" and draft.year == 2026
    assert draft.title == "某县人民政府关于明确政府工作报告提出的2026年重点工作责任单位的通知（草稿）"
    rows = [(t.number, t.section, t.text) for t in draft.tasks]
    assert rows == [
        ("1", ["一、2026年主要预期目标"], "生产总值增长6%。"),
        ("2", ["一、2026年主要预期目标"], "居民收入增长与经济增长同步。"),
        ("3", ["二、稳增长"], "深入落实扩大有效投资专项行动。"),
        ("4", ["二、稳增长", "（一）扩大有效投资"], "实施项目10个。"),
        ("5", ["二、稳增长", "（一）扩大有效投资"], "开工项目5个。"),
        ("6", ["二、稳增长", "（二）提振消费"], "举办促消费活动100场。"),
        # A paragraph without a lead phrase stays under the heading before it.
        ("7", ["二、稳增长", "（二）提振消费"], "做好统计工作。"),
        # Level-2 numbering starts again under each level-1 heading.
        ("8", ["三、惠民生", "（一）稳定就业"], "新增就业1000人。"),
    ]
    assert all(t.units == [] for t in draft.tasks)
    assert draft.warnings == ["第3项是“稳增长”的总述，通知常不单列，请核对。"]


def _numbers(text: str) -> list[str]:
    return sorted(re.findall(r"\d+(?:\.\d+)?", text))


@pytest.mark.corpus
def test_yanshi_draft():
    report = corpus_report("report-yanshi-2026.txt")
    draft = decompose(report)
    assert len(draft.tasks) == 119
    assert [t.number for t in draft.tasks] == [str(n) for n in range(1, 120)]
    assert len([t for t in draft.tasks if t.section == ["一、2026年主要预期目标"]]) == 9
    assert len({t.section[0] for t in draft.tasks}) == 11  # targets + ten areas
    assert draft.tasks[10].section == ["二、全力以赴稳定经济运行，实现高质量发展", "（一）全力扩大有效投资"]
    assert draft.tasks[10].text.startswith("聚焦提高投资效益，落实“四个一批”机制，压茬推进总投资55.8亿元的42个")
    # The closing 同时，我们将… paragraph has no lead: it stays under the last heading, speaker cut.
    defence = next(t for t in draft.tasks if "国防动员" in t.text)
    assert defence.section == ["十一、全力以赴推动基层善治，努力实现高效能治理", "（三）营造和谐社会环境"]
    assert defence.text.startswith("加强国防动员和后备力量建设，抓好民兵、征兵工作")
    # Each area opens with a summary sentence; it is kept as a task and flagged for review.
    assert len(draft.warnings) == 10
    assert draft.warnings[0] == "第10项是“全力以赴稳定经济运行，实现高质量发展”的总述，通知常不单列，请核对。"
    # Every figure of the year-work part survives into some task, as written.
    written = "".join(p.text for a in report.areas for p in a.paragraphs)
    assert _numbers("".join(t.text for t in draft.tasks[9:])) == _numbers(written)


@pytest.mark.corpus
def test_pingdingshan_draft():
    report = corpus_report("report-pingdingshan-2026.txt")
    draft = decompose(report)
    assert len(draft.tasks) == 160
    assert len([t for t in draft.tasks if t.section[0] == "一、2026年主要预期目标"]) == 12
    assert len({t.section[0] for t in draft.tasks}) == 12
    assert draft.tasks[12].section == ["二、突出内需主导，挖掘释放有效需求", "（一）充分激发消费潜力"]
    assert draft.tasks[-1].text == "加强统计、社科、港澳等工作。"
    assert draft.warnings == []  # no summary sentences, nothing framed
    written = "".join(p.text for a in report.areas for p in a.paragraphs)
    assert _numbers("".join(t.text for t in draft.tasks[12:])) == _numbers(written)
