"""Sending one message through one channel: e-mail by Django's SMTP backend,
a JSON webhook (政务微信 / 钉钉 group robots), an SMS gateway over HTTP.

Each sender raises ``SendFailed`` with one sentence saying what went wrong;
the caller retries with back-off and shows the failure to the office.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request

# A robot that answers slower than this is treated as down; the message is retried later.
TIMEOUT_S = 10
# What a group robot gets when its channel names no template: the text message both 政务微信 and 钉钉 accept.
DEFAULT_WEBHOOK_TEMPLATE = '{"msgtype": "text", "text": {"content": "{text}"}}'
DEFAULT_SMS_TEMPLATE = '{"phone": "{phone}", "text": "{text}"}'
PLACEHOLDERS = ("text", "title", "count", "day", "phone")


class SendFailed(Exception):
    pass


def fill(template: str, values: dict) -> object:
    """The template's JSON with ``{text}`` etc. filled in every string, so a value can never break the JSON."""
    data = json.loads(template)

    def walk(node):
        if isinstance(node, str):
            for name in PLACEHOLDERS:
                node = node.replace("{" + name + "}", str(values.get(name, "")))
            return node
        if isinstance(node, list):
            return [walk(x) for x in node]
        if isinstance(node, dict):
            return {walk(k): walk(v) for k, v in node.items()}
        return node

    return walk(data)


def check_template(template: str) -> str | None:
    """One sentence when ``template`` is not a usable JSON message template, else None."""
    try:
        data = json.loads(template)
    except ValueError as exc:
        return f"消息模板不是有效的 JSON（第 {getattr(exc, 'lineno', '?')} 行：{getattr(exc, 'msg', exc)}）"
    if not isinstance(data, dict):
        return "消息模板应是一个 JSON 对象（{…}）"
    if "{text}" not in template:
        return "消息模板中应含有 {text}（提醒内容）"
    return None


def post_json(url: str, body: object) -> None:
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        url, data=data, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            answer = response.read(65536)
    except urllib.error.HTTPError as exc:
        raise SendFailed(f"{url} 回应 HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise SendFailed(f"无法连接 {url}：{getattr(exc, 'reason', exc)}") from exc
    # 钉钉 and 政务微信 robots answer 200 with {"errcode": 310000, "errmsg": "…"} when they refuse.
    try:
        parsed = json.loads(answer.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return
    if isinstance(parsed, dict) and parsed.get("errcode") not in (None, 0, "0"):
        raise SendFailed(f"{url} 拒收：{parsed.get('errcode')} {parsed.get('errmsg', '')}".strip())


def send_email(channel, to: str, subject: str, body: str) -> None:
    from django.conf import settings
    from django.core.mail import EmailMessage, get_connection

    options = {"timeout": TIMEOUT_S}
    if channel.url:
        options.update(host=channel.url, port=channel.port or 25, use_tls=channel.use_tls)
        if channel.username:
            from duban.web.sealed import Unsealable

            try:
                password = channel.smtp_password()
            except Unsealable as exc:
                raise SendFailed(f"{channel.name}：SMTP {exc}") from exc
            options.update(username=channel.username, password=password)
    connection = get_connection("django.core.mail.backends.smtp.EmailBackend", **options)
    sender = channel.sender or settings.DEFAULT_FROM_EMAIL
    try:
        EmailMessage(subject, body, sender, [to], connection=connection).send()
    except Exception as exc:  # smtplib, socket and ssl errors alike: one sentence, retried later
        raise SendFailed(f"邮件发送失败（{type(exc).__name__}: {exc}）") from exc


def send_webhook(channel, values: dict) -> None:
    post_json(channel.url, fill(channel.template or DEFAULT_WEBHOOK_TEMPLATE, values))


def send_sms(channel, phone: str, values: dict) -> None:
    post_json(channel.url, fill(channel.template or DEFAULT_SMS_TEMPLATE, {**values, "phone": phone}))
