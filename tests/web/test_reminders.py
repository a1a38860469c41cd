"""Reminders end to end: a round driven day by day, real SMTP and HTTP receivers, retries, urging."""

import json
import threading
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from duban.cli import main
from duban.web.models import Channel, Contact, Delivery, Reminder, ReminderRules, Urge
from duban.web.services import reminders


def file_report(world, task, unit, rnd, on: date | None = None):
    """The unit writes its report and its head signs it off (on ``on``, for a frozen clock)."""
    from duban.web.models import ProgressReport
    from duban.web.services import reports

    r = reports.report_for(world.tasks[task], world.units[unit], rnd)
    r = reports.save(r, r.version, {"status": "on_schedule", "done_text": "按计划推进"})
    r = reports.send_to_head(r, r.version)
    r = reports.approve(r, r.version)
    if on is not None:
        signed = timezone.make_aware(datetime.combine(on, time(10, 0)))
        ProgressReport.objects.filter(pk=r.pk).update(first_approved_at=signed, submitted_at=signed)
    return r


def only_round(world, rnd):
    """Rules that remind progress rounds only, the office list naming the office account and an address."""
    return ReminderRules.objects.create(
        government=world.gov, remind_plan=False, office_list="office\nlingdao@yunxi.gov.cn\n13800000000"
    )


def sent(world):
    """(unit, task, round due, step, audience, recipient, channel) of every reminder recorded."""
    return {
        (r.unit.name, r.task.number, r.round.due, r.step, r.audience, r.recipient, r.channel_key, r.delivery.day)
        for r in Reminder.objects.filter(government=world.gov).select_related("unit", "task", "round", "delivery")
    }


def test_a_round_driven_day_by_day(world):
    """Each unit gets exactly its rules' reminders on their days, and nothing once it has reported."""
    rnd = world.rounds[1]  # 9月15日
    assert rnd.due == date(2026, 9, 15)
    only_round(world, rnd)
    users = world.users
    filed_on = {"商务局": date(2026, 9, 18), "财政局": None, "教育局": date(2026, 9, 13)}
    task_of = {"商务局": "1", "财政局": "2", "教育局": "3"}
    staff = {"商务局": [users["a_staff"]], "财政局": [users["b_staff"]], "教育局": [users["c_staff"]]}
    heads = {"商务局": [users["a_head"]], "财政局": [users["b_head"]], "教育局": []}
    day = date(2026, 9, 10)
    while day <= date(2026, 9, 30):
        for unit, on in filed_on.items():
            if on == day:
                file_report(world, task_of[unit], unit, rnd, on=day)
        reminders.run(day=day)
        day += timedelta(days=1)

    got = {x for x in sent(world) if x[2] == rnd.due}
    # The ladder the default rules say: 3 and 1 days before, on the day, the day after and every 3 days;
    # the head from 3 days overdue, the office's list from 7.
    ladder = [
        ("before-3", date(2026, 9, 12), -3),
        ("before-1", date(2026, 9, 14), -1),
        ("due", date(2026, 9, 15), 0),
        ("overdue-1", date(2026, 9, 16), 1),
        ("overdue-4", date(2026, 9, 19), 4),
        ("overdue-7", date(2026, 9, 22), 7),
        ("overdue-10", date(2026, 9, 25), 10),
        ("overdue-13", date(2026, 9, 28), 13),
    ]
    expected = set()
    for unit, on in filed_on.items():
        for step, when, late in ladder:
            if on is not None and on <= when:
                continue
            audience = [("staff", u) for u in staff[unit]] or [("staff", u) for u in heads[unit]]
            if late >= 3:
                audience += [("head", u) for u in heads[unit]]
            for who, user in audience:
                expected.add((unit, task_of[unit], rnd.due, step, who, f"user:{user.pk}", "inapp", when))
            if late >= 7:
                expected.add(
                    (unit, task_of[unit], rnd.due, step, "office", f"user:{users['office'].pk}", "inapp", when)
                )
    assert got == expected
    # 商务局 reported on 18 September: its last reminder was the day after the due date.
    assert max(x[7] for x in got if x[0] == "商务局") == date(2026, 9, 16)
    assert not any(x[0] == "教育局" and x[7] >= date(2026, 9, 13) for x in got)
    # One digest per person per day, listing all their obligations.
    per_day = defaultdict(int)
    for d in Delivery.objects.filter(government=world.gov, kind=Delivery.DIGEST):
        per_day[(d.recipient, d.channel_key, d.day)] += 1
    assert set(per_day.values()) == {1}
    office_digest = Delivery.objects.get(recipient=f"user:{users['office'].pk}", day=date(2026, 9, 22))
    assert "财政局 · 任务 2" in office_digest.body and "已逾期7天" in office_digest.body
    # Running the same day again sends nothing more.
    before = Reminder.objects.count()
    reminders.run(day=date(2026, 9, 28))
    assert Reminder.objects.count() == before


