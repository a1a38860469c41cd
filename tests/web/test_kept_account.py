"""The kept account (duban.web.services.overview.kept_account) is always the one a fresh standing gives.

A demo government takes a long generated sequence of writes — every kind a page could show: reports
saved, sent, signed, returned and accepted, pushed through the API's service, ledgers written, signed,
accepted and imported, tasks amended, units changed, rounds added, days passing — and after each one the
account kept in the cache is compared, whole and as the dashboard's head, for the office, a leader and a
unit, with ``account(load(...))`` computed afresh: one account, never a second counting.  Run on SQLite and,
in CI's second pass, on PostgreSQL.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from duban import vocab

START = date(2026, 7, 1)  # after the first progress round, before the second


@pytest.fixture
def demo(db):
    from django.core.cache import cache

    from duban.web.demo import build_government

    cache.clear()
    return build_government("核对市", n_tasks=30, n_units=12, today=START, seed=11, username_prefix="ka_")


def _scopes(demo):
    """The task sets the pages ask for: the office's (all), a leader's areas, one unit's tasks."""
    from django.contrib.auth.models import User

    from duban.web.access import Actor

    actors = [Actor.of(User.objects.get(username="ka_" + name)) for name in ("duchaju", "leader", "unit01")]
    return [None] + [a.tasks(demo.plan) for a in actors]


def _check(demo, today, loads, real_load, patched=None):
    """Every scope's kept account, whole and head, equals the fresh one; returns how many were recomputed.
    ``patched``: the outcomes of ``_patched`` so far; each scope's whole read then leaves in it whether any
    of its tries patched a kept account (True) or none did (False)."""
    from duban.web.services import overview as o

    plan = type(demo.plan).objects.get(pk=demo.plan.pk)
    before, outcomes = len(loads), []
    for tasks in _scopes(demo):
        fresh = o.account(real_load(plan, tasks), today)
        tried = len(patched or ())
        assert o.kept_account(plan, today, tasks) == fresh
        if patched is not None and len(patched) > tried:
            outcomes.append(any(patched[tried:]))
        assert o.kept_account(plan, today, tasks, whole=False) == o.head(fresh)
    if patched is not None:
        patched[:] = outcomes
    return len(loads) - before


