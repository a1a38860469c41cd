"""``duban import NOTICE --government NAME --year Y [--parent PARENT] [--level L]``: import and publish a notice.

With ``--parent`` the government is placed under its parent first (a cycle or a level that does not sit
below the parent's is refused), so the parent's published tasks addressed to it arrive as 上级交办 tasks and
the notice's tasks are paired with them (``duban coverage`` prints the result)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from duban.errors import InputError
from duban.vocab import LEVELS


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("notice", help="通知文件（.txt / .docx / .pdf / .xlsx / .html）")
    parser.add_argument("--government", required=True, help="政府名称，如 云溪市（不存在则新建）")
    parser.add_argument("--year", type=int, help="年度（默认取通知中的年度）")
    parser.add_argument(
        "--kind", help="计划类别：work_report 政府工作报告重点工作（默认）、livelihood 民生实事、campaign 专项工作"
    )
    parser.add_argument("--level", choices=list(LEVELS), help="政府的层级（新建时默认 city；已有的政府层级不同则拒绝）")
    parser.add_argument("--parent", help="上级政府名称（须已存在），如 河南省；本级政府放在它之下并接收上级交办任务")
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

    kind = plans.plan_kind(args.kind)  # a bad kind is refused before the file is read
    document = plans.read_upload(path.read_bytes(), path.name)
    year = args.year or document.year
    if not year:
        raise InputError("通知中没有年度，请用 --year 指定")
    from duban.web.models import Government
    from duban.web.services import cascade

    name = args.government.strip()
    if not name:
        raise InputError("--government 不能为空")
    with transaction.atomic():
        existing = Government.objects.filter(name=name).first()
        if existing is not None and args.level and existing.level != args.level:
            raise InputError(
                f"层级不符：{existing.name}已登记为{LEVELS.label(existing.level)}，不是{LEVELS.label(args.level)}"
            )
        parent = None
        if args.parent:
            parent = Government.objects.filter(name=args.parent.strip()).first()
            if parent is None:
                raise InputError(f"找不到上级政府“{args.parent.strip()}”：请先导入它的通知")
        # A new government under a parent is one level below it unless --level says otherwise.
        level = args.level or ("county" if parent is not None and parent.level == "city" else "city")
        government = plans.government_named(name, level)
        if parent is not None:
            cascade.place_under(government, parent)
        foreign = plans.issuer_warning(document, government)
        if foreign and not args.force:
            # Raised inside the transaction: a government made for this import is not kept either.
            raise InputError(f"{foreign}：未导入。确认要导入到{government.name}，请加 --force")
        units_before = set(Unit.objects.filter(government=government).values_list("name", flat=True))
        plan = plans.publish(
            plans.import_document(document, government, year, kind=kind), issuer_acknowledged=args.force
        )
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
        "kind": plan.kind,
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
        "parent": parent.name if parent else (government.parent.name if government.parent_id else None),
        "parent_tasks": government.parent_tasks.filter(task__plan__year=plan.year).count(),
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
    if summary["parent"]:
        print(
            f"上级政府：{summary['parent']}，上级交办任务 {summary['parent_tasks']} 项（duban coverage 查看承接情况）"
        )
    print(f"解析提示 {len(plan.warnings)} 条" + ("：" if plan.warnings else ""))
    for warning in plan.warnings:
        print(f"  - {warning}")
    return 0
