"""Reminders: work out what is due for whom, claim it, send it, record it.

One pass (``run``) for each government:

1. ``dues(plan, today)`` — the adapter, the only place that knows how the
   round's obligations are worked out — lists what is due, for which unit,
   in which round, by when, and whether it is filed;
2. ``duban.track.remind.owed`` says which reminder step each unfiled one is
   owed today under the government's rules; each step fans out to its
   audience (the unit's staff, its head, the office's list) and through each
   channel (in the application, e-mail, SMS, every group robot);
3. steps already recorded are dropped; the rest are grouped into one digest
   per recipient, channel and day, and each digest is *claimed with one
   atomic UPDATE* (``state new → claimed`` where it is still new), so two
   processes or several servers never send the same one twice;
4. ``dispatch`` sends what is pending: each message again claimed by one
   UPDATE, a failure retried with back-off (``BACKOFF``), and after the last
   attempt marked failed and shown to the office.

Manual 催办 (``urge``) goes through the same channels and records.
"""

from __future__ import annotations

import os
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from duban.track.remind import HEAD, OFFICE, STAFF, Due, Owed, Rules, days_label, owed
from duban.web import audit
from duban.web.models import (
    Channel,
    Contact,
    Delivery,
    Government,
    Membership,
    Plan,
    Reminder,
    ReminderRules,
    Urge,
)
from duban.web.reminder_models import INAPP
from duban.web.services.channels import SendFailed, send_email, send_sms, send_webhook

# A failed message is tried again after these waits, then marked failed for the office to see.
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
MAX_ATTEMPTS = len(BACKOFF) + 1
# A message claimed for sending by a process that then died is taken over after this long.
STALE_SENDING = timedelta(minutes=15)
# A digest lists at most this many obligations in full; the rest are counted.
DIGEST_LINES = 30


# --- the adapter: what is due --------------------------------------------------------------------


def dues(plan: Plan, today: date, tasks=None) -> list[Due]:
    """Every obligation of ``plan``'s rounds: task, unit, round, due date, whether filed.

    The one place that knows where obligations come from: the round's own account,
    ``duban.track.round`` (read through ``services.overview.load``) — leads and responsible
    units owe a report or ledger, monitors their figures, a collective through its members.
    An obligation is filed once its head has signed it off; one the office returned for
    revision (退回修改) is owed again by its revision deadline.  ``tasks`` (a Task queryset)
    narrows it to those tasks.
    """
    from duban import vocab
    from duban.web.services.overview import load
    from duban.web.services.plan_choice import label

    loaded = load(plan, tasks)
    standing = loaded.standing(today)
    plan_label = "" if plan.kind == vocab.WORK_REPORT_PLAN else label(plan)
    tasks = {t.number: t for t in loaded.tasks}
    out = []
    for owed_ in standing.items:
        ob = owed_.obligation
        unit_id = loaded.unit_ids.get(ob.unit)
        task = tasks.get(ob.task)
        if unit_id is None or task is None:
            continue
        revision = owed_.returned
        filed = owed_.timeliness in (vocab.ON_TIME, vocab.LATE) and not revision
        out.append(
            Due(
                task.id,
                task.number,
                task.text,
                unit_id,
                ob.unit,
                ob.round.key,
                ob.round.title,
                ob.round.kind,
                (owed_.revise_by or ob.round.due) if revision else ob.round.due,
                filed,
                what=ob.what,
                revision=revision,
                plan_label=plan_label,
            )
        )
    return out


# --- who hears it ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    key: str  # user:12 / email:a@b / phone:138… / channel:4 (a group robot)
    label: str
    user_id: int | None = None
    email: str = ""
    phone: str = ""


@dataclass
class Line:
    owed: Owed
    audience: str
    person: Person
    channel_key: str

    @property
    def key(self) -> tuple:
        i = self.owed.item
        return (i.task_id, i.unit_id, i.round_id, self.owed.step.key, self.person.key, self.channel_key)

    def to_json(self, government: str) -> dict:
        i = self.owed.item
        return {
            "government": government,
            "task": i.task_number,
            "unit": i.unit,
            "round": i.round_title,
            "due": i.due.isoformat(),
            "step": self.owed.step.key,
            "audience": self.audience,
            "recipient": self.person.label,
            "channel": self.channel_key,
        }


