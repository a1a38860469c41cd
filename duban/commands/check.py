"""``duban check``: Django's deployment checks and duban's own (permissions, secret key, hosts, demo data)."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args) -> int:
    from duban.web.bootstrap import setup

    setup(migrate=False)
    from django.conf import settings
    from django.core import checks

    print(f"数据目录：{settings.DATA_DIR}")
    print(
        f"数据库：{settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]} {settings.DATABASES['default']['NAME']}"
    )
    print(f"允许的主机名：{', '.join(settings.ALLOWED_HOSTS)}；HTTPS 模式：{'开' if settings.HTTPS else '关'}")
    found = checks.run_checks(include_deployment_checks=True, databases=["default"])
    found = [m for m in found if not m.is_silenced()]
    names = {checks.INFO: "提示", checks.WARNING: "警告", checks.ERROR: "错误", checks.CRITICAL: "错误"}
    for message in sorted(found, key=lambda m: -m.level):
        print(f"{names.get(message.level, '提示')} {message.id}: {message.msg}")
        if message.hint:
            print(f"    {message.hint}")
    errors = [m for m in found if m.level >= checks.ERROR]
    warnings = [m for m in found if checks.WARNING <= m.level < checks.ERROR]
    print(f"检查完毕：{len(errors)} 个错误，{len(warnings)} 个警告。")
    return 1 if errors else 0
