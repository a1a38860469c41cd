"""Charts for bulletins, as PNG bytes (matplotlib, Agg backend: no display needed).

Labels are Chinese when a CJK font is installed (``fc-list :lang=zh``; on
Debian ``fonts-noto-cjk``), English otherwise, so a chart never shows boxes
where characters should be.
"""

from __future__ import annotations

import io
from functools import lru_cache

from duban.render.data import REPORT_LABELS, REPORT_STATES, STATUSES
from duban.render.summary import TRACK_COLOURS, status_label

_ENGLISH = {
    "not_started": "Not started",
    "on_schedule": "On schedule",
    "behind": "Behind",
    "done": "Done",
    "claimed": "Awaiting confirmation",
    "on_track": "On track",
    "at_risk": "At risk",
    "lagging": "Lagging",
    "on_time": "On time",
    "late": "Late",
    "missing": "Missing",
}
_COLOURS = {
    "not_started": "#9e9e9e",
    "on_schedule": "#2e7d32",
    "behind": "#c62828",
    "done": "#1565c0",
    # duban.track's colours, as the dashboard shows them
    "claimed": "#00897b",
    "on_track": "#2e7d32",
    "at_risk": "#f9a825",
    "lagging": "#c62828",
    "on_time": "#2e7d32",
    "late": "#ef6c00",
    "missing": "#c62828",
}
# In order of preference: a sans-serif face reads best in a small chart.
_CJK_HINTS = ("Noto Sans CJK SC", "Source Han Sans", "WenQuanYi", "SimHei", "CJK", "AR PL", "Droid Sans Fallback")


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The family name of an installed font that can draw Chinese, or None."""
    from matplotlib import font_manager

    names = sorted({font.name for font in font_manager.fontManager.ttflist})
    for hint in _CJK_HINTS:
        for name in names:
            if hint in name:
                return name
    return None


def _bar_chart(keys, counts: dict[str, int], labels, title: str, english_title: str) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    font = cjk_font()
    names = [labels(k) if font else _ENGLISH[k] for k in keys]
    values = [counts.get(k, 0) for k in keys]
    fig = Figure(figsize=(6.4, 3.2), dpi=150)
    ax = fig.subplots()
    bars = ax.bar(names, values, color=[_COLOURS[k] for k in keys])
    ax.bar_label(bars, labels=[str(v) for v in values], padding=2, **({"fontfamily": font} if font else {}))
    ax.set_title(title if font else english_title, **({"fontfamily": font} if font else {}))
    ax.set_ylim(0, max(values + [1]) * 1.2)
    ax.spines[["top", "right"]].set_visible(False)
    ax.yaxis.get_major_locator().set_params(integer=True)
    if font:
        for label in ax.get_xticklabels():
            label.set_fontfamily(font)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def status_keys(task_counts: dict[str, int]) -> tuple[str, ...]:
    """The bars of a task chart: duban.track's five colours when the counts are a judged round's
    (any key that is no reported status), else the four reported statuses."""
    return TRACK_COLOURS if set(task_counts) - set(STATUSES) else STATUSES


def status_chart(task_counts: dict[str, int]) -> bytes:
    keys = status_keys(task_counts)
    return _bar_chart(keys, task_counts, status_label, "任务推进情况（项）", "Tasks by status")


def report_chart(report_counts: dict[str, int]) -> bytes:
    return _bar_chart(REPORT_STATES, report_counts, REPORT_LABELS.__getitem__, "报送情况（份）", "Reports by state")