class Writer:
    """One write of each kind the pages could show, on a random fitting target."""

    def __init__(self, demo, rng: random.Random):
        from django.contrib.auth.models import User

        self.demo, self.rng = demo, rng
        self.office = User.objects.get(username="ka_duchaju")

    def _pick(self, qs):
        items = list(qs.order_by("id"))
        return self.rng.choice(items) if items else None

    def _reports(self, *states):
        from duban.web.models import ProgressReport

        return ProgressReport.objects.filter(task__plan=self.demo.plan, state__in=states)

    def report_saved(self):
        from duban.web.services import reports

        r = self._pick(self._reports(vocab.DRAFT, vocab.RETURNED))
        if r:
            status = self.rng.choice(list(vocab.REPORT_STATUSES.keys))
            reports.save(r, r.version, {"status": status, "done_text": "推进中"}, user=self.office)

    def report_sent(self):
        from duban.web.services import reports

        r = self._pick(self._reports(vocab.DRAFT, vocab.RETURNED))
        if r:
            reports.send_to_head(r, r.version, user=self.office)

    def report_signed(self):
        from duban.web.services import reports

        r = self._pick(self._reports(vocab.AWAITING_HEAD))
        if r:
            reports.approve(r, r.version, user=self.office)

    def report_returned(self):
        from duban.web.services import reports

        r = self._pick(self._reports(vocab.SUBMITTED))
        if r:
            reports.office_return(r, r.version, "请补充", user=self.office)

    def report_accepted(self):
        from duban.web.services import reports

        r = self._pick(self._reports(vocab.SUBMITTED))
        if r:
            reports.accept(r, r.version, user=self.office)

    def report_pushed(self):
        """A new report of an obligation nobody has filed yet, saved and sent in one push (the API's path)."""
        from duban.web.models import Assignment, ProgressReport
        from duban.web.services import reports

        rounds = [r for r in self.demo.plan.rounds.all() if r.kind in vocab.REPORT_ROUND_KINDS]
        a = self._pick(Assignment.objects.filter(task__plan=self.demo.plan, role__in=vocab.REPORTING_ROLES))
        rnd = self.rng.choice(rounds)
        if a and not ProgressReport.objects.filter(task=a.task, unit=a.unit, round=rnd).exists():
            data = {"status": self.rng.choice([vocab.BEHIND, vocab.DONE, vocab.ON_SCHEDULE]), "done_text": "报送"}
            reports.push(a.task, a.unit, rnd, data, send=True, user=self.office)

    def ledger_written(self):
        from duban.web.models import Ledger
        from duban.web.services import ledgers

        ledger = self._pick(Ledger.objects.filter(task__plan=self.demo.plan, state__in=(vocab.DRAFT, vocab.RETURNED)))
        if ledger:
            due = START + timedelta(days=self.rng.choice([-20, 3, 40]))  # one may be overdue already
            rows = [ledgers.MilestoneRow("完成第一阶段", due, self.rng.random() < 0.3)]
            fields = {"measures": "措施", "safeguards": "保障", "responsible_leader": "甲", "responsible_person": "乙"}
            ledgers.save(ledger, ledger.version, fields, rows, user=self.office)

    def ledger_signed_and_accepted(self):
        from duban.web.models import Ledger
        from duban.web.services import ledgers

        ledger = self._pick(Ledger.objects.filter(task__plan=self.demo.plan, state__in=(vocab.DRAFT, vocab.RETURNED)))
        if ledger and ledger.milestones.exists():
            ledger = ledgers.send_to_head(ledger, ledger.version, user=self.office)
            ledger = ledgers.approve(ledger, ledger.version, user=self.office)
            if self.rng.random() < 0.5:
                ledgers.accept(ledger, ledger.version, user=self.office)

    def ledger_imported(self):
        """What a checked ledger upload writes (``ledger_upload.apply``): plans rewritten, a round's rows as drafts."""
        from duban.render.data import LedgerEntry, Milestone, RoundEntry
        from duban.web.models import Assignment
        from duban.web.services import ledger_upload

        a = self._pick(Assignment.objects.filter(task__plan=self.demo.plan, role__in=vocab.REPORTING_ROLES))
        plan, unit = self.demo.plan, a.unit
        ledger = ledger_upload.current_ledger(plan, unit)
        due = START + timedelta(days=self.rng.choice([-10, 20]))
        entry = ledger.entry(a.task.number)
        if entry is None:
            entry = LedgerEntry(task=a.task.number)
            ledger.entries.append(entry)
        entry.measures, entry.milestones = "导入的措施", [*entry.milestones, Milestone(due, "导入的节点")]
        rnd = self.rng.choice([r for r in plan.rounds.all() if r.kind in vocab.REPORT_ROUND_KINDS])
        ledger.rounds.setdefault(rnd.title, []).append(
            RoundEntry(task=a.task.number, status=vocab.BEHIND, progress="导入")
        )
        ledger_upload.apply(plan, unit, ledger, user=self.office)

    def task_amended(self):
        from duban.web.models import Task
        from duban.web.services import amend

        task = self._pick(Task.objects.filter(plan=self.demo.plan))
        if self.rng.random() < 0.5:
            amend.edit_task(task, text=task.text + "（修订）", version=task.version, reason="核对", user=self.office)
        else:
            names = list(self.demo.government.units.order_by("id").values_list("name", flat=True))
            rows = [(self.rng.choice(names), vocab.LEAD), (self.rng.choice(names), vocab.SUPPORT)]
            if rows[0][0] != rows[1][0]:
                amend.set_units(task, rows, version=task.version, reason="调整分工", user=self.office)

    def _later_task(self):
        from duban.web.models import Task

        return self.rng.choice(list(Task.objects.filter(plan=self.demo.plan).order_by("order", "id"))[1:])

    # Amendments that renumber every task after the one they change, recorded on that one task.
    def task_split(self):
        from duban.web.services import amend

        task = self._later_task()
        amend.edit_task(task, text=task.text + "\n\n新增的一项", version=task.version, reason="拆分", user=self.office)

    def task_merged(self):
        from duban.web.services import amend

        task = self._later_task()
        amend.merge_into_previous(task, version=task.version, reason="合并", user=self.office)

    def task_moved(self):
        from duban.web.models import Section
        from duban.web.services import amend

        task = self._later_task()
        section = self._pick(Section.objects.filter(plan=self.demo.plan).exclude(pk=task.section_id))
        if section:
            amend.move_task(task, section, version=task.version, reason="移动", user=self.office)

    def unit_changed(self):
        from duban.web.services import directory

        unit = self._pick(self.demo.government.units.all())
        if self.rng.random() < 0.5:
            directory.edit_unit(unit, unit.kind, list(unit.aliases) + ["新别名"], user=self.office)
        else:
            directory.rename_unit(self.demo.government, unit, unit.name + "（新）", user=self.office)

    def round_added(self):
        from duban.web.services import amend

        n = self.demo.plan.rounds.count()
        due = START + timedelta(days=self.rng.choice([-3, 1, 30]))
        amend.add_round(self.demo.plan, kind="progress", title=f"加报第{n}次", due=due, reason="加报", user=self.office)


