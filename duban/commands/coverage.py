"""``duban coverage --government NAME --year Y [--json]``: each 上级交办 task and the tasks that take it up.

Reads what the cascade stored (``duban.web.services.cascade.coverage_of``): each parent task addressed to
the government, with the government's tasks that take it up, how (suggested, confirmed, linked, added) and
the reasons the rule gave; then the parent tasks nobody has taken up."""

from __future__ import annotations

import argparse
import json

from duban.errors import InputError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--government", required=True, help="本级政府名称，如 济源示范区")
    parser.add_argument("--year", type=int, required=True, help="年度，如 2026")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")


def run(args) -> int:
    from duban.web.bootstrap import setup

    setup()
    from duban import vocab
    from duban.web.models import Government
    from duban.web.services import cascade

    government = Government.objects.filter(name=args.government.strip()).first()
    if government is None:
        raise InputError(f"找不到政府“{args.government.strip()}”")
    if not government.parent_id:
        raise InputError(f"{government.name}没有上级政府：请用 duban import … --parent 上级政府 放到上级之下")
    rows = cascade.coverage_of(government, args.year)
    counts = {key: sum(r.state == key for r in rows) for key in vocab.COVERAGE_STATES.keys}
    if args.json:
        out = {
            "government": government.name,
            "parent": government.parent.name,
            "year": args.year,
            "counts": counts,
            "parent_tasks": [r.to_json() for r in rows],
            "not_taken_up": [r.task.number for r in rows if r.state == vocab.NOT_TAKEN_UP],
        }
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    labels = vocab.COVERAGE_STATES.labels
    print(
        f"{government.name} {args.year} 年上级交办任务 {len(rows)} 项（来自{government.parent.name}）："
        + "，".join(f"{labels[k]} {n}" for k, n in counts.items())
    )
    for row in rows:
        if row.state == vocab.NOT_TAKEN_UP:
            continue
        print(f"\n上级任务 {row.task.number}（{row.state_label}）：{_short(row.task.text)}")
        for link in row.links:
            reasons = "；".join(link.reasons) or vocab.COVERAGE_LINKS.label(link.state)
            print(
                f"  ← 任务 {link.task.number}［{vocab.COVERAGE_LINKS.label(link.state)}］{_short(link.task.text, 40)}"
            )
            print(f"     依据：{reasons}")
    missing = [r for r in rows if r.state == vocab.NOT_TAKEN_UP]
    print(f"\n未承接 {len(missing)} 项" + ("：" if missing else ""))
    for row in missing:
        print(f"  上级任务 {row.task.number}：{_short(row.task.text)}")
    return 0


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"
