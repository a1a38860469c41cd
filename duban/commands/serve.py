"""``duban serve``: migrate, optionally create the demo city, and serve the web application.

The server is waitress (pure Python, the same on Linux and Windows) with a pool of threads;
``--dev`` runs Django's development server instead.  The process keeps no state of its own —
sessions, lockouts and files live in the database and the uploads folder — so several of them,
on several machines, can serve one installation (docs/deploy.md).
"""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--demo", action="store_true", help="创建演示数据（虚构的云溪市）")
    parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
    parser.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    parser.add_argument(
        "--init", metavar="GOVERNMENT", help="首次使用：新建政府（如 云溪市）及其管理员账号，并打印一次性密码"
    )
    parser.add_argument(
        "--level", choices=["province", "city", "county"], default="city", help="与 --init 一起：政府层级"
    )
    parser.add_argument("--threads", type=int, default=8, help="waitress 的工作线程数（默认 8）")
    parser.add_argument(
        "--workers", type=int, default=1, help="进程数（默认 1；仅 Linux/macOS，每个进程 --threads 个线程）"
    )
    parser.add_argument("--dev", action="store_true", help="用 Django 的开发服务器（仅供开发，不用于正式环境）")
    parser.add_argument("--no-server", action="store_true", help="只迁移数据库（和 --init / --demo），不启动服务")
    parser.add_argument(
        "--no-reminders", action="store_true", help="不在后台发送提醒（另有 duban remind --loop 或 cron 时使用）"
    )


def run(args) -> int:
    import os

    from duban.errors import DubanError

    if args.threads < 1 or args.workers < 1:
        raise DubanError("--threads 和 --workers 至少为 1")
    if args.workers > 1 and not hasattr(os, "fork"):
        raise DubanError("--workers 只在 Linux/macOS 上可用；Windows 上请用 --threads")
    os.umask(0o077)  # the database, uploads and logs this process writes are the owner's alone
    from duban.web.bootstrap import setup

    setup()
    from django.conf import settings

    print(f"数据目录：{settings.DATA_DIR}")
    if args.init:
        _init(args.init, args.level)
    if args.demo:
        _demo()
    if args.no_server:
        return 0
    from django.core.wsgi import get_wsgi_application

    url = f"http://{args.host}:{args.port}/"
    if args.dev:
        from django.core.servers.basehttp import WSGIServer
        from django.core.servers.basehttp import run as run_server

        _reminders(args)
        print(f"督办已启动（开发服务器，勿用于正式环境）：{url}  （Ctrl+C 退出）", flush=True)
        run_server(args.host, args.port, get_wsgi_application(), threading=True, server_cls=WSGIServer)
        return 0
    _collect_static()
    _allow_host(args.host, settings)
    how = (
        f"waitress，{args.workers} 个进程 × {args.threads} 个线程"
        if args.workers > 1
        else f"waitress，{args.threads} 个线程"
    )
    print(f"督办已启动：{url}  （{how}；Ctrl+C 退出）", flush=True)
    options = {
        "threads": args.threads,
        # Clients beyond the threads wait in the queue instead of being refused.
        "connection_limit": 1000,
        "backlog": 2048,
        "channel_timeout": 120,
        "ident": "duban",
    }
    if settings.CONFIG.get("trusted_proxy"):
        # The office's proxy: its X-Forwarded-For becomes the client address, X-Forwarded-Proto the scheme.
        options["trusted_proxy"] = settings.CONFIG["trusted_proxy"]
        options["trusted_proxy_headers"] = {"x-forwarded-for", "x-forwarded-proto"}
    application = get_wsgi_application()
    if args.workers == 1:
        import waitress

        _reminders(args)

        waitress.serve(application, host=args.host, port=args.port, **options)
        return 0
    return _serve_workers(application, args, options)


def _serve_workers(application, args, options) -> int:
    """``--workers N`` (POSIX): one listening socket, N forked waitress processes taking turns on it.

    Python runs one thread at a time per process; several processes use several cores.
    """
    import os
    import signal
    import socket

    import waitress
    from django.db import connections

    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    sock = socket.create_server((args.host, args.port), family=family, backlog=options["backlog"])
    connections.close_all()  # each process opens its own database connections
    children = []
    for _ in range(args.workers):
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            try:
                waitress.serve(application, sockets=[sock], **options)
            finally:
                os._exit(0)
        children.append(pid)
    _reminders(args)  # in the parent only: one reminder thread for all the workers

    def stop(signum, frame):
        for child in children:
            try:
                os.kill(child, signal.SIGTERM)
            except ProcessLookupError:
                pass

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for child in children:
        while True:
            try:
                os.waitpid(child, 0)
                break
            except ChildProcessError:
                break
            except InterruptedError:
                continue
    return 0


