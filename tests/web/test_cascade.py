"""上级交办 (issue 11 item 2): a province's published tasks addressed to its cities arrive there, the cities'
own tasks are paired with them, the office confirms / links / adds, and the province rolls it up.

Small made-up notices always run; the Henan → Jiyuan walk reads the corpus (skipped when absent)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duban import vocab
from duban.cli import main
from duban.doc.model import Document, Indicator, ScheduleItem, UnitRef
from duban.doc.model import Task as DocTask
from duban.errors import DubanError, InputError
from duban.web.models import AuditEvent, CoverageLink, Government, ParentTask, Plan, PlanRevision, ProgressReport, Unit
from duban.web.services import cascade, plans
from tests.conftest import corpus_file

YEAR = 2026
GRAIN = "粮食产量稳定在1300亿斤以上，建设高标准农田，守牢粮食安全底线。"
SCHEDULE = [
    ScheduleItem("plan", date(2026, 3, 10), "3月10日前"),
    ScheduleItem("progress", date(2026, 6, 15), "6月15日"),
    ScheduleItem("annual", date(2026, 12, 15), "12月15日"),
]


def grain(value) -> Indicator:
    return Indicator("粮食产量", value, "亿斤", "以上", "level", f"{value}亿斤以上")


def province_notice() -> Document:
    area = ["一、扛稳粮食安全重任"]
    return Document(
        kind="notice",
        title="云省人民政府关于明确2026年重点工作责任单位的通知",
        doc_number="云政〔2026〕4号",
        year=YEAR,
        schedule=SCHEDULE,
        tasks=[
            DocTask(
                "1",
                area,
                GRAIN,
                [UnitRef("省农业农村厅", "lead"), UnitRef("各省辖市政府", "support")],
                indicators=[grain(1300)],
            ),
            DocTask(
                "2",
                area,
                "推进云溪港综合保税区扩区，建成国际陆港多式联运中心。",
                [UnitRef("省商务厅", "lead"), UnitRef("云溪市政府", "support")],
            ),
            DocTask("3", area, "推进青川生态保护区建设。", [UnitRef("青川市政府", "responsible")]),
            DocTask("4", area, "建设全省统一的政务服务平台。", [UnitRef("省政务服务办", "responsible")]),
        ],
    )


def city_notice(name="云溪市", *texts) -> Document:
    area = ["一、农业农村"]
    texts = texts or (GRAIN.replace("1300", "30"), "开展全民健身运动，办好第五届市运会。")
    return Document(
        kind="notice",
        title=f"{name}人民政府关于明确2026年重点工作责任单位的通知",
        year=YEAR,
        schedule=SCHEDULE,
        tasks=[
            DocTask(
                str(n),
                area,
                text,
                [UnitRef("农业农村局", "lead")],
                indicators=[grain(30)] if "粮食产量" in text else [],
            )
            for n, text in enumerate(texts, 1)
        ],
    )


@pytest.fixture
def tree(db):
    province = Government.objects.create(name="云省", level="province")
    yunxi = Government.objects.create(name="云溪市", level="city", parent=province)
    qingchuan = Government.objects.create(name="青川市", level="city", parent=province)
    plan = plans.publish(plans.import_document(province_notice(), province, YEAR))
    return type("Tree", (), {"province": province, "yunxi": yunxi, "qingchuan": qingchuan, "plan": plan})


def numbers(government) -> dict[str, str]:
    return {p.task.number: p.how for p in ParentTask.objects.filter(government=government).select_related("task")}


# --- the cascade -------------------------------------------------------------------------------------


def test_publishing_brings_each_city_the_tasks_addressed_to_it_by_name_or_collective(tree):
    assert numbers(tree.yunxi) == {"1": "collective", "2": "name"}
    assert numbers(tree.qingchuan) == {"1": "collective", "3": "name"}
    assert ParentTask.objects.filter(government=tree.province).count() == 0  # nothing addressed upward
    event = AuditEvent.objects.filter(action="接收上级交办任务", government=tree.yunxi).get()
    assert event.after["tasks"] == ["1", "2"] and event.after["from"] == "云省"


def test_a_draft_parent_plan_sends_nothing_down(db):
    province = Government.objects.create(name="云省", level="province")
    city = Government.objects.create(name="云溪市", level="city", parent=province)
    plans.import_document(province_notice(), province, YEAR)
    assert not ParentTask.objects.filter(government=city).exists()


def test_a_city_placed_under_a_province_with_a_published_plan_receives_its_tasks_once(tree):
    late = Government.objects.create(name="青川市辖区", level="city")  # no name of its own in the notice
    assert cascade.place_under(late, tree.province) == 1  # only the collective 各省辖市政府
    assert numbers(late) == {"1": "collective"}
    assert cascade.place_under(late, tree.province) == 0  # placing again adds nothing
    assert ParentTask.objects.filter(government=late).count() == 1


def test_an_alias_in_the_parents_directory_reaches_the_city(db):
    province = Government.objects.create(name="云省", level="province")
    Unit.objects.create(government=province, name="济川示范区管委会", kind="government", aliases=["济川管委会"])
    city = Government.objects.create(name="济川示范区", level="city", parent=province)
    notice = Document(
        kind="notice",
        title="云省通知",
        year=YEAR,
        schedule=SCHEDULE,
        tasks=[DocTask("1", ["一、开放"], "建设内陆开放高地。", [UnitRef("济川管委会", "responsible")])],
    )
    plans.publish(plans.import_document(notice, province, YEAR))
    assert "济川管委会" in cascade.aliases_of(city)
    assert numbers(city) == {"1": "name"}


@pytest.mark.parametrize(
    "child_level, parent_level, sentence",
    [
        ("province", "city", "层级不符"),
        ("city", "city", "层级不符"),
        ("county", "county", "层级不符"),
    ],
)
def test_a_level_that_does_not_sit_below_is_refused(db, child_level, parent_level, sentence):
    parent = Government.objects.create(name="上级", level=parent_level)
    child = Government.objects.create(name="下级", level=child_level)
    with pytest.raises(InputError, match=sentence):
        cascade.place_under(child, parent)
    child.refresh_from_db()
    assert child.parent_id is None


def test_a_cycle_and_a_second_parent_are_refused(tree):
    county = Government.objects.create(name="云溪县", level="county", parent=tree.yunxi)
    with pytest.raises(InputError, match="循环"):
        cascade.place_under(tree.province, county)
    with pytest.raises(InputError, match="自己"):
        cascade.place_under(tree.yunxi, tree.yunxi)
    with pytest.raises(InputError, match="已在云省之下"):
        cascade.place_under(tree.yunxi, Government.objects.create(name="别省", level="province"))


# --- pairing and the office's decisions -----------------------------------------------------------------


def test_importing_the_citys_notice_suggests_links_with_reasons(tree):
    city_plan = plans.import_document(city_notice(), tree.yunxi, YEAR)
    rows = {r.task.number: r for r in cascade.coverage_of(tree.yunxi, YEAR)}
    grain_row = rows["1"]
    assert grain_row.state == vocab.AWAITING_CONFIRMATION
    [link] = grain_row.links
    assert link.task.plan == city_plan and link.task.number == "1" and link.state == vocab.SUGGESTED_LINK
    assert link.score > 0 and any("粮食产量" in r for r in link.reasons)
    # Nothing in the city's notice takes up the port task: it is listed as not taken up.
    assert rows["2"].state == vocab.NOT_TAKEN_UP and rows["2"].links == []
    # Another year's plan is never paired with this year's tasks.
    other = plans.import_document(city_notice(), tree.yunxi, YEAR + 1)
    assert not CoverageLink.objects.filter(task__plan=other).exists()


def test_decisions_survive_pairing_again_and_a_rejected_pair_is_not_suggested_again(tree):
    plans.import_document(city_notice("云溪市", GRAIN, GRAIN.replace("1300", "40")), tree.yunxi, YEAR)
    row = next(r for r in cascade.coverage_of(tree.yunxi, YEAR) if r.task.number == "1")
    assert len(row.links) == 2
    first, second = row.links
    cascade.confirm(first)
    cascade.reject(second)
    with pytest.raises(DubanError, match="已承接"):
        cascade.confirm(first)
    cascade.suggest_links(tree.yunxi, YEAR)
    states = dict(CoverageLink.objects.filter(parent_task=row.parent_task).values_list("task_id", "state"))
    assert states == {first.task_id: vocab.CONFIRMED_LINK, second.task_id: vocab.REJECTED_LINK}
    row = next(r for r in cascade.coverage_of(tree.yunxi, YEAR) if r.task.number == "1")
    assert row.state == vocab.TAKEN_UP and [link.task_id for link in row.links] == [first.task_id]
    assert AuditEvent.objects.filter(action="确认承接上级交办任务", government=tree.yunxi).count() == 1


def test_linking_by_hand_takes_only_the_citys_own_task_of_that_year(tree):
    city_plan = plans.import_document(city_notice(), tree.yunxi, YEAR)
    port = ParentTask.objects.get(government=tree.yunxi, task__number="2")
    sport = city_plan.tasks.get(number="2")
    link = cascade.link_task(port, sport)
    assert link.state == vocab.LINKED_BY_HAND
    with pytest.raises(DubanError, match="已承接"):
        cascade.link_task(port, sport)
    elsewhere = plans.import_document(city_notice("青川市"), tree.qingchuan, YEAR).tasks.first()
    with pytest.raises(InputError, match="不是本级"):
        cascade.link_task(port, elsewhere)
    next_year = plans.import_document(city_notice(), tree.yunxi, YEAR + 1).tasks.first()
    with pytest.raises(InputError, match="不是本级"):
        cascade.link_task(port, next_year)
    assert CoverageLink.objects.filter(parent_task=port).count() == 1


def test_adding_a_task_to_a_published_plan_is_a_numbered_revision(tree):
    city_plan = plans.publish(plans.import_document(city_notice(), tree.yunxi, YEAR))
    unit = city_plan.government.units.get(name="农业农村局")
    port = ParentTask.objects.get(government=tree.yunxi, task__number="2")
    task = cascade.add_task(port, city_plan, text="推进云溪港综保区扩区。", unit=unit)
    assert task.number == "3" and task.section.title == cascade.ADDED_SECTION
    assert list(task.assignments.values_list("unit__name", "role")) == [("农业农村局", "lead")]
    assert CoverageLink.objects.get(parent_task=port).state == vocab.ADDED_LINK
    revision = PlanRevision.objects.get(plan=city_plan)
    assert revision.number == 1 and "承接" in revision.reason
    with pytest.raises(InputError, match="任务内容"):
        cascade.add_task(port, city_plan, text="  ")
    province_plan_task_count = tree.plan.tasks.count()
    with pytest.raises(InputError, match="不是本级"):
        cascade.add_task(port, tree.plan, text="x")
    assert tree.plan.tasks.count() == province_plan_task_count


# --- the province's roll-up ------------------------------------------------------------------------------


def test_the_rollup_counts_coverage_and_reads_standing_from_the_core(tree):
    from duban.web.services.overview import load

    city_plan = plans.publish(plans.import_document(city_notice(), tree.yunxi, YEAR))
    grain_link = CoverageLink.objects.get(parent_task__government=tree.yunxi, parent_task__task__number="1")
    cascade.confirm(grain_link)
    task = grain_link.task
    unit = task.assignments.get().unit
    progress = city_plan.rounds.get(kind="progress")
    ProgressReport.objects.create(
        task=task, unit=unit, round=progress, status=vocab.BEHIND, state=vocab.SUBMITTED,
        first_approved_at="2026-06-10T10:00:00+08:00",
    )  # fmt: skip
    today = date(2026, 7, 1)
    by_city = {c.government.name: c for c in cascade.rollup(tree.province, YEAR, today)}
    yunxi = by_city["云溪市"]
    assert (yunxi.addressed, yunxi.taken_up, yunxi.awaiting, yunxi.not_taken_up) == (2, 1, 0, 1)
    expected = load(city_plan).standing(today).tasks[task.number].state.status
    assert expected == vocab.LAGGING  # the unit's own 滞后, through duban.track.round
    assert dict(yunxi.by_state) == {expected: 1}
    assert yunxi.plans == [city_plan]
    qingchuan = by_city["青川市"]
    assert (qingchuan.addressed, qingchuan.taken_up, qingchuan.not_taken_up, qingchuan.plans) == (2, 0, 2, [])


def test_a_taking_up_task_in_a_draft_plan_has_no_standing_yet(tree):
    plans.import_document(city_notice(), tree.yunxi, YEAR)
    cascade.confirm(CoverageLink.objects.get(parent_task__government=tree.yunxi, parent_task__task__number="1"))
    [yunxi, _] = cascade.rollup(tree.province, YEAR, date(2026, 7, 1))
    assert yunxi.taken_up == 1 and yunxi.unpublished == 1 and not yunxi.by_state


# --- the command line -----------------------------------------------------------------------------------

PROVINCE_TXT = """云省人民政府关于明确2026年重点工作责任单位的通知
云政〔2026〕4号
一、扛稳粮食安全重任
1. 粮食产量稳定在1300亿斤以上，建设高标准农田，守牢粮食安全底线。（省农业农村厅牵头，各省辖市政府按职责分工负责）
2. 推进云溪港综合保税区扩区，建成国际陆港多式联运中心。（省商务厅牵头，云溪市政府按职责分工负责）
3. 建设全省统一的政务服务平台。（省政务服务办负责）
"""
CITY_TXT = """云溪市人民政府关于明确2026年重点工作责任单位的通知
云政〔2026〕1号
一、农业农村
1. 粮食产量稳定在30亿斤以上，建设高标准农田，守牢粮食安全底线。（农业农村局负责）
2. 开展全民健身运动，办好第五届市运会。（体育局负责）
"""


@pytest.fixture
def notices(tmp_path):
    (tmp_path / "province.txt").write_text(PROVINCE_TXT, encoding="utf-8")
    (tmp_path / "city.txt").write_text(CITY_TXT, encoding="utf-8")
    return tmp_path


def test_import_with_parent_places_the_city_and_coverage_prints_it(db, notices, capsys):
    assert main(["import", str(notices / "province.txt"), "--government", "云省", "--level", "province"]) == 0
    capsys.readouterr()
    assert main(["import", str(notices / "city.txt"), "--government", "云溪市", "--parent", "云省", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["parent"] == "云省" and summary["parent_tasks"] == 2
    city = Government.objects.get(name="云溪市")
    assert city.parent.name == "云省" and city.level == "city"
    assert main(["coverage", "--government", "云溪市", "--year", "2026", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    tasks = {t["number"]: t for t in out["parent_tasks"]}
    assert set(tasks) == {"1", "2"} and out["not_taken_up"] == ["2"]
    assert tasks["1"]["addressed"] == "统一交办" and tasks["2"]["addressed"] == "点名交办"
    [taker] = tasks["1"]["taken_up_by"]
    assert taker["number"] == "1" and taker["state"] == "suggested" and taker["reasons"]
    assert main(["coverage", "--government", "云溪市", "--year", "2026"]) == 0
    text = capsys.readouterr().out
    assert "上级交办任务 2 项（来自云省）" in text and "依据：" in text and "未承接 1 项" in text


@pytest.mark.parametrize(
    "argv, sentence",
    [
        (["--government", "云溪市", "--parent", "无此省"], "找不到上级政府“无此省”"),
        (["--government", "云省", "--parent", "云溪市"], "循环"),
        (["--government", "云溪市", "--level", "county"], "层级不符：云溪市已登记为市级"),
        (["--government", "新市", "--parent", "云溪市", "--level", "province"], "层级不符"),
    ],
)
def test_import_refuses_a_bad_placement_in_one_sentence_and_changes_nothing(db, notices, capsys, argv, sentence):
    province = Government.objects.create(name="云省", level="province")
    Government.objects.create(name="云溪市", level="city", parent=province)
    before = (Government.objects.count(), Plan.objects.count())
    assert main(["import", str(notices / "city.txt"), "--year", "2026", *argv]) == 1
    err = capsys.readouterr().err
    assert sentence in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert (Government.objects.count(), Plan.objects.count()) == before
    assert Government.objects.get(name="云省").parent_id is None


def test_coverage_of_an_unknown_or_parentless_government_says_so(db, capsys):
    assert main(["coverage", "--government", "无此市", "--year", "2026"]) == 1
    assert "找不到政府“无此市”" in capsys.readouterr().err
    Government.objects.create(name="云省", level="province")
    assert main(["coverage", "--government", "云省", "--year", "2026"]) == 1
    assert "没有上级政府" in capsys.readouterr().err


@pytest.mark.corpus
def test_henan_as_province_and_jiyuan_as_its_city(db, capsys):
    henan, jiyuan = corpus_file("notice-henan-2026.txt"), corpus_file("notice-jiyuan-2026.txt")
    assert main(["import", str(henan), "--government", "河南省", "--level", "province"]) == 0
    assert main(["import", str(jiyuan), "--government", "济源示范区", "--parent", "河南省"]) == 0
    capsys.readouterr()
    assert main(["coverage", "--government", "济源示范区", "--year", "2026", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    province_plan = Plan.objects.get(government__name="河南省")
    # Every Henan task whose unit clause names Jiyuan or all the cities is here, and nothing else.
    named = {
        t.number
        for t in province_plan.tasks.all()
        if "济源" in t.clause or "各省辖市" in t.clause
    }  # fmt: skip
    assert {t["number"] for t in out["parent_tasks"]} == named and len(named) >= 15
    how = {t["number"]: t["addressed"] for t in out["parent_tasks"]}
    jiyuan_plan = Plan.objects.get(government__name="济源示范区")
    for t in out["parent_tasks"]:
        text = province_plan.tasks.get(number=t["number"]).clause
        # Named or collective: which one a clause naming both reads as is duban.draft.coverage's to say.
        assert how[t["number"]] in (("点名交办", "统一交办") if "济源" in text else ("统一交办",))
        for taker in t["taken_up_by"]:
            assert jiyuan_plan.tasks.filter(number=taker["number"]).exists() and taker["reasons"]
    assert out["counts"]["not_taken_up"] == len(out["not_taken_up"])
    assert sum(out["counts"].values()) == len(named)


# --- generated: any sequence of placements keeps a tree with levels going down -----------------------------


class _Undo(Exception):
    pass


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    levels=st.lists(st.sampled_from(list(vocab.LEVELS)), min_size=2, max_size=6),
    moves=st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), max_size=12),
)
def test_any_placement_is_taken_exactly_when_it_keeps_a_tree_going_down(db, levels, moves):
    from django.db import transaction

    try:
        with transaction.atomic():
            govs = [Government.objects.create(name=f"政府{n}", level=lv) for n, lv in enumerate(levels)]
            parent: dict[int, int | None] = {n: None for n in range(len(govs))}

            def above(n):  # n and every government above it, in the model
                seen = []
                while n is not None and n not in seen:
                    seen.append(n)
                    n = parent[n]
                return seen

            for child, up in moves:
                if child >= len(govs) or up >= len(govs):
                    continue
                ok = (
                    child not in above(up)
                    and vocab.LEVEL_RANK[levels[child]] > vocab.LEVEL_RANK[levels[up]]
                    and parent[child] in (None, up)
                )
                try:
                    cascade.place_under(Government.objects.get(pk=govs[child].pk), govs[up])
                except InputError as exc:
                    assert not ok, f"refused a good placement: {exc}"
                    assert len(str(exc).splitlines()) == 1
                else:
                    assert ok, f"took {child} under {up} with parents {parent}"
                    parent[child] = up
                stored = {n: g.parent_id for n, g in enumerate(Government.objects.filter(pk__in=[g.pk for g in govs]))}
                assert stored == {n: (govs[p].pk if p is not None else None) for n, p in parent.items()}
            raise _Undo
    except _Undo:
        pass


def test_a_government_made_on_the_governments_page_receives_its_tasks(tree, client):
    """The site administrator's 政府 page places a new city as ``place_under`` does: the province's
    published tasks addressed to every city come down to it at once."""
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_superuser("root", password="x"))
    response = client.post(
        "/governments/",
        {"action": "create", "name": "临江市", "level": "city", "parent": tree.province.pk, "admin_username": "lj"},
    )
    assert response.status_code == 200
    city = Government.objects.get(name="临江市")
    assert city.parent == tree.province and numbers(city) == {"1": "collective"}
