"""``duban status --government NAME``: tasks by status and unit, and late reports."""

from __future__ import annotations

import argparse
import json


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--government", required=True, help="政府名称")
    parser.add_argument("--year", type=int, help="年度（默认最近一年已发布的计划）")
    parser.add_argument("--kind", help="计划类别：work_report（默认）、livelihood 民生实事、campaign 专项工作")
    parser.add_argument("--today", help=argparse.SUPPRESS)  # YYYY-MM-DD, for reproducible output
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")


def run(args) -> int:
    from datetime import date

    from duban.web.bootstrap import setup

    setup()
    from django.utils import timezone

    from duban.track import COLOURS
    from duban.web.services.overview import STATUS_ORDER, overview
    from duban.web.services.render_data import published_plan

    plan = published_plan(args.government, args.year, args.kind)
    today = date.fromisoformat(args.today) if args.today else timezone.localdate()
    data = overview(plan, today)
    result = {
        "government": plan.government.name,
        "year": plan.year,
        "kind": plan.kind,
        "plan": plan.pk,
        "today": today.isoformat(),
        "tasks": len(data.rows),
        "by_status": {s: data.by_status.get(s, 0) for s in STATUS_ORDER},
        "by_unit": {name: {s: c.get(s, 0) for s in STATUS_ORDER} for name, c in data.by_unit.items()},
        "late_reports": [
            {
                "unit": late.unit,
                "task": late.task.number,
                "round": late.round.title,
                "due": late.round.due.isoformat(),
                "state": late.timeliness,
                "what": late.what,
                "submitted_at": timezone.localtime(late.submitted_at).isoformat() if late.submitted_at else None,
            }
            for late in data.late
        ],
        "returned": [
            {
                "unit": s.obligation.unit,
                "task": s.obligation.task,
                "round": s.obligation.round.title,
                "revise_by": s.revise_by.isoformat() if s.revise_by else None,
            }
            for s in data.returned
        ],
        "no_members": sorted({s.obligation.unit for s in data.no_members}),
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    labels = {s: COLOURS[s][0] for s in STATUS_ORDER}
    print(f"{plan.government.name} {plan.year} 年 · {plan.get_kind_display()} · {len(data.rows)} 项任务 · 截至 {today}")
    print("按状态：" + "  ".join(f"{labels[s]} {n}" for s, n in result["by_status"].items()))
    print("按单位：")
    width = max((_width(n) for n in result["by_unit"]), default=4)
    print(f"  {_pad('单位', width)}  " + "  ".join(labels[s] for s in STATUS_ORDER))
    for name, counts in result["by_unit"].items():
        print(f"  {_pad(name, width)}  " + "  ".join(f"{counts[s]:>{_width(labels[s])}}" for s in STATUS_ORDER))
    for kind, title in (("report", "逾期报告"), ("ledger", "逾期台账"), ("figures", "逾期监测数据")):
        rows = [r for r in result["late_reports"] if r["what"] == kind]
        if kind != "report" and not rows:
            continue
        missing = [r for r in rows if r["state"] == "missing"]
        print(
            f"{title}：{len(rows)} 份（{labels_of('missing')} {len(missing)}，{labels_of('late')} {len(rows) - len(missing)}）"
        )
        for r in rows:
            what = labels_of("missing") if r["state"] == "missing" else f"{labels_of('late')} {r['submitted_at'][:10]}"
            print(f"  {r['unit']}  任务 {r['task']}  {r['round']}（{r['due']}）  {what}")
    for r in result["returned"]:
        print(
            f"  {labels_of('returned')}：{r['unit']}  任务 {r['task']}  {r['round']}  修改期限 {r['revise_by'] or '未定'}"
        )
    if result["no_members"]:
        print("未列明成员的集合单位：" + "、".join(result["no_members"]))
    return 0


def labels_of(key: str) -> str:
    from duban import vocab

    return vocab.TIMELINESS.label(key)


def _width(text: str) -> int:
    """Columns a terminal gives ``text``: CJK characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
