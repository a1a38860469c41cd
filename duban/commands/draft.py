"""``duban draft REPORT [--history NOTICE…] [--directory DIR.yaml] [--json | -o draft.json]``.

Reads a work report, decomposes its year-work part into a draft notice and
suggests the units of every task from the past notices given.  The helpers
here (reading history and directory, writing a file whole) are shared with
``duban suggest`` and ``duban eval``.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

from duban import vocab

ROLE_WORDS = vocab.ROLES.labels


def add_arguments(p) -> None:
    p.add_argument("report", help="政府工作报告：.txt .docx .pdf .html")
    add_learning_arguments(p)
    add_output_arguments(p, "输出 duban.document/1 JSON（kind: draft）", "draft.json")


def add_learning_arguments(p) -> None:
    p.add_argument("--history", nargs="+", metavar="NOTICE", default=[], help="往年或其他政府的任务分解通知，用于学习")
    p.add_argument("--directory", metavar="DIR.yaml", help="本级政府的单位名录（YAML），覆盖默认名录")
    p.add_argument(
        "--model-cache",
        metavar="DIR",
        help="学得的模型按政府缓存在此目录（默认 $DUBAN_MODEL_CACHE 或 ~/.cache/duban/models）；历史不变时不再重新学习",
    )
    p.add_argument("--no-cache", action="store_true", help="不读也不写模型缓存，每次重新学习")


def suggestion_inputs(args, history=None):
    """The command line's ``SuggestionInputs``: ``--history``, ``--directory``, ``--model-cache``."""
    from duban.draft.suggest.inputs import SuggestionInputs

    directory, government = load_directory(args.directory)
    cache = False if getattr(args, "no_cache", False) else (Path(args.model_cache) if args.model_cache else None)
    history = load_history(args.history) if history is None else history
    return SuggestionInputs(government=government, directory=directory, history=history, cache=cache)


def add_output_arguments(p, json_help: str, output_metavar: str) -> None:
    """``--json`` or ``-o FILE``, the two outputs besides the listing that ``emit`` writes."""
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help=json_help)
    out.add_argument("-o", "--output", metavar=output_metavar, help="把 JSON 写入文件（写完整才替换）")


def run(args) -> int:
    from duban.doc import parse_file
    from duban.draft.decompose import decompose
    from duban.draft.suggest.inputs import draft_units
    from duban.errors import NotADocumentError

    inputs = suggestion_inputs(args)
    report = parse_file(args.report, kind="report")
    if report.kind != "report" or not (report.areas or report.targets):
        raise NotADocumentError(f"{args.report}：没有找到年度重点工作部分，无法起草任务分解通知。")
    draft = decompose(report)
    from duban.limits import check

    check("plan_tasks", len(draft.tasks), args.report)  # before the suggester, the costly part
    draft = draft_units(draft, inputs)
    emit(draft, args)
    return 0


def emit(doc, args) -> None:
    """Write ``doc`` as JSON to ``-o`` or stdout, or as a readable listing."""
    if getattr(args, "output", None):
        write_atomically(args.output, json.dumps(doc.to_json(), ensure_ascii=False, indent=1) + "\n")
        print(f"已写入 {args.output}：{len(doc.tasks)} 项任务", file=sys.stderr)
    elif args.json:
        json.dump(doc.to_json(), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(listing(doc))


def load_history(paths: list[str]):
    """Parse each history file; it must be a notice that names units."""
    from duban.doc import parse_file
    from duban.errors import DubanError, NotADocumentError

    docs = []
    for path in paths:
        try:
            doc = parse_file(path, kind="notice")
        except NotADocumentError as exc:
            raise NotADocumentError(f"历史文件 {path} 不是任务分解通知：{exc}") from None
        except DubanError:
            raise
        if doc.kind != "notice" or not any(t.units for t in doc.tasks):
            raise NotADocumentError(f"历史文件 {path} 不是任务分解通知：没有读到带责任单位的任务。")
        docs.append(doc)
    return docs


def load_directory(path: str | None):
    """The government's own units as (name, function codes, aliases), and the government.

    Function codes a directory leaves empty come from the catalogue."""
    if not path:
        return None, None
    from duban.doc.directory import UnitDirectory
    from duban.draft.suggest.inputs import directory_entry, government_named

    directory = UnitDirectory.from_yaml(path)
    units = [directory_entry(unit.name, unit.functions, unit.aliases) for unit in directory]
    return units, government_named(directory.government, directory.level)


def write_atomically(path: str, text: str) -> None:
    """Write the whole file or nothing: a temporary file beside it, then a rename."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(
        dir=target.parent if str(target.parent) else ".", prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def listing(doc) -> str:
    """A draft or re-suggested notice as text a supervision office can read."""
    lines = [f"# {doc.title or '任务分解'}", ""]
    section: list[str] = []
    for task in doc.tasks:
        for depth, heading in enumerate(task.section):
            if depth >= len(section) or section[depth] != heading:
                lines += ["", f"{'#' * (depth + 2)} {heading}", ""]
        section = list(task.section)
        lines.append(f"{task.number}. {task.text}")
        if task.units:
            groups: dict[str, list[str]] = {}
            for u in task.units:
                groups.setdefault(u.role, []).append(u.name)
            lines.append(
                "   （" + "；".join(f"{ROLE_WORDS.get(r, r)}：{'、'.join(n)}" for r, n in groups.items()) + "）"
            )
        if task.candidates:
            best = task.candidates[0]
            chosen = {u.name for u in task.units}
            others = "、".join(
                f"{c['name']} {c['score']:.2f}" for c in [c for c in task.candidates if c["name"] not in chosen][:4]
            )
            lines.append(f"   依据：{best['why']}")
            if others:
                lines.append(f"   其他候选：{others}")
    for w in doc.warnings:
        lines.append(f"\n警告：{w}")
    return "\n".join(lines) + "\n"
