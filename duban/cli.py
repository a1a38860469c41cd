"""The ``duban`` command.

Each subcommand lives in ``duban.commands.<name>`` with ``add_arguments(parser)``
and ``run(args) -> int``.  Those modules import only the standard library at
top level; Django, docx, pdf and sklearn are imported inside ``run`` so that
``duban parse`` starts fast.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from duban.errors import DubanError

# name → one-line help, in the order they appear in ``duban --help``.
COMMANDS = {
    "parse": "读取通知或工作报告，输出结构化任务（JSON / Markdown / Excel）",
    "directory": "从通知生成单位名录（YAML），或检查名录",
    "draft": "由政府工作报告起草任务分解通知，并推荐责任单位",
    "suggest": "按历史通知为通知中的每项任务重新推荐责任单位",
    "eval": "在语料上测量推荐与分解的质量",
    "serve": "启动督办网页应用（--demo 带演示数据）",
    "import": "导入并发布一份通知",
    "status": "按状态、单位统计任务，列出逾期报告",
    "render": "生成公文、台账、通报（.docx / .xlsx）",
    "remind": "按提醒规则发送到期、逾期提醒（--loop 持续运行）",
    "check": "检查部署：Django 的安全检查和督办自己的检查（权限、密钥、主机名）",
    "backup": "备份：数据库的一致快照和全部附件（带校验和），打成一个归档",
    "restore": "从 duban backup 的归档恢复到空的数据目录",
    "token": "为账号签发 API 令牌（只读或报送，带有效期），令牌只显示一次",
    "coverage": "列出上级交办任务及本级承接情况（依据、未承接）",
}

# Subcommands that read files a user gives: each takes --max-mb (duban.limits' file size for this run).
FILE_COMMANDS = {"parse", "directory", "draft", "suggest", "import", "eval"}


def add_max_mb(p) -> None:
    p.add_argument(
        "--max-mb",
        type=float,
        metavar="MB",
        help="本次运行的输入文件大小上限（MB，默认 50，文本 10；见 docs/limits.md）",
    )


# Subcommands whose name is a Python keyword live under another module name.
MODULES = {"import": "import_notice"}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="duban", description="督办：政府工作报告重点工作分解与督办")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, help_text in COMMANDS.items():
        module_name = f"duban.commands.{MODULES.get(name, name)}"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue  # not built yet
        p = sub.add_parser(name, help=help_text, description=help_text)
        module.add_arguments(p)
        if name in FILE_COMMANDS:
            add_max_mb(p)
        p.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help()
        return 2
    from duban.limits import ENV

    # --max-mb raises the size limits of an input file (any file, text, HTML) for this run.
    names = [ENV[n] for n in ("file_bytes", "text_bytes", "html_bytes")]
    before = {n: os.environ.get(n) for n in names}
    if getattr(args, "max_mb", None) is not None:
        os.environ.update({n: str(args.max_mb) for n in names})  # read by every loader of this run
    try:
        return _run(args, parser)
    finally:
        for n, value in before.items():
            if value is None:
                os.environ.pop(n, None)
            else:
                os.environ[n] = value


def _run(args, parser) -> int:
    try:
        return int(args._run(args) or 0)
    except DubanError as exc:
        print(f"duban {args.command}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug of ours: still one sentence, the details on request
        if os.environ.get("DUBAN_DEBUG"):
            raise
        print(
            f"duban {args.command}: 内部错误（{type(exc).__name__}: {exc}），请设置 DUBAN_DEBUG=1 重试并报告此问题",
            file=sys.stderr,
        )
        return 70


if __name__ == "__main__":
    sys.exit(main())
