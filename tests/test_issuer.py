"""Whose notice is this: the issuer and 文号 against the importing government (duban.doc.issuer)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from duban.doc.issuer import Place, foreign_issuer, place_of

# Characters place names are made of here: none is a level (省市县区州旗盟) or an organ (政府办委).
PLACE_CHARS = "济源郑洛阳南商丘开封安乡焦作濮许昌漯河三门峡信周口驻马店平顶山鹤壁云溪青川大宁波鞍立蔡甸"
# (新 and 林 are left out: 新区 and 林区 are levels of their own, so 某新区 reads as a zone.)
ORGANS = ["人民政府", "政府", "人民政府办公室", "人民政府办公厅", "政府办公室", "办公室", "管委会", "管理委员会", ""]
LEVEL_WORDS = {"省": "province", "市": "city", "县": "county", "区": "district", "示范区": "zone"}

roots = st.text(alphabet=PLACE_CHARS, min_size=2, max_size=4)


@pytest.mark.parametrize(
    "name, place",
    [
        ("济源市人民政府", Place("济源", "city")),
        ("济源示范区管委会", Place("济源", "zone")),
        ("河南省人民政府办公厅", Place("河南", "province")),
        ("鞍山市立山区人民政府", Place("立山", "district", ("鞍山",))),
        ("浙江省人民政府辦公廳", Place("浙江", "province")),
        ("中共济源市委办公室", Place("济源", "city")),
        ("国务院办公厅", Place("国务院", "national")),
        ("市中区政府", Place("市中", "district")),
        ("区人民政府办公室", Place("", "district")),
        ("广西壮族自治区人民政府", Place("广西壮族", "province")),
        ("", None),
        ("关于做好工作的通知", None),
    ],
)
def test_the_place_a_name_stands_for(name, place):
    assert place_of(name) == place


@pytest.mark.parametrize(
    "issuer, number, government, level, above, expected",
    [
        # The corpus: Jiyuan's own notice in 济源示范区 and in 济源市; Henan's in either warns, naming the province.
        ("济源市人民政府", "济政〔2026〕1号", "济源示范区", "city", ["河南省"], ""),
        ("济源示范区管委会", None, "济源市", "city", [], ""),
        ("河南省人民政府", "豫政〔2026〕4号", "河南省", "province", [], ""),
        (
            "河南省人民政府",
            "豫政〔2026〕4号",
            "济源示范区",
            "city",
            ["河南省"],
            "发文机关“河南省人民政府”不是济源示范区，是上级政府河南省的通知",
        ),
        ("河南省人民政府办公厅", None, "郑州市", "city", [], "发文机关“河南省人民政府办公厅”不是郑州市"),
        ("平顶山市人民政府", None, "济源市", "city", [], "发文机关“平顶山市人民政府”不是济源市"),
        # No issuer: a province's 文号 is evidence, a city's irregular one (甬) and the government's own are not.
        (
            None,
            "豫政〔2026〕4号",
            "济源市",
            "city",
            ["河南省"],
            "文号“豫政〔2026〕4号”是河南的文号，不是济源市的，是上级政府河南省的通知",
        ),
        (None, "豫政〔2026〕4号", "广东省", "province", [], "文号“豫政〔2026〕4号”是河南的文号，不是广东省的"),
        # One character alone is not enough below a province it does not name (云 is 云南's and 云浮's).
        (None, "云政〔2026〕1号", "大江市", "city", [], ""),
        (None, "豫政〔2026〕4号", "济源市", "city", [], ""),
        (None, "甬政办发〔2006〕64号", "宁波市", "city", [], ""),
        (None, "云政〔2026〕1号", "云溪市", "city", [], ""),
        (None, "云政〔2026〕4号", "云省", "province", [], ""),
        (None, "国办函〔2016〕38号", "河南省", "province", [], "文号“国办函〔2016〕38号”是国务院的文号，不是河南省的"),
        (None, None, "济源市", "city", [], ""),
        # An issuer that names only a level: a province's office is not a city's.
        ("省政府办公厅", None, "宁波市", "city", [], "发文机关“省政府办公厅”是省级政府，宁波市不是"),
        ("区人民政府办公室", "蔡政办〔2023〕1号", "蔡甸区", "district", [], ""),
        # The issuer wins over a 文号 quoting another government's (新密 forwards 郑州's).
        ("新密市人民政府办公室", "郑政办〔2021〕15号", "新密市", "county", [], ""),
        ("鞍山市立山区人民政府", "鞍立政发〔2023〕2号", "立山区", "district", [], ""),
    ],
)
def test_whose_notice(issuer, number, government, level, above, expected):
    assert foreign_issuer(issuer, number, government, level, above=above) == expected


def test_a_government_known_by_another_name_takes_its_office_names_notice():
    assert foreign_issuer("济源市人民政府", None, "济源产城融合示范区", "city") != ""
    assert (
        foreign_issuer("济源市人民政府", None, "济源产城融合示范区", "city", other_names=["济源市人民政府办公室"]) == ""
    )


@given(roots, st.sampled_from(list(LEVEL_WORDS)), st.sampled_from(ORGANS), st.sampled_from(list(LEVEL_WORDS)))
def test_any_organ_of_the_government_itself_is_its_own(root, level_word, organ, written_level):
    """济源市 / 济源示范区 / 济源市人民政府办公室 … are all 济源's, however the government is named."""
    government = root + level_word
    issuer = root + written_level + organ
    assert place_of(issuer).root == root
    assert foreign_issuer(issuer, None, government, LEVEL_WORDS[level_word]) == ""


@given(roots, roots, st.sampled_from(list(LEVEL_WORDS)), st.sampled_from(ORGANS[:-1]), st.sampled_from(["省", "市"]))
def test_another_places_organ_always_warns(mine, theirs, level_word, organ, their_level):
    if mine == theirs:
        return
    government = mine + level_word
    issuer = theirs + their_level + organ
    warning = foreign_issuer(issuer, None, government, LEVEL_WORDS[level_word], above=[theirs + their_level])
    assert warning.startswith(f"发文机关“{issuer}”不是{government}")
    assert warning.endswith(f"是上级政府{theirs}{their_level}的通知")


@given(roots, st.sampled_from(["省", "市", "县", "区"]), roots, st.sampled_from(["区", "县"]), st.sampled_from(ORGANS))
def test_a_chain_of_places_is_its_innermost(outer, outer_level, inner, inner_level, organ):
    place = place_of(outer + outer_level + inner + inner_level + organ)
    assert place.root == inner and place.within == (outer,)
