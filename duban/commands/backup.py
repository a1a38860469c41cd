"""``duban backup OUT``: a consistent snapshot of the database and every upload with its checksum, while serving."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("out", type=Path, help="归档文件（.tar.gz），不能已存在")


def run(args) -> int:
    import os

    os.umask(0o077)
    from duban.web.bootstrap import setup

    setup(migrate=False)
    from django.conf import settings

    from duban.web.backup import backup

    result = backup(args.out, settings.DATABASES["default"], Path(settings.UPLOAD_DIR))
    rows = sum(result.tables.values())
    print(f"已备份到 {result.path}：{len(result.tables)} 张表 {rows} 行，{result.uploads} 个附件（均带校验和）。")
    for warning in result.warnings:
        print(f"警告：{warning}")
    print("归档不含 secret_key 和 duban.toml：恢复后会生成新的密钥（所有人需重新登录），配置请另行保存。")
    return 0
