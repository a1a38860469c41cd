from datetime import date

import pytest

from duban.track import (
    AT_RISK,
    DONE,
    LAGGING,
    NOT_STARTED,
    ON_TRACK,
    REPORT_LATE,
    REPORT_MISSING,
    REPORT_ON_TIME,
    REPORT_PENDING,
    MilestoneState,
    check_indicator,
    expected_share,
    report_timeliness,
    task_state,
)


def test_expected_share_is_half_by_the_end_of_june():
    assert expected_share(date(2026, 6, 30), 2026) == pytest.approx(181 / 365)
    assert expected_share(date(2026, 12, 31), 2026) == 1.0
    assert expected_share(date(2025, 12, 1), 2026) == 0.0
    assert expected_share(date(2027, 3, 1), 2026) == 1.0


def test_level_target_is_compared_with_time_proportional_progress():
    # 170 亿元 for the year; by 30 June about 84.3 is expected.
    on = date(2026, 6, 30)
    assert check_indicator("社零", 170, 90, "level", on, 2026).verdict == ON_TRACK
    assert check_indicator("社零", 170, 80, "level", on, 2026).verdict == AT_RISK  # 95%
    lagging = check_indicator("社零", 170, 60, "level", on, 2026)
    assert lagging.verdict == LAGGING
    assert lagging.expected == pytest.approx(170 * 181 / 365)
    assert lagging.ratio == pytest.approx(60 / (170 * 181 / 365))


def test_growth_target_is_a_rate_not_prorated():
    on = date(2026, 6, 30)
    assert check_indicator("GDP", 5.5, 5.6, "growth", on, 2026).verdict == ON_TRACK
    assert check_indicator("GDP", 5.5, 5.0, "growth", on, 2026).verdict == AT_RISK
    assert check_indicator("GDP", 5.5, 3.0, "growth", on, 2026).verdict == LAGGING


def test_a_ceiling_is_on_track_below_it():
    on = date(2026, 6, 30)
    assert check_indicator("失业率", 5.5, 5.1, "share", on, 2026, lower_is_better=True).verdict == ON_TRACK
    assert check_indicator("失业率", 5.5, 6.5, "share", on, 2026, lower_is_better=True).verdict == LAGGING


def test_task_state_takes_the_worst_signal():
    today = date(2026, 7, 1)
    assert task_state(today=today, reported_status=None).status == NOT_STARTED
    assert task_state(today=today, reported_status="on_schedule").status == ON_TRACK
    assert task_state(today=today, reported_status="done").status == DONE
    assert task_state(today=today, reported_status="behind").status == LAGGING
    overdue = task_state(
        today=today, reported_status="on_schedule", milestones=[MilestoneState("开工", date(2026, 6, 1), False)]
    )
    assert overdue.status == LAGGING
    assert "开工" in overdue.reasons[0]
    met = task_state(today=today, reported_status=None, milestones=[MilestoneState("开工", date(2026, 6, 1), True)])
    assert met.status == ON_TRACK
    missing = task_state(today=today, reported_status="on_schedule", report_missing=True)
    assert missing.status == AT_RISK and missing.colour == "yellow"
    slow = check_indicator("社零", 170, 80, "level", date(2026, 6, 30), 2026)
    assert task_state(today=today, reported_status="on_schedule", indicators=[slow]).status == AT_RISK


def test_report_timeliness():
    due = date(2026, 6, 15)
    assert report_timeliness(due, date(2026, 6, 15), date(2026, 7, 1)) == REPORT_ON_TIME
    assert report_timeliness(due, date(2026, 6, 16), date(2026, 7, 1)) == REPORT_LATE
    assert report_timeliness(due, None, date(2026, 6, 16)) == REPORT_MISSING
    assert report_timeliness(due, None, date(2026, 6, 15)) == REPORT_PENDING


def test_track_does_not_import_django():
    import subprocess
    import sys

    code = "import sys, duban.track; assert 'django' not in sys.modules, 'django imported'"
    subprocess.run([sys.executable, "-c", code], check=True)
