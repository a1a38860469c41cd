"""The unit directory (单位名录): which units a government has, and what else they are called.

The parser checks every unit a notice names against it, so a typo such as
``发展改革委和统计局`` is read as ``发展改革和统计局`` — with a warning — while
two real units that differ by a meaningful character (商务局 / 商务厅,
郑州市政府 / 洛阳市政府) are never confused.

YAML form (see ``docs/directory.md``)::

    government: 济源市          # whose directory this is
    level: city                 # province | city | district | county (optional)
    units:
      - name: 发展改革和统计局
        kind: department        # department | government | zone | company | collective
                                # | central | institution | other
        aliases: [发展改革委, 统计局]
        functions: []           # function codes, mapped elsewhere
        tasks: 30               # how many tasks named it (written by ``duban directory``)
      - name: 各镇人民政府
        kind: collective
        members: [承留镇人民政府, 王屋镇人民政府]
        note: 11 个镇

Resolving a name goes, in order: the name or an alias as written; the same
after normalising brackets, spaces, width, 和, abbreviated suffixes
(委 = 委员会, 办 = 办公室, 政府 = 人民政府) and the government's own level
prefix (市 in a city's directory); then an obvious typo — characters
inserted or dropped inside the name, or one character changed in a long name —
never at the organ suffix (局 / 厅 / 委) or the place at the front, and only when
exactly one unit fits.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from duban import vocab
from duban.errors import DubanError

KINDS = vocab.UNIT_KINDS.keys
LEVELS = vocab.LEVELS.keys
EXACT, ALIAS, FUZZY, UNKNOWN = "exact", "alias", "fuzzy", "unknown"

_LEVEL_PREFIX = {"province": "省", "city": "市", "district": "区", "county": "县"}
_UNIT_KEYS = {"name", "kind", "aliases", "members", "functions", "note", "tasks"}
_TOP_KEYS = {"government", "level", "units"}


@dataclass
class Unit:
    name: str
    aliases: list[str] = field(default_factory=list)
    kind: str = "department"
    # For collectives (各镇人民政府): the units it stands for.
    members: list[str] = field(default_factory=list)
    functions: list[str] = field(default_factory=list)
    note: str | None = None
    # How many tasks named it in the documents the directory was built from.
    tasks: int = 0

    def to_dict(self) -> dict:
        out: dict = {"name": self.name, "kind": self.kind}
        if self.aliases:
            out["aliases"] = list(self.aliases)
        if self.members:
            out["members"] = list(self.members)
        if self.functions:
            out["functions"] = list(self.functions)
        if self.note:
            out["note"] = self.note
        if self.tasks:
            out["tasks"] = self.tasks
        return out


@dataclass
class Resolution:
    name: str  # the directory's name for it (the name itself when unknown or collective)
    status: str  # exact | alias | fuzzy | unknown
    score: float  # 100 for exact/alias; for fuzzy the rapidfuzz ratio of the written and resolved names
    message: str | None = None  # for the caller's warnings


# --- what kind of unit a name is --------------------------------------------

_COLLECTIVE_RE = re.compile(
    r"^(?:各|相关|有关|其他|其它)|各(?:部门|单位|成员单位)$|(?:相关|有关)(?:单位|部门|职能部门)$|^区管国有企业$|^市管企业$"
)
_CENTRAL_RE = re.compile(
    r"海关|调查队|^人行|人民银行|金融监管|国家税务|税务局$|气象局$|邮政管理局$|通信管理局$|海事局$|地震局$|"
    r"烟草专卖局|消防救援|^国家(?!级)|^中国人民|金融监管|证监局|银保监|分行$|支行$|铁路监督管理局"
)
_ZONE_RE = re.compile(r"开发区|示范区|高新区|集聚区|航空港区|自贸区|自由贸易试验区|保税区|管委会$|管理委员会$|园区管理")
_COMPANY_RE = re.compile(r"(?:公司|集团|有限公司|集团有限公司|股份有限公司|供电公司|局集团|(?<!人民)银行)$")
_INSTITUTION_RE = re.compile(
    r"(?:大学|学院|学校|医院|研究院|研究所|科学院|协会|学会|商会|联合会|总工会|工会|妇联|残联|科协|侨联|文联|红十字会|"
    r"党校|报社|电视台|广播电视台|出版社|团委|团市委|团省委|科院|联)$"
)
_GOVERNMENT_RE = re.compile(r"(?:人民政府|政府|街道办事处|办事处|^[^\s]{1,4}镇|^[^\s]{1,4}乡)$")
_DEPARTMENT_RE = re.compile(r"(?:局|厅|委|委员会|办|办公室|部|中心|室|处|署|队|所|站|院|会)$")


def guess_kind(name: str, collective: bool = False) -> str:
    """A unit's kind from how its name is built: 海关 → central, 集团有限公司 → company."""
    name = name.strip()
    if collective or _COLLECTIVE_RE.search(name):
        return "collective"
    if _ZONE_RE.search(name):
        return "zone"
    if _COMPANY_RE.search(name):
        return "company"
    if _CENTRAL_RE.search(name):
        return "central"
    if _INSTITUTION_RE.search(name):
        return "institution"
    if re.search(r"(?:人民法院|人民检察院|法院|检察院)$", name):
        return "other"
    if _GOVERNMENT_RE.search(name) and not name.endswith(("办公室",)):
        return "government"
    if _DEPARTMENT_RE.search(name):
        return "department"
    return "other"


