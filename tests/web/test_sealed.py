"""SMTP passwords are stored sealed: a copy of the database alone does not give them away."""

from __future__ import annotations

import socket

import pytest
from django.test import override_settings

from duban.web import sealed
from duban.web.models import Government
from duban.web.reminder_models import Channel
from duban.web.services.channels import SendFailed, send_email

pytestmark = pytest.mark.django_db


def test_a_sealed_value_opens_only_under_its_key_or_a_fallback():
    stored = sealed.seal("Pa55-word·密码")
    assert stored.startswith(sealed.PREFIX) and "Pa55" not in stored and "密码" not in stored
    assert sealed.unseal(stored) == "Pa55-word·密码"
    assert sealed.seal(stored) == stored  # never sealed twice
    assert sealed.seal("") == "" and sealed.unseal("") == ""
    assert sealed.unseal("plain from before") == "plain from before"
    with override_settings(SECRET_KEY="another-server-" + "x" * 40):
        with pytest.raises(sealed.Unsealable, match="重新填写"):
            sealed.unseal(stored)
    from django.conf import settings

    with override_settings(SECRET_KEY="rotated-" + "y" * 40, SECRET_KEY_FALLBACKS=[settings.SECRET_KEY]):
        assert sealed.unseal(stored) == "Pa55-word·密码"


def test_a_channel_stores_its_password_sealed_however_it_is_saved():
    gov = Government.objects.create(name="云溪市")
    channel = Channel.objects.create(government=gov, kind="email", name="邮件", username="duban", password="s3cret")
    raw = Channel.objects.filter(pk=channel.pk).values_list("password", flat=True).get()
    assert "s3cret" not in raw and raw.startswith(sealed.PREFIX)
    assert Channel.objects.get(pk=channel.pk).smtp_password() == "s3cret"
    channel.name = "政务邮件"
    channel.save()  # saving again keeps the same secret, not a seal of the seal
    assert Channel.objects.get(pk=channel.pk).smtp_password() == "s3cret"


def test_the_migration_seals_passwords_stored_in_plain_text():
    from importlib import import_module

    from django.apps import apps

    gov = Government.objects.create(name="云溪市")
    channel = Channel.objects.create(government=gov, kind="email", name="邮件", username="duban")
    Channel.objects.filter(pk=channel.pk).update(password="old-plain")  # as the older code stored it
    import_module("duban.web.migrations.0011_sealed_channel_passwords").seal_stored_passwords(apps, None)
    raw = Channel.objects.filter(pk=channel.pk).values_list("password", flat=True).get()
    assert raw.startswith(sealed.PREFIX) and sealed.unseal(raw) == "old-plain"


@pytest.fixture
def smtp_with_login():
    """A real SMTP server on localhost that accepts only duban / s3cret and keeps what it receives."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    logins, messages = [], []

    class Inbox:
        async def handle_DATA(self, server, session, envelope):
            messages.append(envelope.content)
            return "250 OK"

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=(auth_data.login, auth_data.password) == (b"duban", b"s3cret"))

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(
        Inbox(), hostname="127.0.0.1", port=port, authenticator=authenticator, auth_require_tls=False
    )
    controller.start()
    try:
        yield port, logins, messages
    finally:
        controller.stop()


def test_the_mail_server_receives_the_unsealed_password(smtp_with_login):
    port, logins, messages = smtp_with_login
    gov = Government.objects.create(name="云溪市")
    channel = Channel.objects.create(
        government=gov, kind="email", name="邮件", url="127.0.0.1", port=port, username="duban", password="s3cret"
    )
    send_email(Channel.objects.get(pk=channel.pk), "a@yunxi.gov.cn", "督办提醒", "请报送")
    assert logins == [(b"duban", b"s3cret")] and len(messages) == 1


def test_a_password_sealed_under_another_key_fails_with_a_sentence(smtp_with_login):
    port, logins, messages = smtp_with_login
    gov = Government.objects.create(name="云溪市")
    channel = Channel.objects.create(
        government=gov, kind="email", name="政务邮件", url="127.0.0.1", port=port, username="duban", password="s3cret"
    )
    with override_settings(SECRET_KEY="restored-elsewhere-" + "z" * 40):
        with pytest.raises(SendFailed, match="政务邮件：SMTP 密码是用另一个服务器密钥加密的.*重新填写"):
            send_email(Channel.objects.get(pk=channel.pk), "a@yunxi.gov.cn", "督办提醒", "请报送")
    assert logins == [] and messages == []
