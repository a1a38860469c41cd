"""``duban parse FILE [--json | --md | --xlsx OUT]``: read a notice or report."""

from __future__ import annotations

import json
import sys


def add_arguments(p) -> None:
    p.add_argument("file", help="通知或工作报告：.txt .docx .xlsx .pdf .html，或 - 读取标准输入")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="输出 duban.document/1 JSON")
    out.add_argument("--md", action="store_true", help="输出 Markdown")
    out.add_argument("--xlsx", metavar="OUT", help="写入任务分解表 .xlsx")
    p.add_argument("--kind", choices=["notice", "report"], help="不自动判断，按此类型读取")
    p.add_argument("--directory", metavar="DIR.yaml", help="按单位名录核对单位名称")


def run(args) -> int:
    from duban.doc import parse_file

    directory = None
    if args.directory:
        from duban.doc.directory import UnitDirectory

        directory = UnitDirectory.from_yaml(args.directory)
    doc = parse_file(args.file, kind=args.kind, directory=directory)  # --max-mb: duban.cli, for every command
    if args.json:
        json.dump(doc.to_json(), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    elif args.xlsx:
        from duban.doc.export import write_task_table

        write_task_table(doc, args.xlsx)
        print(f"已写入 {args.xlsx}：{len(doc.tasks)} 项任务", file=sys.stderr)
    else:
        from duban.doc.export import to_markdown

        sys.stdout.write(to_markdown(doc))
    for w in doc.warnings:
        print(f"警告：{w}", file=sys.stderr)
    return 0
