"""``duban remind``: send the reminders due now (or ``--loop`` every few minutes)."""

from __future__ import annotations

import argparse
import json

# How often ``--loop`` (and ``duban serve``'s background thread) runs a pass; a pass takes well under a second.
LOOP_SECONDS = 60


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--loop", action="store_true", help=f"持续运行，每 {LOOP_SECONDS} 秒检查一次")
    parser.add_argument("--interval", type=int, default=LOOP_SECONDS, help=argparse.SUPPRESS)
    parser.add_argument("--dry-run", action="store_true", help="只计算将发送的提醒，不发送、不记录")
    parser.add_argument("--json", action="store_true", help="以 JSON 列表输出发送（或将发送）的每条提醒")
    parser.add_argument("--government", metavar="NAME", help="只处理这个政府")
    parser.add_argument("--today", metavar="YYYY-MM-DD", help="按这一天计算（当天免打扰结束时）")


def run(args) -> int:
    from datetime import date

    from duban.errors import DubanError
    from duban.web.bootstrap import setup

    today = None
    if args.today:
        try:
            today = date.fromisoformat(args.today)
        except ValueError:
            raise DubanError(f"--today 应是 YYYY-MM-DD 格式的日期，而不是 {args.today!r}") from None
    if args.loop and today is not None:
        raise DubanError("--loop 按当前时间运行，不能与 --today 同时使用")
    if args.interval < 1:
        raise DubanError("--interval 至少为 1 秒")
    setup()
    from duban.web.models import Government

    government = None
    if args.government:
        government = Government.objects.filter(name=args.government.strip()).first()
        if government is None:
            raise DubanError(f"没有找到政府 {args.government}")
    if args.loop:
        return loop(args.interval, government, args.dry_run, args.json)
    return once(government, args.dry_run, args.json, today)


def once(government, dry_run: bool, as_json: bool, today=None) -> int:
    from duban.web.services import reminders

    result = reminders.run(government=government, dry_run=dry_run, day=today)
    if not dry_run:  # old jobs' bytes deleted, the dashboards' accounts kept up to date (not for a made-up day)
        reminders.housekeeping(keep_accounts=today is None)
    if as_json:
        print(json.dumps(result.reminders, ensure_ascii=False, indent=1), flush=True)
        return 0
    verb = "将发送" if dry_run else "已发送"
    print(f"{verb} {len(result.reminders)} 条提醒" + ("" if dry_run else f"（{result.deliveries} 条消息）"), flush=True)
    if result.quiet:
        print(f"免打扰时段，未处理：{'、'.join(result.quiet)}", flush=True)
    if not dry_run and (result.sent or result.failed or result.gave_up):
        print(f"外发渠道：成功 {result.sent}，失败待重试 {result.failed}，最终失败 {result.gave_up}", flush=True)
    return 0


def loop(interval: int, government, dry_run: bool, as_json: bool) -> int:
    import time

    while True:
        once(government, dry_run, as_json)
        time.sleep(interval)
