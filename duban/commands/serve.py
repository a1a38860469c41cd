"""``duban serve``: migrate, optionally create the demo city, and serve the web application."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--demo", action="store_true", help="创建演示数据（虚构的云溪市）")
    parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
    parser.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    parser.add_argument("--no-server", action="store_true", help=argparse.SUPPRESS)


def run(args) -> int:
    from duban.web.bootstrap import setup

    setup()
    from django.conf import settings

    print(f"数据目录：{settings.DATA_DIR}")
    if args.demo:
        _demo()
    if args.no_server:
        return 0
    from django.core.servers.basehttp import WSGIServer
    from django.core.servers.basehttp import run as run_server
    from django.core.wsgi import get_wsgi_application

    print(f"督办已启动：http://{args.host}:{args.port}/  （Ctrl+C 退出）", flush=True)
    run_server(args.host, args.port, get_wsgi_application(), threading=True, server_cls=WSGIServer)
    return 0


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
