"""The unit directory: building it from notices, YAML in and out, and resolving names safely."""

from __future__ import annotations

import pytest

from duban.doc.directory import Resolution, Unit, UnitDirectory, guess_kind
from duban.doc.model import LEAD, RESPONSIBLE, SUPPORT, Document, Task, UnitRef
from duban.errors import DubanError
from tests.conftest import corpus_file

JIYUAN_YAML = """\
government: 济源市
level: city
units:
  - name: 发展改革和统计局
    kind: department
    aliases: [发改统计局]
  - {name: 商务局, kind: department}
  - {name: 财政局}
  - {name: 民政局}
  - {name: 交通运输局}
  - {name: 工业信息和科技局}
  - {name: 卫生健康委员会}
  - name: 自然资源和规划局
    aliases: [林业局]
  - {name: 人力资源和社会保障局}
  - {name: 生态环境局}
  - {name: 国家统计局济源调查队, kind: central}
  - name: 各镇人民政府
    kind: collective
    members: [承留镇人民政府, 王屋镇人民政府]
    note: 11 个镇
  - 市政府办公室
"""

HENAN_YAML = """\
government: 河南省
level: province
units:
  - 省发展改革委
  - 省商务厅
  - 省财政厅
  - 省交通运输厅
  - 省科技厅
  - 省民族宗教委
  - 省卫生健康委
  - 郑州市政府
  - 洛阳市政府
  - 郑州海关
"""


@pytest.fixture
def jiyuan() -> UnitDirectory:
    return UnitDirectory.from_yaml(JIYUAN_YAML)


@pytest.fixture
def henan() -> UnitDirectory:
    return UnitDirectory.from_yaml(HENAN_YAML)


def test_exact_and_alias(jiyuan):
    assert jiyuan.resolve("商务局") == Resolution("商务局", "exact", 100.0, None)
    assert jiyuan.resolve("发改统计局") == Resolution("发展改革和统计局", "alias", 100.0, None)
    assert jiyuan.resolve("林业局") == Resolution("自然资源和规划局", "alias", 100.0, None)


@pytest.mark.parametrize(
    "written,canonical",
    [
        ("自然资源和规划局(林业局)", "自然资源和规划局"),  # half-width bracket, inner office
        ("自然资源和规划局（林业局）", "自然资源和规划局"),
        ("商 务 局", "商务局"),  # spaces from a PDF
        ("人力资源社会保障局", "人力资源和社会保障局"),  # 和 dropped
        ("卫生健康委", "卫生健康委员会"),  # abbreviated suffix
        ("市财政局", "财政局"),  # the city's own prefix
        ("济源市财政局", "财政局"),  # the government's own name
        ("市人民政府办公室", "市政府办公室"),
        ("人社局", "人力资源和社会保障局"),  # standard short forms
        ("卫健委", "卫生健康委员会"),
        ("发改统计局", "发展改革和统计局"),
    ],
)
def test_normalised_names_resolve_as_aliases(jiyuan, written, canonical):
    res = jiyuan.resolve(written)
    assert (res.name, res.status, res.message) == (canonical, "alias", None)


def test_inserted_character_is_a_fuzzy_typo_with_a_message(jiyuan):
    res = jiyuan.resolve("发展改革委和统计局")
    assert (res.name, res.status) == ("发展改革和统计局", "fuzzy")
    assert res.message == "单位名称“发展改革委和统计局”不在名录中，按“发展改革和统计局”处理"
    assert 90 < res.score < 100


def test_one_changed_character_in_a_long_name_is_a_typo(jiyuan):
    res = jiyuan.resolve("工业信息和科枝局")
    assert (res.name, res.status) == ("工业信息和科技局", "fuzzy")
    assert "按“工业信息和科技局”处理" in res.message


@pytest.mark.parametrize(
    "written",
    [
        "商务厅",  # a province's department, not the city's 商务局
        "财政厅",
        "交通运输厅",
        "民族宗教委",
        "省科技厅",
        "生态环境分局",  # a branch is another unit
        "区财政局",  # a district's bureau in a city directory
        "教育局",
    ],
)
def test_different_units_are_never_confused(jiyuan, written):
    res = jiyuan.resolve(written)
    assert res.status == "unknown"
    assert res.name == written
    assert res.message.startswith(f"单位名称“{written}”不在名录中")


def test_near_miss_is_named_but_not_replaced(jiyuan):
    res = jiyuan.resolve("交通运输厅")
    assert res.message == "单位名称“交通运输厅”不在名录中（最接近的“交通运输局”是另一个单位，未替换）"