def test_a_report_returned_for_revision_is_reminded_by_its_revision_deadline(world):
    """Filed on time, returned by the office with five days to revise, signed again on the day after."""
    from duban.web.models import ProgressReport
    from duban.web.services import reports

    rnd = world.rounds[1]
    only_round(world, rnd)
    day = date(2026, 9, 13)
    while day <= date(2026, 9, 30):
        if day == date(2026, 9, 14):
            report = file_report(world, "1", "商务局", rnd, on=day)
        if day == date(2026, 9, 16):
            report = reports.office_return(report, report.version, "请补充数据", revise_by=timezone.localdate())
            ProgressReport.objects.filter(pk=report.pk).update(revise_by=date(2026, 9, 21))
        if day == date(2026, 9, 22):
            report.refresh_from_db()
            report = reports.save(report, report.version, {"done_text": "已补充"})
            report = reports.send_to_head(report, report.version)
            report = reports.approve(report, report.version)
        reminders.run(day=day)
        day += timedelta(days=1)
    mine = sorted(
        (x[7], x[3])
        for x in sent(world)
        if x[0] == "商务局" and x[2] == rnd.due and x[5] == f"user:{world.users['a_staff'].pk}"
    )
    assert mine == [
        (date(2026, 9, 13), "before-3"),  # 9-12's step, still the latest on the first day driven
        (date(2026, 9, 18), "revise-before-3"),
        (date(2026, 9, 20), "revise-before-1"),
        (date(2026, 9, 21), "revise-due"),
    ]
    body = Delivery.objects.get(user=world.users["a_staff"], day=date(2026, 9, 21)).body
    assert "第2次进展情况（9月15日）（退回修改）（截止 2026-09-21，今天截止）" in body


def test_a_digest_lists_every_obligation_of_the_person(world):
    """Two tasks of one unit due the same day: one message, both lines."""
    from duban.web.models import Assignment

    Assignment.objects.create(task=world.tasks["3"], unit=world.units["商务局"], unit_name="商务局", role="lead")
    only_round(world, world.rounds[1])
    reminders.run(day=date(2026, 9, 14))
    mine = Delivery.objects.filter(user=world.users["a_staff"], day=date(2026, 9, 14))
    assert mine.count() == 1
    assert "任务 1" in mine[0].body and "任务 3" in mine[0].body and "还有1天截止" in mine[0].body
    assert mine[0].subject == "督办提醒：2 项待报送"


def test_quiet_hours_hold_everything_back(world):
    only_round(world, world.rounds[1])
    night = timezone.make_aware(datetime.combine(date(2026, 9, 14), time(23, 30)))
    result = reminders.run(now=night)
    assert "云溪市" in result.quiet and Delivery.objects.count() == 0
    morning = timezone.make_aware(datetime.combine(date(2026, 9, 15), time(8, 5)))
    reminders.run(now=morning)
    assert Delivery.objects.filter(day=date(2026, 9, 15)).count() > 0


