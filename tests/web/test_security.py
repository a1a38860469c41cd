"""Hardening (issue 12): lockout, one-time passwords, token scope and expiry, CSP on every page, audit of logins."""

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

import duban.web
from duban.web.models import ApiToken, AuditEvent, OneTimePassword

TEMPLATES = Path(duban.web.__file__).parent / "templates"


def _login(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(world):
    client = Client()
    for _ in range(4):
        assert _login(client, "a_staff", "wrong").status_code == 200
    assert _login(client, "a_staff", "wrong").status_code == 429  # the fifth failure locks
    locked = _login(client, "a_staff", "pw")
    assert locked.status_code == 429
    assert "已暂时锁定" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another account from the same address is not locked out with it.
    assert _login(Client(), "b_staff", "pw").status_code == 302


def test_fewer_failures_then_success_clears_the_count(world):
    client = Client()
    for _ in range(4):
        _login(client, "a_staff", "wrong")
    assert _login(client, "a_staff", "pw").status_code == 302
    other = Client()
    for _ in range(4):
        _login(other, "a_staff", "wrong")
    assert _login(other, "a_staff", "pw").status_code == 302  # the count started again at the success


def test_logins_and_failures_are_in_the_audit_log(world):
    client = Client()
    _login(client, "a_staff", "wrong")
    _login(client, "nobody", "x")
    _login(client, "a_staff", "pw")
    events = list(AuditEvent.objects.filter(object_type="User").order_by("id").values_list("action", "username"))
    assert events == [("登录失败", "a_staff"), ("登录失败", "nobody"), ("登录", "a_staff")]
    failed = AuditEvent.objects.filter(action="登录失败", username="a_staff").get()
    assert failed.government == world.gov and failed.after == {"address": "127.0.0.1"}


def test_one_time_password_must_be_changed_before_anything_else(world):
    user = world.users["a_staff"]
    OneTimePassword.objects.create(user=user)
    client = Client()
    assert _login(client, "a_staff", "pw").url == "/"
    for page in ("/", "/workspace/", f"/tasks/{world.tasks['1'].pk}/"):
        response = client.get(page)
        assert (response.status_code, response.url) == (302, "/password/")
    assert client.get("/api/plans").status_code == 403
    # The validators refuse a weak new password and the account stays held.
    weak = client.post("/password/", {"old_password": "pw", "new_password1": "12345678", "new_password2": "12345678"})
    assert weak.status_code == 200
    assert "常见" in weak.content.decode() or "全部为数字" in weak.content.decode()
    assert client.get("/workspace/").status_code == 302
    good = "商务局台账2026"
    assert client.post("/password/", {"old_password": "pw", "new_password1": good, "new_password2": good}).url == "/"
    assert client.get("/workspace/").status_code == 200
    assert not OneTimePassword.objects.filter(user=user).exists()
    # And at the next login too.
    again = Client()
    _login(again, "a_staff", good)
    assert again.get("/workspace/").status_code == 200


def test_password_validators_refuse_short_common_and_numeric(world):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("1", "abc12", "password", "12345678901", "a_staff123"):
        with pytest.raises(ValidationError):
            validate_password(weak, world.users["a_staff"])
    validate_password("督查局台账核对2026", world.users["a_staff"])


def test_office_made_accounts_and_admin_set_passwords_are_one_time(world, client):
    from django.contrib.auth.models import User

    from duban.web.models import Membership

    client.force_login(world.users["office"])
    client.post(
        "/units/", {"action": "account", "unit": world.units["教育局"].pk, "username": "jy1", "role": "unit_staff"}
    )
    assert OneTimePassword.objects.filter(user__username="jy1").exists()
    admin = User.objects.create_superuser("root", password="pw-root-2026")
    Membership.objects.create(user=admin, government=world.gov, role=Membership.ADMIN)
    client.force_login(admin)
    target = world.users["b_staff"]
    response = client.post(
        f"/admin/auth/user/{target.pk}/password/", {"password1": "临时密码abc987", "password2": "临时密码abc987"}
    )
    assert response.status_code == 302
    assert OneTimePassword.objects.filter(user=target).exists()


def test_tokens_are_stored_hashed_and_scoped(world, client):
    read = ApiToken.issue(world.users["a_staff"], scope=ApiToken.READ)
    push = ApiToken.issue(world.users["a_staff"], scope=ApiToken.PUSH)
    stored = ApiToken.objects.get(pk=read.pk)
    assert read.key not in json.dumps([stored.key_hash, stored.prefix, stored.name])
    assert len(stored.key_hash) == 64 and read.key.startswith(stored.prefix)
    body = json.dumps({"task": world.tasks["1"].pk, "round": world.rounds[0].pk, "done_text": "推进中"})

    def push_with(token):
        return client.post(
            "/api/reports", body, content_type="application/json", HTTP_AUTHORIZATION=f"Token {token.key}"
        )

    refused = push_with(read)
    assert refused.status_code == 403 and "只读" in refused.json()["error"]
    assert client.get("/api/plans", HTTP_AUTHORIZATION=f"Token {read.key}").status_code == 200
    assert push_with(push).status_code == 201
    assert client.get("/api/plans", HTTP_AUTHORIZATION=f"Token {stored.key_hash}").status_code == 401


def test_expired_token_is_refused(world, client):
    token = ApiToken.issue(world.users["a_staff"], days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get("/api/plans", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 401 and "过期" in response.json()["error"]


def test_token_command_shows_the_key_once(world, capsys):
    from duban.cli import main

    assert main(["token", "a_staff", "--scope", "push", "--days", "30", "--name", "OA系统"]) == 0
    key = re.search(r"令牌：(\S+)", capsys.readouterr().out).group(1)
    token = ApiToken.find(key)
    assert (token.user, token.scope, token.name) == (world.users["a_staff"], "push", "OA系统")
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    assert main(["token", "nobody"]) == 1
    assert "没有账号" in capsys.readouterr().err


def _pages(world):
    """Every URL the application routes, its ids filled from the world (unknown ids give the 404 page)."""
    ids = {
        "plan_id": world.plan.pk,
        "task_id": world.tasks["1"].pk,
        "round_id": world.rounds[0].pk,
        "report_id": world.reports["a1"].pk,
        "unit_id": world.units["商务局"].pk,
    }
    urls = []

    def walk(patterns, prefix):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                route = prefix + str(p.pattern)
                if route.startswith("admin/") and route.count("<") > 0:
                    continue  # the admin's object pages: a handful of those below stand for them
                url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(ids.get(m.group(1), 99999)), route)
                if not re.search(r"[\^\$\(\\]", url):
                    urls.append("/" + url)

    walk(get_resolver().url_patterns, "")
    return sorted(set(urls)) + ["/admin/auth/user/", "/admin/duban/apitoken/add/", "/no-such-page/"]


CSP = re.compile(r"script-src 'self'(;|$)")


@pytest.mark.parametrize("who", [None, "office", "a_staff", "leader"])
def test_every_page_sends_the_content_security_policy(world, who):
    from django.contrib.auth.models import User

    client = Client(raise_request_exception=False)
    if who == "office":
        user = world.users["office"]
        User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
        user.refresh_from_db()
        client.force_login(user)
    elif who:
        client.force_login(world.users[who])
    pages = _pages(world)
    assert len(pages) > 40
    missing = []
    for url in pages:
        response = client.get(url)
        policy = response.headers.get("Content-Security-Policy", "")
        if not CSP.search(policy) or "unsafe-inline" in policy or "default-src 'self'" not in policy:
            missing.append((url, response.status_code, policy))
    assert missing == []


INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\son[a-z]+\s*=|\sstyle\s*=|javascript:|hx-on", re.I)


def test_no_template_has_inline_script_or_style():
    offenders = [
        f"{p.relative_to(TEMPLATES)}: {m.group(0)}"
        for p in TEMPLATES.rglob("*.html")
        for m in INLINE.finditer(p.read_text())
    ]
    assert offenders == []
    # The rule bites on each kind.
    for bad in ("<script>x()</script>", '<a onclick="x()">', '<span style="width:3%">', "<style>a{}</style>"):
        assert INLINE.search(bad), bad
    assert not INLINE.search('<script src="/static/duban/duban.js" defer></script>')


def test_healthz(db, client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response.headers["Cache-Control"]


def _broken(request):
    raise RuntimeError("故意的错误：查看日志")


urlpatterns = [__import__("django.urls").urls.path("broken/", _broken)]


def test_a_server_error_leaves_its_traceback_in_the_log(db, settings):
    settings.ROOT_URLCONF = __name__
    log = Path(settings.LOG_DIR) / "duban.log"
    before = log.read_text(encoding="utf-8") if log.exists() else ""
    response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500
    written = log.read_text(encoding="utf-8")[len(before) :]
    assert "Traceback (most recent call last)" in written
    assert "RuntimeError: 故意的错误：查看日志" in written


def test_admin_shows_a_new_token_once_and_keeps_its_hash(world):
    from django.contrib.auth.models import User

    admin = User.objects.create_superuser("root2", password="pw-root-2026")
    client = Client()
    client.force_login(admin)
    page = client.post(
        "/admin/duban/apitoken/add/",
        {
            "user": world.users["b_staff"].pk,
            "name": "财政系统",
            "scope": "push",
            "expires_at_0": "2027-06-30",
            "expires_at_1": "00:00:00",
        },
        follow=True,
    ).content.decode()
    key = re.search(r"令牌 ([0-9a-f]{40})（只显示这一次", page).group(1)
    token = ApiToken.find(key)
    assert (token.user, token.scope, token.name) == (world.users["b_staff"], "push", "财政系统")
    listing = client.get("/admin/duban/apitoken/").content.decode()
    assert key not in listing and key[:8] in listing
