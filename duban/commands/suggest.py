"""``duban suggest NOTICE --history NOTICE… [--directory DIR.yaml] [--json | -o out.json]``.

Re-suggests the units of every task of a notice as if its unit clauses were not
there: they are stripped before anything is learned or suggested, so the
output can be set beside the notice to measure the suggestions.
"""

from __future__ import annotations

import sys


def add_arguments(p) -> None:
    from duban.commands.draft import add_learning_arguments, add_output_arguments

    p.add_argument("notice", help="要重新推荐责任单位的任务分解通知")
    add_learning_arguments(p)
    add_output_arguments(p, "输出 duban.document/1 JSON", "out.json")


def run(args) -> int:
    from duban.commands.draft import emit, load_history, suggestion_inputs
    from duban.doc import parse_file
    from duban.draft.suggest import strip_units
    from duban.draft.suggest.inputs import draft_units
    from duban.errors import DubanError, NotADocumentError

    if not args.history:
        raise DubanError("请用 --history 给出至少一份往年或其他政府的任务分解通知。")
    history = load_history(args.history)
    notice = parse_file(args.notice, kind="notice")
    if notice.kind != "notice" or not notice.tasks:
        raise NotADocumentError(f"{args.notice}：没有读到编号任务，不是任务分解通知。")
    # The notice itself among the history (a glob such as notice-*.txt) would
    # let the suggestions copy its own clauses.
    same = [doc for doc in history if [t.text for t in doc.tasks] == [t.text for t in notice.tasks]]
    for doc in same:
        print(f"警告：历史文件 {doc.source} 就是要推荐的通知本身，已跳过。", file=sys.stderr)
    history = [doc for doc in history if doc not in same]
    if not history:
        raise DubanError("除要推荐的通知本身外，没有可学习的历史通知。")
    result = draft_units(strip_units(notice), suggestion_inputs(args, history))
    emit(result, args)
    return 0
