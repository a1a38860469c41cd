"""Whose notice is this? The issuer (发文机关) and 文号 against the government importing it.

A notice is a government's own when the place its issuer names is the government's place, whatever
organ it writes: 济源市人民政府, 济源示范区管委会, 济源市人民政府办公室 and 中共济源市委办公室 are all
济源's; 河南省人民政府办公厅 is 河南's and, imported into 济源示范区, is another government's.  A name
is read as the organ at its end set aside (人民政府 / 政府 / 办公厅 / 办公室 / 管委会 …), then as a
chain of places, each ending in a level (省 / 自治区 / 市 / 州 / 县 / 旗 / 区 / 示范区 …):
鞍山市立山区人民政府 is 立山 (a district) in 鞍山; the innermost place is the issuer's.

With no issuer to read, the 文号 is the evidence: 国发 / 国办 / 国函 are the State Council's; a
province's abbreviation (豫政〔2026〕4号 is 河南's) counts when the importing government is another
province or sits below that province (one character is ambiguous: 云 is 云南's and 云浮's).
A city's own abbreviation is not checked: cities use irregular ones (宁波 writes 甬).

Plain Python: the web application and ``duban import`` both call ``foreign_issuer``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The organ at the end of an issuer's name, longest first (simplified and traditional forms).
ORGANS = (
    "人民政府办公厅",
    "人民政府办公室",
    "人民政府辦公廳",
    "人民政府辦公室",
    "政府办公厅",
    "政府办公室",
    "政府辦公廳",
    "政府辦公室",
    "委办公厅",
    "委办公室",
    "人民政府",
    "管理委员会",
    "管理委員會",
    "管委会",
    "管委會",
    "工委",
    "政府",
    "办公厅",
    "办公室",
    "辦公廳",
    "辦公室",
    "委",
)
# Places and their levels, longest first; a place's own name (its root) is at least two characters.
PLACE_SUFFIXES = (
    ("特别行政区", "province"),
    ("自治区", "province"),
    ("自治州", "city"),
    ("自治县", "county"),
    ("示范区", "zone"),
    ("实验区", "zone"),
    ("开发区", "zone"),
    ("高新区", "zone"),
    ("新区", "zone"),
    ("地区", "city"),
    ("林区", "zone"),
    ("省", "province"),
    ("市", "city"),
    ("州", "city"),
    ("盟", "city"),
    ("县", "county"),
    ("旗", "county"),
    ("区", "district"),
)
NATIONAL = "national"
# 国务院 and its office issue for the whole country.
NATIONAL_ISSUERS = ("国务院", "國務院")
# The one-character abbreviations provinces open their 文号 with (豫政〔2026〕4号), and the State Council's.
PROVINCE_ABBREVIATIONS = {
    "京": "北京",
    "津": "天津",
    "冀": "河北",
    "晋": "山西",
    "蒙": "内蒙古",
    "辽": "辽宁",
    "吉": "吉林",
    "黑": "黑龙江",
    "沪": "上海",
    "苏": "江苏",
    "浙": "浙江",
    "皖": "安徽",
    "闽": "福建",
    "赣": "江西",
    "鲁": "山东",
    "豫": "河南",
    "鄂": "湖北",
    "湘": "湖南",
    "粤": "广东",
    "桂": "广西",
    "琼": "海南",
    "渝": "重庆",
    "川": "四川",
    "黔": "贵州",
    "滇": "云南",
    "云": "云南",
    "藏": "西藏",
    "陕": "陕西",
    "甘": "甘肃",
    "青": "青海",
    "宁": "宁夏",
    "新": "新疆",
}
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Place:
    root: str  # 济源, 河南, 立山; empty when the name gives only a level (市人民政府)
    level: str | None  # province / city / county / district / zone / national; None when unknown
    within: tuple[str, ...] = ()  # the places around it, outermost first (鞍山 for 立山区)


def place_of(name: str | None) -> Place | None:
    """The place a government's or an issuer's name stands for; None when it names none."""
    text = _SPACES.sub("", name or "")
    text = re.sub(r"^中共|^中国共产党", "", text)
    if not text:
        return None
    if text.startswith(NATIONAL_ISSUERS):
        return Place("国务院", NATIONAL)
    for organ in ORGANS:
        if text.endswith(organ) and len(text) > len(organ):
            text = text[: -len(organ)]
            break
    places: list[tuple[str, str]] = []
    start = pos = 0
    while pos < len(text):
        for suffix, level in PLACE_SUFFIXES:
            if text.startswith(suffix, pos) and pos - start >= 2:
                places.append((text[start:pos], level))
                start = pos = pos + len(suffix)
                break
        else:
            pos += 1
    if places:
        root, level = places[-1]
        return Place(root, level, tuple(r for r, _ in places[:-1]))
    for suffix, level in PLACE_SUFFIXES:
        if text == suffix:
            return Place("", level)  # 市人民政府, 区人民政府办公室: a level, no place
    return None


def _same_level(issuer_level: str | None, level: str | None) -> bool:
    """Whether a level-only issuer (省政府办公厅) may be this government's: only a province's is a province's."""
    if issuer_level is None or level is None:
        return True
    return (issuer_level == "province") == (level == "province")


def foreign_issuer(
    issuer: str | None,
    doc_number: str | None,
    government: str,
    level: str | None = None,
    *,
    other_names: tuple[str, ...] | list[str] = (),
    above: tuple[str, ...] | list[str] = (),
) -> str:
    """One sentence saying why the notice seems another government's, or "" when nothing says so.

    ``government`` is the importing government's name, ``other_names`` what else it is called
    (its office's name, 济源市人民政府办公室 for 济源示范区), ``above`` the governments over it, nearest first.
    """
    own = [p for p in (place_of(n) for n in (government, *other_names)) if p is not None and p.root]
    roots = {p.root for p in own}
    uppers = [(name, place_of(name)) for name in above]

    def whose(root: str) -> str:
        for name, place in uppers:
            if place is not None and place.root == root:
                return f"，是上级政府{name}的通知"
        return ""

    found = place_of(issuer)
    if found is not None and found.root:
        if found.root in roots:
            return ""
        if found.level == NATIONAL and level == NATIONAL:
            return ""
        return f"发文机关“{issuer}”不是{government}{whose(found.root)}"
    if found is not None and not _same_level(found.level, level):
        return f"发文机关“{issuer}”是{'省级' if found.level == 'province' else '省级以下'}政府，{government}不是"
    number = _SPACES.sub("", doc_number or "")
    if not number:
        return ""
    if number.startswith(("国发", "国办", "国函")) and level != NATIONAL:
        return f"文号“{doc_number}”是国务院的文号，不是{government}的"
    province = PROVINCE_ABBREVIATIONS.get(number[0])
    own_initials = {n.strip()[:1] for n in (government, *other_names) if n.strip()} | {r[:1] for r in roots}
    if province is None or province in roots or number[0] in own_initials:
        return ""  # not a province's, or the government's own (云政 for 云溪市)
    # One character is weak evidence (云 is 云南's and 云浮's): it counts for a province, or when the
    # province it names is above the government (河南's 豫政 imported into 济源示范区).
    above_it = whose(province)
    if level != "province" and not above_it:
        return ""
    return f"文号“{doc_number}”是{province}的文号，不是{government}的{above_it}"
