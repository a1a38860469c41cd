"""``duban directory NOTICE... [-o OUT.yaml]`` and ``duban directory --check DIR.yaml NOTICE``.

The first writes the unit directory (单位名录) the notices imply: every unit
named on a task, how many tasks name it, and its kind guessed from the name.
The second shows how each unit a notice names resolves against a directory.
"""

from __future__ import annotations

import sys
from collections import Counter


def add_arguments(p) -> None:
    p.add_argument("notices", nargs="+", metavar="NOTICE", help="通知文件（.txt .docx .xlsx .pdf .html）")
    p.add_argument("-o", "--output", metavar="OUT.yaml", help="写入此文件（默认输出到标准输出）")
    p.add_argument(
        "--check",
        metavar="DIR.yaml",
        help="不生成名录，而是按此名录核对通知中的每个单位名称（exact/alias/fuzzy/unknown）",
    )


def run(args) -> int:
    from duban.doc import parse_file
    from duban.doc.directory import UnitDirectory
    from duban.errors import DubanError

    docs = [parse_file(path, kind="notice") for path in args.notices]
    if args.check:
        return _check(UnitDirectory.from_yaml(args.check), docs)
    directory = UnitDirectory.from_documents(docs)
    if not len(directory):
        names = "、".join(args.notices)
        raise DubanError(f"{names} 中没有识别出任何责任单位，无法生成单位名录")
    text = directory.to_yaml()
    if args.output:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(text)
        print(f"已写入 {args.output}：{len(directory)} 个单位", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _check(directory, docs) -> int:
    written: Counter[str] = Counter()
    for doc in docs:
        for task in doc.tasks:
            for ref in task.units:
                written[ref.name] += 1
    statuses: Counter[str] = Counter()
    for name, n in written.items():
        res = directory.resolve(name)
        statuses[res.status] += 1
        target = f" → {res.name}" if res.name != name else ""
        note = f"  {res.message}" if res.message and res.status != "fuzzy" else ""
        score = f" ({res.score:.0f})" if res.status == "fuzzy" else ""
        print(f"{res.status:<8}{name}{target}{score}  ×{n}{note}")
    summary = "，".join(f"{s} {statuses[s]}" for s in ("exact", "alias", "fuzzy", "unknown"))
    print(f"{len(written)} 个单位名称：{summary}", file=sys.stderr)
    return 0