def is_collective(name: str) -> bool:
    return bool(_COLLECTIVE_RE.search(name.strip()))


# --- matching keys -------------------------------------------------------------

_WIDTH = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}
_WIDTH.update({"〔": "(", "〕": ")", "【": "(", "】": ")", "［": "(", "］": ")"})
_FOLD = str.maketrans(_WIDTH)
_SPACE_RE = re.compile(r"\s+")
# Abbreviated and full suffixes that name the same organ.
_SUFFIXES = [("管理委员会", "管委会"), ("委员会", "委"), ("办公室", "办")]
# Standard short forms of organ names (applied after 和 is dropped): 市场监管局 = 市场监督管理局.
_SHORT_FORMS = [
    ("人力资源社会保障", "人社"),
    ("国有资产监督管理", "国资"),
    ("住房城乡建设", "住建"),
    ("工业信息化", "工信"),
    ("监督管理", "监管"),
    ("发展改革", "发改"),
    ("卫生健康", "卫健"),
    ("医疗保障", "医保"),
    ("应急管理", "应急"),
    ("广播电视", "广电"),
    ("科学技术", "科技"),
]
# Characters that name the kind of organ; a typo is never accepted there.
_ORGAN_CHARS = set("局厅委办部处科室队院会所站署府司行")
# Characters that make another unit when inserted: 生态环境分局, 税务总局, 市 / 区 / 县 levels.
_RANK_CHARS = set("分总支省市区县镇乡村")


def _fold(name: str) -> str:
    return _SPACE_RE.sub("", name.translate(_FOLD))


def _split_bracket(name: str) -> tuple[str, str | None]:
    """自然资源和规划局(林业局) → ("自然资源和规划局", "林业局")."""
    m = re.match(r"^(.+?)\((.+)\)$", _fold(name))
    return (m.group(1), m.group(2)) if m else (_fold(name), None)


