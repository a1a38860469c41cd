"""``{% bell %}``: the notices bell with the unread count, on every page (base.html)."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def bell(context):
    from django.urls import reverse

    from duban.web.services.reminders import unread

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    n = unread(user)
    badge = format_html('<b class="badge" id="bell-count">{}</b>', n if n < 100 else "99+") if n else ""
    out = format_html('<a class="bell" href="{}" title="提醒与催办（未读 {}）">🔔{}</a>', reverse("notices"), n, badge)
    actor = context.get("actor")
    if actor is not None and actor.is_office:
        # The office sees, on every page, that a message could not be delivered.
        from duban.web.models import Delivery

        failed = Delivery.objects.filter(government_id=actor.government_id, state=Delivery.FAILED).count()
        if failed:
            out += format_html(
                '<a class="bell failed" id="delivery-failed" href="{}?state=failed#record">{} 条提醒发送失败</a>',
                reverse("reminder_settings"),
                failed,
            )
    return out
