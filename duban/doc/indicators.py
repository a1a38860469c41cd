"""Figures in task and target text: 增长 5.5%, 粮食产量 4.8 亿斤, 100 场次以上.

A figure is an Arabic number followed by a unit (``%``, ``亿元``, ``场次``,
``万人``…), optionally a range (``5%—6%``) and a trailing qualifier
(以上 / 以内 / 左右 / 以下).  Around it:

- the word right before the number says how to read it: a change verb
  (增长, 下降…) makes it a growth figure, a bound verb (控制在, 突破, 不低于…)
  becomes the qualifier when no trailing qualifier is written;
- the indicator's name is the noun phrase before that verb, cut back to the
  clause separator and stripped of leading action verbs (力争, 实施, 建成…);
- when nothing is left before the number (``打造 3 个省级标杆企业``,
  ``洛阳等10个国家物流枢纽``) the name is the noun phrase after the unit.

Precision comes first: a number with no unit, a year, a date, an ordinal
(第20届), a model number (PM2.5, 5G) or an attributive size (``金利 15 万吨高纯锌``,
``10万千瓦及以下燃煤机组``) is not an indicator.  Every value returned is the
number exactly as written; a decrease keeps its value positive and says
``下降`` in the qualifier (``下降以上`` for ``压缩 70%以上``).  A range
``5%—6%`` gives the lower bound as ``value``, the upper as ``value_max`` and
the qualifier ``区间``.
"""

from __future__ import annotations

import re

from duban.doc.model import Indicator

# Full-width digits, letters, ％ and ． map one-to-one onto ASCII, so offsets in
# the normalised text are offsets in the original.
_WIDE = {chr(c): chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)}
_WIDE.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF21, 0xFF3B)})
_WIDE.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF41, 0xFF5B)})
_WIDE.update({"％": "%", "．": "."})
_NORMALISE = str.maketrans(_WIDE)

SHARE_UNITS = ("个百分点", "百分点", "%", "‰")
COUNT_UNITS = (
    "人次 场次 班次 个 项 家 条 座 处 所 名 人 场 次 件 批 户 辆 台 套 只 头 种 支 部 间 张 床 位 列 架 艘 宗 笔 例 篇"
).split()
LEVEL_UNITS = (
    "吨标准煤 平方公里 平方米 立方米 千瓦时 标准箱 美元 公斤 千克 公顷 公里 千米 千瓦 标箱 元 斤 吨 亩 米"
).split()
MAGNITUDES = ("万亿", "千亿", "百亿", "亿", "千万", "百万", "十万", "万", "千")


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_SEPARATORS = "，,、；;。：:！!？?（）()\n\r\t【】《》"
_MEASURE = _alternation(SHARE_UNITS + tuple(COUNT_UNITS) + tuple(LEVEL_UNITS))
_MAG = _alternation(MAGNITUDES)
# A bare magnitude (达到 5 万) counts only when nothing follows that could be its unit.
_UNIT = (
    rf"(?:(?:{_MAG})?(?:{_MEASURE})|(?:{_MAG})(?=\s*(?:(?:以上|以内|左右|以下)\s*)?(?:[{re.escape(_SEPARATORS)}]|$)))"
)
_NUMBER = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"
_TRAILING = ("以上", "以内", "左右", "以下")

FIGURE_RE = re.compile(
    rf"(?P<num>{_NUMBER})\s*"
    rf"(?:(?P<unit1>{_UNIT})?\s*(?:—|–|-|~|～|至|到)\s*(?P<num2>{_NUMBER})\s*)?"
    rf"(?P<unit>{_UNIT})"
    rf"(?:\s*(?P<trail>{'|'.join(_TRAILING)}))?"
)

# The word right before the number (matched longest first, so 不低于 wins over 低于),
# and the qualifier it gives when no trailing 以上 / 左右 / … is written.
_BOUND_VERBS = {
    "不低于": "不低于",
    "不少于": "不少于",
    "不超过": "不超过",
    "不高于": "不高于",
    "控制在": "控制在",
    "稳定在": "稳定在",
    "保持在": "保持在",
    "突破": "突破",
    "达到": "达到",
    "超过": "超过",
    "低于": "低于",
    "高于": "高于",
    "达": "达到",
    "超": "超过",
    "近": "近",
    "约": "约",
}
_RISE_VERBS = ("增长", "增加", "提高", "提升", "改善", "上调")
_FALL_VERBS = ("下降", "降低", "减少", "压缩", "缩减", "缩短", "下调")
# 增至 / 压减至 / 提高到 state the level reached, not the change.
_NEUTRAL_VERBS = (
    "新增",
    "为",
    "保持",
    "增至",
    "降至",
    "升至",
    "提高至",
    "提高到",
    "提升至",
    "提升到",
    "扩大至",
    "扩围至",
    "拓展至",
    "压减至",
    "减少至",
    "下降至",
    "下降到",
    "增加到",
    "增加至",
)
_VERB_BEFORE_RE = re.compile(
    rf"(?P<verb>{_alternation(tuple(_BOUND_VERBS) + _RISE_VERBS + _FALL_VERBS + _NEUTRAL_VERBS)})\s*$"
)