def _collect_static() -> None:
    """Compressed copies with hashed names in DATA_DIR/static, for WhiteNoise; redone only when a file changed."""
    import hashlib
    import os
    from pathlib import Path

    from django.conf import settings
    from django.contrib.staticfiles.finders import get_finders
    from django.core.management import call_command

    seen = hashlib.sha256()
    for finder in get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            st = os.stat(storage.path(path))
            seen.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    stamp = Path(settings.STATIC_ROOT) / ".duban-collected"
    if stamp.exists() and stamp.read_text() == seen.hexdigest() and (stamp.parent / "staticfiles.json").exists():
        return
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(seen.hexdigest())


def _allow_host(host: str, settings) -> None:
    """Listening on a named address answers requests for it, beside what allowed_hosts lists."""
    if host not in ("0.0.0.0", "::", "") and host not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS.append(host)
    if host in ("0.0.0.0", "::") and not settings.CONFIG.get("allowed_hosts"):
        print("提示：其他电脑访问前，请在 duban.toml 的 allowed_hosts 中写上本机的域名或地址（docs/deploy.md）")


def _reminders(args) -> None:
    """Reminders run in the background unless ``--no-reminders`` (a separate ``duban remind --loop`` does it)."""
    if args.no_reminders:
        return
    from duban.commands.remind import LOOP_SECONDS
    from duban.web.services.reminders import start_background

    start_background(LOOP_SECONDS)
    print(f"后台提醒已开启（每 {LOOP_SECONDS} 秒检查一次；--no-reminders 关闭）")


def _init(name: str, level: str) -> None:
    """A government and its administrator (a government's, never a superuser: ``duban siteadmin`` makes that one)."""
    from django.contrib.auth.models import User

    from duban.errors import DubanError
    from duban.web.models import Government, Membership
    from duban.web.services import accounts

    government, created = Government.objects.get_or_create(name=name.strip(), defaults={"level": level})
    username = f"admin-{government.pk}"
    if User.objects.filter(username=username).exists():
        raise DubanError(f"{government.name} 已有管理员账号 {username}")
    _, password = accounts.create_account(government, username, Membership.ADMIN)
    print(
        f"{'已新建' if created else '已有'}政府：{government.name}。管理员账号 {username}，一次性密码 {password}（只显示这一次，首次登录后须修改）"
    )
    print("登录后在“单位名录”载入默认名录，在“导入通知”导入本年度通知，在“账号管理”新建督查人员、领导和单位账号。")


def _demo() -> None:
    from django.db import transaction

    from duban.web.demo import DEMO_PASSWORD, PROVINCE, build_government, build_province
    from duban.web.models import Government, Membership

    name = "云溪市"
    if Government.objects.filter(name=name).exists():
        print(f"演示数据已存在（{name}）。账号（密码均为 {DEMO_PASSWORD}）：")
        rows = [
            (m.user.username, m.get_role_display(), m.unit.name if m.unit else "")
            for m in Membership.objects.filter(government__name=name).select_related("user", "unit").order_by("id")
        ]
    else:
        with transaction.atomic():
            demo = build_government(name)
            province_rows = build_province(demo.government)
        print(
            f"已创建演示数据：{PROVINCE} › {name}，{demo.plan.tasks.count()} 项任务，"
            f"{demo.government.units.count()} 个单位；{PROVINCE}的计划已向{name}交办任务。"
        )
        print(f"账号（密码均为 {DEMO_PASSWORD}）：")
        rows = demo.accounts[:9] + province_rows + demo.accounts[9:]
    shown = rows[:11]
    for username, role, unit in shown:
        print(f"  {username:<10} {role:<6} {unit}")
    if len(rows) > len(shown):
        print(f"  …… 另有 {len(rows) - len(shown)} 个单位账号（unitNN 联络员 / headNN 负责人）")