@dataclass
class Directory:
    """The government's people and channels, loaded once per pass."""

    staff: dict[int, list[Person]] = field(default_factory=lambda: defaultdict(list))
    heads: dict[int, list[Person]] = field(default_factory=lambda: defaultdict(list))
    office: list[Person] = field(default_factory=list)
    email: Channel | None = None
    sms: Channel | None = None
    webhooks: list[Channel] = field(default_factory=list)

    def channels_of(self, person: Person) -> list[str]:
        out = []
        if person.user_id:
            out.append(INAPP)
        if self.email is not None and person.email:
            out.append(self.email.key)
        if self.sms is not None and person.phone:
            out.append(self.sms.key)
        return out


def _person(user, phones: dict[int, str]) -> Person:
    return Person(
        f"user:{user.id}", user.get_full_name() or user.username, user.id, user.email, phones.get(user.id, "")
    )


def directory(government: Government, rules: ReminderRules) -> Directory:
    d = Directory()
    phones = dict(Contact.objects.filter(user__membership__government=government).values_list("user_id", "phone"))
    members = Membership.objects.filter(government=government).select_related("user")
    by_username = {}
    for m in members:
        by_username[m.user.username] = m.user
        if m.unit_id and m.role == Membership.UNIT_STAFF:
            d.staff[m.unit_id].append(_person(m.user, phones))
        elif m.unit_id and m.role == Membership.UNIT_HEAD:
            d.heads[m.unit_id].append(_person(m.user, phones))
    for line in rules.office_contacts():
        if line in by_username:
            d.office.append(_person(by_username[line], phones))
        elif "@" in line:
            d.office.append(Person(f"email:{line}", line, email=line))
        elif line.lstrip("+").replace("-", "").isdigit():
            d.office.append(Person(f"phone:{line}", line, phone=line))
    for ch in Channel.objects.filter(government=government, enabled=True):
        if ch.kind == "email" and d.email is None:
            d.email = ch
        elif ch.kind == "sms" and d.sms is None:
            d.sms = ch
        elif ch.kind == "webhook":
            d.webhooks.append(ch)
    return d


def rules_of(government: Government) -> ReminderRules:
    """The government's rules as stored, or the defaults (unsaved) when the office never changed them."""
    found = ReminderRules.objects.filter(government=government).first()
    return found or ReminderRules(government=government)


def _lines(items: list[Owed], d: Directory) -> list[Line]:
    out = []
    for o in items:
        for audience in (STAFF, HEAD, OFFICE):
            if audience not in o.step.audience:
                continue
            people = {STAFF: d.staff.get(o.item.unit_id, []), HEAD: d.heads.get(o.item.unit_id, [])}.get(
                audience, d.office
            )
            if audience == STAFF and not people:
                people = d.heads.get(o.item.unit_id, [])  # a unit with no liaison account: its head hears it
            for person in people:
                for channel_key in d.channels_of(person):
                    out.append(Line(o, audience, person, channel_key))
        for hook in d.webhooks:
            out.append(Line(o, "group", Person(f"channel:{hook.pk}", hook.name), hook.key))
    return out


# --- one pass ----------------------------------------------------------------------------------------


def local_now(now: datetime | None = None) -> datetime:
    return timezone.localtime(now or timezone.now())


def at_start_of(day: date, rules: Rules) -> datetime:
    """A pass "on ``day``": at the end of its quiet hours (08:00 by default), when messages may leave."""
    start = rules.quiet_end or datetime.min.time()
    return timezone.make_aware(datetime.combine(day, start))


@dataclass
class PassResult:
    reminders: list[dict] = field(default_factory=list)  # one object per reminder sent (or that would be)
    quiet: list[str] = field(default_factory=list)  # governments skipped in their quiet hours
    deliveries: int = 0  # messages made
    sent: int = 0
    failed: int = 0  # failed this pass, will be retried
    gave_up: int = 0  # failed for the last time: shown to the office


def run(
    now: datetime | None = None,
    government: Government | None = None,
    dry_run: bool = False,
    day: date | None = None,
) -> PassResult:
    """One reminder pass over every government (or one): make today's digests, then send what is pending.

    ``day`` runs the pass as on that day (at the end of its quiet hours) instead of now.
    """
    token = uuid.uuid4().hex
    result = PassResult()
    governments = [government] if government is not None else list(Government.objects.order_by("id"))
    for gov in governments:
        stored = rules_of(gov)
        rules = stored.rules()
        at = at_start_of(day, rules) if day is not None else local_now(now)
        if rules.quiet(at.time()):
            result.quiet.append(gov.name)
            continue
        if stored.enabled:
            remind_government(gov, stored, at, token, result, dry_run)
        if not dry_run:  # manual urges go out even when automatic reminders are off
            dispatch(at, token, result, government=gov)
    result.reminders.sort(key=lambda x: tuple(x.values()))
    return result


