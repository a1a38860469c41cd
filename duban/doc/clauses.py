"""The unit clause grammar: who does a task, in which role.

Forms (see ``docs/schema.md`` for the full list with examples):

- parenthetical: ``（A牵头，B、C等相关单位按职责分工负责）``, ``（A负责，B监测）``,
  ``（A、B按职责分工负责）``, ``（A牵头负责）``;
- labelled: ``牵头单位：A；配合单位：B、C；完成时限：6月底前`` in brackets or
  on a line of its own;
- table columns, which arrive here as labelled parts.

Within a list, ``省`` written once covers each provincial department after
it, a suffix written once (``郑州、洛阳市政府``) covers each bare place before
it, ``各``/``相关`` covers each collective category after it, and ``等相关单位`` closes
the list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from duban.doc.model import LEAD, MONITOR, RESPONSIBLE, SUPPORT, UnitRef
from duban.doc.normalise import fold, split_outside_brackets
from duban.vocab_clauses import (
    CLAUSE,
    DEADLINE,
    FIRST_LISTED_NOTE_RE,
    LABEL_RE,
    LABELS,
    LEADER,
    ROLE_WORDS,
    SHARE,
)

OPEN, CLOSE = "（([【〔", "）)]】〕"

_ROLE_WORDS = ROLE_WORDS
_ROLE_RE = re.compile("(" + "|".join(re.escape(w) for w, _ in _ROLE_WORDS) + ")+$")
_ROLE_OF = dict(_ROLE_WORDS)
_ANY_ROLE_RE = re.compile("|".join(re.escape(w) for w, _ in _ROLE_WORDS))
_LABELS = LABELS
_LABEL_RE = LABEL_RE

_DEADLINE_RE = re.compile(
    r"^(?:(?:\d{4}年)?\d{1,2}月(?:\d{1,2}日|底|中旬|上旬|下旬|末)?(?:前|以前|之前)?(?:完成|启动|建成)?"
    r"|(?:年底|年内|年末|季度末|上半年|下半年|全年)(?:前|以前)?(?:完成|建成)?"
    r"|(?:持续推进|长期坚持|持续实施|长期推进|持续开展|按时序推进|常态化推进))$"
)

# Groups that end a list and are not units.
_CLOSER_RE = re.compile(r"等(?:相关|有关|其他)?(?:责任|职能|成员|市直|省直|区直)?(?:单位|部门|机构)$")
# 河南愚公集团有限公司等区管国有企业: a named unit and a collective.
_AND_CATEGORY_RE = re.compile(
    r"^(.+?)等((?:各|相关|有关)?.*(?:企业|政府|单位|部门|学校|高校|医院|机构|办事处|管委会|办公室))$"
)

# Words that make a category a collective, longest first.
_QUALIFIERS = ("各相关", "各有关", "各", "相关", "有关")
# Category names that mean "every unit of this kind"; 各 distributes over them.
_CATEGORIES = (
    "开发区",
    "开发区管理办公室",
    "开发区管委会",
    "镇人民政府",
    "乡镇人民政府",
    "乡人民政府",
    "镇政府",
    "乡镇政府",
    "街道办事处",
    "区管国有企业",
    "市管国有企业",
    "国有企业",
    "省辖市政府",
    "省辖市人民政府",
    "县（市、区）政府",
    "县（市、区）人民政府",
    "县（市）政府",
    "县区政府",
    "县级政府",
    "市政府各部门",
    "职能部门",
    "部门",
    "单位",
    "村（社区）",
    "社区",
    "学校",
    "高校",
    "医疗机构",
)

# Suffixes a bare place name takes from the last name of its run.
_PLACE_SUFFIXES = (
    "市人民政府",
    "县人民政府",
    "区人民政府",
    "镇人民政府",
    "乡人民政府",
    "市政府",
    "县政府",
    "区政府",
    "镇政府",
    "乡政府",
    "街道办事处",
    "管委会",
    "管理委员会",
)

# What an organisation's name ends with. A name ending otherwise is a bare place.
_ORG_ENDINGS = re.compile(
    r"(局|厅|委|办|室|会|院|校|所|队|中心|站|部|社|行|关|处|政府|公司|集团|企业|单位|部门|联|团|署|台|馆|库|团省委|分行|支行|机构|学院|大学|组|科|协)$"
)
# Names that carry their own place or owner do not take a distributed 省/市 prefix.
_OWN_PLACE = re.compile(
    r"^((?!市场|市政工程|市政公用|市容|区域|县域)(省|市|县|区)|中国|国家|国网|人行|人民银行|中央|全国|河南|郑州|团|[\u4e00-\u9fff]{2,3}(省|市|县|区))"
)
# National bodies (部), companies, universities (but 省科学院 is the province's).
_NO_PREFIX_ENDINGS = re.compile(r"(公司|集团|海关|银行|分行|证监局|调查队|调查总队|所|大学|(?<!科)学院|部)$")
_PREFIXES = ("省", "市", "县", "区")
# Zones and lower governments are places of their own, not departments.
_PLACE_BODY = re.compile(r"(示范区|开发区|高新区|新区|港区|园区|管委会|管理委员会|政府|办事处)")
# Words that begin with a level character without being a level prefix.
_NOT_LEVEL = ("市场", "市政工程", "市政公用", "市容", "区块链", "县域", "区域", "区管", "市管", "县管", "省管")


@dataclass
class ClauseResult:
    units: list[UnitRef] = field(default_factory=list)
    deadline: str | None = None
    leaders: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def find_trailing_clause(text: str) -> tuple[str, str] | None:
    """Split ``task text（clause）`` into (text, clause); see ``_trailing_clause``.
    Short texts (every task is one) are remembered, since the parser asks twice."""
    return _cached_trailing_clause(text) if len(text) <= 4000 else _trailing_clause(text)


@lru_cache(maxsize=4096)
def _cached_trailing_clause(text: str) -> tuple[str, str] | None:
    return _trailing_clause(text)


def _trailing_clause(text: str) -> tuple[str, str] | None:
    """Split ``task text（clause）`` into (text, clause) when the last bracketed
    group at the end is a unit or labelled clause.  Brackets may be full- or
    half-width and mixed (``（…)``); inner brackets (``市政府办公室（国防动员办公室）``)
    nest."""
    s = text.rstrip().rstrip("。；;.，, \t\u3000")
    if not s or s[-1] not in CLOSE:
        return None
    depth = 0
    for i in range(len(s) - 1, -1, -1):
        ch = s[i]
        if ch in CLOSE:
            depth += 1
        elif ch in OPEN:
            depth -= 1
            if depth == 0:
                inner = s[i + 1 : -1]
                if is_unit_clause(inner):
                    return s[:i].rstrip(), inner.strip()
                return None
    return None


def is_unit_clause(inner: str) -> bool:
    f = strip_first_listed_note(fold(inner))[0]
    if not f:
        return False
    if _LABEL_RE.search(f):
        return True
    if re.search(r"(负责|牵头|监测|配合|分工落实)[^，、；]{0,8}$", f) or re.search(r"(牵头|负责)[，；]", f):
        return True
    return is_bare_unit_list(f)


def is_bare_unit_list(f: str) -> bool:
    """``（市发改委、市财政局）``: names only, no role word — a notice that says in its
    preamble that the first-listed unit leads writes its clauses this way.  Every
    item must read as an organisation, so ``（含高新区、经开区）`` is not one."""
    names = [n for n in re.split(r"[、，；]", f) if n]
    if not names or any(len(n) > 24 for n in names) or f.startswith(("含", "包括", "其中", "即", "如")):
        return False
    if len(names) == 1 and names[0] in ("单位", "部门", "机构"):
        return False
    return all(_ORG_ENDINGS.search(re.sub(r"（[^）]*）$", "", n)) or is_collective(n) for n in names)


def strip_first_listed_note(f: str) -> tuple[str, bool]:
    """Remove a note that the first-listed unit leads (``（除标注为“牵头”单位外，列第一位的为
    牵头或汇总单位，下同）``) from a folded clause; True when there was one."""
    out, n = FIRST_LISTED_NOTE_RE.subn("", f)
    if not n:
        return f, False
    return out.strip().strip("，；。").strip(), True


def parse_clause(inner: str, *, first_listed_leads: bool = False, role: str | None = None) -> ClauseResult:
    """Read a clause's inner text (without its brackets) in any of its forms:
    role words (``A牵头，B、C按职责分工负责``), labels (``牵头单位：A；配合单位：B``), a
    mixture (``A负责；完成时限：6月底前``), a bare list (``市发改委``), or a labelled value
    with role words (``部门分工：A牵头，各地配合``).  ``role`` is the role of names that
    carry no role word (a 责任单位 column or line); without it they are a bare list."""
    f, noted = strip_first_listed_note(fold(inner).strip())
    first_listed_leads = first_listed_leads or noted
    result = ClauseResult()
    groups: list[tuple[list[str], str, bool]] = []  # (name chunks, role, from a role word)
    pieces = _label_pieces(f)
    bare = role is None and len(pieces) == 1 and pieces[0][0] is None and not _ANY_ROLE_RE.search(f)
    if bare and is_bare_unit_list(f):
        role = RESPONSIBLE
    for meaning, value in pieces:
        value = value.strip().strip("；，。 ")
        if not value:
            continue
        if meaning == DEADLINE:
            result.deadline = "；".join(x for x in (result.deadline, value) if x)
        elif meaning == LEADER:
            result.leaders += [n for n in re.split(r"[、，；\s]+", value) if n]
        elif meaning in (None, CLAUSE):
            groups += _role_groups(value, role, result)
        else:
            groups += _role_groups(value, meaning, result)
    has_lead = any(r == LEAD for _, r, _ in groups)
    carry: dict = {}  # a 省 written on the lead covers the departments after it
    for names, r, _ in groups:
        if r == SHARE:
            r = SUPPORT if has_lead else RESPONSIBLE
        elif r == RESPONSIBLE and has_lead:
            r = SUPPORT  # 责任单位 after a 牵头单位 are the ones who contribute
        for chunk in names:
            result.units += names_to_units(chunk, r, carry=carry)
    if not has_lead and any(u.role == LEAD for u in result.units):
        # a lead marked in brackets (市发改委（牵头）、市财政局): the others support
        has_lead = True
        for u in result.units:
            if u.role == RESPONSIBLE:
                u.role = SUPPORT
    if first_listed_leads and not has_lead:
        primary = [u for u in result.units if u.role == RESPONSIBLE]
        if primary:
            primary[0].role = LEAD
            for u in primary[1:]:
                u.role = SUPPORT
    _drop_duplicates(result)
    return result


def parse_labelled(text: str, *, first_listed_leads: bool = False) -> ClauseResult:
    """``牵头单位：A；配合单位：B、C；完成时限：6月底前`` (one reader for every form)."""
    return parse_clause(text, first_listed_leads=first_listed_leads)


def _label_pieces(f: str) -> list[tuple[str | None, str]]:
    """Split a clause at its labels: the text before the first label has no label."""
    spans = list(_LABEL_RE.finditer(f))
    if not spans:
        return [(None, f)]
    pieces: list[tuple[str | None, str]] = []
    if f[: spans[0].start()].strip("；，。 "):
        pieces.append((None, f[: spans[0].start()]))
    for i, m in enumerate(spans):
        end = spans[i + 1].start() if i + 1 < len(spans) else len(f)
        pieces.append((_LABELS[m.group(1)], f[m.end() : end]))
    return pieces


def _role_groups(f: str, default: str | None, result: ClauseResult) -> list[tuple[list[str], str, bool]]:
    """``A牵头，B、C按职责分工负责`` → groups of names with the role their words give.
    Names after the last role word take ``default``; with no default they are kept as
    responsible and the clause is reported."""
    pending: list[str] = []  # groups waiting for their role word
    groups: list[tuple[list[str], str, bool]] = []
    for seg in (s.strip() for s in re.split(r"[，；]", f)):
        if not seg:
            continue
        if _DEADLINE_RE.match(seg):
            result.deadline = seg
            continue
        m = _ROLE_RE.search(seg)
        if not m:
            pending.append(seg)
            continue
        names = seg[: m.start()].strip()
        if names:
            pending.append(names)
        groups.append((pending, _role_from_words(_role_words(m.group(0))), True))
        pending = []
    if pending:
        if default is None:
            # names with no role word after them: the clause is malformed, but the
            # names are still the task's; keep them as responsible and say so
            result.problems.append(f"单位条款“{f}”末尾的单位没有写明职责")
            default = SHARE
        groups.append((pending, default, False))
    return groups


def _role_words(run: str) -> list[str]:
    """A run like 按职责分工负责负责 (a typo) split into its role words."""
    words = []
    while run:
        for w, _ in _ROLE_WORDS:
            if run.endswith(w):
                words.insert(0, w)
                run = run[: -len(w)]
                break
        else:
            break
    return words


def _role_from_words(words: list[str]) -> str:
    roles = [_ROLE_OF[w] for w in words]
    for r in (LEAD, MONITOR, SUPPORT):
        if r in roles:
            return r
    return SHARE


def _drop_duplicates(result: ClauseResult) -> None:
    seen: set[str] = set()
    kept = []
    for u in result.units:
        if u.name in seen:
            continue
        seen.add(u.name)
        kept.append(u)
    result.units = kept


def names_to_units(text: str, role: str, *, carry: dict | None = None) -> list[UnitRef]:
    """A list of unit names (``A、B、C等相关单位``) → units, with prefixes,
    suffixes and 各 distributed.  ``carry`` keeps the shared prefix across the
    comma-separated groups of one clause."""
    text = text.strip().strip("、，；。")
    if not text:
        return []
    names = _split_names(text)
    out: list[UnitRef] = []
    for written, name, collective in _distribute(names, {} if carry is None else carry):
        unit_role = role
        mark = _ROLE_MARK_RE.search(name)
        if mark:
            # 市发改委（牵头）: the unit's role written in brackets after its name
            word = mark.group(1)
            unit_role = _ROLE_OF.get(word) or _LABELS.get(word) or role
            unit_role = RESPONSIBLE if unit_role == SHARE else unit_role
            name = name[: mark.start()]
            written = written[: len(written) - len(mark.group(0))] if written.endswith(mark.group(0)) else written
        alias = None
        m = re.match(r"^(.+?)（(.+)）$", name)
        if m and not re.search(r"（[市县区、]+）", name) and _ORG_ENDINGS.search(m.group(1)):
            alias = m.group(2)
        out.append(UnitRef(name=name, role=unit_role, written=written, alias=alias, collective=collective))
    return out


_ROLE_MARK_RE = re.compile(
    "（("
    + "|".join(
        re.escape(w)
        for w in sorted(
            {w for w, _ in ROLE_WORDS} | {k for k, v in LABELS.items() if v in (LEAD, RESPONSIBLE, SUPPORT, MONITOR)},
            key=len,
            reverse=True,
        )
    )
    + ")）$"
)


def _split_names(text: str) -> list[str]:
    """Split on 、 outside brackets; strip list closers; split ``A等B类``."""
    parts = split_outside_brackets(text, "、，\u3000")
    names: list[str] = []
    for p in parts:
        p = p.strip()
        if not p:
            continue
        p = _CLOSER_RE.sub("", p).strip()
        if p.endswith("等") and _ORG_ENDINGS.search(p[:-1].rstrip("）)")):
            p = p[:-1]  # X、Y等负责: a bare 等 closes the list
        if not p:
            continue
        m = _AND_CATEGORY_RE.match(p)
        if m and not _CLOSER_RE.search("等" + m.group(2)):
            names.extend([m.group(1), m.group(2)])
        else:
            names.append(p)
    return [piece for n in names if n for piece in _split_glued(_normalise_name(n))]


_GLUED_END = re.compile(
    r"(局|厅|委|办|室|院|中心|政府|办事处|管委会|公司|集团|银行|分行|支行|海关|大学|学院|署|队|站|部)$"
)


def _split_glued(name: str) -> list[str]:
    """``市统计局市财政局``: two names whose separator was a space (``市统计局　市财政局``), which
    reading removes, are split where one organisation's name ends and the next begins with a
    level (省/市/县/区) or 各.  The first must be at least three characters, so a joint body
    such as 市委市政府督查室 stays whole, and the first must end as a body's name certainly does
    (not 行 or 班, which end 全区经济运行各专班 too)."""
    for i in range(3, len(name) - 2):
        left, right = name[:i], name[i:]
        if not _GLUED_END.search(left):
            continue
        if right.startswith("各") or (right[0] in _PREFIXES and not right.startswith(_NOT_LEVEL)):
            return [left, *_split_glued(right)]
    return [name]


def _normalise_name(name: str) -> str:
    return fold(name).replace(" ", "")


@lru_cache(maxsize=8192)
def is_collective(name: str) -> bool:
    """各镇人民政府, 市政府各部门, 市直有关部门, 区管国有企业: a group of units."""
    if name.startswith(("各", "相关", "有关")) or re.search(r"(各|有关|相关)(部门|单位)", name):
        return True
    return name in _CATEGORIES or name.endswith(("国有企业", "县（市、区）政府", "县（市、区）人民政府"))


def distributes_over(previous: str, name: str) -> bool:
    """True when a list written ``previous、name`` would read ``name`` with the
    qualifier of ``previous`` (各镇人民政府、区管国有企业 → 各区管国有企业): a writer
    that means the bare category separates the two with ``，``."""
    qualifier = next((q for q in _QUALIFIERS if previous.startswith(q)), None)
    return bool(qualifier) and name in _CATEGORIES and is_collective(previous)


def join_names(names: list[str]) -> str:
    """Names written as one list the reader reads back name for name: ``、`` between
    them, ``，`` where a 各 would otherwise cover the next category."""
    out = ""
    for i, name in enumerate(names):
        if i:
            out += "，" if distributes_over(names[i - 1], name) else "、"
        out += name
    return out


def _distribute(names: list[str], carry: dict) -> list[tuple[str, str, bool]]:
    """Apply the shared 省/市 prefix, the shared place suffix and 各 across a list."""
    out: list[tuple[str, str, bool]] = []
    each: str | None = None
    resolved = list(names)
    # suffix written once: 郑州、洛阳市政府 → 郑州市政府、洛阳市政府
    for i in range(len(resolved) - 1, -1, -1):
        suffix = _place_suffix(resolved[i])
        if not suffix:
            continue
        j = i - 1
        while j >= 0 and _is_bare_place(resolved[j]):
            base = resolved[j]
            resolved[j] = (
                base[:-1] + suffix if base.endswith(suffix[0]) and suffix[0] in "市县区镇乡" else base + suffix
            )
            j -= 1
    for written, name in zip(names, resolved, strict=True):
        qualifier = next((q for q in _QUALIFIERS if name.startswith(q)), None)
        if qualifier and any(name[len(qualifier) :].endswith(c) for c in _CATEGORIES):
            each = qualifier  # 各 / 相关 / 各相关 covers the categories after it
        elif each and name in _CATEGORIES:
            name = each + name
        elif not is_collective(name):
            each = None
        level = _level_prefix(name)
        if level:
            carry["prefix"] = level
        elif carry.get("prefix") and _takes_prefix(name):
            name = carry["prefix"] + name
        elif is_collective(name) or _PLACE_BODY.search(name):
            # 立山经济开发区，各街道，税务局: a place or a collective ends the run the
            # prefix was written for
            carry.pop("prefix", None)
        out.append((written, name, is_collective(name)))
    return out


@lru_cache(maxsize=8192)
def _level_prefix(name: str) -> str | None:
    """省 in 省财政厅, 市 in 市财政局 — not 市 in 市场监管局 or 市政府办公室."""
    if name[:1] not in _PREFIXES or len(name) <= 2 or not _ORG_ENDINGS.search(name):
        return None
    if name.startswith(_NOT_LEVEL) or _is_government(name) or is_collective(name):
        return None  # 区管国有企业 is a group the district manages, not a district body
    return name[0]


def _is_government(name: str) -> bool:
    return bool(re.match(r"^[省市县区](政府|委|人大|政协|人民政府|纪委)", name))


@lru_cache(maxsize=8192)
def _takes_prefix(name: str) -> bool:
    if is_collective(name) or _OWN_PLACE.match(name) or _NO_PREFIX_ENDINGS.search(name) or _PLACE_BODY.search(name):
        return False
    return bool(_ORG_ENDINGS.search(name)) and len(name) >= 2


@lru_cache(maxsize=8192)
def _place_suffix(name: str) -> str | None:
    for s in _PLACE_SUFFIXES:
        if name.endswith(s) and len(name) > len(s):
            return s
    return None


@lru_cache(maxsize=8192)
def _is_bare_place(name: str) -> bool:
    """郑州, 洛阳, 济源示范区: a place with no organisation after it."""
    if is_collective(name) or len(name) > 8:
        return False
    return not _ORG_ENDINGS.search(name)
