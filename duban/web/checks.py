"""duban's own deployment checks, run with Django's by ``duban check`` (``check --deploy``)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from django.conf import settings
from django.core import checks

from duban.web.config import LOCAL_HOSTS


def loose_permissions(folder: Path, limit: int = 5) -> list[str]:
    """Paths under ``folder`` readable or writable by others than the owner (POSIX)."""
    if os.name != "posix" or not folder.exists():
        return []
    loose = []
    for root, _dirs, files in os.walk(folder):
        for path in [root] + [os.path.join(root, f) for f in files]:
            if os.path.islink(path):
                continue
            if stat.S_IMODE(os.stat(path).st_mode) & 0o077:
                loose.append(path)
                if len(loose) >= limit:
                    return loose
    return loose


@checks.register(checks.Tags.security, deploy=True)
def data_folder(app_configs=None, **kwargs):
    found = []
    for folder in {Path(settings.DATA_DIR), Path(settings.UPLOAD_DIR)}:
        loose = loose_permissions(folder)
        if loose:
            found.append(
                checks.Warning(
                    f"数据目录中有他人可读写的文件或目录：{', '.join(loose)}",
                    hint="duban serve 启动时会收紧为 0700/0600；或执行 chmod -R go-rwx " + str(folder),
                    id="duban.W001",
                )
            )
    if not settings.SECRET_KEY or len(settings.SECRET_KEY) < 40:
        found.append(checks.Error("SECRET_KEY 太短", hint="删除数据目录中的 secret_key 重新生成", id="duban.E001"))
    return found


@checks.register(checks.Tags.security, deploy=True)
def hosts_and_https(app_configs=None, **kwargs):
    found = []
    if "*" in settings.ALLOWED_HOSTS:
        found.append(
            checks.Warning(
                "allowed_hosts 含 *：任何主机名都被接受",
                hint="在 duban.toml 的 allowed_hosts 中只写本系统的域名或地址",
                id="duban.W002",
            )
        )
    elif set(settings.ALLOWED_HOSTS) <= set(LOCAL_HOSTS):
        found.append(
            checks.Info(
                "只接受以 localhost/127.0.0.1 访问；其他电脑访问前请在 allowed_hosts 中写上本机的域名或地址",
                id="duban.I003",
            )
        )
    if not settings.HTTPS:
        found.append(
            checks.Info(
                "HTTPS 模式未开启：Cookie 不带 Secure、无 HSTS。仅适合可信内网；放在 TLS 代理之后请设 https = true",
                id="duban.I005",
            )
        )
    return found


@checks.register(checks.Tags.database, deploy=True)
def database_and_data(app_configs=None, databases=None, **kwargs):
    from django.db import DatabaseError

    found = []
    try:
        from duban.web.bootstrap import pending_migrations

        if pending_migrations():
            found.append(checks.Error("数据库结构不是最新", hint="运行 duban serve --no-server 迁移", id="duban.E006"))
        elif _has_demo():
            found.append(
                checks.Warning(
                    "存在演示账号，其密码 demo2026 是公开的",
                    hint="正式使用请换一个空的数据目录",
                    id="duban.W007",
                )
            )
    except DatabaseError as exc:
        found.append(checks.Error(f"无法连接数据库：{exc}", id="duban.E008"))
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        found.append(
            checks.Warning("静态文件尚未收集（压缩、带哈希的文件名）", hint="duban serve 启动时会收集", id="duban.W009")
        )
    return found


def _has_demo() -> bool:
    from django.contrib.auth.hashers import check_password
    from django.contrib.auth.models import User

    from duban.web.demo import DEMO_PASSWORD

    users = User.objects.filter(username__endswith="duchaju")[:5]
    return any(check_password(DEMO_PASSWORD, u.password) for u in users)