def remind_government(gov, stored: ReminderRules, at: datetime, token: str, result: PassResult, dry_run: bool):
    rules = stored.rules()
    today = at.date()
    items: list[Owed] = []
    for plan in Plan.objects.filter(government=gov, status=Plan.PUBLISHED):
        items.extend(owed(dues(plan, today), rules, today))
    if not items:
        return
    d = directory(gov, stored)
    lines = _lines(items, d)
    # Already sent: the same step to the same person through the same channel, any day.
    steps = {o.step.key for o in items}
    round_ids = {o.item.round_id for o in items}
    done = set(
        Reminder.objects.filter(government=gov, round_id__in=round_ids, step__in=steps).values_list(
            "task_id", "unit_id", "round_id", "step", "recipient", "channel_key"
        )
    )
    # A person already sent today's digest hears the rest tomorrow, if it still applies: one digest a day.
    had_digest = set(
        Delivery.objects.filter(government=gov, kind=Delivery.DIGEST, day=today)
        .exclude(state=Delivery.NEW)
        .values_list("recipient", "channel_key")
    )
    fresh = [ln for ln in lines if ln.key not in done and (ln.person.key, ln.channel_key) not in had_digest]
    if not fresh:
        return
    groups: dict[tuple[str, str], list[Line]] = defaultdict(list)
    for ln in fresh:
        groups[(ln.person.key, ln.channel_key)].append(ln)
    if dry_run:
        result.reminders.extend(ln.to_json(gov.name) for ln in fresh)
        return
    channels = {c.key: c for c in [d.email, d.sms, *d.webhooks] if c is not None}
    made = {key: _digest(gov, key, lines, channels, today) for key, lines in groups.items()}
    Delivery.objects.bulk_create(made.values(), ignore_conflicts=True)
    # The claim: one UPDATE takes every digest of today still new.  Whoever's UPDATE changed the row owns it.
    Delivery.objects.filter(
        government=gov,
        kind=Delivery.DIGEST,
        day=today,
        state=Delivery.NEW,
        recipient__in={k for k, _ in groups},
    ).update(state=Delivery.CLAIMED, claimed_by=token, claimed_at=at)
    mine = list(
        Delivery.objects.filter(government=gov, claimed_by=token, state=Delivery.CLAIMED, day=today).only(
            "id", "recipient", "channel_key", "channel", "body"
        )
    )
    records = []
    with transaction.atomic():
        for delivery in mine:
            key = (delivery.recipient, delivery.channel_key)
            if key not in groups:  # made by another process for lines this one does not see: nothing to say
                Delivery.objects.filter(pk=delivery.pk).update(state=Delivery.EMPTY)
                continue
            ours = made[key]
            if delivery.body != ours.body:  # another process inserted the row first, from other data
                Delivery.objects.filter(pk=delivery.pk).update(
                    subject=ours.subject, body=ours.body, recipient_label=ours.recipient_label
                )
            records.extend(
                Reminder(
                    government=gov,
                    task_id=ln.owed.item.task_id,
                    unit_id=ln.owed.item.unit_id,
                    round_id=ln.owed.item.round_id,
                    step=ln.owed.step.key,
                    audience=ln.audience,
                    recipient=ln.person.key,
                    channel_key=ln.channel_key,
                    delivery_id=delivery.pk,
                )
                for ln in groups[key]
            )
            result.reminders.extend(ln.to_json(gov.name) for ln in groups[key])
            result.deliveries += 1
        claimed = Delivery.objects.filter(government=gov, claimed_by=token, state=Delivery.CLAIMED, day=today)
        claimed.filter(channel=INAPP).update(state=Delivery.SENT, sent_at=at)
        claimed.exclude(channel=INAPP).update(state=Delivery.PENDING, next_attempt_at=at)
        Reminder.objects.bulk_create(records, ignore_conflicts=True)


def _digest(gov, key: tuple[str, str], lines: list[Line], channels: dict, today: date) -> Delivery:
    person_key, channel_key = key
    person = lines[0].person
    subject, body = digest_text(person, lines, today)
    return Delivery(
        **_addressed(gov, person_key, person, channel_key, channels),
        kind=Delivery.DIGEST,
        day=today,
        subject=subject,
        body=body,
        state=Delivery.NEW,
    )


