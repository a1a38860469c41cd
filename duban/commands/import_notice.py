"""``duban import NOTICE --government NAME --year Y``: import and publish a notice."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from duban.errors import InputError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("notice", help="通知文件（.txt / .docx / .pdf / .xlsx / .html）")
    parser.add_argument("--government", required=True, help="政府名称，如 云溪市（不存在则新建）")
    parser.add_argument("--year", type=int, help="年度（默认取通知中的年度）")
    parser.add_argument("--level", choices=["province", "city", "county"], default="city", help="新建政府的层级")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出摘要")
    parser.add_argument(
        "--force",
        action="store_true",
        help="发文机关或文号显示这是另一级/另一个政府的通知时仍然导入（默认拒绝，什么也不写入）",
    )


def run(args) -> int:
    path = Path(args.notice)
    if not path.is_file():
        raise InputError(f"找不到文件：{path}")
    from duban.web.bootstrap import setup

    setup()
    from django.db import transaction

    from duban.web.models import Assignment, Unit
    from duban.web.services import plans

    document = plans.read_upload(path.read_bytes(), path.name)
    year = args.year or document.year
    if not year:
        raise InputError("通知中没有年度，请用 --year 指定")
    with transaction.atomic():
        government = plans.government_named(args.government, args.level)
        foreign = plans.issuer_warning(document, government)
        if foreign and not args.force:
            # Raised inside the transaction: a government made for this import is not kept either.
            raise InputError(f"{foreign}：未导入。确认要导入到{government.name}，请加 --force")
        units_before = set(Unit.objects.filter(government=government).values_list("name", flat=True))
        plan = plans.publish(plans.import_document(document, government, year), issuer_acknowledged=args.force)
    matches: dict[str, int] = {}
    for match in Assignment.objects.filter(task__plan=plan).values_list("match", flat=True):
        matches[match] = matches.get(match, 0) + 1
    renamed = sorted(
        set(Assignment.objects.filter(task__plan=plan, match="renamed").values_list("written", "unit_name").distinct())
    )
    units_after = set(Unit.objects.filter(government=government).values_list("name", flat=True))
    summary = {
        "government": government.name,
        "year": plan.year,
        "plan": plan.pk,
        "title": plan.title,
        "doc_number": plan.doc_number,
        "tasks": plan.tasks.count(),
        "units": len({a for a in Assignment.objects.filter(task__plan=plan).values_list("unit_id", flat=True)}),
        "new_units": sorted(units_after - units_before),
        "matches": matches,
        "rounds": [{"title": r.title, "due": r.due.isoformat()} for r in plan.rounds.all()],
        "warnings": plan.warnings,
        "renamed": [{"written": w, "unit": u} for w, u in renamed],
        "issuer": plan.issuer,
        "issuer_warning": plan.issuer_warning,
    }
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
        return 0
    print(f"已导入并发布：{government.name} {plan.year} 年 《{plan.title}》 {plan.doc_number}")
    if plan.issuer_warning:
        print(f"注意：{plan.issuer_warning}（已按 --force 导入）")
    print(f"任务 {summary['tasks']} 项，责任单位 {summary['units']} 个（新建 {len(summary['new_units'])} 个）")
    for written, unit in renamed:
        print(f"按更名匹配：{written} → {unit}")
    print("报送轮次：" + "；".join(f"{r['title']} {r['due']}" for r in summary["rounds"]))
    print(f"解析提示 {len(plan.warnings)} 条" + ("：" if plan.warnings else ""))
    for warning in plan.warnings:
        print(f"  - {warning}")
    return 0