KINDS = [name for name in vars(Writer) if not name.startswith("_")]
# Writes to one task — its reports and ledgers, or an amendment of it that renumbers the tasks after it: the
# kept account is patched (the changed tasks' parts computed afresh), never the whole plan read again.  Unit
# and round changes and a new day read it again.
PATCHED = {k for k in KINDS if k.startswith(("report_", "ledger_", "task_"))}


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("process", ["same", "another"])
def test_the_kept_account_is_the_fresh_one_after_every_write(demo, seed, process, monkeypatch):
    """``process`` "another": every read is made as by a process that holds no account in memory, so each
    patch starts from the one in the shared cache (written back only every WRITE_WHOLE_EVERY events)."""
    from duban.web.models import AuditEvent
    from duban.web.services import overview as o

    loads, patched = [], []
    real, real_patched = o.load, o._patched
    monkeypatch.setattr(o, "load", lambda *a, **k: loads.append(1) or real(*a, **k))

    def recording(*a, **k):
        out = real_patched(*a, **k)
        patched.append(out is not None)
        return out

    monkeypatch.setattr(o, "_patched", recording)
    rng = random.Random(seed)
    writer = Writer(demo, rng)
    today = START
    assert _check(demo, today, loads, real) == 4  # the first read computes each scope once …
    assert _check(demo, today, loads, real) == 0  # … and the next reads it back: the cache is in use
    seen, done = AuditEvent.objects.count(), set()
    steps = KINDS * 2 + [rng.choice(KINDS) for _ in range(8)]
    rng.shuffle(steps)
    for step in steps + ["midnight"]:
        if step == "midnight":
            today += timedelta(days=1)  # overdue changes at midnight with nothing written
        else:
            getattr(writer, step)()
        changed = AuditEvent.objects.count() != seen or step == "midnight"  # a target was there to write
        seen = AuditEvent.objects.count()
        if changed:
            done.add(step)
        patched.clear()
        if process == "another":
            o._memory.clear()
        recomputed = _check(demo, today, loads, real, patched)
        if changed:  # never read stale: each scope's whole account brought up to date, patched or read whole
            assert recomputed > 0 and patched == [step in PATCHED] * 4, (step, patched)
        elif process == "same":  # never recomputed idly
            assert recomputed == 0, step
        else:  # a process with nothing in memory patches the shared whole account, never reads the plan again
            assert all(patched), (step, patched)
    assert done == {*KINDS, "midnight"}  # every kind of write happened at least once
    # Days passing turn pending reports missing: crossing the second round's due date changes the figures.
    later = date(2026, 9, 16)
    assert o.kept_account(demo.plan, later).counts != o.kept_account(demo.plan, START).counts
    _check(demo, later, loads, real)


