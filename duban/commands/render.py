"""``duban render …``: the notice, ledgers, bulletins and year-end accounts as .docx / .xlsx.

    duban render notice   PLAN.json -o OUT.docx
    duban render ledger   PLAN.json [--unit NAME] [--round ROUND.json] -o OUT.xlsx
    duban render bulletin PLAN.json --round ROUND.json -o OUT.docx [--text EDITED.txt | --print-text]
    duban render yearend  PLAN.json --round ROUND.json [--unit NAME] -o OUT.docx
    duban render summary  PLAN.json --round ROUND.json [--json]
    duban render import-ledger PLAN.json FILLED.xlsx --unit NAME [--accept-partial] [--json] [-o LEDGER.json]
    duban render round    PLAN.json FILLED.xlsx… --name ROUND [--due D] [--late A,B] -o ROUND.json

PLAN is ``duban parse --json`` / ``duban draft --json`` output (or a notice
file, parsed on the way); ``--government NAME --year Y`` reads the stored
plan (and rounds) from the web application instead.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from duban.errors import DubanError, InputError


def add_arguments(p) -> None:
    sub = p.add_subparsers(dest="what", metavar="WHAT", required=True)

    def command(name: str, help_text: str, *, plan: bool = True):
        c = sub.add_parser(name, help=help_text, description=help_text)
        if plan:
            c.add_argument(
                "plan", nargs="?", metavar="PLAN.json", help="计划：duban parse/draft --json 的输出，或通知原文件"
            )
            c.add_argument("--government", metavar="NAME", help="改为读取网页应用中已存储的计划：政府名称")
            c.add_argument("--year", type=int, metavar="Y", help="与 --government 一起：年度")
            c.add_argument(
                "--plan-kind",
                metavar="KIND",
                help="与 --government 一起：计划类别（work_report 默认、livelihood、campaign）",
            )
        from duban.cli import add_max_mb

        add_max_mb(c)
        return c

    c = command("notice", "生成通知公文（.docx，GB/T 9704-2012 版式）")
    c.add_argument("-o", "--output", required=True, metavar="OUT.docx")

    c = command("ledger", "导出全部任务表，或某单位的台账模板（.xlsx）")
    c.add_argument("--unit", metavar="NAME", help="生成该单位的台账模板（不写则导出全部任务）")
    c.add_argument("--round", metavar="ROUND.json", help="导出全部任务时附上该轮次的状态和最新进展")
    c.add_argument("--rounds", metavar="A,B", help="台账模板中的报送轮次名称，逗号分隔（默认按通知的报送安排）")
    c.add_argument("-o", "--output", required=True, metavar="OUT.xlsx")

    c = command("bulletin", "生成某一报送轮次的督查通报（.docx）")
    c.add_argument(
        "--round", metavar="ROUND.json", help="报送轮次数据（duban.round/1）；用 --government 时可写轮次名称"
    )
    out = c.add_mutually_exclusive_group(required=True)
    out.add_argument("-o", "--output", metavar="OUT.docx")
    out.add_argument("--print-text", action="store_true", help="只打印通报草稿文字，供编辑")
    c.add_argument("--text", metavar="EDITED.txt", help="使用编辑过的通报文字（由 --print-text 得到）")

    c = command("yearend", "生成全年落实情况（.docx），整份计划或某一单位")
    c.add_argument("--round", metavar="ROUND.json", help="全年报送轮次数据（duban.round/1）")
    c.add_argument("--unit", metavar="NAME", help="只写该单位的全年落实情况")
    c.add_argument("-o", "--output", required=True, metavar="OUT.docx")

    c = command("summary", "统计某一报送轮次：任务状态、报送情况、单位（与通报数字一致）")
    c.add_argument("--round", metavar="ROUND.json", help="报送轮次数据（duban.round/1）")
    c.add_argument("--json", action="store_true", help="输出 JSON")

    c = command("round", "由各单位填好的台账（.xlsx 或 import-ledger 输出的 JSON）汇成一轮报送数据")
    c.add_argument("ledgers", nargs="+", metavar="LEDGER", help="单位台账：.xlsx 模板或台账 JSON")
    c.add_argument("--name", required=True, help="轮次名称，与台账中该轮工作表的名称一致，如 6月15日进展")
    c.add_argument("--kind", choices=["progress", "annual"], default="progress")
    c.add_argument("--due", metavar="YYYY-MM-DD", help="报送截止日期")
    c.add_argument("--as-of", metavar="YYYY-MM-DD", help="统计日期（通报落款日期）")
    c.add_argument("--late", metavar="A,B", help="逾期报送的单位，逗号分隔")
    c.add_argument("--accept-partial", action="store_true", help="台账有错误行时，仍采用无误的行")
    c.add_argument("-o", "--output", required=True, metavar="ROUND.json")

    c = command("import-ledger", "检查并读取单位填好的台账（.xlsx），逐行报告")
    c.add_argument("filled", metavar="FILLED.xlsx")
    c.add_argument("--unit", required=True, metavar="NAME")
    c.add_argument("--accept-partial", action="store_true", help="有错误行时，仍读取无误的行")
    c.add_argument("--json", action="store_true", help="以 JSON 输出逐行结果")
    c.add_argument("-o", "--output", metavar="LEDGER.json", help="把读取到的台账写入 JSON 文件")


# --- inputs ----------------------------------------------------------------------------------------


def _read_json(path: str, what: str):
    from duban.limits import check_file_size, current

    limit = current().file_bytes
    try:
        if path == "-":
            text = sys.stdin.read(limit + 1)
        else:
            check_file_size(Path(path).stat().st_size, path, option=None)
            text = Path(path).read_text(encoding="utf-8")
        check_file_size(len(text), path, option=None)
    except FileNotFoundError as exc:
        raise InputError(f"找不到{what}文件：{path}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"无法读取{what}文件 {path}：{exc}") from exc
    try:
        return json.loads(text)
    except RecursionError:
        raise InputError(f"{what}文件 {path} 的 JSON 嵌套层数过深，不是 duban 生成的文件") from None
    except ValueError as exc:
        raise InputError(f"{what}文件 {path} 不是有效的 JSON（第{exc.lineno}行）") from exc


def _load_json(path: str, what: str, from_json):
    """A plan or round from its JSON file; a value out of shape or a missing field is the input's fault."""
    from duban.limits import check

    data = _read_json(path, what)
    if isinstance(data, dict) and isinstance(data.get("tasks"), list):
        check("plan_tasks", len(data["tasks"]), path)
    try:
        return from_json(data)
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{path}：{exc}" if isinstance(exc, ValueError) else f"{path} 缺少字段 {exc}") from exc


