"""Where each task stands: plain-Python status logic shared by the web
application, the ``status`` command and the bulletin renderer.

No Django here: callers hand in plain values (dates, figures, milestones) and
get back a colour, a share or a lateness verdict.
"""

from duban.track.status import (
    AT_RISK,
    CLAIMED,
    COLOURS,
    DONE,
    LAGGING,
    NOT_STARTED,
    ON_TRACK,
    REPORT_LATE,
    REPORT_MISSING,
    REPORT_ON_TIME,
    REPORT_PENDING,
    REPORT_RETURNED,
    IndicatorCheck,
    MilestoneState,
    TaskState,
    check_indicator,
    expected_share,
    report_timeliness,
    task_state,
)

__all__ = [
    "AT_RISK",
    "CLAIMED",
    "COLOURS",
    "DONE",
    "LAGGING",
    "NOT_STARTED",
    "ON_TRACK",
    "REPORT_LATE",
    "REPORT_MISSING",
    "REPORT_ON_TIME",
    "REPORT_PENDING",
    "REPORT_RETURNED",
    "IndicatorCheck",
    "MilestoneState",
    "TaskState",
    "check_indicator",
    "expected_share",
    "report_timeliness",
    "task_state",
]