@pytest.mark.parametrize(
    "written,status,canonical",
    [
        ("郑州市政府", "exact", "郑州市政府"),
        ("洛阳市政府", "exact", "洛阳市政府"),
        ("郑州市人民政府", "alias", "郑州市政府"),
        ("开封市政府", "unknown", "开封市政府"),  # not 郑州 nor 洛阳
        ("商务厅", "alias", "省商务厅"),  # 省 is the province's own prefix
        ("河南省财政厅", "alias", "省财政厅"),
        ("省卫生健康委员会", "alias", "省卫生健康委"),
        ("商务局", "unknown", "商务局"),
        ("财政局", "unknown", "财政局"),
        ("科技局", "unknown", "科技局"),
        ("交通运输局", "unknown", "交通运输局"),
        ("民政局", "unknown", "民政局"),
        ("省民族宗教委", "exact", "省民族宗教委"),
        ("省发展和改革委员会", "alias", "省发展改革委"),
        ("发改委", "alias", "省发展改革委"),
    ],
)
def test_provincial_directory(henan, written, status, canonical):
    res = henan.resolve(written)
    assert (res.status, res.name) == (status, canonical)


@pytest.mark.parametrize("written", ["各镇人民政府", "市政府各部门", "相关单位", "各相关镇人民政府", "有关部门"])
def test_collectives_resolve_to_themselves(jiyuan, written):
    assert jiyuan.resolve(written) == Resolution(written, "exact", 100.0, None)


def test_ambiguous_normalised_match_is_not_guessed():
    directory = UnitDirectory([Unit("人力资源和社会保障局"), Unit("人力资源社会保障局")])
    res = directory.resolve("人力资源和社会保障 局")
    assert res.status == "unknown"
    assert "可能是“人力资源和社会保障局”、“人力资源社会保障局”" in res.message


def test_two_fitting_typos_are_not_guessed():
    directory = UnitDirectory([Unit("工业信息和科技局"), Unit("工业信息和科学局")])
    res = directory.resolve("工业信息和科枝局")
    assert res.status == "unknown"
    assert "可能是“工业信息和科技局”、“工业信息和科学局”" in res.message


def test_look_alike_units_in_one_directory_stay_apart():
    directory = UnitDirectory([Unit(n) for n in ("商务局", "商务厅", "财政局", "财政厅", "郑州市政府", "洛阳市政府")])
    for name in directory.names():
        assert directory.resolve(name) == Resolution(name, "exact", 100.0, None)
    assert directory.resolve("开封市政府").status == "unknown"


def test_empty_name_is_unknown(jiyuan):
    assert jiyuan.resolve("  ").status == "unknown"


@pytest.mark.parametrize(
    "name,kind",
    [
        ("发展改革和统计局", "department"),
        ("卫生健康委员会", "department"),
        ("市政府办公室", "department"),
        ("承留镇人民政府", "government"),
        ("郑州市政府", "government"),
        ("天坛街道办事处", "government"),
        ("济源示范区管委会", "zone"),
        ("高新技术产业开发区管理办公室", "zone"),
        ("河南愚公集团有限公司", "company"),
        ("中国铁路郑州局集团", "company"),
        ("国网济源供电公司", "company"),
        ("河南农商银行", "company"),
        ("济源海关", "central"),
        ("国家统计局济源调查队", "central"),
        ("人行河南省分行", "central"),
        ("河南金融监管局", "central"),
        ("省税务局", "central"),
        ("省市场监管局", "department"),
        ("职业技术学院", "institution"),
        ("残疾人联合会", "institution"),
        ("省工商联", "institution"),
        ("各镇人民政府", "collective"),
        ("市政府各部门", "collective"),
        ("相关单位", "collective"),
        ("省供销社", "other"),
    ],
)
def test_guess_kind(name, kind):
    assert guess_kind(name) == kind


def _notice(*clauses: list[UnitRef], issuer: str = "济源市人民政府") -> Document:
    tasks = [Task(number=str(i), section=["一"], text="任务", units=list(units)) for i, units in enumerate(clauses, 1)]
    return Document(kind="notice", issuer=issuer, tasks=tasks)


