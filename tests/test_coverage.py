"""上级交办: which parent tasks are addressed to a government, and which of its tasks take them up.

- the name and collective forms, written out and generated (hypothesis): a government by any
  spelling of its place with or without 人民政府/政府/管委会; never a body that only starts with the
  place's name (郑州海关); a collective by its level words (各省辖市政府, 各市县政府, 各县（市、区）政府);
- the pairing's behaviour: a restated clause is linked, with reasons; nothing is linked from an
  empty plan; at most ``max_links``;
- the unseen probe pair (tests/data/coverage-probe), written after the rule was tuned;
- the measure on the corpus against the hand-checked gold: the figures stay at or above what was
  measured when the rule was committed (skipped when ../shared/corpus is absent).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from duban import vocab
from duban.doc import parse_source
from duban.doc.source import Source
from duban.draft import coverage as cv
from duban.draft import coverage_eval as ce
from tests.conftest import CORPUS

DATA = Path(__file__).parent / "data"
PROBE = DATA / "coverage-probe"


def item(key, *units, text="任务"):
    return cv.Item(key=str(key), text=text, units=tuple(units))


# --- addressed: names ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    ["郑州市政府", "郑州市人民政府", "郑州市", "郑州", "郑州市 人民政府", "郑州市管委会"],
)
def test_a_government_is_found_however_its_name_is_written(written):
    found = cv.addressed_to([item(1, "省发展改革委", written)], "郑州市人民政府")
    assert [(a.item.key, a.how, a.written) for a in found] == [("1", "name", written)]


@pytest.mark.parametrize(
    "written",
    [
        "郑州海关",
        "中国铁路郑州局集团",
        "郑州航空港区管委会",
        "郑州市发展改革委",
        "郑州市政府办公室",
        "新郑市政府",
        "郑州大学",
    ],
)
def test_a_body_that_only_starts_with_the_place_is_not_its_government(written):
    assert cv.addressed_to([item(1, written)], "郑州市人民政府") == []


def test_an_alias_and_a_zone_name_find_the_same_government():
    items = [item(1, "济源示范区管委会"), item(2, "济源市人民政府"), item(3, "济源"), item(4, "济源海关")]
    by_alias = cv.addressed_to(items, "济源示范区", ["济源市"])
    assert [a.item.key for a in by_alias] == ["1", "2", "3"]


def test_a_task_naming_the_government_and_its_collective_is_addressed_by_name_once():
    found = cv.addressed_to([item(5, "各省辖市政府", "济源示范区管委会", "航空港区管委会")], "济源示范区")
    assert [(a.how, a.written) for a in found] == [("name", "济源示范区管委会")]


# --- addressed: collectives ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "levels"),
    [
        ("各省辖市政府", {"city"}),
        ("各省辖市人民政府", {"city"}),
        ("各市政府", {"city"}),
        ("各市县政府", {"city", "county"}),
        ("各市、县（区）人民政府", {"city", "county", "district"}),
        ("各县（市、区）政府", {"county", "district"}),
        ("各县（市、区）人民政府", {"county", "district"}),
        ("各县(市、区)政府", {"county", "district"}),
        ("各区县政府", {"county", "district"}),
        ("各市（州）人民政府", {"city"}),
        ("各地", {"city", "county", "district"}),
        ("各乡镇人民政府", set()),
    ],
)
def test_collectives_name_their_levels(written, levels):
    assert cv.collective_levels(written) == frozenset(levels)


@pytest.mark.parametrize(
    "written", ["各部门", "省人民政府各部门", "各省辖市发展改革委", "各开发区管理办公室", "各有关单位", "市政府"]
)
def test_other_groups_are_not_collectives_of_governments(written):
    assert cv.collective_levels(written) is None


def test_a_collective_addresses_only_its_level():
    items = [item(1, "各省辖市政府"), item(2, "各县（市、区）政府"), item(3, "各市县政府"), item(4, "各镇人民政府")]
    assert [a.item.key for a in cv.addressed_to(items, "洛阳市", level="city")] == ["1", "3"]
    assert [a.item.key for a in cv.addressed_to(items, "巩义市", level="county")] == ["2", "3"]
    assert [a.item.key for a in cv.addressed_to(items, "二七区", level="district")] == ["2"]


# Generated: any run of level words after 各, with or without brackets and a government body.
_PLACE_CHARS = "郑洛汴宛鹤焦濮漯许周商信驻临江云梦青山东湖源阳平顶安"
_LEVEL_WORDS = [w for w, level in vocab.LEVEL_WORDS.items() if level and w not in ("省", "自治区", "直辖市")]


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(st.sampled_from(_LEVEL_WORDS), min_size=1, max_size=3, unique=True),
    joiner=st.sampled_from(["", "、"]),
    body=st.sampled_from(["", *vocab.GOVERNMENT_BODIES]),
)
def test_generated_collectives_name_the_union_of_their_words_levels(words, joiner, body):
    written = "各" + joiner.join(words) + body
    expected = {vocab.LEVEL_WORDS[w] for w in words}
    got = cv.collective_levels(written)
    # Greedy reading may split a run (市县 → 市, 县) but never reads a level that is not written.
    assert got == frozenset(expected), written


@settings(max_examples=100, deadline=None)
@given(
    inner=st.lists(st.sampled_from(["市", "区", "县", "旗"]), min_size=1, max_size=3, unique=True),
    body=st.sampled_from(list(vocab.GOVERNMENT_BODIES)),
)
def test_generated_county_collectives_read_a_bracketed_city_as_county_level(inner, body):
    written = "各县（" + "、".join(inner) + "）" + body
    expected = {"county"} | {"district" for w in inner if w == "区"}
    assert cv.collective_levels(written) == frozenset(expected)


@settings(max_examples=200, deadline=None)
@given(
    core=st.text(alphabet=_PLACE_CHARS, min_size=2, max_size=3),
    ending=st.sampled_from(["", "市", "示范区", "新区", "县", "区"]),
    body=st.sampled_from(["", *vocab.GOVERNMENT_BODIES]),
    department=st.sampled_from(["海关", "发展改革委", "财政局", "局集团", "供电公司", "中心", "大学"]),
    other=st.text(alphabet=_PLACE_CHARS, min_size=2, max_size=3),
)
def test_generated_names_find_the_government_and_never_its_bodies(core, ending, body, department, other):
    government = core + (ending or "市") + "人民政府"
    written = core + ending + body
    items = [item(1, written), item(2, core + ending + department), item(3, other + "市人民政府")]
    found = cv.addressed_to(items, government)
    assert [a.item.key for a in found] == ["1"] + (["3"] if other == core else [])
    assert all(a.how == "name" for a in found)


# --- taken up --------------------------------------------------------------------------------------


def test_a_restated_task_is_linked_with_its_reasons():
    parents = [
        cv.Item("69", "深入推进城市基础设施生命线安全工程，完善城市防洪排涝体系。"),
        cv.Item("44", "新建改造高标准农田400万亩以上。", indicators=("高标准农田",)),
        cv.Item("142", "加强党建引领基层高效能治理，扎实推进“五基四化”。"),
    ]
    children = [
        cv.Item("39", "完善城市防洪排涝体系，实施蟒河片区综合提升，加强基础设施生命线安全工程建设。"),
        cv.Item("65", "严守耕地红线，建成高标准农田1.7万亩。", indicators=("高标准农田",)),
        cv.Item("106", "扎实推进“五基四化”，运用治理模式，强化网格网络协同。"),
        cv.Item("112", "办好河南女篮主场赛事。"),
    ]
    coverage = cv.pair(parents, children)
    assert [(link.parent, link.child) for link in coverage.links] == [("69", "39"), ("44", "65"), ("142", "106")]
    assert coverage.not_taken_up == []
    reasons = {link.parent: link.reasons for link in coverage.links}
    assert any(r.startswith("共同说法：") and "防洪排涝体系" in r for r in reasons["69"])
    assert "共同指标：高标准农田" in reasons["44"]
    assert "同一项目：“五基四化”" in reasons["142"]
    assert all(link.reasons[-1].startswith("文字相近 ") for link in coverage.links)


def test_nothing_is_taken_up_in_an_empty_plan_or_by_unrelated_tasks():
    parents = [cv.Item("1", "支持革命老区振兴发展。"), cv.Item("2", "铸牢中华民族共同体意识。")]
    assert cv.pair(parents, []).not_taken_up == ["1", "2"]
    unrelated = [cv.Item("9", "办好河南女篮主场赛事。"), cv.Item("10", "新改建农村公路100公里。")]
    coverage = cv.pair(parents, unrelated)
    assert coverage.links == [] and coverage.not_taken_up == ["1", "2"]


@settings(max_examples=50, deadline=None)
@given(st.integers(min_value=1, max_value=4))
def test_no_parent_gets_more_than_max_links(max_links):
    parent = cv.Item("1", "推进城市更新，改造老旧小区，建设完整社区，完善便民服务设施。")
    children = [cv.Item(str(i), f"改造老旧小区{i}个，建设完整社区，完善便民服务设施。") for i in range(8)]
    config = cv.CoverageConfig(max_links=max_links, relative_floor=0.0)
    assert len(cv.pair([parent], children, config).links) == max_links


def test_score_reads_the_same_as_pair():
    parent = cv.Item("1", "深化零基预算改革，完善绩效管理全链条机制。")
    child = cv.Item("80", "深化零基预算改革，兜牢“三保”底线。")
    model = cv.fit([parent], [child])
    value, reasons = cv.score(parent, child, model=model)
    link = cv.pair([parent], [child], model=model).links[0]
    assert link.score == round(value, 3) and link.reasons == reasons


def test_items_from_a_parsed_notice_carry_units_indicators_and_the_headings():
    text = (
        "江汉省人民政府\n关于明确2026年重点工作责任单位的通知\n\n一、全面推进乡村振兴\n\n（一）保障粮食安全\n\n"
        "1. 新建高标准农田 300 万亩。（省农业农村厅牵头，各省辖市政府按职责分工负责）\n"
    )
    doc = parse_source(Source.from_text(text, name="probe.txt"))
    [it] = cv.items_from_document(doc)
    assert it.key == "1" and it.text.startswith("新建高标准农田")
    assert it.units == ("省农业农村厅", "各省辖市政府")
    assert it.indicators == ("高标准农田",)
    assert it.context == "全面推进乡村振兴 / 保障粮食安全"


# --- measured ---------------------------------------------------------------------------------------


def test_the_unseen_probe_pair():
    result = ce.run(PROBE, PROBE / "gold.json")
    assert all(a["precision"] == 1.0 and a["recall"] == 1.0 for a in result["addressed"]), result["addressed"]
    links = result["links"]["all"]
    # Measured with the committed constants: 13/14 links right, 13/13 found, the 4 tasks no city task
    # takes up reported as not taken up.
    assert links["precision"] >= 0.92 and links["recall"] == 1.0, links
    assert links["not_taken_up_tasks"] == links["not_taken_up_right"] == 4, links


@pytest.fixture(scope="module")
def measured():
    if not (CORPUS / "notice-henan-2026.txt").is_file() or not (CORPUS / "notice-jiyuan-2026.txt").is_file():
        pytest.skip(
            f"the Henan and Jiyuan notices are not here ({CORPUS} is absent); this measure reads ../shared/corpus"
        )
    return ce.run(CORPUS)


def test_addressed_to_on_henan_finds_every_government_exactly(measured):
    for a in measured["addressed"]:
        assert (a["precision"], a["recall"], a["how_right"]) == (1.0, 1.0, a["gold"]), a


# Measured at commit (duban eval coverage): the figures may rise, never fall.
FLOORS = {
    "addressed": (1.0, 0.53),
    "all": (0.92, 0.65),
    "held_out": (0.93, 0.58),
}


@pytest.mark.parametrize("part", FLOORS)
def test_pairing_on_henan_and_jiyuan_keeps_its_measured_precision_and_recall(measured, part):
    figures = measured["links"][part]
    precision, recall = FLOORS[part]
    assert figures["precision"] >= precision and figures["recall"] >= recall, figures


def test_the_gold_is_well_formed_and_large_enough():
    gold = ce.Gold.read()
    keys = [e["parent"] for e in gold.entries]
    assert len(keys) == len(set(keys)) == 148
    assert {e["parent"] for e in gold.entries if e["addressed"]} == set(gold.addressed["济源示范区"]["name"])
    for e in gold.entries:
        assert e["note"] and not set(e["links"]) & set(e["accept"]), e


_TEXT = st.text(
    alphabet=st.sampled_from(list("推进城市更新改造老旧小区建设完整社区高标准农田“千万工程”，。、；ABC 12%")),
    max_size=40,
)


@settings(max_examples=100, deadline=None)
@given(
    parents=st.lists(_TEXT, max_size=5),
    children=st.lists(_TEXT, max_size=6),
    indicators=st.lists(st.sampled_from(["高标准农田", "完整社区", "", "投资"]), max_size=2),
)
def test_any_texts_pair_without_error_and_every_link_is_explained(parents, children, indicators):
    ps = [cv.Item(f"p{i}", t, indicators=tuple(indicators)) for i, t in enumerate(parents)]
    cs = [cv.Item(f"c{i}", t, indicators=tuple(indicators[:1])) for i, t in enumerate(children)]
    coverage = cv.pair(ps, cs)
    linked = {link.parent for link in coverage.links}
    assert linked.isdisjoint(coverage.not_taken_up) and linked | set(coverage.not_taken_up) == {p.key for p in ps}
    for link in coverage.links:
        assert link.child in {c.key for c in cs} and link.score >= cv.CONFIG.threshold - 1e-9
        assert link.reasons and link.reasons[-1].startswith("文字相近 ")
    assert all(len(coverage.taken_up(p.key)) <= cv.CONFIG.max_links for p in ps)


def test_duban_eval_coverage_prints_the_figures_and_refuses_a_bad_gold(tmp_path, capsys):
    from duban.cli import main

    assert main(["eval", "coverage", "--corpus", str(PROBE), "--gold", str(PROBE / "gold.json"), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["links"]["all"]["recall"] == 1.0 and result["gold"]["government"] == "临江市"
    bad = tmp_path / "gold.json"
    for text, says in (("[1]", "应是一个 JSON 对象"), ("{", "格式不对"), ('{"entries": []}', "缺少 parent")):
        bad.write_text(text, encoding="utf-8")
        assert main(["eval", "coverage", "--corpus", str(PROBE), "--gold", str(bad)]) == 1
        err = capsys.readouterr().err
        assert says in err and "Traceback" not in err, err