# Words between a name and its verb that are not part of the name: 地区生产总值年均增长.
_TRAILING_ADVERB_RE = re.compile(
    r"(?:年均|同比|环比|平均|(?<![人生户亩])均|分别|累计|再|平稳|连年|比(?:上年|去年|上一年|[0-9]{4}年)(?:同期)?|"
    r"较(?:“[^”，、]{1,8}”|[^，、“]{0,12}?)(?:末|年|前|同期)?)\s*$"
)
# Time phrases and list marks a name may open with: 年底前建成…, 到“十五五”末…, “十五五”期间累计….
_LEADING_NOISE_RE = re.compile(
    r"[*#\s]+|的|(?:到|至)?“?十[一二三四五六七八九]五”?(?:期间|时期|末)?|年底前|年内|全年|今年|明年|到[^，、]{1,10}?末"
)
# Action verbs a name starts with: 力争新增贷款 → 新增贷款, 滚动实施重点项目 → 重点项目.
_LEADING_VERBS = (
    "力争 确保 努力 争取 全年 今年 年内 全力 加快 持续 积极 深入 扎实 压茬 滚动 动态 组团 落地 盘活 组织 实施 实现 完成 "
    "推动 推进 开展 建成 新建 改建 新改建 改造 建设 打造 培育 新培育 转化 参加 举办 创建 办好 利用 储备 发放 启动 "
    "谋划 认定 新认定 壮大 开工 引进 招引 签约 开行 提升 累计 成功 精准 推出 交付"
).split()
_LEADING_VERB_RE = re.compile(rf"(?:{_alternation(_LEADING_VERBS)})")
# After 等 a list ends; what follows may open with the list's category: 房地产等领域促消费活动.
_AFTER_DENG_RE = re.compile(r"(?:重点领域|领域|方面|行业|地区)")
# Verbs that end a name read after the figure: 23 个[项目]投产达效, 3 家[企业]获评….
_NAME_AFTER_VERB_RE = re.compile(
    r"(?:投产|获评|入选|跻身|成为|完成|同步|顺利|彻底|得到|实现|开工|竣工|建成|广受|荣获|通过|按时|提质升级|签约|纳入|(?:提升|提高)(?:至|到)|建设$)"
)
# 等 that is part of a word, not the end of a list.
_DENG_RE = re.compile(r"(?<![高中初平同均对])等(?![级次])")
# A unit of time after 个 makes a duration, not a count: 3 个月, 5 个工作日.
_DURATION_AFTER_RE = re.compile(r"(?:月|工作日|小时|季度|年|星期)")
# A task's own number when the caller passes the whole line: "23. 组织实施…".
_TASK_NUMBER_RE = re.compile(r"(?:[0-9]+\s*[.、]|[（(][一二三四五六七八九十0-9]+[）)])\s*")
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_SPACE_RE = re.compile(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])")
_GROWTH_NAME_RE = re.compile(r"(?:增速|增幅|涨幅|增长率|增长)$")
_NAME_AFTER_STOP = set(_SEPARATORS) | set("0123456789等")
_MAX_NAME = 24


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _unit_kind(unit: str) -> str:
    for mag in MAGNITUDES:
        if unit.startswith(mag) and unit != mag:
            unit = unit[len(mag) :]
            break
    if unit in SHARE_UNITS:
        return "share"
    if unit in COUNT_UNITS:
        return "count"
    return "level"


def _clean_name(name: str) -> str:
    name = _SPACE_RE.sub("", name.strip())
    # A quote whose partner lies outside the name is dropped: 断头路” → 断头路.
    if name.count("“") != name.count("”"):
        name = name.replace("“", "").replace("”", "")
    if name.startswith("“") and name.endswith("”") and name.count("“") == 1:
        name = name[1:-1]
    return name.strip()


def _name_after(text: str, start: int) -> tuple[str, int]:
    """The noun phrase after a figure: 打造 3 个[省级“两业”融合标杆企业]和重点区域."""
    i = start
    while i < len(text) and text[i].isspace():
        i += 1
    if text.startswith("的", i):
        i += 1
    begin = i
    while i < len(text) and i - begin < _MAX_NAME:
        ch = text[i]
        if ch in _NAME_AFTER_STOP or (ch in "和及与" and i > begin):
            break
        i += 1
    name = text[begin:i]
    stop = _NAME_AFTER_VERB_RE.search(name)
    if stop:
        name = name[: stop.start()]
    return _clean_name(name), i


def _is_attributive(text: str, end: int, unit: str) -> bool:
    """A noun right after the figure makes it a size, not a target: 15 万吨高纯锌."""
    rest = text[end : end + 3].lstrip()
    if not rest:
        return False
    if rest.startswith(("及以下", "及以上")):
        return True
    if _unit_kind(unit) != "count" and (_LEADING_VERB_RE.match(rest) or rest.startswith("用于")):
        return False  # 投资 2.1 亿元实施…: the figure ends, a new clause starts
    return rest[0] != "的" and bool(_CJK_RE.match(rest[0]) or rest[0] == "“" or rest[0].isascii() and rest[0].isalpha())


