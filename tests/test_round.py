"""duban.track.round without a database: who owes what, and where everything stands."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from duban import vocab
from duban.render.collect import round_from_standing
from duban.render.summary import round_summary
from duban.track import round as core
from duban.track.status import MilestoneState

PLAN = core.Round("plan", "plan", "落实方案和工作台账", date(2026, 3, 18))
Q2 = core.Round("q2", "progress", "第二季度", date(2026, 6, 15))
Q3 = core.Round("q3", "progress", "第三季度", date(2026, 9, 15))
YEAR = core.Round("year", "annual", "全年落实情况", date(2026, 12, 15))
ROUNDS = [PLAN, Q2, Q3, YEAR]
TOWNS = ["城关镇", "北海街道", "梨林镇"]


def task(number, *units, section=("一、经济发展",), indicators=(), leaders=()):
    reporting = tuple(n for n, r in units if r in ("lead", "responsible"))
    return core.PlanTask(
        number=number,
        section=section,
        text=f"任务{number}",
        reporting=reporting,
        responsible=tuple(n for n, r in units if r == "responsible"),
        supports=tuple(n for n, r in units if r == "support"),
        monitors=tuple(n for n, r in units if r == "monitor"),
        leaders=tuple(leaders),
        indicators=tuple(indicators),
    )


def signed(task, unit, rnd, on, status="on_schedule", state="submitted", **kw):
    return core.Filed(task, unit, rnd.key, state, on, status, **kw)


def test_a_collective_owes_through_each_member_and_one_with_none_as_itself():
    plan = [
        task("1", ("各镇人民政府", "lead")),
        task("2", ("市政府各部门", "responsible"), ("财政局", "responsible")),
        task("3", ("商务局", "lead"), ("财政局", "support")),
    ]
    obs = core.obligations(plan, [Q2], {"各镇人民政府": TOWNS, "市政府各部门": []})
    owed = {(o.task, o.unit, o.role, o.via, o.no_members) for o in obs.items}
    assert owed == {
        ("1", "城关镇", "lead", "各镇人民政府", False),
        ("1", "北海街道", "lead", "各镇人民政府", False),
        ("1", "梨林镇", "lead", "各镇人民政府", False),
        ("2", "市政府各部门", "responsible", None, True),
        ("2", "财政局", "responsible", None, False),
        ("3", "商务局", "lead", None, False),
    }
    assert obs.units_of["1"] == TOWNS
    assert obs.no_members == ["市政府各部门"]
    # A support unit owes nothing of its own.
    assert not [o for o in obs.items if o.unit == "财政局" and o.task == "3"]

    st = core.standing(obs, [], {}, (), date(2026, 7, 1))
    shown = {(s.obligation.task, s.obligation.unit): s.timeliness for s in st.items}
    assert shown[("2", "市政府各部门")] == core.NO_MEMBERS  # shown as such, not missing forever
    assert shown[("2", "财政局")] == vocab.MISSING
    assert all(s.obligation.unit != "市政府各部门" for s in st.late)


def test_collective_whose_towns_all_reported_on_time_is_on_time_in_the_round_and_the_bulletin():
    plan = [task("1", ("各镇人民政府", "lead"))]
    obs = core.obligations(plan, [Q2], {"各镇人民政府": TOWNS})
    filed = [signed("1", town, Q2, date(2026, 6, 10)) for town in TOWNS]
    st = core.standing(obs, filed, {}, (), date(2026, 7, 1))
    assert {s.timeliness for s in st.items} == {vocab.ON_TIME}
    assert st.tasks["1"].state.status == vocab.ON_TRACK
    assert st.late == []
    data = round_from_standing(st, Q2)
    assert {(r.unit, r.report) for r in data.reports} == {(t, "on_time") for t in TOWNS}
    assert data.judged == {"1": "on_track"}


def test_timeliness_is_the_heads_first_sign_off_and_a_return_moves_nothing():
    plan = [task("1", ("商务局", "lead"))]
    obs = core.obligations(plan, [Q2], {})
    # Signed on time, returned by the office on 6-20 with a revision deadline of 6-25, not yet signed again.
    returned = signed("1", "商务局", Q2, date(2026, 6, 14), state="returned", revise_by=date(2026, 6, 25))
    (s,) = core.standing(obs, [returned], {}, (), date(2026, 7, 1)).items
    assert (s.timeliness, s.returned, s.shown, s.revise_by) == ("on_time", True, "returned", date(2026, 6, 25))
    assert s.label == "退回修改"
    assert not s.overdue
    # Resubmitted and signed again on 7-3: still on time, because the first sign-off was.
    again = signed("1", "商务局", Q2, date(2026, 6, 14))
    (s,) = core.standing(obs, [again], {}, (), date(2026, 7, 5)).items
    assert (s.timeliness, s.returned) == ("on_time", False)
    # Never signed: missing after the due date, pending before it.
    assert core.timeliness(Q2.due, None, date(2026, 6, 16))[0] == "missing"
    assert core.timeliness(Q2.due, None, Q2.due)[0] == "pending"
    # A head's first sign-off after the due date is late.
    assert core.timeliness(Q2.due, signed("1", "商务局", Q2, date(2026, 6, 16)), date(2026, 7, 1))[0] == "late"


def test_an_early_report_counts_for_its_round_and_the_task():
    plan = [task("1", ("商务局", "lead"))]
    obs = core.obligations(plan, [Q2, Q3], {})
    early = signed("1", "商务局", Q3, date(2026, 8, 1), status="behind")
    st = core.standing(obs, [early], {}, (), date(2026, 8, 2))
    q3 = next(s for s in st.items if s.obligation.round == Q3)
    assert q3.timeliness == "on_time"
    assert st.tasks["1"].latest_round == Q3
    assert st.tasks["1"].state.status == vocab.LAGGING


def test_a_units_done_is_a_claim_until_the_office_accepts_it():
    plan = [task("1", ("商务局", "lead"))]
    obs = core.obligations(plan, [Q2], {})
    claim = signed("1", "商务局", Q2, date(2026, 6, 10), status="done")
    st = core.standing(obs, [claim], {}, (), date(2026, 7, 1))
    assert (st.tasks["1"].state.status, st.tasks["1"].state.label) == ("claimed", "待确认")
    accepted = signed("1", "商务局", Q2, date(2026, 6, 10), status="done", state="accepted")
    st = core.standing(obs, [accepted], {}, (), date(2026, 7, 1))
    assert st.tasks["1"].state.status == "done"


def test_the_plan_round_is_tracked_like_a_reporting_round():
    plan = [task("1", ("商务局", "lead")), task("2", ("财政局", "lead"))]
    obs = core.obligations(plan, [PLAN, Q2], {})
    ledgers = [core.Filed("1", "商务局", PLAN.key, "accepted", date(2026, 3, 20))]
    st = core.standing(obs, ledgers, {}, (), date(2026, 4, 1))
    plan_round = {s.obligation.unit: (s.obligation.what, s.timeliness) for s in st.in_round(PLAN)}
    assert plan_round == {"商务局": ("ledger", "late"), "财政局": ("ledger", "missing")}
    # A ledger signed (or missing) says nothing of the task's progress.
    assert st.tasks["1"].state.status == vocab.TASK_NOT_STARTED


def test_monitors_owe_figures_and_their_figure_wins():
    target = {"name": "生产总值增长", "value": 5.5, "unit": "%", "kind": "growth", "qualifier": None, "text": ""}
    plan = [task("1", ("发展改革委", "lead"), ("调查队", "monitor"), indicators=[target])]
    obs = core.obligations(plan, [PLAN, Q2], {})
    owed = {(o.unit, o.round.key, o.what) for o in obs.items}
    assert owed == {("发展改革委", "plan", "ledger"), ("发展改革委", "q2", "report"), ("调查队", "q2", "figures")}
    lead = signed("1", "发展改革委", Q2, date(2026, 6, 10), figures={"生产总值增长": 5.6})
    monitor = signed("1", "调查队", Q2, date(2026, 6, 12), status=None, figures={"生产总值增长": 4.0})
    st = core.standing(obs, [lead, monitor], {}, (), date(2026, 7, 1))
    assert st.tasks["1"].state.status == vocab.LAGGING  # 4.0 against 5.5: the monitor's figure counts
    assert st.report_counts(Q2)["on_time"] == 1  # the monitor's figures are not a progress report


def test_counts_by_section_area_unit_and_leader():
    plan = [
        task("1", ("商务局", "lead"), section=("一、经济", "（一）投资"), leaders=("张市长",)),
        task("2", ("商务局", "lead"), ("财政局", "lead"), section=("一、经济", "（二）消费"), leaders=("张市长",)),
        task("3", ("教育局", "lead"), section=("二、民生",), leaders=("李副市长",)),
    ]
    obs = core.obligations(plan, [Q2], {})
    filed = [
        signed("1", "商务局", Q2, date(2026, 6, 1)),
        signed("2", "商务局", Q2, date(2026, 6, 1)),
        signed("2", "财政局", Q2, date(2026, 6, 1), status="behind"),
    ]
    st = core.standing(obs, filed, {"3": [MilestoneState("开工", date(2026, 5, 1), False)]}, (), date(2026, 7, 1))
    assert {n: t.state.status for n, t in st.tasks.items()} == {"1": "on_track", "2": "lagging", "3": "lagging"}
    assert st.by_area == {"一、经济": {"on_track": 1, "lagging": 1}, "二、民生": {"lagging": 1}}
    assert st.by_section[("一、经济", "（二）消费")] == {"lagging": 1}
    assert st.by_unit["商务局"] == {"on_track": 1, "lagging": 1}
    assert st.by_leader == {"张市长": {"on_track": 1, "lagging": 1}, "李副市长": {"lagging": 1}}
    assert sum(st.by_state.values()) == 3


def test_the_bulletin_counts_what_the_standing_says():
    plan = [task("1", ("各镇人民政府", "lead")), task("2", ("财政局", "lead"))]
    obs = core.obligations(plan, [Q2], {"各镇人民政府": TOWNS})
    filed = [signed("1", t, Q2, date(2026, 6, 10)) for t in TOWNS] + [signed("2", "财政局", Q2, date(2026, 6, 20))]
    st = core.standing(obs, filed, {}, (), date(2026, 7, 1))

    class Doc:
        tasks = [type("T", (), {"number": "1", "text": "任务1"}), type("T", (), {"number": "2", "text": "任务2"})]

    s = round_summary(Doc(), round_from_standing(st, Q2))
    assert s.report_counts == {"on_time": 3, "late": 1, "missing": 0}
    assert s.task_counts["on_track"] == st.by_state["on_track"] == 2


# --- generated cases ---------------------------------------------------------------------------

names = st.sampled_from(["商务局", "财政局", "教育局", "城关镇", "梨林镇", "各镇人民政府"])


@st.composite
def worlds(draw):
    n = draw(st.integers(1, 6))
    tasks = []
    for i in range(n):
        units = draw(st.lists(names, min_size=1, max_size=3, unique=True))
        tasks.append(task(str(i + 1), *[(u, "lead") for u in units]))
    with_members = draw(st.booleans())
    members = {"各镇人民政府": ["城关镇", "梨林镇"] if with_members else []}
    obs = core.obligations(tasks, [Q2, Q3], members)
    filed = []
    for o in obs.items:
        if draw(st.booleans()):
            first = o.round.due + timedelta(days=draw(st.integers(-20, 20)))
            state = draw(st.sampled_from(["submitted", "accepted", "returned"]))
            status = draw(st.sampled_from(vocab.REPORT_STATUSES.keys))
            filed.append(core.Filed(o.task, o.unit, o.round.key, state, first, status))
    today = date(2026, 6, 1) + timedelta(days=draw(st.integers(0, 150)))
    return obs, filed, today, with_members


@settings(max_examples=150, deadline=None)
@given(worlds())
def test_generated_rounds_agree_with_themselves(world):
    obs, filed, today, with_members = world
    st = core.standing(obs, filed, {}, (), today)
    # Every task has a state and is counted once; every unit count sums to its tasks.
    assert sum(st.by_state.values()) == len(obs.tasks)
    for unit, counts in st.by_unit.items():
        assert sum(counts.values()) == sum(unit in obs.units_of[t.number] for t in obs.tasks)
    got = {(f.task, f.unit, f.round): f for f in filed}
    for s in st.items:
        f = got.get((s.obligation.task, s.obligation.unit, s.obligation.round.key))
        # Timeliness is the first sign-off, whatever the state a report is in now.
        if f is not None:
            assert s.timeliness == ("on_time" if f.first_approved <= s.obligation.round.due else "late")
            assert s.returned == (f.state == "returned")
        else:
            assert s.timeliness in ("missing", "pending", core.NO_MEMBERS)
        # A collective with members owes only through them; one without owes as itself, never missing.
        if s.obligation.unit == "各镇人民政府":
            assert not with_members and s.obligation.no_members
            assert s.timeliness != "missing"
    # The bulletin's round counts the same reports the standing does.
    for rnd in obs.rounds:
        data = round_from_standing(st, rnd)
        counts = st.report_counts(rnd)
        assert len([r for r in data.reports if r.report == "on_time"]) == counts["on_time"]
        assert len([r for r in data.reports if r.report == "late"]) == counts["late"]
        assert len(data.reports) + len(data.no_members) == len(st.in_round(rnd))
