"""``duban token USER``: issue an API token; only its hash is stored, so the key is printed this once."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("username", help="令牌代表的账号（用户名）")
    parser.add_argument(
        "--scope", choices=["read", "push"], default="read", help="read 只读（默认）；push 还可保存、提交进展报告"
    )
    parser.add_argument("--days", type=int, default=365, help="有效天数（默认 365）")
    parser.add_argument("--name", default="", help="用途，如“OA 系统”")


def run(args) -> int:
    from duban.errors import DubanError

    if not 1 <= args.days <= 3650:
        raise DubanError("--days 应在 1 到 3650 之间")
    from duban.web.bootstrap import setup

    setup()
    from django.contrib.auth.models import User

    from duban.web import audit
    from duban.web.models import ApiToken

    user = User.objects.filter(username=args.username).first()
    if user is None:
        raise DubanError(f"没有账号 {args.username}")
    token = ApiToken.issue(user, name=args.name[:100], scope=args.scope, days=args.days)
    audit.record(None, "签发令牌", user, after={"prefix": token.prefix, "scope": token.scope, "days": args.days})
    print(f"令牌：{token.key}")
    print(
        f"账号 {user.username}，{token.get_scope_display()}，有效期至 {token.expires_at:%Y-%m-%d}。"
        "只显示这一次：系统只保存它的摘要。用法：Authorization: Token <令牌>"
    )
    return 0