def test_from_documents_counts_kinds_members_and_typos():
    doc = _notice(
        [UnitRef("发展改革和统计局", LEAD), UnitRef("农业农村局", SUPPORT), UnitRef("济源海关", SUPPORT)],
        [UnitRef("发展改革委和统计局", LEAD), UnitRef("各镇人民政府", SUPPORT, collective=True)],
        [UnitRef("发展改革和统计局", RESPONSIBLE), UnitRef("承留镇人民政府", RESPONSIBLE)],
        [UnitRef("王屋镇人民政府", RESPONSIBLE), UnitRef("自然资源和规划局(林业局)", RESPONSIBLE)],
        [
            UnitRef("市政府办公室（行政审批和政务信息管理局）", RESPONSIBLE),
            UnitRef("行政审批和政务信息管理局", SUPPORT),
        ],
    )
    directory = UnitDirectory.from_documents([doc])
    assert (directory.government, directory.level) == ("济源市", "city")
    ndrc = directory.get("发展改革和统计局")
    assert ndrc.tasks == 3  # the typo counts for the unit it means
    assert ndrc.note == "通知中也误写作“发展改革委和统计局”"
    assert directory.get("发展改革委和统计局") is None
    assert directory.resolve("发展改革委和统计局").status == "fuzzy"
    assert directory.get("济源海关").kind == "central"
    towns = directory.get("各镇人民政府")
    assert (towns.kind, towns.members) == ("collective", ["承留镇人民政府", "王屋镇人民政府"])
    forestry = directory.get("林业局")
    assert forestry.name == "自然资源和规划局"
    assert forestry.aliases == ["自然资源和规划局(林业局)", "林业局"]
    office = directory.get("市政府办公室")
    # The inner office is named on its own too, so it stays a unit of its own.
    assert office.aliases == ["市政府办公室（行政审批和政务信息管理局）"]
    assert directory.get("行政审批和政务信息管理局").name == "行政审批和政务信息管理局"
    assert directory.names()[0] == "发展改革和统计局"


def test_yaml_round_trip(jiyuan):
    again = UnitDirectory.from_yaml(jiyuan.to_yaml())
    assert (again.government, again.level) == ("济源市", "city")
    assert [u.to_dict() for u in again] == [u.to_dict() for u in jiyuan]
    towns = again.get("各镇人民政府")
    assert towns.members == ["承留镇人民政府", "王屋镇人民政府"]
    assert towns.note == "11 个镇"
    assert again.get("市政府办公室").kind == "department"  # a bare name gets a guessed kind


def test_yaml_from_a_file(tmp_path, jiyuan):
    path = tmp_path / "济源.yaml"
    path.write_text(jiyuan.to_yaml(), encoding="utf-8")
    assert UnitDirectory.from_yaml(path).names() == jiyuan.names()
    assert UnitDirectory.from_yaml(str(path)).source == str(path)


@pytest.mark.parametrize(
    "text,problem",
    [
        ("units: [\n  {name: 商务局\n", "不是有效的 YAML（第 3 行"),
        ("- 商务局\n", "第 1 行：顶层应为键值对"),
        ("government: 济源市\n", "缺少 units 列表"),
        ("units:\n  - name: 商务局\n    kind: bureau\n", "第 3 行：单位“商务局”的 kind 应为"),
        ("units:\n  - name: 商务局\n  - kind: department\n", "第 3 行：第 2 个单位缺少 name"),
        ("units:\n  - name: 商务局\n    colour: red\n", "第 3 行：第 1 个单位有未知字段“colour”"),
        ("units:\n  - 商务局\n  - 商务局\n", "第 3 行：单位“商务局”重复出现"),
        (
            "units:\n  - {name: 商务局, aliases: [外事办]}\n  - {name: 外事办}\n",
            "“外事办”同时是“商务局”和“外事办”的名称或别名",
        ),
        ("level: town\nunits: []\n", "第 1 行：level 应为"),
        ("", "是空的"),
    ],
)
def test_yaml_errors_name_the_problem(text, problem):
    with pytest.raises(DubanError) as err:
        UnitDirectory.from_yaml(text)
    assert problem in str(err.value)