def _web():
    """The stored plans of the web application's database (``DUBAN_DATA_DIR`` / ``DATABASE_URL``)."""
    import os

    import django
    from django.core.exceptions import ImproperlyConfigured

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.web.settings")
    try:
        django.setup()
    except ImproperlyConfigured as exc:
        raise DubanError(f"无法打开已存储的计划：{exc}") from exc
    from duban.web.services import render_data

    return render_data


def load_plan(args):
    from duban.doc.model import Document

    if args.government:
        if not args.year:
            raise DubanError("使用 --government 时须同时给出 --year")
        if args.plan:
            raise DubanError("PLAN.json 和 --government 只能二选一")
        from duban.limits import check

        doc = _web().plan_document(args.government, args.year, getattr(args, "plan_kind", None))
        check("plan_tasks", len(doc.tasks), f"{args.government} {args.year} 年计划")
        return doc
    if not args.plan:
        raise DubanError("请给出计划文件 PLAN.json，或用 --government NAME --year Y 读取已存储的计划")
    if args.plan != "-" and not args.plan.lower().endswith(".json"):
        from duban.doc import parse_file
        from duban.limits import check

        doc = parse_file(args.plan)
        check("plan_tasks", len(doc.tasks), args.plan)
        return doc
    return _load_json(args.plan, "计划", Document.from_json)


def load_round(args, *, required: bool = True):
    from duban.render.data import RoundData

    if args.government and not (args.round or "").lower().endswith(".json"):
        return _web().round_data(args.government, args.year, args.round, kind=getattr(args, "plan_kind", None))
    if not args.round:
        if required:
            raise DubanError("请用 --round ROUND.json 给出报送轮次数据")
        return None
    return _load_json(args.round, "报送轮次", RoundData.from_json)


def _output(path: str, suffix: str) -> str:
    if not path.lower().endswith(suffix):
        raise DubanError(f"输出文件应以 {suffix} 结尾：{path}")
    return path


def _done(path: str, what: str) -> None:
    print(f"已写入 {path}：{what}", file=sys.stderr)


# --- commands --------------------------------------------------------------------------------------


def run(args) -> int:
    return {
        "notice": _notice,
        "ledger": _ledger,
        "bulletin": _bulletin,
        "yearend": _yearend,
        "summary": _summary,
        "import-ledger": _import_ledger,
        "round": _round,
    }[args.what](args)


def _notice(args) -> int:
    from duban.render.notice import render_notice

    out = _output(args.output, ".docx")
    doc = load_plan(args)
    render_notice(doc, out)
    _done(out, f"通知，{len(doc.tasks)} 项任务")
    return 0


def _ledger(args) -> int:
    from duban.render.ledger import export_plan_xlsx, unit_ledger_template

    out = _output(args.output, ".xlsx")
    doc = load_plan(args)
    if args.unit:
        rounds = [r.strip() for r in args.rounds.split(",") if r.strip()] if args.rounds else None
        if args.government:
            # A stored plan's template carries what the application holds for the unit, as a download does.
            from duban.web.services import ledger_upload

            ledger_upload.stored_template(
                args.government, args.year, args.unit, out, rounds, kind=getattr(args, "plan_kind", None)
            )
        else:
            unit_ledger_template(doc, args.unit, out, rounds=rounds)
        _done(out, f"{args.unit}的台账模板")
    else:
        export_plan_xlsx(doc, out, load_round(args, required=False))
        _done(out, f"{len(doc.tasks)} 项任务")
    return 0