class UnitDirectory:
    """A government's units, with lookup by name, alias and safe near-miss."""

    def __init__(self, units=(), *, government: str | None = None, level: str | None = None, source: str | None = None):
        self.government = government
        self.level = level
        self.source = source  # the file it was read from, for messages
        self.units: list[Unit] = []
        self._index: dict[str, list[Unit]] | None = None
        self._by_written: dict[str, Unit] = {}
        for unit in units:
            self.add(unit)

    # --- building ---------------------------------------------------------------

    def add(self, unit: Unit | str, **fields) -> Unit:
        """Add a unit, or merge it into the one of the same name already here."""
        if isinstance(unit, str):
            unit = Unit(name=unit, **fields)
        unit.name = unit.name.strip()
        if not unit.name:
            raise ValueError("a unit needs a name")
        existing = next((u for u in self.units if u.name == unit.name), None)
        if existing is None:
            self.units.append(unit)
            self._index = None
            return unit
        for attr in ("aliases", "members", "functions"):
            have = getattr(existing, attr)
            have.extend(x for x in getattr(unit, attr) if x not in have)
        existing.note = existing.note or unit.note
        existing.tasks += unit.tasks
        self._index = None
        return existing

    @classmethod
    def from_documents(cls, docs) -> UnitDirectory:
        """Every unit named on the documents' tasks, with how often and a kind guessed from the name."""
        counts: Counter[str] = Counter()
        others: dict[str, list[str]] = {}  # bracketed offices and written forms, per unit
        collective: set[str] = set()
        for doc in docs:
            for task in doc.tasks:
                for ref in task.units:
                    head, bracket = _split_bracket(ref.name)
                    name = ref.name.strip() if bracket is None else head
                    counts[name] += 1
                    extra = others.setdefault(name, [])
                    for other in (ref.name.strip() if bracket else None, bracket, ref.alias):
                        if other and other != name and other not in extra:
                            extra.append(other)
                    if ref.collective:
                        collective.add(name)
        government, level = _government_of(docs)
        directory = cls(government=government, level=level)
        # Most-named first, so a variant or a typo folds into the form most tasks use.
        for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            # An inner office also named on its own is a unit of its own, not an alias.
            aliases = [a for a in others.get(name, []) if a not in counts]
            seen = directory.resolve(name) if directory.units and name not in collective else None
            if seen and seen.status == ALIAS:
                directory.add(Unit(name=seen.name, aliases=[name, *aliases], tasks=n))
            elif seen and seen.status == FUZZY:
                unit = directory.add(Unit(name=seen.name, aliases=aliases, tasks=n))
                unit.note = "；".join(filter(None, [unit.note, f"通知中也误写作“{name}”"]))
            else:
                directory.add(Unit(name=name, aliases=aliases, kind=guess_kind(name, name in collective), tasks=n))
        for unit in directory.units:
            if unit.kind == "collective":
                unit.members = _members_of(unit.name, [u.name for u in directory.units if u.kind != "collective"])
        return directory

    # --- YAML -------------------------------------------------------------------

    @classmethod
    def from_yaml(cls, path_or_text) -> UnitDirectory:
        """Read a directory from a YAML file (a ``Path`` or a file name) or from YAML text."""
        import yaml

        source = None
        if isinstance(path_or_text, Path) or (isinstance(path_or_text, str) and _looks_like_path(path_or_text)):
            path = Path(path_or_text)
            source = str(path)
            try:
                from duban.limits import check

                check("text_bytes", path.stat().st_size, str(path), option="--max-mb")
                text = path.read_text(encoding="utf-8")
            except FileNotFoundError:
                raise DubanError(f"找不到单位名录文件 {path}") from None
            except (OSError, UnicodeDecodeError) as exc:
                raise DubanError(f"无法读取单位名录文件 {path}：{exc}") from None
        else:
            text = str(path_or_text)
        where = source or "单位名录"

        def fail(problem: str, node=None) -> DubanError:
            line = f"第 {node.start_mark.line + 1} 行：" if node is not None else ""
            return DubanError(f"{where} {line}{problem}")

        try:
            root = yaml.compose(text, Loader=yaml.SafeLoader)
            data = yaml.safe_load(text)
        except RecursionError:
            raise DubanError(f"{where} 不是有效的单位名录（嵌套层数过深）") from None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = f"第 {mark.line + 1} 行：" if mark is not None else ""
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise DubanError(f"{where} 不是有效的 YAML（{line}{problem}）") from None
        if data is None:
            raise DubanError(f"{where} 是空的，没有单位")
        if not isinstance(data, dict):
            raise fail("顶层应为键值对（government / level / units）", root)
        nodes = {k.value: v for k, v in root.value}
        unknown = sorted(set(data) - _TOP_KEYS, key=str)
        if unknown:
            raise fail(f"未知字段“{unknown[0]}”（可用字段：government、level、units）", nodes.get(unknown[0]))
        level = data.get("level")
        if level is not None and level not in LEVELS:
            raise fail(f"level 应为 {' / '.join(LEVELS)} 之一，而不是“{level}”", nodes.get("level"))
        government = data.get("government")
        if government is not None and not isinstance(government, str):
            raise fail("government 应为文字", nodes.get("government"))
        units = data.get("units")
        if not isinstance(units, list):
            raise fail("缺少 units 列表", nodes.get("units", root))
        items = nodes["units"].value
        directory = cls(government=government, level=level, source=source)
        seen: dict[str, str] = {}
        for i, (item, node) in enumerate(zip(units, items), start=1):
            unit = _unit_from(item, node, i, fail)
            for key in [unit.name, *unit.aliases]:
                if key in seen and seen[key] != unit.name:
                    raise fail(f"“{key}”同时是“{seen[key]}”和“{unit.name}”的名称或别名", node)
                seen[key] = unit.name
            if any(u.name == unit.name for u in directory.units):
                raise fail(f"单位“{unit.name}”重复出现", node)
            directory.add(unit)
        return directory

    def to_yaml(self) -> str:
        import yaml

        data: dict = {}
        if self.government:
            data["government"] = self.government
        if self.level:
            data["level"] = self.level
        data["units"] = [u.to_dict() for u in self.units]
        body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=None)
        return "# duban 单位名录（格式见 docs/directory.md）\n" + body

    # --- lookup -----------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.units)

    def __iter__(self):
        return iter(self.units)

    def __contains__(self, name: str) -> bool:
        return self.get(name) is not None

    def names(self) -> list[str]:
        return [u.name for u in self.units]

    def get(self, name: str) -> Unit | None:
        """The unit with this name or alias, as written (no normalising)."""
        self._keys()
        return self._by_written.get(name.strip())

    def _key(self, name: str) -> str:
        key = _fold(name).replace("和", "").replace("人民政府", "政府")
        for full, short in _SHORT_FORMS:
            key = key.replace(full, short)
        key = re.sub(r"\((.*)\)$", "", key) or key
        prefix = _LEVEL_PREFIX.get(self.level or "")
        # 河南省财政厅 in Henan's own directory is 省财政厅.
        if self.government and key.startswith(self.government) and len(key) > len(self.government) + 1:
            key = (prefix or "") + key[len(self.government) :]
        if prefix and key.startswith(prefix) and len(key) > 3 and not key.startswith(("市场", "市民")):
            key = key[len(prefix) :]
        for full, short in _SUFFIXES:
            if key.endswith(full):
                key = key[: -len(full)] + short
                break
        return key

    def _keys(self) -> dict[str, list[Unit]]:
        if self._index is None:
            index: dict[str, list[Unit]] = {}
            # Names first so a unit's own name wins over another's alias.
            self._by_written = {u.name: u for u in self.units}
            for unit in self.units:
                for alias in unit.aliases:
                    self._by_written.setdefault(alias, unit)
            for unit in self.units:
                for written in [unit.name, *unit.aliases]:
                    bucket = index.setdefault(self._key(written), [])
                    if unit not in bucket:
                        bucket.append(unit)
            self._index = index
        return self._index

    def resolve(self, name: str) -> Resolution:
        """What the directory calls ``name``: exact, alias, fuzzy (a typo, with a message) or unknown."""
        written = name.strip()
        if not written:
            return Resolution(written, UNKNOWN, 0.0, "单位名称为空")
        index = self._keys()
        unit = self._by_written.get(written)
        if unit is not None:
            return Resolution(unit.name, EXACT if unit.name == written else ALIAS, 100.0)
        if is_collective(written):
            return Resolution(written, EXACT, 100.0)
        head, bracket = _split_bracket(written)
        for key in dict.fromkeys([self._key(written), self._key(head)]):
            units = index.get(key, [])
            if len(units) == 1:
                return Resolution(units[0].name, ALIAS, 100.0)
            if len(units) > 1:
                return self._ambiguous(written, [u.name for u in units])
        return self._near(written, self._key(head))

    def _ambiguous(self, written: str, candidates: list[str]) -> Resolution:
        listed = "、".join(f"“{c}”" for c in candidates[:3])
        return Resolution(written, UNKNOWN, 0.0, f"单位名称“{written}”不在名录中，可能是{listed}，请核对")

    def _near(self, written: str, key: str) -> Resolution:
        from rapidfuzz import fuzz, process

        index = self._keys()
        candidates = process.extract(key, list(index), scorer=fuzz.ratio, score_cutoff=60, limit=8)
        fits = {}
        for cand_key, score, _ in candidates:
            if _is_typo(key, cand_key):
                for unit in index[cand_key]:
                    fits.setdefault(unit.name, score)
        if len(fits) == 1:
            (target,) = fits
            message = f"单位名称“{written}”不在名录中，按“{target}”处理"
            return Resolution(target, FUZZY, float(fuzz.ratio(written, target)), message)
        if len(fits) > 1:
            return self._ambiguous(written, list(fits))
        best = candidates[0] if candidates else None
        if best and best[1] >= 75:
            near = index[best[0]][0].name
            message = f"单位名称“{written}”不在名录中（最接近的“{near}”是另一个单位，未替换）"
            return Resolution(written, UNKNOWN, float(best[1]), message)
        return Resolution(written, UNKNOWN, float(best[1]) if best else 0.0, f"单位名称“{written}”不在名录中")


