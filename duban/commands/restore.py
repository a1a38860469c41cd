"""``duban restore ARCHIVE``: an archive of ``duban backup`` into an empty data folder (or empty PostgreSQL database)."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("archive", type=Path, help="duban backup 生成的归档")


def run(args) -> int:
    import os

    os.umask(0o077)
    from duban.web.bootstrap import setup

    setup(migrate=False)  # the schema comes from the archive
    from django.conf import settings

    from duban.web.backup import restore

    result = restore(args.archive, settings.DATABASES["default"], Path(settings.UPLOAD_DIR))
    rows = sum(result.tables.values())
    print(
        f"已从 {result.path} 恢复到 {settings.DATA_DIR}：{len(result.tables)} 张表 {rows} 行，"
        f"{result.uploads} 个附件，校验和全部一致。"
    )
    return 0
