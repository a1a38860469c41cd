"""API tokens keep only their key's SHA-256, with a scope and an expiry; one-time passwords are marked."""

import hashlib
from datetime import timedelta

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def hash_existing_keys(apps, schema_editor):
    # Tokens issued before this change keep working, read-only, for the default year.
    ApiToken = apps.get_model("duban", "ApiToken")
    for token in ApiToken.objects.all():
        token.key_hash = hashlib.sha256(token.key.encode()).hexdigest()
        token.prefix = token.key[:8]
        token.expires_at = django.utils.timezone.now() + timedelta(days=365)
        token.save(update_fields=["key_hash", "prefix", "expires_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("duban", "0008_reminders"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="key_hash",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="prefix",
            field=models.CharField(editable=False, max_length=8, default="", verbose_name="令牌开头"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="apitoken",
            name="scope",
            field=models.CharField(
                choices=[("read", "只读"), ("push", "报送进展")], default="read", max_length=8, verbose_name="权限"
            ),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="有效期至"),
        ),
        migrations.RunPython(hash_existing_keys, migrations.RunPython.noop),
        migrations.RemoveField(model_name="apitoken", name="key"),
        migrations.AlterField(
            model_name="apitoken",
            name="key_hash",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="有效期至"),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="name",
            field=models.CharField(blank=True, max_length=100, verbose_name="用途"),
        ),
        migrations.AlterModelOptions(
            name="apitoken", options={"verbose_name": "API 令牌", "verbose_name_plural": "API 令牌"}
        ),
        migrations.CreateModel(
            name="OneTimePassword",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("set_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="one_time_password",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        ),
    ]