def _looks_like_path(text: str) -> bool:
    if "\n" in text or not text.strip():
        return False
    return text.endswith((".yaml", ".yml")) or ":" not in text or Path(text).exists()


def _is_typo(written: str, known: str) -> bool:
    """True when ``written`` is ``known`` with an obvious slip of the pen.

    Accepted: one or two characters inserted or dropped inside the name
    (发展改革委和统计局 for 发展改革和统计局), or one character changed in the
    middle of a name of seven or more.  Never at the first two characters (the
    place: 郑州 / 洛阳) or the last (the organ: 局 / 厅), and never an organ
    character swapped for another.
    """
    from rapidfuzz.distance import Levenshtein

    if written == known:
        return True
    if written[-1:] != known[-1:]:
        return False
    ops = Levenshtein.editops(written, known)
    shorter = min(len(written), len(known))
    kinds = {op.tag for op in ops}
    if kinds <= {"insert"} or kinds <= {"delete"}:
        limit = 2 if shorter >= 7 else 1
        if len(ops) > limit or shorter < 4:
            return False
        for op in ops:
            pos = op.src_pos if op.tag == "delete" else op.dest_pos
            longer = written if op.tag == "delete" else known
            if pos < 2 or pos >= len(longer) - 1 or longer[pos] in _RANK_CHARS:
                return False
        return True
    if kinds == {"replace"} and len(ops) == 1 and len(written) >= 7:
        op = ops[0]
        if op.src_pos < 2 or op.src_pos >= len(written) - 1:
            return False
        return not (written[op.src_pos] in _ORGAN_CHARS or known[op.dest_pos] in _ORGAN_CHARS)
    return False


