"""``duban serve``: migrate, optionally create the demo city, and serve the web application."""

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
    parser.add_argument("--no-server", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--no-reminders", action="store_true", help="不在后台发送提醒（另有 duban remind --loop 或 cron 时使用）"
    )


def run(args) -> int:
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
    from django.core.servers.basehttp import WSGIServer
    from django.core.servers.basehttp import run as run_server
    from django.core.wsgi import get_wsgi_application

    _reminders(args)
    print(f"督办已启动：http://{args.host}:{args.port}/  （Ctrl+C 退出）", flush=True)
    run_server(args.host, args.port, get_wsgi_application(), threading=True, server_cls=WSGIServer)
    return 0


def _reminders(args) -> None:
    """Reminders run in the background unless ``--no-reminders`` (a separate ``duban remind --loop`` does it)."""
    if args.no_reminders:
        return
    from duban.commands.remind import LOOP_SECONDS
    from duban.web.services.reminders import start_background

    start_background(LOOP_SECONDS)
    print(f"后台提醒已开启（每 {LOOP_SECONDS} 秒检查一次；--no-reminders 关闭）")


def _init(name: str, level: str) -> None:
    import secrets

    from django.contrib.auth.models import User

    from duban.errors import DubanError
    from duban.web.models import Government, Membership

    government, created = Government.objects.get_or_create(name=name.strip(), defaults={"level": level})
    username = f"admin-{government.pk}"
    if User.objects.filter(username=username).exists():
        raise DubanError(f"{government.name} 已有管理员账号 {username}")
    password = secrets.token_urlsafe(9)
    user = User.objects.create_user(username, password=password, is_staff=True, is_superuser=True)
    Membership.objects.create(user=user, government=government, role=Membership.ADMIN)
    print(
        f"{'已新建' if created else '已有'}政府：{government.name}。管理员账号 {username}，密码 {password}（只显示这一次）"
    )
    print("登录后在“单位名录”载入默认名录，在“导入通知”导入本年度通知；单位账号在 /admin/ 中添加。")


def _demo() -> None:
    from duban.web.demo import DEMO_PASSWORD, build_government
    from duban.web.models import Government, Membership

    name = "云溪市"
    if Government.objects.filter(name=name).exists():
        print(f"演示数据已存在（{name}）。账号（密码均为 {DEMO_PASSWORD}）：")
        rows = [
            (m.user.username, m.get_role_display(), m.unit.name if m.unit else "")
            for m in Membership.objects.filter(government__name=name).select_related("user", "unit").order_by("id")
        ]
    else:
        demo = build_government(name)
        print(f"已创建演示数据：{name}，{demo.plan.tasks.count()} 项任务，{demo.government.units.count()} 个单位。")
        print(f"账号（密码均为 {DEMO_PASSWORD}）：")
        rows = demo.accounts
    shown = rows[:9]
    for username, role, unit in shown:
        print(f"  {username:<10} {role:<6} {unit}")
    if len(rows) > len(shown):
        print(f"  …… 另有 {len(rows) - len(shown)} 个单位账号（unitNN 联络员 / headNN 负责人）")