def _addressed(gov, person_key: str, person: Person, channel_key: str, channels: dict) -> dict:
    """Who a delivery goes to and by which channel: the fields every digest and urge share."""
    channel = channel_key.split(":")[0]
    return {
        "government": gov,
        "channel": channel,
        "channel_key": channel_key,
        "channel_config": channels.get(channel_key),
        "recipient": person_key,
        "recipient_label": person.label,
        "user_id": person.user_id if channel == INAPP else None,
        "address": _address(person, channel),
    }


def _address(person: Person, channel: str) -> str:
    return {"email": person.email, "sms": person.phone}.get(channel, "")


def digest_text(person: Person, lines: list[Line], today: date) -> tuple[str, str]:
    """The subject and text of one person's digest: every obligation, one line each."""
    seen, items = set(), []
    for ln in lines:
        k = (ln.owed.item.key, ln.owed.step.key)
        if k not in seen:
            seen.add(k)
            items.append(ln.owed)
    overdue = sum(1 for o in items if o.item.due < today)
    subject = f"督办提醒：{len(items)} 项待报送" + (f"，其中 {overdue} 项已逾期" if overdue else "")
    out = [f"{person.label}：截至 {today.isoformat()}，以下事项尚未报送："]
    for n, o in enumerate(items[:DIGEST_LINES], 1):
        i = o.item
        out.append(
            f"{n}. {i.unit} · {f'{i.plan_label}' if i.plan_label else ''}任务 {i.task_number} · {i.label}（截止 {i.due.isoformat()}，{days_label((i.due - today).days)}）"
            f" {i.task_text[:40]}"
        )
    if len(items) > DIGEST_LINES:
        out.append(f"…… 另有 {len(items) - DIGEST_LINES} 项，请登录督办系统查看。")
    base = getattr(settings, "DUBAN_BASE_URL", "") or os.environ.get("DUBAN_BASE_URL", "")
    if base:
        out.append(f"请登录 {base.rstrip('/')}/notices/ 办理。")
    return subject, "\n".join(out)


# --- sending -------------------------------------------------------------------------------------------


def dispatch(now: datetime, token: str, result: PassResult | None = None, government=None) -> PassResult:
    """Send every pending message whose time has come; each claimed by one UPDATE first."""
    result = result or PassResult()
    scope = Q(state=Delivery.PENDING, next_attempt_at__lte=now) | Q(
        state=Delivery.SENDING, claimed_at__lt=now - STALE_SENDING
    )
    qs = Delivery.objects.filter(scope)
    if government is not None:
        qs = qs.filter(government=government)
    qs.update(state=Delivery.SENDING, claimed_by=token, claimed_at=now)
    for delivery in Delivery.objects.filter(claimed_by=token, state=Delivery.SENDING).select_related("channel_config"):
        try:
            send(delivery)
        except SendFailed as exc:
            attempts = delivery.attempts + 1
            if attempts >= MAX_ATTEMPTS:
                state, later = Delivery.FAILED, None
                result.gave_up += 1
            else:
                state, later = Delivery.PENDING, now + BACKOFF[attempts - 1]
                result.failed += 1
            Delivery.objects.filter(pk=delivery.pk, claimed_by=token).update(
                state=state, attempts=attempts, next_attempt_at=later, last_error=str(exc)[:1000]
            )
        else:
            Delivery.objects.filter(pk=delivery.pk, claimed_by=token).update(
                state=Delivery.SENT, attempts=delivery.attempts + 1, sent_at=now, last_error=""
            )
            result.sent += 1
    return result


def send(delivery: Delivery) -> None:
    channel = delivery.channel_config
    if channel is None or not channel.enabled:
        raise SendFailed("渠道已删除或停用")
    values = {"text": f"{delivery.subject}\n{delivery.body}", "title": delivery.subject, "day": str(delivery.day)}
    values["count"] = str(delivery.reminders.count())
    if delivery.channel == "email":
        if not delivery.address:
            raise SendFailed("收件人没有电子邮箱")
        send_email(channel, delivery.address, delivery.subject, delivery.body)
    elif delivery.channel == "sms":
        if not delivery.address:
            raise SendFailed("收件人没有手机号")
        send_sms(channel, delivery.address, values)
    elif delivery.channel == "webhook":
        send_webhook(channel, values)
    else:
        raise SendFailed(f"未知渠道 {delivery.channel}")


