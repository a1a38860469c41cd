"""``duban siteadmin [USERNAME]``: the site administrator, who creates governments in the web application.

A Django superuser belonging to no government, the only account /admin/ lets in.  Its password is one-time and
printed once; ``--reset`` gives an existing site administrator a new one (a lost password, a locked-out site).
"""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("username", nargs="?", default="siteadmin", help="用户名（默认 siteadmin）")
    parser.add_argument("--reset", action="store_true", help="为已有的系统管理员重置一次性密码（并重新启用）")


def run(args) -> int:
    from duban.web.bootstrap import setup

    setup()
    from duban.web.services import accounts

    if args.reset:
        password = accounts.reset_site_admin(args.username)
        what = "已重置系统管理员"
    else:
        password = accounts.create_site_admin(args.username)
        what = "已新建系统管理员"
    print(f"{what} {args.username.strip()}，一次性密码 {password}（只显示这一次，首次登录后须修改）")
    print("登录后在“政府”页面建立省、市、县政府及其管理员；/admin/ 只对系统管理员开放。")
    return 0