def test_dry_run_and_json(world, capsys):
    only_round(world, world.rounds[1])
    assert main(["remind", "--government", "云溪市", "--today", "2026-09-12", "--dry-run", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert Delivery.objects.count() == 0 and Reminder.objects.count() == 0
    assert {(x["unit"], x["task"], x["step"], x["audience"], x["recipient"]) for x in out} == {
        ("商务局", "1", "before-3", "staff", "a_staff"),
        ("财政局", "2", "before-3", "staff", "b_staff"),
        ("教育局", "3", "before-3", "staff", "c_staff"),
        # The June round is still missing, 89 days on: its latest step (1 + 29 × 3) to staff, head and office.
        ("商务局", "1", "overdue-88", "staff", "a_staff"),
        ("商务局", "1", "overdue-88", "head", "a_head"),
        ("财政局", "2", "overdue-88", "staff", "b_staff"),
        ("财政局", "2", "overdue-88", "head", "b_head"),
        ("教育局", "3", "overdue-88", "staff", "c_staff"),  # no head account: the liaison only
        ("商务局", "1", "overdue-88", "office", "office"),
        ("财政局", "2", "overdue-88", "office", "office"),
        ("教育局", "3", "overdue-88", "office", "office"),
    }
    assert {x["channel"] for x in out} == {"inapp"}  # no outside channel configured
    assert main(["remind", "--government", "云溪市", "--today", "2026-09-12", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == out
    assert Reminder.objects.count() == len(out) == 11
    assert main(["remind", "--government", "云溪市", "--today", "2026-09-12", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


@pytest.mark.parametrize(
    "argv, message",
    [
        (["remind", "--today", "2026-13-45"], "YYYY-MM-DD"),
        (["remind", "--government", "无此市"], "没有找到政府"),
        (["remind", "--loop", "--today", "2026-09-01"], "不能与 --today"),
    ],
)
def test_bad_arguments_say_what_is_wrong(db, capsys, argv, message):
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


# --- channels ---------------------------------------------------------------------------------------


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    class Inbox(Message):
        def __init__(self):
            super().__init__()
            self.messages = []

        def handle_message(self, message):
            self.messages.append(message)

    import socket

    with socket.socket() as probe:  # a free port: the controller checks readiness by connecting to it
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield controller, inbox
    finally:
        controller.stop()


class Receiver:
    """A real HTTP server on localhost that stores every JSON body it is posted; ``fail`` first answers 500."""

    def __init__(self, fail: int = 0, answer: dict | None = None):
        self.bodies, self.fail = [], fail
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if outer.fail > 0:
                    outer.fail -= 1
                    self.send_response(500)
                    self.end_headers()
                    return
                outer.bodies.append(json.loads(body.decode("utf-8")))
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(json.dumps(answer or {"errcode": 0, "errmsg": "ok"}).encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/robot/send?access_token=x"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made = []

    def make(**kw):
        r = Receiver(**kw)
        made.append(r)
        return r

    yield make
    for r in made:
        r.close()


def test_email_reaches_a_real_smtp_server(world, smtp_server):
    controller, inbox = smtp_server
    only_round(world, world.rounds[1])
    world.users["a_staff"].email = "shangwu@yunxi.gov.cn"
    world.users["a_staff"].save()
    Channel.objects.create(
        government=world.gov,
        kind="email",
        name="政务邮箱",
        url="127.0.0.1",
        port=controller.port,
        sender="duban@yunxi.gov.cn",
    )
    result = reminders.run(day=date(2026, 9, 15))
    assert result.sent == 1
    assert len(inbox.messages) == 1
    mail = inbox.messages[0]
    assert mail["To"] == "shangwu@yunxi.gov.cn" and mail["From"] == "duban@yunxi.gov.cn"
    from email.header import decode_header, make_header

    assert str(make_header(decode_header(mail["Subject"]))) == "督办提醒：1 项待报送"
    text = mail.get_payload(decode=True).decode("utf-8")
    assert "商务局 · 任务 1 · 第2次进展情况（9月15日）（截止 2026-09-15，今天截止）" in text
    # The June round, 92 days overdue, is past the default 90 days after which reminders stop.
    assert "第1次进展情况" not in text
    d = Delivery.objects.get(channel="email")
    assert d.state == Delivery.SENT and d.attempts == 1


def test_webhook_receives_the_robot_json(world, receiver):
    robot = receiver()
    only_round(world, world.rounds[1])
    Channel.objects.create(
        government=world.gov,
        kind="webhook",
        name="督办工作群",
        url=robot.url,
        template='{"msgtype": "text", "text": {"content": "{text}"}, "at": {"isAtAll": false}}',
    )
    reminders.run(day=date(2026, 9, 16))
    assert len(robot.bodies) == 1
    body = robot.bodies[0]
    assert body["msgtype"] == "text" and body["at"] == {"isAtAll": False}
    content = body["text"]["content"]
    assert content.startswith("督办提醒：3 项待报送，其中 3 项已逾期")
    for line in ("商务局 · 任务 1", "财政局 · 任务 2", "教育局 · 任务 3"):
        assert line in content
    assert "已逾期1天" in content


def test_sms_gateway_gets_the_phone_and_text(world, receiver):
    gateway = receiver()
    only_round(world, world.rounds[1])
    Contact.objects.create(user=world.users["b_staff"], phone="13912345678")
    Channel.objects.create(
        government=world.gov,
        kind="sms",
        name="短信平台",
        url=gateway.url,
        template='{"mobile": "{phone}", "content": "{text}", "sign": "督办"}',
    )
    reminders.run(day=date(2026, 9, 12))
    texts = {b["mobile"]: b["content"] for b in gateway.bodies}
    # The liaison hears its unit's rounds; the office's list (a bare number) the June round 89 days overdue.
    assert sorted(texts) == ["13800000000", "13912345678"] and {b["sign"] for b in gateway.bodies} == {"督办"}
    assert "财政局 · 任务 2 · 第2次进展情况（9月15日）（截止 2026-09-15，还有3天截止）" in texts["13912345678"]
    assert "财政局 · 任务 2 · 第1次进展情况（6月15日）（截止 2026-06-15，已逾期89天）" in texts["13912345678"]
    assert "第2次进展情况" not in texts["13800000000"] and "教育局 · 任务 3" in texts["13800000000"]


def test_a_failing_channel_is_retried_with_back_off_and_reported(world, receiver):
    robot = receiver(fail=2)
    only_round(world, world.rounds[1])
    Channel.objects.create(government=world.gov, kind="webhook", name="群", url=robot.url)
    start = reminders.at_start_of(date(2026, 9, 15), reminders.rules_of(world.gov).rules())
    result = reminders.run(day=date(2026, 9, 15))
    assert result.failed == 1 and robot.bodies == []
    d = Delivery.objects.get(channel="webhook")
    assert d.state == Delivery.PENDING and d.attempts == 1 and "HTTP 500" in d.last_error
    assert d.next_attempt_at == start + reminders.BACKOFF[0]
    # Not before its time...
    reminders.dispatch(start + timedelta(seconds=30), "t1")
    assert robot.bodies == []
    # ...then the second try fails, the third gets through.
    reminders.dispatch(start + reminders.BACKOFF[0], "t2")
    d.refresh_from_db()
    assert d.state == Delivery.PENDING and d.attempts == 2
    reminders.dispatch(start + reminders.BACKOFF[0] + reminders.BACKOFF[1], "t3")
    d.refresh_from_db()
    assert d.state == Delivery.SENT and d.attempts == 3 and len(robot.bodies) == 1


def test_a_channel_that_never_works_is_shown_to_the_office(world, login):
    only_round(world, world.rounds[1])
    Channel.objects.create(government=world.gov, kind="webhook", name="坏群", url="http://127.0.0.1:9/nothing")
    at = reminders.at_start_of(date(2026, 9, 15), reminders.rules_of(world.gov).rules())
    reminders.run(day=date(2026, 9, 15))
    for wait in reminders.BACKOFF:
        at += wait
        reminders.dispatch(at, f"t{at}")
    d = Delivery.objects.get(channel="webhook")
    assert d.state == Delivery.FAILED and d.attempts == reminders.MAX_ATTEMPTS and "无法连接" in d.last_error
    page = login(world.users["office"]).get("/reminders/").content.decode()
    assert "发送失败" in page and "坏群" in page and "无法连接" in page
    # Every office page says so; a unit's do not.
    assert "1 条提醒发送失败" in login(world.users["office"]).get(f"/plans/{world.plan.pk}/").content.decode()
    assert "发送失败" not in login(world.users["a_staff"]).get("/workspace/").content.decode()
    # The office sends it again.
    response = login(world.users["office"]).post(f"/reminders/deliveries/{d.pk}/retry/")
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.state == Delivery.PENDING and d.attempts == 0


def test_a_robot_that_refuses_in_its_answer_counts_as_failed(world, receiver):
    robot = receiver(answer={"errcode": 310000, "errmsg": "keywords not in content"})
    only_round(world, world.rounds[1])
    Channel.objects.create(government=world.gov, kind="webhook", name="钉钉群", url=robot.url)
    reminders.run(day=date(2026, 9, 15))
    d = Delivery.objects.get(channel="webhook")
    assert d.state == Delivery.PENDING and "310000" in d.last_error


# --- pages ---------------------------------------------------------------------------------------------


def test_the_bell_counts_unread_messages_on_every_page(world, login):
    only_round(world, world.rounds[1])
    reminders.run(day=date(2026, 9, 16))
    c = login(world.users["a_staff"])
    html = c.get("/workspace/").content.decode()
    assert 'id="bell-count">1</b>' in html
    page = c.get("/notices/").content.decode()
    assert "督办提醒：1 项待报送，其中 1 项已逾期" in page and "已逾期1天" in page
    # Read once it has been opened.
    assert 'id="bell-count"' not in c.get("/workspace/").content.decode()


def test_the_unit_sees_what_is_due_and_who_urged_it(world, login, monkeypatch):
    from duban.web.views import reminders as views

    monkeypatch.setattr(views, "today", lambda: date(2026, 9, 10))
    world.users["office"].first_name = "王科长"
    world.users["office"].save()
    office = login(world.users["office"])
    form = office.get(f"/plans/{world.plan.pk}/urge-bulk/?round={world.rounds[0].pk}")
    assert form.status_code == 200
    html = form.content.decode()
    assert "第1次进展情况（6月15日）逾期未报送的全部单位" in html
    for unit in ("商务局 · 任务 1", "财政局 · 任务 2", "教育局 · 任务 3"):
        assert unit in html
    monkeypatch.setattr(views, "today", lambda: date(2026, 9, 10))
    targets = [
        k
        for k in views.UrgeForm(
            targets=views.reminders.late_targets(world.plan, world.rounds[0].pk, date(2026, 9, 10))
        ).targets
    ]
    response = office.post(
        f"/plans/{world.plan.pk}/urge-bulk/?round={world.rounds[0].pk}",
        {"message": "请于本周五前补报第一季度进展", "targets": targets},
    )
    assert response.status_code == 302
    assert Urge.objects.filter(plan=world.plan).count() == 3
    assert Reminder.objects.filter(step__startswith="urge-").count() == 3 + 2  # three liaisons, two heads
    c = login(world.users["a_staff"])
    page = c.get("/notices/").content.decode()
    assert "请于本周五前补报第一季度进展" in page and "王科长" in page
    # What the unit owes: the June round overdue, the September one in five days.
    assert "已逾期 87 天" in page and "还有 5 天" in page


def test_urging_every_unit_of_a_task(world, login):
    from duban.web.models import Assignment

    Assignment.objects.create(task=world.tasks["1"], unit=world.units["教育局"], unit_name="教育局", role="responsible")
    office = login(world.users["office"])
    html = office.get(f"/plans/{world.plan.pk}/urge-bulk/?task={world.tasks['1'].pk}").content.decode()
    assert "任务 1 的全部责任单位" in html and "商务局 · 任务 1" in html and "教育局 · 任务 1" in html
    assert "财政局 · 任务 1" not in html  # a supporting unit is not urged
    form = views_form(world, task=world.tasks["1"])
    response = office.post(
        f"/plans/{world.plan.pk}/urge-bulk/?task={world.tasks['1'].pk}", {"message": "加快推进", "targets": form}
    )
    assert response.status_code == 302
    assert sorted(Urge.objects.values_list("unit__name", flat=True)) == ["商务局", "教育局"]


def views_form(world, task):
    from duban.web.views import reminders as views

    return list(views.UrgeForm(targets=views.reminders.task_targets(world.plan, task.pk, date(2026, 7, 1))).targets)


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("before_days", "3,abc", "不是 1 到 60 之间的天数"),
        ("before_days", "999", "不是 1 到 60 之间的天数"),
        ("overdue_every", "-1", ""),
        ("overdue_every", "99999999999", ""),
        ("office_list", "nobody-here", "不是本政府的用户名、电子邮箱或手机号"),
        ("office_list", "x_office", "不是本政府的用户名"),  # another government's account
        ("quiet_start", "25:99", ""),
        ("office_after", "1", "不应早于"),
    ],
)
def test_junk_in_the_rules_form_is_refused_with_a_message(world, login, field, value, message):
    office = login(world.users["office"])
    data = {
        "form": "rules",
        "version": "0",
        "enabled": "on",
        "before_days": "3,1",
        "on_day": "on",
        "overdue_every": "3",
        "head_after": "3",
        "office_after": "7",
        "stop_after": "90",
        "office_list": "office",
        "quiet_start": "22:00",
        "quiet_end": "08:00",
        "remind_progress": "on",
    }
    data[field] = value
    response = office.post("/reminders/", data)
    assert response.status_code == 200
    assert message in response.content.decode() and "errorlist" in response.content.decode()
    assert not ReminderRules.objects.filter(government=world.gov).exists()


def test_rules_saved_and_a_stale_form_refused(world, login):
    office = login(world.users["office"])
    data = {
        "form": "rules",
        "version": "0",
        "enabled": "on",
        "before_days": "5，2",
        "overdue_every": "2",
        "head_after": "2",
        "office_after": "5",
        "stop_after": "60",
        "office_list": "office\nlingdao@yunxi.gov.cn",
        "quiet_start": "",
        "quiet_end": "",
        "remind_progress": "on",
    }
    assert office.post("/reminders/", data).status_code == 302
    stored = ReminderRules.objects.get(government=world.gov)
    rules = stored.rules()
    assert rules.before == (5, 2) and rules.on_day is False and rules.quiet_start is None
    assert rules.kinds == ("progress", "annual") and stored.version == 1
    # A second editor with the old form is told, and nothing changes.
    data["before_days"] = "1"
    response = office.post("/reminders/", data, follow=True)
    assert "已被他人修改" in response.content.decode()
    assert ReminderRules.objects.get(government=world.gov).before_days == "5,2"
    from duban.web.models import AuditEvent

    assert AuditEvent.objects.filter(action="修改提醒规则").count() == 1


@pytest.mark.parametrize(
    "data, message",
    [
        ({"kind": "webhook", "name": "群", "url": "ftp://x"}, "请填写以 http:// 或 https:// 开头的网址"),
        ({"kind": "webhook", "name": "群", "url": "http://x", "template": "{not json"}, "不是有效的 JSON"),
        ({"kind": "webhook", "name": "群", "url": "http://x", "template": '{"a": "b"}'}, "应含有 {text}"),
        ({"kind": "sms", "name": "短信", "url": "http://x", "template": '{"t": "{text}"}'}, "应含有 {phone}"),
        ({"kind": "email", "name": "邮件", "url": "smtp server!"}, "SMTP 服务器应是主机名"),
        ({"kind": "email", "name": "邮件", "port": "70000"}, "端口应在"),
        ({"kind": "notakind", "name": "x"}, "选择一个有效的选项"),
        ({"kind": "email", "name": ""}, "这个字段是必填项"),
    ],
)
def test_junk_channels_are_refused(world, login, data, message):
    office = login(world.users["office"])
    response = office.post("/reminders/", {"form": "channel", **data})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Channel.objects.exists()


def test_units_cannot_reach_the_office_pages(world, login):
    c = login(world.users["a_staff"])
    assert c.get("/reminders/").status_code == 403
    assert c.post("/reminders/run/").status_code == 403
    assert c.get(f"/plans/{world.plan.pk}/urge-bulk/?round={world.rounds[0].pk}").status_code == 403
    other = login(world.users["x_office"])
    ch = Channel.objects.create(government=world.gov, kind="webhook", name="群", url="http://127.0.0.1:9/")
    assert other.post(f"/reminders/channels/{ch.pk}/", {"delete": "1"}).status_code == 404
    assert Channel.objects.filter(pk=ch.pk).exists()
    office = login(world.users["office"])
    assert office.get(f"/plans/{world.plan.pk}/urge-bulk/?round=abc").status_code == 404
    assert (
        office.post(f"/plans/{world.plan.pk}/urge-bulk/?round={world.rounds[0].pk}", {"message": ""}).status_code == 200
    )


def test_contact_form(world, login):
    c = login(world.users["b_staff"])
    response = c.post("/notices/", {"email": "not-an-email", "phone": "abc"})
    assert response.status_code == 200 and "有效的 Email 地址" in response.content.decode()
    assert "手机号只能含数字" in response.content.decode()
    assert c.post("/notices/", {"email": "caizheng@yunxi.gov.cn", "phone": "13912345678"}).status_code == 302
    world.users["b_staff"].refresh_from_db()
    assert world.users["b_staff"].email == "caizheng@yunxi.gov.cn"
    assert Contact.objects.get(user=world.users["b_staff"]).phone == "13912345678"


def test_an_urge_goes_through_the_outside_channels_too(world, receiver, login):
    robot = receiver()
    Channel.objects.create(government=world.gov, kind="webhook", name="督办群", url=robot.url)
    targets = reminders.late_targets(world.plan, world.rounds[0].pk, date(2026, 7, 1))
    made = reminders.urge(world.plan, world.users["office"], targets, "请今天下班前补报")
    assert len(made) == 3
    # Sent by the next pass (the background thread's, or duban remind's), even in a day with nothing else due.
    reminders.dispatch(timezone.now() + timedelta(hours=12), "t")
    assert len(robot.bodies) == 1
    content = robot.bodies[0]["text"]["content"]
    assert "请今天下班前补报" in content and "商务局 · 任务 1" in content and "教育局 · 任务 3" in content
    html = login(world.users["office"]).get("/reminders/").content.decode()
    assert "催办" in html and "督办群" in html and "已发送" in html


def test_a_message_left_by_a_dead_process_is_taken_over(world, receiver):
    robot = receiver()
    only_round(world, world.rounds[1])
    Channel.objects.create(government=world.gov, kind="webhook", name="群", url=robot.url)
    reminders.run(day=date(2026, 9, 14), dry_run=False)
    assert len(robot.bodies) == 1
    d = Delivery.objects.get(channel="webhook")
    # A process claimed it again for sending and died.
    at = timezone.now()
    Delivery.objects.filter(pk=d.pk).update(state=Delivery.SENDING, claimed_by="dead", claimed_at=at)
    reminders.dispatch(at + timedelta(minutes=5), "alive")
    assert Delivery.objects.get(pk=d.pk).state == Delivery.SENDING  # not yet: it may still be working
    reminders.dispatch(at + reminders.STALE_SENDING + timedelta(seconds=1), "alive")
    assert Delivery.objects.get(pk=d.pk).state == Delivery.SENT and len(robot.bodies) == 2


def test_the_dashboard_offers_bulk_urging(world, login):
    html = login(world.users["office"]).get(f"/plans/{world.plan.pk}/").content.decode()
    assert f"/plans/{world.plan.pk}/urge-bulk/?round={world.rounds[0].pk}" in html
    assert f"/plans/{world.plan.pk}/urge-bulk/?round={world.rounds[1].pk}" not in html  # not due yet
    leader = login(world.users["leader"]).get(f"/plans/{world.plan.pk}/").content.decode()
    assert "urge-bulk" not in leader


def test_editing_a_channel_keeps_its_password_unshown(world, login):
    ch = Channel.objects.create(
        government=world.gov, kind="email", name="邮件", url="smtp.yunxi.gov.cn", username="duban", password="s3cret"
    )
    office = login(world.users["office"])
    page = office.get("/reminders/").content.decode()
    assert "s3cret" not in page
    prefix = f"c{ch.pk}-"
    data = {
        prefix + "kind": "email",
        prefix + "name": "政务邮件",
        prefix + "url": "smtp.yunxi.gov.cn",
        prefix + "password": "",
    }
    assert office.post(f"/reminders/channels/{ch.pk}/", data).status_code == 302
    ch.refresh_from_db()
    assert ch.name == "政务邮件" and ch.smtp_password() == "s3cret" and "s3cret" not in ch.password
    data[prefix + "url"] = "bad host!"
    response = office.post(f"/reminders/channels/{ch.pk}/", data, follow=True)
    assert "渠道未保存" in response.content.decode() and "SMTP 服务器应是主机名" in response.content.decode()
    ch.refresh_from_db()
    assert ch.url == "smtp.yunxi.gov.cn"
    from duban.web.models import AuditEvent

    assert "s3cret" not in str(list(AuditEvent.objects.filter(action="保存提醒渠道").values("before", "after")))


def test_urges_go_out_even_with_automatic_reminders_off(world, receiver):
    robot = receiver()
    ReminderRules.objects.create(government=world.gov, enabled=False, quiet_start=None, quiet_end=None)
    Channel.objects.create(government=world.gov, kind="webhook", name="群", url=robot.url)
    reminders.urge(
        world.plan,
        world.users["office"],
        reminders.task_targets(world.plan, world.tasks["2"].pk, date(2026, 7, 1)),
        "请报送",
    )
    result = reminders.run(now=timezone.now() + timedelta(minutes=1))
    assert result.reminders == [] and result.sent == 1 and len(robot.bodies) == 1


def test_the_single_urge_button_goes_through_the_channels_too(world, login):
    office = login(world.users["office"])
    response = office.post(
        f"/plans/{world.plan.pk}/urge/",
        {"unit": world.units["财政局"].pk, "task": world.tasks["2"].pk, "round": world.rounds[0].pk},
    )
    assert response.status_code == 302
    u = Urge.objects.get()
    got = Delivery.objects.filter(kind=Delivery.URGE)
    assert sorted(got.values_list("user__username", flat=True)) == ["b_head", "b_staff"]
    assert Reminder.objects.filter(urge=u, step=f"urge-{u.pk}").count() == 2
    assert 'id="bell-count">1</b>' in login(world.users["b_staff"]).get("/workspace/").content.decode()
