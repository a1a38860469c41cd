"""Decomposing a work report into a draft notice: sections and numbered tasks.

The shape follows the notices offices actually publish (Jiyuan 济政〔2026〕1号,
Henan 豫政〔2026〕4号):

- the main expected targets come first, one task each, under
  ``一、{year}年主要预期目标``;
- each area （一）… of the report becomes a level-1 section ``二、…``;
- each paragraph's lead phrase (``全力扩大有效投资。``) becomes a level-2
  section ``（一）…``, numbered afresh under each level-1 section as Jiyuan does;
  a paragraph without one stays under the section before it (Henan puts
  ``加强国防动员…`` under the last level-2 heading of its area);
- the sentences of a paragraph become tasks, numbered 1…N through the document.

What one task is comes from those notices too: of their 266 tasks all but a
handful are exactly one report sentence, usually long, several actions on one
topic joined by ``，``; no task opens with a connective or a speaker
(``同时，我们将…``).  So the rules are:

1. a sentence (closed by 。！？, or a half closed by ；) is a candidate task;
2. a sentence that only continues the one before it — opening with a word that
   points back (其中、并且、从而、进而、以此、特别是…) — is merged into it;
3. a sentence that commits to nothing is dropped as framing: it has no figure,
   and it either opens as a stance (``我们将坚持…``, ``必须…``, ``只有…``), states
   what something *is* (``…是…的关键``), or has no action verb at all (a slogan);
4. connectives and the speaker are cut from the front of a task
   (``同时，我们将加强…`` → ``加强…``); everything else — figures, named projects —
   stays with its sentence, word for word.

Dropped sentences are listed in the draft's warnings, so a reviewer sees them.
"""

from __future__ import annotations

import re

from duban.doc.indicators import find_indicators
from duban.doc.loaders.word_numbering import chinese_number
from duban.doc.model import Document, Paragraph, Task
from duban.doc.normalise import clean, split_outside_brackets

# Verbs by which a report commits the government to do something.
ACTION_VERBS = (
    "推进 推动 实施 建设 建成 建强 完成 开展 加快 加速 加大 加力 启动 开工 新建 改建 扩建 新增 改造 打造 培育 培养 "
    "引进 引导 举办 办好 承办 出台 制定 编制 修订 落实 落细 实现 确保 力争 争创 创建 创成 争取 提升 提高 扩大 深化 "
    "强化 加强 优化 完善 健全 支持 鼓励 发展 组织 做好 抓好 做强 做优 做大 做实 开通 通车 投产 投用 竣工 签约 用好 "
    "用足 规范 整治 治理 保护 防范 严守 严格 巩固 推行 探索 建立 构建 设立 申报 谋划 储备 招引 招商 化解 解决 保障 "
    "稳定 降低 减少 压减 压降 盘活 清理 打击 取缔 关停 搬迁 整合 改革 普及 推广 宣传 开放 促进 维护 守牢 兜牢 筑牢 "
    "夯实 压实 提供 增加 投入 实行 执行 落地 布局 拓展 拓宽 畅通 贯通 打通 保持 控制 达到 突破 增长 帮助 监管 监测 "
    "排查 检查 督查 考核 评估 认定 验收 挖掘 释放 激发 抢抓 利用 扩容 扩面 提标 提质 增效 扩能 统筹 协同 联动 对接 "
    "融入 参与 举行 开设 成立 组建 设置 配备 配齐 补充 更新 升级 转型 达标 清零 遏制 杜绝 严禁 禁止 预防 应对 处置 "
    "救助 补贴 发放 减免 覆盖 接入 延伸 延长 试点 承接 安置 改善 修复 修缮 提档 回应 营造 弘扬 传承 展示 推出 创作 "
    "打响 擦亮 培训 吸纳 安排 下达 拨付 筹措 推介 开发 研发 攻克 转化 孵化 壮大 延链 补链 强链 铸牢 稳住 明确 "
    "聚力 压茬 滚动 缩短 压缩 实施 提速 接续 承担 打好 抓实 办理 管好 建好 用活 激活 招聘 开拓 入市 上市 创新 发挥 运营 落户 办结 兑现"
).split()
_ACTION = re.compile("|".join(ACTION_VERBS))

# A figure: Arabic digits, or a Chinese numeral counting something (三十个、两万亩).
_FIGURE = re.compile(r"\d|[一二三四五六七八九十百千万两]+(个|项|家|所|座|条|处|万|亿|千|百|名|人|场|批次|年)")

# Openings that set a stance rather than commit to work.
_STANCE_OPENING = re.compile(
    r"^(要以|要坚持|必须坚持|只有|各位代表|今年是|新征程|新的一年|我们(将|要|必须)?(始终|坚持|牢记|坚定|深刻|清醒|一定))"
)
# ``…是…的关键`` and the like: a statement of what something is (not ``以…为核心``).
_COPULA = re.compile(
    r"^(?!以)[^，。；]{1,24}是[^，。；]{0,24}(关键|根本|基础|前提|保障|基石|重中之重|第一要务|必由之路|应有之义|"
    r"必然要求|重要抓手|重要支撑|核心|生命线|着力点|落脚点|出发点|题中之义)"
)
# Manner words a verb may carry in front: 持续推进, 深入实施, 高标准打造.
_ADVERB = re.compile(
    r"^(持续|深入|全面|大力|积极|加快|着力|全力|扎实|切实|进一步|稳步|有序|统筹|协同|常态化|高标准|高质量|高水平|重点|"
    r"努力|坚决|严格|精准|主动|不断|认真|加速|有效|广泛|分类|逐步|同步|纵深|系统|一体|依法|带头)+"
)
# Words by which a sentence points back to the one before it.
_CONTINUATION = re.compile(
    r"^(其中|并且|并将|并在|并按|并于|并确保|并力争|从而|进而|以此|由此|特别是|尤其是|届时|这些|此举)"
)
# A connective or the speaker in front of a task: cut, the task stays.
_OPENER = re.compile(r"^(同时|此外|另外|与此同时|此外还)[，,]?|^我们(将|要|会)?(?=[\u4e00-\u9fff])")


