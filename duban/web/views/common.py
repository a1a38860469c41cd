"""What every page shares: the signed-in actor, and turning refusals into 403s."""

from __future__ import annotations

import functools

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils import timezone

from duban.errors import DubanError
from duban.web.access import Actor, Denied


def page(view):
    """Require sign-in, attach ``request.actor``, answer 403 on ``Denied``."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        request.actor = Actor.of(request.user)
        if request.actor.membership is None:
            if request.actor.is_site_admin and request.resolver_match and request.resolver_match.url_name == "home":
                return redirect("governments")  # the site administrator belongs to no government
            return HttpResponseForbidden(
                render(request, "duban/forbidden.html", {"why": "此账号未分配单位或角色"}).content
            )
        try:
            return view(request, *args, **kwargs)
        except Denied as exc:
            response = render(request, "duban/forbidden.html", {"why": str(exc)}, status=403)
            return response
        except DubanError as exc:  # a refusal no form caught: its one sentence, never a 500
            from duban.web.views.errors import error_page

            return error_page(request, 400, str(exc))

    return wrapper


def today():
    return timezone.localdate()


def password_issued(request, *, title: str, username: str, password: str, back: str):
    """The one page that shows a new one-time password: not cached, not kept anywhere (not in a session
    message, which lives in the session or a cookie until shown)."""
    response = render(
        request,
        "duban/password_issued.html",
        {"title": title, "username": username, "password": password, "back": back},
    )
    response["Cache-Control"] = "no-store"
    return response
