"""Reminder pages: a person's notices (what is due, what was urged and by whom), the office's
rules, channels and record of every message, and bulk 催办."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from duban.web.models import Channel, Contact, Delivery, Plan, ReportingRound, Urge
from duban.web.reminder_forms import ChannelForm, ContactForm, RulesForm, UrgeForm
from duban.web.services import reminders
from duban.web.views.common import page, today

# What a unit's notices page lists ahead: obligations due within this many days, and every overdue one.
AHEAD_DAYS = 30
RECORD_SHOWN = 200


@page
def notices(request):
    """Everyone's page behind the bell: their messages; for a unit, what it owes and who urged it."""
    actor = request.actor
    user = request.user
    contact = Contact.objects.filter(user=user).first()
    if request.method == "POST":
        form = ContactForm(request.POST)
        if form.is_valid():
            reminders.save_contact(user, form.cleaned_data["email"], form.cleaned_data["phone"])
            messages.success(request, "联系方式已保存")
            return redirect("notices")
    else:
        form = ContactForm(initial={"email": user.email, "phone": contact.phone if contact else ""})
    inbox = list(Delivery.objects.filter(user=user, channel="inapp").order_by("-created_at")[:50])
    unread_ids = {d.pk for d in inbox if d.read_at is None}
    reminders.mark_read(user)
    due, urges = [], []
    if actor.is_unit:
        day = today()
        for plan in Plan.objects.filter(government_id=actor.government_id, status=Plan.PUBLISHED):
            for d in reminders.dues(plan, day, actor.tasks(plan)):
                if d.unit_id in actor.acting_as and not d.filed and d.due <= day + timedelta(days=AHEAD_DAYS):
                    due.append((d, (d.due - day).days))
        due.sort(key=lambda x: (x[0].due, x[0].task_number))
        urges = Urge.objects.filter(unit_id__in=actor.acting_as).select_related("task", "round", "created_by")[:50]
    return render(
        request,
        "duban/notices.html",
        {"inbox": inbox, "unread_ids": unread_ids, "due": due, "urges": urges, "form": form, "today": today()},
    )


def _office(actor):
    actor.require(actor.is_office, "只有督查人员可以设置提醒")
    return actor.membership.government


@page
def settings_page(request):
    actor = request.actor
    government = _office(actor)
    stored = reminders.rules_of(government)
    rules_form = RulesForm(
        instance=stored, initial={"version": stored.version if stored.pk else 0}, government=government
    )
    channel_form = ChannelForm()
    if request.method == "POST" and request.POST.get("form") == "rules":
        rules_form = RulesForm(request.POST, instance=reminders.rules_of(government), government=government)
        if rules_form.is_valid():
            data = {k: v for k, v in rules_form.cleaned_data.items() if k != "version"}
            try:
                reminders.save_rules(government, data, rules_form.cleaned_data["version"], request.user)
            except reminders.Stale as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, "提醒规则已保存")
                return redirect("reminder_settings")
    elif request.method == "POST" and request.POST.get("form") == "channel":
        channel_form = ChannelForm(request.POST)
        if channel_form.is_valid():
            reminders.save_channel(government, channel_form.cleaned_data, request.user)
            messages.success(request, "提醒渠道已添加")
            return redirect("reminder_settings")
    record = Delivery.objects.filter(government=government).exclude(state__in=("new", "empty"))
    state = request.GET.get("state")
    if state in dict(Delivery.STATES):
        record = record.filter(state=state)
    failed = Delivery.objects.filter(government=government, state=Delivery.FAILED).count()
    retrying = Delivery.objects.filter(government=government, state=Delivery.PENDING, attempts__gt=0).count()
    return render(
        request,
        "duban/reminders.html",
        {
            "rules_form": rules_form,
            "channel_form": channel_form,
            "channels": [
                (c, ChannelForm(instance=c, prefix=f"c{c.pk}")) for c in Channel.objects.filter(government=government)
            ],
            "record": record.select_related("channel_config", "created_by")[:RECORD_SHOWN],
            "failed": failed,
            "retrying": retrying,
            "state": state,
            "states": Delivery.STATES,
        },
    )