def _unit_from(item, node, i: int, fail) -> Unit:
    if isinstance(item, str):
        item = {"name": item}
    if not isinstance(item, dict):
        raise fail(f"第 {i} 个单位应为键值对（name / kind / aliases …）或单位名称", node)
    keys = {k.value: v for k, v in node.value} if hasattr(node, "value") and isinstance(node.value, list) else {}
    extra = sorted(set(item) - _UNIT_KEYS, key=str)
    if extra:
        raise fail(f"第 {i} 个单位有未知字段“{extra[0]}”", keys.get(extra[0], node))
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        raise fail(f"第 {i} 个单位缺少 name", node)
    kind = item.get("kind") or guess_kind(name)
    if kind not in KINDS:
        raise fail(f"单位“{name}”的 kind 应为 {' / '.join(KINDS)} 之一，而不是“{kind}”", keys.get("kind", node))
    lists = {}
    for attr in ("aliases", "members", "functions"):
        value = item.get(attr) or []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(x, (str, int)) for x in value):
            raise fail(f"单位“{name}”的 {attr} 应为文字列表", keys.get(attr, node))
        lists[attr] = [str(x).strip() for x in value if str(x).strip()]
    tasks = item.get("tasks") or 0
    if not isinstance(tasks, int) or tasks < 0:
        raise fail(f"单位“{name}”的 tasks 应为非负整数", keys.get("tasks", node))
    note = item.get("note")
    return Unit(name=name.strip(), kind=kind, note=str(note) if note is not None else None, tasks=tasks, **lists)


def _members_of(collective: str, names: list[str]) -> list[str]:
    """各镇人民政府 → every named 某镇人民政府; 各开发区管理办公室 → every 某开发区管理办公室."""
    category = re.sub(r"^(?:各相关|各有关|各|相关|有关)", "", collective)
    category = category.replace("省辖市", "市")  # 各省辖市政府 → every 某市政府
    if len(category) < 2 or category.endswith(("部门", "单位")):
        return []
    return [n for n in names if n.endswith(category) and n != category and len(n) > len(category)]


def _government_of(docs) -> tuple[str | None, str | None]:
    for doc in docs:
        issuer = (getattr(doc, "issuer", None) or "").strip()
        if not issuer:
            continue
        government = re.sub(r"(?:人民政府|政府)(?:办公室|办公厅)?$", "", issuer) or issuer
        level = None
        if government.endswith("省"):
            level = "province"
        elif government.endswith("市"):
            level = "city"
        elif government.endswith("区"):
            level = "district"
        elif government.endswith("县"):
            level = "county"
        return government, level
    return None, None