@pytest.mark.django_db
def test_a_write_moves_the_dashboard_figures_as_a_fresh_standing_says(demo, client, monkeypatch):
    """The page itself: the dashboard's counts after a report is signed are the fresh account's."""
    from django.contrib.auth.models import User

    from duban.web.models import ProgressReport
    from duban.web.services import overview as o
    from duban.web.services import reports
    from duban.web.views import supervision

    monkeypatch.setattr(supervision, "today", lambda: START)
    client.force_login(User.objects.get(username="ka_duchaju"))
    url = f"/plans/{demo.plan.pk}/"
    first = client.get(url).context["data"].account
    passed = [r for r in demo.plan.rounds.all() if r.due < START and r.kind in vocab.REPORT_ROUND_KINDS]
    r = ProgressReport.objects.filter(round__in=passed, state=vocab.AWAITING_HEAD).order_by("id").first()
    reports.approve(r, r.version)  # its report was missing; now it is in, late
    after = client.get(url).context["data"].account
    assert after == o.head(o.account(o.load(demo.plan), START)) != first
    assert after.counts["missing"] == first.counts["missing"] - 1


@pytest.mark.django_db
def test_a_kept_account_that_cannot_be_read_is_computed_afresh(demo, monkeypatch):
    from django.core.cache import cache

    from duban.web.services import overview as o

    def broken(*a, **k):
        raise ValueError("unreadable")

    monkeypatch.setattr(cache, "get", broken)
    assert o.kept_account(demo.plan, START) == o.account(o.load(demo.plan), START)


@pytest.mark.django_db
def test_events_committed_out_of_order_have_the_plan_read_again(demo):
    """Event ids are given out before commit: a transaction may commit its event after a later one's.  The
    event count in the fingerprint catches it — ``touched`` then names no tasks but asks for the whole plan."""
    from duban.web import audit
    from duban.web.models import AuditEvent, ProgressReport
    from duban.web.services import overview as o

    gov = demo.government
    report = ProgressReport.objects.filter(task__plan=demo.plan).order_by("id").first()
    since = o.fingerprint(demo.plan)[1]
    audit.record(None, "保存报告", report, government=gov)
    now = o.fingerprint(demo.plan)[1]
    assert o.touched(gov.pk, since, now) == {report.task_id}
    # The same two fingerprints as if a third event had committed late, with an id below ``since``'s.
    late = (now[0], now[1] + 1)
    assert o.touched(gov.pk, since, late) is None
    # A bulletin changes no figure; a unit's change may change any task's.
    AuditEvent.objects.create(government=gov, action="保存简报", object_type="Bulletin", object_id="1")
    assert o.touched(gov.pk, now, o.fingerprint(demo.plan)[1]) == set()
    audit.record(None, "修改单位", demo.government.units.first(), government=gov)
    assert o.touched(gov.pk, now, o.fingerprint(demo.plan)[1]) is None


@pytest.mark.django_db
def test_the_reminder_pass_keeps_each_days_accounts_before_anyone_asks(demo, client, monkeypatch):
    """A new day makes every kept account old (lateness changes at midnight).  The reminder pass's
    housekeeping brings the office's and each leader's up to date, so their first dashboard of the day
    reads a kept account instead of the whole plan."""
    from django.contrib.auth.models import User

    from duban.web.services import overview as o
    from duban.web.services import reminders
    from duban.web.views import supervision

    next_day = START + timedelta(days=1)
    kept_on = []
    monkeypatch.setattr(o, "keep_accounts", lambda day: kept_on.append(day) or 0)
    reminders.housekeeping()
    assert len(kept_on) == 1  # every pass, on the server's today
    monkeypatch.undo()

    from duban.web.access import Actor
    from duban.web.models import Membership

    staff = Membership.objects.filter(
        government=demo.government, role__in=(Membership.SUPERVISOR, Membership.ADMIN, Membership.LEADER)
    )
    assert o.keep_accounts(next_day) == len({str(Actor.of(m.user).tasks(demo.plan).query) for m in staff}) >= 2
    loads = []
    real = o.load
    monkeypatch.setattr(o, "load", lambda *a, **k: loads.append(1) or real(*a, **k))
    monkeypatch.setattr(supervision, "today", lambda: next_day)
    for name in ("duchaju", "leader"):
        user = User.objects.get(username="ka_" + name)
        client.force_login(user)
        page = client.get(f"/plans/{demo.plan.pk}/")
        assert page.status_code == 200
        fresh = o.account(real(demo.plan, Actor.of(user).tasks(demo.plan)), next_day)
        assert page.context["data"].account == o.head(fresh)
    assert loads == []  # both read the kept account