def _channel(actor, channel_id) -> Channel:
    government = _office(actor)
    channel = Channel.objects.filter(government=government, pk=channel_id).first()
    if channel is None:
        raise Http404("没有这个渠道")
    return channel


@require_POST
@page
def channel_edit(request, channel_id):
    channel = _channel(request.actor, channel_id)
    if request.POST.get("delete"):
        reminders.delete_channel(channel, request.user)
        messages.success(request, f"已删除渠道：{channel.name}")
        return redirect("reminder_settings")
    form = ChannelForm(request.POST, instance=channel, prefix=f"c{channel.pk}")
    if form.is_valid():
        reminders.save_channel(channel.government, form.cleaned_data, request.user, Channel.objects.get(pk=channel.pk))
        messages.success(request, f"渠道已保存：{channel.name}")
    else:
        problems = "；".join(
            f"{form.fields[k].label if k in form.fields else ''}{' ' if k in form.fields else ''}{e}"
            for k, errs in form.errors.items()
            for e in errs
        )
        messages.error(request, f"渠道未保存：{problems}")
    return redirect("reminder_settings")


@require_POST
@page
def delivery_retry(request, delivery_id):
    government = _office(request.actor)
    delivery = Delivery.objects.filter(government=government, pk=delivery_id, state=Delivery.FAILED).first()
    if delivery is None:
        raise Http404("没有这条发送失败的消息")
    reminders.retry(delivery, request.user)
    messages.success(request, f"将重新发送给 {delivery.recipient_label or delivery.recipient}")
    return redirect("reminder_settings")


@require_POST
@page
def run_now(request):
    government = _office(request.actor)
    result = reminders.run(government=government)
    if result.quiet:
        messages.info(request, "现在是免打扰时段，没有发送提醒")
    else:
        messages.success(
            request,
            f"已发送 {len(result.reminders)} 条提醒（{result.deliveries} 条消息），外发成功 {result.sent}，失败 {result.failed + result.gave_up}",
        )
    return redirect("reminder_settings")


@page
def urge_bulk(request, plan_id):
    """催办 every late unit of a round, or every responsible unit of a task, with one editable message."""
    actor = request.actor
    actor.require(actor.is_office, "只有督查人员可以催办")
    plan = actor.plan(plan_id)
    day = today()
    rnd = ReportingRound.objects.filter(plan=plan, pk=_int(request.GET.get("round"))).first()
    task = plan.tasks.filter(pk=_int(request.GET.get("task"))).first()
    if rnd is not None:
        targets = reminders.late_targets(plan, rnd.pk, day)
        what = f"{rnd.title}逾期未报送的全部单位"
        default = f"{rnd.title}已于 {rnd.due:%m月%d日} 截止，贵单位尚未报送，请抓紧报送。"
    elif task is not None:
        targets = reminders.task_targets(plan, task.pk, day)
        what = f"任务 {task.number} 的全部责任单位"
        default = f"请加快推进任务 {task.number}（{task.text[:30]}），并及时报送进展。"
    else:
        raise Http404("请指定轮次或任务")
    form = UrgeForm(
        request.POST or None,
        targets=targets,
        initial={"message": default, "targets": [*UrgeForm(targets=targets).targets]},
    )
    if request.method == "POST" and form.is_valid():
        made = reminders.urge(plan, request.user, form.chosen(), form.cleaned_data["message"])
        units = len({u.unit_id for u in made})
        messages.success(request, f"已向 {units} 个单位发出催办（{len(made)} 项）")
        return redirect("dashboard", plan.pk)
    return render(request, "duban/urge_bulk.html", {"plan": plan, "form": form, "what": what, "targets": targets})


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