@transaction.atomic
def retry(delivery: Delivery, user) -> Delivery:
    """The office sends a failed message again (now, attempts counted afresh)."""
    Delivery.objects.filter(pk=delivery.pk, state=Delivery.FAILED).update(
        state=Delivery.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
    delivery.refresh_from_db()
    audit.record(user, "重发提醒", delivery, government=delivery.government, after={"recipient": delivery.recipient})
    return delivery


# --- manual urging ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    unit_id: int
    unit: str
    task_id: int | None
    task_number: str
    round_id: int | None


def late_targets(plan: Plan, round_id: int, today: date) -> list[Target]:
    """Every unit still owing its report or ledger for one round past its due date."""
    return [
        Target(d.unit_id, d.unit, d.task_id, d.task_number, d.round_id)
        for d in dues(plan, today)
        if d.round_id == round_id and not d.filed and d.due < today
    ]


def task_targets(plan: Plan, task_id: int, today: date) -> list[Target]:
    """Every responsible unit of one task (collectives through their members), for the next round it owes."""
    out: dict[int, Target] = {}
    for d in sorted(dues(plan, today), key=lambda d: d.due):
        if d.task_id == task_id and d.unit_id not in out:
            out[d.unit_id] = Target(d.unit_id, d.unit, d.task_id, d.task_number, None)
    # Point each urge at the earliest round the unit has not filed, if any.
    for d in sorted(dues(plan, today), key=lambda d: d.due):
        t = out.get(d.unit_id)
        if d.task_id == task_id and t is not None and t.round_id is None and not d.filed:
            out[d.unit_id] = Target(t.unit_id, t.unit, t.task_id, t.task_number, d.round_id)
    return list(out.values())


def urge(plan: Plan, user, targets: list[Target], message: str, now: datetime | None = None) -> list[Urge]:
    """催办 every target with ``message``: one Urge each (as a single urge always was), one message per person."""
    with transaction.atomic():
        pairs = []
        for t in targets:
            u = Urge(
                plan=plan, unit_id=t.unit_id, task_id=t.task_id, round_id=t.round_id, message=message, created_by=user
            )
            u.delivered = True  # delivered below, with the others, not one by one (see deliver_urge)
            u.save()
            audit.record(user, "催办", u, government=plan.government, after={"unit": t.unit, "message": message})
            pairs.append((t, u))
        _deliver(plan, user, pairs, message, now)
    return [u for _, u in pairs]


def deliver_urge(u: Urge) -> None:
    """A single urge made elsewhere (the dashboard's 催办 button, a service, the API) goes out the same way."""
    task = u.task if u.task_id else None
    target = Target(u.unit_id, u.unit.name, u.task_id, task.number if task else "", u.round_id)
    _deliver(u.plan, u.created_by, [(target, u)], u.message, None)


def _deliver(plan: Plan, user, made: list[tuple[Target, Urge]], message: str, now: datetime | None) -> None:
    now = local_now(now)
    gov = plan.government
    stored = rules_of(gov)
    rules = stored.rules()
    d = directory(gov, stored)
    channels = {c.key: c for c in [d.email, d.sms, *d.webhooks] if c is not None}
    by_unit: dict[int, list[tuple[Target, Urge]]] = defaultdict(list)
    for t, u in made:
        by_unit[t.unit_id].append((t, u))
    with transaction.atomic():
        sender = (user.get_full_name() or user.username) if user is not None else "督查室"
        per_person: dict[tuple[str, str], tuple[Person, list[tuple[Target, Urge]]]] = {}
        for unit_id, pairs in by_unit.items():
            for person in d.staff.get(unit_id, []) + d.heads.get(unit_id, []):
                for channel_key in d.channels_of(person):
                    per_person.setdefault((person.key, channel_key), (person, []))[1].extend(pairs)
        for hook in d.webhooks:
            per_person[(f"channel:{hook.pk}", hook.key)] = (
                Person(f"channel:{hook.pk}", hook.name),
                [p for pairs in by_unit.values() for p in pairs],
            )
        for (person_key, channel_key), (person, pairs) in per_person.items():
            channel = channel_key.split(":")[0]
            lines = [f"{person.label}：{sender}催办——{message}"]
            lines += [
                f"· {t.unit}" + (f" · 任务 {t.task_number}" if t.task_number else "") for t, _ in pairs[:DIGEST_LINES]
            ]
            delivery = Delivery.objects.create(
                **_addressed(gov, person_key, person, channel_key, channels),
                kind=Delivery.URGE,
                day=now.date(),
                subject=f"督办催办：{message[:60]}",
                body="\n".join(lines),
                state=Delivery.SENT if channel == INAPP else Delivery.PENDING,
                sent_at=now if channel == INAPP else None,
                next_attempt_at=None if channel == INAPP else rules.next_loud(now),
                created_by=user,
            )
            Reminder.objects.bulk_create(
                [
                    Reminder(
                        government=gov,
                        task_id=t.task_id,
                        unit_id=t.unit_id,
                        round_id=t.round_id,
                        step=f"urge-{u.pk}",
                        audience="urge",
                        recipient=person_key,
                        channel_key=channel_key,
                        delivery=delivery,
                        urge=u,
                    )
                    for t, u in pairs
                    if t.task_id is not None
                ]
            )


# --- the office's settings ------------------------------------------------------------------------------


class Stale(Exception):
    """Someone else saved the same settings since this form was opened."""


def save_rules(government: Government, data: dict, version: int, user) -> ReminderRules:
    """Store the government's rules, refusing a form opened before someone else's save."""
    with transaction.atomic():
        current = ReminderRules.objects.select_for_update().filter(government=government).first()
        if current is None:
            current = ReminderRules(government=government, version=0)
        if current.version != version:
            raise Stale("提醒规则已被他人修改，请刷新页面后重新填写")
        before = audit.snapshot(current) if current.pk else None
        for name, value in data.items():
            setattr(current, name, value)
        current.version += 1
        current.updated_by = user
        current.save()
        audit.record(user, "修改提醒规则", current, government=government, before=before, after=audit.snapshot(current))
        return current


def save_channel(government: Government, data: dict, user, channel: Channel | None = None) -> Channel:
    with transaction.atomic():
        before = audit.snapshot(channel, _CHANNEL_SHOWN) if channel is not None else None
        channel = channel or Channel(government=government)
        for name, value in data.items():
            setattr(channel, name, value)
        channel.save()
        audit.record(
            user,
            "保存提醒渠道",
            channel,
            government=government,
            before=before,
            after=audit.snapshot(channel, _CHANNEL_SHOWN),
        )
        return channel


# The audit log records a channel without its SMTP password.
_CHANNEL_SHOWN = ["kind", "name", "enabled", "url", "port", "username", "use_tls", "sender", "template"]


def delete_channel(channel: Channel, user) -> None:
    with transaction.atomic():
        audit.record(
            user, "删除提醒渠道", channel, government=channel.government, before=audit.snapshot(channel, _CHANNEL_SHOWN)
        )
        channel.delete()


def save_contact(user, email: str, phone: str) -> None:
    with transaction.atomic():
        contact, _ = Contact.objects.get_or_create(user=user)
        before = {"email": user.email, "phone": contact.phone}
        user.email = email
        user.save(update_fields=["email"])
        contact.phone = phone
        contact.save()
        audit.record(user, "修改联系方式", user, before=before, after={"email": email, "phone": phone})


def mark_read(user, now: datetime | None = None) -> int:
    return Delivery.objects.filter(user=user, channel=INAPP, read_at__isnull=True).update(read_at=now or timezone.now())


def unread(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Delivery.objects.filter(user=user, channel=INAPP, read_at__isnull=True).count()


# --- running in the background of ``duban serve`` ---------------------------------------------------------


def housekeeping(keep_accounts: bool = True) -> None:
    """The periodic work beside reminders, each part failing on its own: the bytes of finished background
    jobs past their keeping time are deleted (docs/limits.md), and the dashboards' kept accounts are brought
    up to date (``services.overview.keep_accounts``), so the day's first page does not read the whole plan."""
    import logging

    from django.utils import timezone

    from duban.web.jobs.runner import prune
    from duban.web.services import overview

    log = logging.getLogger("duban.remind")
    try:
        prune()
    except Exception:
        log.exception("清理后台任务失败")
    if keep_accounts:
        try:
            overview.keep_accounts(timezone.localdate())
        except Exception:
            log.exception("更新看板统计失败")


def start_background(interval: float = 60.0):
    """A daemon thread that runs a pass every ``interval`` seconds; safe beside other servers and processes."""
    import logging
    import threading

    from django.db import close_old_connections

    log = logging.getLogger("duban.remind")
    stop = threading.Event()

    def loop():
        while not stop.is_set():
            try:
                close_old_connections()
                run()
            except Exception:  # a failed pass must not stop the next one, nor the web server
                log.exception("提醒检查失败")
            try:
                housekeeping()
            finally:
                close_old_connections()
            stop.wait(interval)

    thread = threading.Thread(target=loop, name="duban-remind", daemon=True)
    thread.start()
    thread.stop = stop.set
    return thread
