"""Two ``duban remind`` processes started together against one database: every reminder exactly once.

The processes run the real command (``duban.cli.main``) over the same three weeks of days, released
together once both have started Django, so their passes overlap.  Runs on SQLite and, in CI's second leg,
on PostgreSQL.
"""

import json
import os
import subprocess
import sys
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.web.test_reminders import Receiver

ROOT = Path(__file__).resolve().parents[2]
DAYS = [date(2026, 9, 8) + timedelta(days=n) for n in range(21)]

WORKER = """
import json, os, sys, time, io, contextlib
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.web.settings")
import django
django.setup()
from duban.cli import main
import duban.commands.remind, duban.web.services.reminders  # loaded before the release, not after
# Released together: each says it is ready, then waits for the other (however slow its start was).
barrier = sys.argv[1]
open(os.path.join(barrier, str(os.getpid())), "w").close()
deadline = time.time() + 120
while len(os.listdir(barrier)) < 2 and time.time() < deadline:
    time.sleep(0.002)
out = []
for day in sys.argv[2:]:
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = main(["remind", "--government", "大河市", "--today", day, "--json"])
    assert code == 0, code
    out.extend(json.loads(buf.getvalue()))
print(json.dumps(out, ensure_ascii=False))
"""


def _database_url() -> str:
    from django.db import connection

    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return "sqlite:///" + s["NAME"]
    return f"postgresql://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_two_processes_send_every_reminder_exactly_once(tmp_path):
    from duban.web.demo import build_government
    from duban.web.models import Channel, Delivery, Reminder, ReminderRules

    demo = build_government("大河市", n_tasks=60, n_units=20, today=date(2026, 9, 1), seed=3, username_prefix="dh_")
    ReminderRules.objects.create(government=demo.government, office_list="dh_duchaju", overdue_every=2)
    from duban.web.services import reminders

    def key(x):
        return (x["task"], x["unit"], x["round"], x["step"], x["recipient"], x["channel"])

    robot = Receiver()
    try:
        Channel.objects.create(government=demo.government, kind="webhook", name="群", url=robot.url)
        expected = set()
        for day in DAYS:
            expected |= {key(x) for x in reminders.run(government=demo.government, day=day, dry_run=True).reminders}
        env = {**os.environ, "DATABASE_URL": _database_url(), "DUBAN_DEBUG": ""}
        barrier = tmp_path / "ready"
        barrier.mkdir()
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", WORKER, str(barrier), *map(str, DAYS)],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        outs = []
        for p in procs:
            stdout, stderr = p.communicate(timeout=300)
            assert p.returncode == 0, stderr[-2000:]
            outs.append(json.loads(stdout))
    finally:
        robot.close()

    keys = [key(x) for x in outs[0] + outs[1]]
    twice = [k for k, n in Counter(keys).items() if n > 1]
    assert twice == []
    # (The demo city's own urges are recorded too, as steps urge-ID; they are not the passes'.)
    recorded = Reminder.objects.filter(government=demo.government).exclude(step__startswith="urge-")
    assert recorded.count() == len(keys) > 500
    # Both processes did part of the work: they really ran side by side.
    assert outs[0] and outs[1], (len(outs[0]), len(outs[1]))
    # One digest per recipient, channel and day, and the group robot got each of its digests once.
    digests = Delivery.objects.filter(government=demo.government, kind=Delivery.DIGEST).exclude(state="empty")
    assert Counter(digests.values_list("recipient", "channel_key", "day")).most_common(1)[0][1] == 1
    assert len(robot.bodies) == digests.filter(channel="webhook").count() > 0
    # Exactly what one process alone would send, worked out before they ran.
    assert set(keys) == expected
    for day in DAYS:
        assert reminders.run(government=demo.government, day=day).reminders == []


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.django_db(transaction=True)
def test_serve_sends_reminders_in_the_background_unless_told_not_to():
    """The embedded set-up needs nothing else: ``duban serve`` runs the passes itself."""
    from django.utils import timezone

    from duban.web.demo import build_government
    from duban.web.models import Delivery, ReminderRules, ReportingRound

    demo = build_government("大河市", n_tasks=8, n_units=4, seed=5, username_prefix="sv_")
    tomorrow = timezone.localdate() + timedelta(days=1)
    ReportingRound.objects.create(plan=demo.plan, kind="progress", title="临时调度", due=tomorrow)
    ReminderRules.objects.create(government=demo.government, quiet_start=None, quiet_end=None)
    env = {**os.environ, "DATABASE_URL": _database_url()}

    def serve(*extra):
        return subprocess.Popen(
            [sys.executable, "-m", "duban", "serve", "--port", str(_free_port()), *extra],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    quiet = serve("--no-reminders")
    try:
        time.sleep(8)
        assert Delivery.objects.filter(government=demo.government, kind=Delivery.DIGEST).count() == 0
    finally:
        quiet.terminate()
        out = quiet.communicate(timeout=30)[0]
    assert "后台提醒已开启" not in out
    loud = serve()
    try:
        deadline = time.time() + 60
        while time.time() < deadline and not Delivery.objects.filter(body__contains="临时调度").exists():
            time.sleep(0.5)
    finally:
        loud.terminate()
        out = loud.communicate(timeout=30)[0]
    assert "后台提醒已开启" in out, out[-2000:]
    made = Delivery.objects.filter(government=demo.government, day=timezone.localdate())
    liaison = made.filter(body__contains="临时调度").first()
    assert liaison.user.membership.role == "unit_staff"  # a step before the due date goes to the liaison
    assert "临时调度（截止 " + tomorrow.isoformat() + "，还有1天截止）" in liaison.body

    # A separate ``duban remind --loop`` does the same for servers started with --no-reminders.
    from duban.web.models import Reminder

    Reminder.objects.filter(government=demo.government).delete()
    Delivery.objects.filter(government=demo.government).delete()
    looping = subprocess.Popen(
        [sys.executable, "-m", "duban", "remind", "--loop", "--interval", "1", "--government", "大河市"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.time() + 60
        while time.time() < deadline and not Delivery.objects.filter(body__contains="临时调度").exists():
            time.sleep(0.5)
        time.sleep(3)  # a few more passes: nothing more is sent
        count = Reminder.objects.filter(government=demo.government).count()
    finally:
        looping.terminate()
        out = looping.communicate(timeout=30)[0]
    assert "已发送" in out and count > 0
    assert count == Reminder.objects.filter(government=demo.government).count()
    assert out.count("已发送 0 条提醒") >= 2, out[-2000:]
