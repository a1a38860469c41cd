"""The reminder ladder (duban.track.remind) without a database: fixed cases and generated rules and dates."""

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from duban.track.remind import HEAD, OFFICE, STAFF, Due, Rules, owed, step_on, steps

DUE = date(2026, 6, 15)


def due(on=DUE, filed=False, kind="progress", revision=False):
    return Due(1, "1", "任务", 7, "商务局", 3, "第1次进展情况", kind, on, filed, revision=revision)


def walk(item, rules, first, last):
    """Run a pass every day from ``first`` to ``last``, sending each step once: {day: step}."""
    out, sent = {}, set()
    day = first
    while day <= last:
        step = step_on(item, rules, day)
        if step is not None and step.key not in sent:
            sent.add(step.key)
            out[day] = step
        day += timedelta(days=1)
    return out


def test_the_default_ladder():
    got = walk(due(), Rules(), date(2026, 6, 1), date(2026, 7, 1))
    assert [(d.isoformat(), s.key, sorted(s.audience)) for d, s in got.items()] == [
        ("2026-06-12", "before-3", [STAFF]),
        ("2026-06-14", "before-1", [STAFF]),
        ("2026-06-15", "due", [STAFF]),
        ("2026-06-16", "overdue-1", [STAFF]),
        ("2026-06-19", "overdue-4", [HEAD, STAFF]),
        ("2026-06-22", "overdue-7", [HEAD, OFFICE, STAFF]),
        ("2026-06-25", "overdue-10", [HEAD, OFFICE, STAFF]),
        ("2026-06-28", "overdue-13", [HEAD, OFFICE, STAFF]),
        ("2026-07-01", "overdue-16", [HEAD, OFFICE, STAFF]),
    ]


def test_nothing_once_filed_and_nothing_for_a_kind_not_reminded():
    assert step_on(due(filed=True), Rules(), DUE) is None
    assert step_on(due(kind="plan"), Rules(kinds=("progress",)), DUE) is None


def test_a_missed_day_sends_the_step_that_still_applies_not_a_pile():
    # The server was down from 10 to 17 June: on the 18th only overdue-1 (the latest step) is owed.
    assert step_on(due(), Rules(), date(2026, 6, 18)).key == "overdue-1"
    assert step_on(due(), Rules(), date(2026, 6, 13)).key == "before-3"


def test_reminders_stop_long_after_the_due_date():
    assert step_on(due(), Rules(stop_after=30), DUE + timedelta(days=30)) is not None
    assert step_on(due(), Rules(stop_after=30), DUE + timedelta(days=31)) is None


def test_no_overdue_reminders_when_switched_off():
    got = walk(due(), Rules(overdue_every=0, before=(2,), on_day=False), date(2026, 6, 1), date(2026, 7, 1))
    assert [s.key for s in got.values()] == ["before-2"]


def test_a_revision_has_its_own_steps():
    assert step_on(due(revision=True), Rules(), DUE - timedelta(days=1)).key == "revise-before-1"


@pytest.mark.parametrize(
    "start, end, at, quiet",
    [
        (time(22), time(8), time(23, 30), True),
        (time(22), time(8), time(7, 59), True),
        (time(22), time(8), time(8, 0), False),
        (time(12), time(14), time(13), True),
        (time(12), time(14), time(15), False),
        (None, None, time(3), False),
    ],
)
def test_quiet_hours(start, end, at, quiet):
    assert Rules(quiet_start=start, quiet_end=end).quiet(at) is quiet


def test_the_next_loud_moment():
    rules = Rules()
    assert rules.next_loud(datetime(2026, 6, 1, 23, 0)) == datetime(2026, 6, 2, 8, 0)
    assert rules.next_loud(datetime(2026, 6, 2, 3, 0)) == datetime(2026, 6, 2, 8, 0)
    assert rules.next_loud(datetime(2026, 6, 2, 9, 0)) == datetime(2026, 6, 2, 9, 0)


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        Rules(overdue_every=-1)


rules_st = st.builds(
    Rules,
    before=st.lists(st.integers(1, 20), max_size=4).map(tuple),
    on_day=st.booleans(),
    overdue_every=st.integers(0, 10),
    head_after=st.integers(0, 20),
    office_after=st.integers(0, 30),
    stop_after=st.integers(0, 120),
)


@settings(max_examples=200, deadline=None)
@given(rules=rules_st, offset=st.integers(-40, 40), filed_after=st.one_of(st.none(), st.integers(-30, 60)))
def test_generated_daily_passes_give_exactly_the_ladder(rules, offset, filed_after):
    """Daily passes send each step of the ladder on its own day, escalate as the rules say, stop once filed."""
    on = DUE + timedelta(days=offset)
    first, last = on - timedelta(days=30), on + timedelta(days=rules.stop_after + 5)
    filed_on = on + timedelta(days=filed_after) if filed_after is not None else None
    out, sent = {}, set()
    day = first
    while day <= last:
        item = due(on, filed=filed_on is not None and day >= filed_on)
        step = step_on(item, rules, day)
        if step is not None and step.key not in sent:
            sent.add(step.key)
            out[day] = step
        day += timedelta(days=1)
    ladder = [s for s in steps(on, rules, last) if (s.day - on).days <= rules.stop_after]
    expected = {s.day: s for s in ladder if filed_on is None or s.day < filed_on}
    assert {d: s.key for d, s in out.items()} == {d: s.key for d, s in expected.items()}
    for day, step in out.items():
        late = (day - on).days
        assert step.day == day
        assert (HEAD in step.audience) == (late > 0 and late >= rules.head_after)
        assert (OFFICE in step.audience) == (late > 0 and late >= rules.office_after)
        assert STAFF in step.audience


@settings(max_examples=100, deadline=None)
@given(rules=rules_st, offsets=st.lists(st.integers(-10, 10), min_size=1, max_size=8), today=st.integers(-15, 15))
def test_owed_lists_every_unfiled_obligation_with_a_step_once(rules, offsets, today):
    items = [
        Due(n, str(n), "", n, f"单位{n}", 1, "轮次", "progress", DUE + timedelta(days=o), False)
        for n, o in enumerate(offsets)
    ]
    day = DUE + timedelta(days=today)
    got = owed(items, rules, day)
    assert [o.item for o in got] == sorted(
        [i for i in items if step_on(i, rules, day) is not None], key=lambda i: (i.due, i.unit, i.task_number)
    )
    assert all(o.step.day <= day for o in got)