def decompose(report: Document) -> Document:
    """The draft notice for a report: sections and numbered tasks, units empty."""
    draft = Document(
        kind="draft",
        title=_draft_title(report),
        issuer=report.issuer,
        year=report.year,
        source=report.source,
    )
    number = 0

    def add(section: list[str], text: str) -> None:
        nonlocal number
        number += 1
        # As a notice prints it: no extraction spaces around figures (增长 5.5% → 增长5.5%).
        text = clean(text)
        draft.tasks.append(Task(number=str(number), section=list(section), text=text, indicators=find_indicators(text)))

    level1 = 0
    if report.targets:
        level1 += 1
        heading = (
            f"{chinese_number(level1)}、{report.year}年主要预期目标"
            if report.year
            else f"{chinese_number(level1)}、主要预期目标"
        )
        for target in report.targets:
            add([heading], _close(target.text))

    for area in report.areas:
        level1 += 1
        section = [f"{chinese_number(level1)}、{area.heading}"]
        level2 = 0
        for paragraph in area.paragraphs:
            if paragraph.lead:
                level2 += 1
                section = [section[0], f"（{chinese_number(level2)}）{paragraph.lead}"]
            opening = len(section) == 1 and any(p.lead for p in area.paragraphs)
            for text, kept in paragraph_tasks(paragraph):
                if kept:
                    add(section, text)
                    if opening:
                        # Notices seldom list an area's summary sentence; the reviewer decides.
                        draft.warn(f"第{number}项是“{area.heading}”的总述，通知常不单列，请核对。")
                else:
                    draft.warn(f"未列为任务（表态性语句）：{text}")
    return draft


def paragraph_tasks(paragraph: Paragraph) -> list[tuple[str, bool]]:
    """The paragraph's tasks in order, each with whether it is kept (False: framing)."""
    out: list[tuple[str, bool]] = []
    for sentence in split_sentences(paragraph.text):
        if out and out[-1][1] and (_CONTINUATION.match(sentence) or _parallel(out[-1][0], sentence)):
            out[-1] = (out[-1][0][:-1] + "，" + sentence, True)
            continue
        if is_framing(sentence):
            out.append((sentence, False))
            continue
        out.append((_close(_cut_openers(sentence)), True))
    return out


def _cut_openers(sentence: str) -> str:
    """``同时，我们将加强…`` → ``加强…``."""
    while (cut := _OPENER.sub("", sentence, count=1)) != sentence:
        sentence = cut
    return sentence


def _parallel(previous: str, sentence: str) -> bool:
    """``推动甲、乙与A联动发展。丙、丁与B联动发展。``: the same predicate for another
    subject, its verb left to the sentence before (Jiyuan writes this as one task)."""
    tail = _letters(sentence)[-4:]
    return len(tail) == 4 and tail == _letters(previous)[-4:] and not _opens_with_verb(sentence)


def _opens_with_verb(sentence: str) -> bool:
    head = _ADVERB.sub("", sentence, count=1)
    return bool(_ACTION.match(head))


def _letters(text: str) -> str:
    return re.sub(r"[\W_]+", "", text)


def split_sentences(text: str) -> list[str]:
    """Sentences closed by 。！？, and the halves of a sentence split by ``；`` where
    each half is an action of its own. Quotes and brackets are never split."""
    out: list[str] = []
    for sentence in split_outside_brackets(text, "。！？", keep=True):
        halves = split_outside_brackets(sentence, "；", keep=False)
        if len(halves) > 1 and all(len(h) >= 8 and _ACTION.search(h) for h in halves):
            out.extend(_close(h) for h in halves)
        else:
            out.append(sentence)
    return [s for s in (s.strip() for s in out) if s.strip("。！？；，")]


def is_framing(sentence: str) -> bool:
    """A sentence that commits to nothing: no figure, and a stance, a statement of
    what something is, or no action verb at all."""
    if _FIGURE.search(sentence):
        return False
    if _STANCE_OPENING.match(sentence):
        return True
    copula = _COPULA.match(sentence)
    if copula and not _ACTION.search(sentence[copula.end() :]):
        return True  # what something is, with no work to do after it
    return not _ACTION.search(sentence)


def _close(text: str) -> str:
    """A task text carries its own final 。, as in a notice."""
    text = text.strip().rstrip("，,；;：:、")
    return text if text.endswith(("。", "！", "？")) else text + "。"


def _draft_title(report: Document) -> str:
    government = report.issuer or ""
    year = f"{report.year}年" if report.year else ""
    return f"{government}关于明确政府工作报告提出的{year}重点工作责任单位的通知{DRAFT_MARK}"


# What a drafted notice's title ends with until the office publishes it (``undrafted`` takes it off).
DRAFT_MARK = "（草稿）"


def undrafted(title: str) -> str:
    """A drafted notice's title as published: without the trailing （草稿） (or (草稿)), else unchanged."""
    stripped = title.rstrip()
    for mark in (DRAFT_MARK, "(草稿)"):
        if stripped.endswith(mark):
            return stripped[: -len(mark)].rstrip()
    return title