def _name_before(text: str, lo: int, hi: int) -> tuple[int, int, bool]:
    """Bounds of the noun phrase in text[lo:hi], and whether it opened with 力争."""
    while lo < hi and text[lo].isspace():
        lo += 1
    m = _TASK_NUMBER_RE.match(text, lo, hi)
    if m:
        lo = m.end()
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    while True:
        m = _TRAILING_ADVERB_RE.search(text, lo, hi)
        if not m:
            break
        hi = m.start()
        while hi > lo and text[hi - 1].isspace():
            hi -= 1
    deng = None
    for deng in _DENG_RE.finditer(text, lo, hi):  # noqa: B007 - the last one counts
        pass
    if deng:
        lo = deng.end()
        m = _AFTER_DENG_RE.match(text, lo, hi)
        if m:
            lo = m.end()
    if hi > lo and text[hi - 1] in "和及与的":
        return hi, hi, False
    striving = False
    while True:
        m = _LEADING_NOISE_RE.match(text, lo, hi)
        if m and m.end() > lo:
            lo = m.end()
            continue
        m = _LEADING_VERB_RE.match(text, lo, hi)
        if not m:
            break
        rest = m.end()
        while rest < hi and text[rest].isspace():
            rest += 1
        if hi - rest == 1:  # 建设园: the verb was part of the noun
            break
        striving = striving or m.group() == "力争"
        lo = rest
    while lo < hi and text[lo].isspace():
        lo += 1
    return lo, hi, striving


def _region_start(text: str, pos: int, floor: int) -> int:
    i = pos
    while i > floor and text[i - 1] not in _SEPARATORS:
        i -= 1
    return i


def _ends_with_di(text: str, pos: int) -> bool:
    """``text[:pos].rstrip().endswith("第")`` without copying the text before every figure
    (that copy made a long task's indicators quadratic in its length)."""
    i = pos
    while i > 0 and text[i - 1].isspace():
        i -= 1
    return i > 0 and text[i - 1] == "第"


def find_indicators(text: str) -> list[Indicator]:
    """Every figure with a unit in ``text``, in order, as ``Indicator``s."""
    norm = text.translate(_NORMALISE)
    found: list[Indicator] = []
    floor = 0  # names never reach back past the previous figure
    for m in FIGURE_RE.finditer(norm):
        start, end = m.start(), m.end()
        before_char = norm[start - 1] if start else ""
        if before_char and (before_char.isascii() and (before_char.isalnum() or before_char in "_.{}/:,")):
            continue  # PM2.5, PM_{2.5}, V2.0, 12:30
        if _ends_with_di(norm, start):
            continue  # 第20届
        after_num = norm[m.end("num") : m.end("num") + 1]
        if after_num.isascii() and after_num.isalpha():
            continue  # 5G
        unit = m.group("unit")
        if unit.endswith("个") and _DURATION_AFTER_RE.match(norm, end):
            continue
        unit1 = m.group("unit1")
        if unit1 and unit1 != unit:
            continue  # 5万—6亿: not one range

        region_start = _region_start(norm, start, floor)
        vm = _VERB_BEFORE_RE.search(norm, region_start, start)
        verb = vm.group("verb") if vm else None
        lo, hi, striving = _name_before(norm, region_start, vm.start() if vm else start)
        if lo < hi:
            name = _clean_name(norm[lo:hi])
            span_start, span_end = lo, end
            if _is_attributive(norm, end, unit):
                continue  # its noun may still name a later figure: 新增10万元以上收入村100个
        elif m.group("trail") and _unit_kind(unit) != "count" and _is_attributive(norm, end, unit):
            continue  # 10万元以上收入村: a threshold describing the noun
        else:
            name, span_end = _name_after(norm, end)
            span_start = vm.start() if vm else start
            if not name:
                floor = end
                continue

        trail = m.group("trail")
        if verb in _RISE_VERBS or verb in _FALL_VERBS:
            kind = "growth"
        elif _unit_kind(unit) == "share" and _GROWTH_NAME_RE.search(name):
            kind = "growth"
        else:
            kind = _unit_kind(unit)

        if m.group("num2"):
            qualifier = "区间"
        elif verb in _FALL_VERBS:
            qualifier = "下降" + (trail or "")
        elif trail:
            qualifier = trail
        elif verb in _BOUND_VERBS:
            qualifier = _BOUND_VERBS[verb]
        elif striving:
            qualifier = "力争"
        else:
            qualifier = None

        indicator = Indicator(
            name=name,
            value=_number(m.group("num")),
            unit=unit,
            qualifier=qualifier,
            kind=kind,
            text=text[span_start:span_end].strip(),
        )
        if m.group("num2"):
            indicator.value_max = _number(m.group("num2"))
        found.append(indicator)
        floor = end
    return found
