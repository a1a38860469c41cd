"""The function catalogue maps local unit names across governments."""

import pytest

from duban.draft.catalogue import default_directory, functions_of, government_of, load_catalogue


@pytest.mark.parametrize(
    "name, expected",
    [
        ("省发展改革委", ["development_reform"]),
        ("市发展和改革委员会", ["development_reform"]),
        ("发改委", ["development_reform"]),
        ("发展改革和统计局", ["development_reform", "statistics"]),
        ("发展改革委和统计局", ["development_reform", "statistics"]),  # the corpus typo
        ("工业信息和科技局", ["industry", "science"]),
        ("教育体育局", ["education", "sports"]),
        ("文化广电和旅游局", ["culture_tourism", "radio_tv"]),
        ("自然资源和规划局(林业局)", ["natural_resources", "forestry"]),
        ("市政府办公室（国防动员办公室）", ["government_office", "defence_mobilisation"]),
        ("人力资源社会保障厅", ["hr_social_security"]),
        ("省政府国资委", ["state_assets"]),
        ("省政府外办", ["foreign_affairs"]),
        ("市场监督管理局", ["market_regulation"]),
        ("地方金融管理局", ["local_finance"]),
        ("河南金融监管局", ["financial_regulation"]),
        ("人行河南省分行", ["pbc"]),
        ("郑州海关", ["customs"]),
        ("国家统计局济源调查队", ["survey_team"]),
        ("国网济源供电公司", ["power_grid"]),
        ("中国铁路郑州局集团", ["railway"]),
        ("河南邮政分公司", ["postal"]),
        ("河南愚公集团有限公司", ["soe"]),
        ("黄河科技学院应用技术学院", ["university"]),
        ("科学院", ["research_institute"]),
        ("郑州市政府", ["lower_government"]),
        ("各镇人民政府", ["lower_government"]),
        ("天坛街道办事处", ["lower_government"]),
        ("济源示范区管委会", ["lower_government"]),
        ("航空港区管委会", ["development_zone"]),
        ("高新技术产业开发区管理办公室", ["development_zone"]),
        ("通信发展管理办公室", ["communications"]),
        ("党工委统一战线工作部", ["united_front"]),
        ("工商业联合会", ["federation_industry_commerce"]),
        ("市科学技术协会", ["science_association"]),
        ("相关职能部门", ["departments"]),
    ],
)
def test_local_names_map_to_functions(name, expected):
    assert functions_of(name) == expected


def test_unknown_name_has_no_function():
    assert functions_of("某某办公楼") == []


def test_every_function_code_is_unique_and_named():
    catalogue = load_catalogue()
    codes = [f.code for f in catalogue.functions]
    assert len(codes) == len(set(codes))
    assert len(codes) >= 60
    assert all(f.name and f.patterns for f in catalogue.functions)


@pytest.mark.parametrize("level", ["province", "city", "county"])
def test_default_directories_name_only_catalogued_functions(level):
    catalogue = load_catalogue()
    units = default_directory(level, "平顶山", "区")
    assert len(units) > 45
    for unit in units:
        assert "{" not in unit.name
        for code in unit.functions:
            assert code in catalogue.by_code, (unit.name, code)


def test_default_names_recognise_their_own_functions():
    # Every default name must be read back to (at least) its first declared function,
    # or suggestions carried across governments would lose it.
    for level in ("province", "city", "county"):
        for unit in default_directory(level, "平顶山", "区"):
            assert unit.functions[0] in functions_of(unit.name), (level, unit.name)


def test_default_directory_without_place_leaves_out_place_names():
    names = [u.name for u in default_directory("province")]
    assert "省发展改革委" in names
    assert not any("海关" in n for n in names)
    assert "区发展改革委" in [u.name for u in default_directory("county", prefix="区")]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("河南省人民政府", ("河南", "province", "省")),
        ("济源市人民政府", ("济源", "city", "市")),
        ("平顶山市人民政府", ("平顶山", "city", "市")),
        ("偃师区人民政府", ("偃师", "county", "区")),
        ("洛阳市偃师区人民政府", ("偃师", "county", "区")),
        ("济源示范区管委会", ("济源", "city", "市")),
        ("济源产城融合示范区管理委员会", ("济源", "city", "市")),
        ("中共济源示范区工委 济源示范区管委会", ("济源", "city", "市")),
        ("河南省人民政府办公厅", ("河南", "province", "省")),
        ("关于明确政府工作报告提出的重点工作", (None, None, None)),
    ],
)
def test_government_of(text, expected):
    assert government_of(text) == expected


def test_every_corpus_unit_has_a_function(jiyuan, henan):
    names = {(u.name, u.alias) for doc in (jiyuan, henan) for t in doc.tasks for u in t.units}
    assert len(names) > 150
    unknown = sorted(name for name, alias in names if not functions_of(name, alias))
    # Genuinely unknown units would be listed here; the corpus has none left.
    assert unknown == []


def test_corpus_units_of_the_same_function_meet_across_governments(jiyuan, henan):
    def codes(doc, name):
        return next(functions_of(u.name, u.alias) for t in doc.tasks for u in t.units if u.name == name)

    assert set(codes(henan, "省发展改革委")) <= set(codes(jiyuan, "发展改革和统计局"))
    assert set(codes(henan, "省科技厅")) <= set(codes(jiyuan, "工业信息和科技局"))
    assert set(codes(henan, "省体育局")) <= set(codes(jiyuan, "教育体育局"))
    assert codes(henan, "各省辖市政府") == codes(jiyuan, "各镇人民政府") == ["lower_government"]
