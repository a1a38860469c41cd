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
    return format_html('<a class="bell" href="{}" title="提醒与催办（未读 {}）">🔔{}</a>', reverse("notices"), n, badge)