def test_yaml_error_names_the_file(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("units:\n  - name: 商务局\n    kind: bureau\n", encoding="utf-8")
    with pytest.raises(DubanError, match=r"bad\.yaml 第 3 行"):
        UnitDirectory.from_yaml(path)
    with pytest.raises(DubanError, match="找不到单位名录文件"):
        UnitDirectory.from_yaml(tmp_path / "missing.yaml")


def test_add_merges_into_the_existing_unit():
    directory = UnitDirectory()
    directory.add("商务局", aliases=["商务"], tasks=2)
    directory.add(Unit("商务局", aliases=["商务", "外贸局"], tasks=1))
    assert len(directory) == 1
    assert directory.get("外贸局").aliases == ["商务", "外贸局"]
    assert directory.get("商务局").tasks == 3
    assert "外贸局" in directory


@pytest.mark.corpus
def test_directory_from_the_jiyuan_notice():
    path = corpus_file("notice-jiyuan-2026.txt")
    from duban.doc import parse_file

    doc = parse_file(path)
    directory = UnitDirectory.from_documents([doc])
    assert (directory.government, directory.level) == ("济源市", "city")
    ndrc = directory.get("发展改革和统计局")
    assert ndrc.kind == "department"
    assert directory.get("发展改革委和统计局") is None  # the notice's typo folded in
    assert directory.get("国家统计局济源调查队").kind == "central"
    assert directory.get("济源海关").kind == "central"
    assert directory.get("河南愚公集团有限公司").kind == "company"
    towns = directory.get("各镇人民政府")
    assert towns.kind == "collective"
    assert "承留镇人民政府" in towns.members and "王屋镇人民政府" in towns.members
    # Every unit the notice names resolves, none of them unknown.
    statuses = {directory.resolve(u.name).status for t in doc.tasks for u in t.units}
    assert statuses <= {"exact", "alias", "fuzzy"}
    again = UnitDirectory.from_yaml(directory.to_yaml())
    assert again.names() == directory.names()


@pytest.mark.corpus
def test_directory_command_writes_and_checks(tmp_path, capsys):
    path = corpus_file("notice-jiyuan-2026.txt")
    from duban.cli import main

    out = tmp_path / "jiyuan.yaml"
    assert main(["directory", str(path), "-o", str(out)]) == 0
    directory = UnitDirectory.from_yaml(out)
    assert directory.government == "济源市"
    assert directory.get("发展改革和统计局").tasks >= 30
    capsys.readouterr()

    assert main(["directory", "--check", str(out), str(path)]) == 0
    captured = capsys.readouterr()
    assert "exact   发展改革和统计局" in captured.out
    assert "unknown" not in captured.out
    assert "unknown 0" in captured.err


def test_directory_check_reports_each_status(tmp_path, capsys):
    from duban.cli import main

    notice = tmp_path / "notice.txt"
    notice.write_text(
        "济源市人民政府关于明确政府工作报告提出的2026年重点工作责任单位的通知\n\n"
        "一、主要预期目标\n\n"
        "1. 生产总值增长 5.5%。（发展改革委和统计局牵头，商务厅、卫生健康委按职责分工负责）\n\n"
        "2. 粮食产量 4.8 亿斤。（农业农村局负责）\n",
        encoding="utf-8",
    )
    dir_yaml = tmp_path / "dir.yaml"
    dir_yaml.write_text(JIYUAN_YAML, encoding="utf-8")
    assert main(["directory", "--check", str(dir_yaml), str(notice)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "fuzzy   发展改革委和统计局 → 发展改革和统计局 (94)  ×1" in lines
    assert "alias   卫生健康委 → 卫生健康委员会  ×1" in lines
    assert "unknown 商务厅  ×1  单位名称“商务厅”不在名录中" in lines
    assert "unknown 农业农村局  ×1  单位名称“农业农村局”不在名录中" in lines


def test_directory_command_refuses_a_notice_without_units(tmp_path, capsys, monkeypatch):
    import duban.doc
    from duban.cli import main

    monkeypatch.setattr(duban.doc, "parse_file", lambda path, **kw: Document(kind="notice", tasks=[]))
    assert main(["directory", "通知.docx"]) == 1
    assert capsys.readouterr().err.strip() == "duban directory: 通知.docx 中没有识别出任何责任单位，无法生成单位名录"


def test_directory_command_refuses_a_broken_directory(tmp_path, capsys):
    from duban.cli import main

    bad = tmp_path / "bad.yaml"
    bad.write_text("units:\n  - name: 商务局\n    kind: bureau\n", encoding="utf-8")
    notice = tmp_path / "notice.txt"
    notice.write_text("1. 生产总值增长 5.5%。（商务局负责）\n", encoding="utf-8")
    assert main(["directory", "--check", str(bad), str(notice)]) == 1
    assert "bad.yaml 第 3 行" in capsys.readouterr().err


@pytest.mark.corpus
def test_benchmark_resolve_henan_units(benchmark):
    path = corpus_file("notice-henan-2026.txt")
    from duban.doc import parse_file

    doc = parse_file(path)
    directory = UnitDirectory.from_yaml(UnitDirectory.from_documents([doc]).to_yaml())
    written = [u.name for t in doc.tasks for u in t.units] + ["省商务局", "商务局", "发改委", "郑州市人民政府"]
    results = benchmark(lambda: [directory.resolve(n) for n in written])
    assert [r.status for r in results[-4:]] == ["unknown", "unknown", "alias", "alias"]
    assert all(r.status in ("exact", "alias") for r in results[:-4])
