"""Accounts: logins in the audit log, one-time passwords changed at first login.

A password somebody else set — the administrator's from ``duban serve --init``, a unit account's
from the office, any set in /admin/ — is one-time (``OneTimePassword``): after logging in with it
the user can reach nothing but the password page until they have chosen their own.  The demo
accounts of ``duban serve --demo`` are not one-time: their shared password is printed for anyone
trying duban, and ``duban check`` warns while a demo government exists.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import signals
from django.contrib.auth import views as auth_views
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import redirect

from duban.web.models import AuditEvent, Membership, OneTimePassword

SESSION_FLAG = "duban_one_time_password"
# Where a user holding a one-time password may still go.
OPEN_PATHS = ("/password/", "/logout/", "/static/", "/healthz", "/login/")


def mark_one_time(user) -> None:
    """The user's current password was given to them: they must change it at their next login."""
    OneTimePassword.objects.update_or_create(user=user)


def _government_of(user):
    membership = Membership.objects.filter(user=user).select_related("government").first() if user else None
    return membership.government if membership else None


def _audit(action: str, username: str, user=None, after: dict | None = None) -> None:
    AuditEvent.objects.create(
        user=user,
        username=username[:150],
        government=_government_of(user),
        action=action,
        object_type="User",
        object_id=str(user.pk) if user else "",
        object_repr=username[:300],
        after=after,
    )


def _address(request) -> str:
    return getattr(request, "axes_ip_address", None) or (request.META.get("REMOTE_ADDR", "") if request else "")


@receiver(signals.user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    _audit("登录", user.username, user, {"address": _address(request)})
    if request is not None and hasattr(request, "session"):
        if OneTimePassword.objects.filter(user=user).exists():
            request.session[SESSION_FLAG] = True
        else:
            request.session.pop(SESSION_FLAG, None)


@receiver(signals.user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    from django.contrib.auth.models import User

    username = str(credentials.get("username", ""))
    user = User.objects.filter(username=username).first()
    _audit("登录失败", username, user, {"address": _address(request)})


@receiver(signals.user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        _audit("退出", user.username, user)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, which also ends a one-time password."""

    template_name = "duban/password.html"
    success_url = "/"

    def form_valid(self, form):
        response = super().form_valid(form)
        OneTimePassword.objects.filter(user=self.request.user).delete()
        self.request.session.pop(SESSION_FLAG, None)
        _audit("修改密码", self.request.user.username, self.request.user)
        messages.success(self.request, "密码已修改")
        return response


class OneTimePasswordMiddleware:
    """Holds a user logged in with a one-time password on the password page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.get(SESSION_FLAG) and not request.path.startswith(OPEN_PATHS):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"error": "请先修改初始密码"}, status=403, json_dumps_params={"ensure_ascii": False}
                )
            messages.warning(request, "这是初始密码或一次性密码：请先设置您自己的密码")
            return redirect("password_change")
        return self.get_response(request)