def _bulletin(args) -> int:
    from duban.render.bulletin import BulletinDraft, bulletin_text, render_bulletin

    doc = load_plan(args)
    round_data = load_round(args)
    draft = bulletin_text(doc, round_data)
    if args.print_text:
        sys.stdout.write(draft.to_text())
        return 0
    out = _output(args.output, ".docx")
    if args.text:
        try:
            edited = Path(args.text).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"无法读取通报文字 {args.text}：{exc}") from exc
        draft = BulletinDraft.from_text(edited, signer=draft.signer, when=draft.date)
    render_bulletin(doc, round_data, out, draft)
    _done(out, f"{round_data.name}通报")
    return 0


def _yearend(args) -> int:
    from duban.render.yearend import render_yearend

    out = _output(args.output, ".docx")
    doc = load_plan(args)
    round_data = load_round(args)
    render_yearend(doc, round_data, out, unit=args.unit)
    _done(out, f"{args.unit or '全部任务'}全年落实情况")
    return 0


def _summary(args) -> int:
    from duban.render.data import REPORT_LABELS
    from duban.render.summary import round_summary, status_label

    doc = load_plan(args)
    s = round_summary(doc, load_round(args))
    if args.json:
        json.dump(s.to_json(), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    print(f"{s.round}：任务 {s.tasks} 项，报告 {s.reports} 份")
    for key, n in s.task_counts.items():
        print(f"  {status_label(key)}\t{n}\t{'、'.join(s.tasks_by_status[key])}")
    for key, n in s.report_counts.items():
        print(f"  {REPORT_LABELS[key]}\t{n}")
    print("推进较好：" + ("、".join(u.unit for u in s.good_units) or "无"))
    print("滞后或报送不及时：" + ("、".join(u.unit for u in s.lagging_units) or "无"))
    return 0


def _import_ledger(args) -> int:
    from duban.render.files import write_atomic
    from duban.render.ledger_import import ACCEPTED, REJECTED, import_unit_ledger

    doc = load_plan(args)
    result = import_unit_ledger(args.filled, doc, args.unit, accept_partial=args.accept_partial)
    if args.json:
        json.dump(result.to_json(), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        for problem in result.structural:
            print(f"结构错误\t{problem}")
        for row in result.rows:
            if row.outcome == ACCEPTED:
                print(f"通过\t工作表“{row.sheet}”第{row.row}行\t任务 {row.task}")
            elif row.outcome == REJECTED:
                for problem in row.problems:
                    print(f"拒绝\t{problem}")
        print(result.summary())
    if result.ledger is not None and args.output:
        write_atomic(args.output, json.dumps(result.ledger.to_json(), ensure_ascii=False, indent=1).encode("utf-8"))
        print(f"已写入 {args.output}", file=sys.stderr)
    if result.ledger is None:
        if not args.json:
            print(
                "未导入任何内容" + ("" if result.structural else "；如只导入无误的行，请加 --accept-partial"),
                file=sys.stderr,
            )
        return 1
    return 0


def _date_arg(value: str | None, option: str):
    from datetime import date

    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise DubanError(f"{option} 应为 YYYY-MM-DD 格式的日期：{value}") from exc


def _round(args) -> int:
    from duban.render.collect import round_from_ledgers
    from duban.render.data import UnitLedger
    from duban.render.files import write_atomic
    from duban.render.ledger_import import import_unit_ledger, template_unit

    out = _output(args.output, ".json")
    due, as_of = _date_arg(args.due, "--due"), _date_arg(args.as_of, "--as-of")
    doc = load_plan(args)
    ledgers = []
    refused = False
    for path in args.ledgers:
        if path.lower().endswith(".json"):
            try:
                ledgers.append(UnitLedger.from_json(_read_json(path, "台账")))
            except (ValueError, KeyError, TypeError) as exc:
                raise InputError(f"{path}：{exc}") from exc
            continue
        unit = template_unit(path)
        if unit is None:
            raise InputError(f"{path} 不是 duban 生成的台账模板")
        result = import_unit_ledger(path, doc, unit, accept_partial=args.accept_partial)
        for problem in result.problems:
            print(f"{path}\t{problem}", file=sys.stderr)
        if result.ledger is None:
            refused = True
        else:
            ledgers.append(result.ledger)
    if refused:
        raise DubanError(
            "有台账未通过检查（见上），未生成报送数据"
            + ("" if args.accept_partial else "；可加 --accept-partial 只采用无误的行")
        )
    if args.name not in {name for ledger in ledgers for name in ledger.rounds}:
        raise DubanError(f"台账中没有名为“{args.name}”的报送轮次")
    late = [u.strip() for u in (args.late or "").split(",") if u.strip()]
    round_data = round_from_ledgers(doc, ledgers, args.name, kind=args.kind, due=due, as_of=as_of, late_units=late)
    write_atomic(out, json.dumps(round_data.to_json(), ensure_ascii=False, indent=1).encode("utf-8"))
    missing = sum(1 for r in round_data.reports if r.report == "missing")
    _done(out, f"{len(round_data.reports)} 份报告（{len(ledgers)} 个单位的台账，未报送 {missing} 份）")
    return 0
