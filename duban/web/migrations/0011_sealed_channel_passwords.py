from django.db import migrations, models


def seal_stored_passwords(apps, schema_editor):
    """Passwords stored in plain text before sealing existed are sealed in place."""
    from duban.web.sealed import seal

    Channel = apps.get_model("duban", "Channel")
    for channel in Channel.objects.exclude(password=""):
        sealed = seal(channel.password)
        if sealed != channel.password:
            Channel.objects.filter(pk=channel.pk).update(password=sealed)


class Migration(migrations.Migration):
    dependencies = [
        ("duban", "0010_government_tree_and_plan_kinds"),
    ]

    operations = [
        migrations.AlterField(
            model_name="channel",
            name="password",
            field=models.CharField(blank=True, max_length=500, verbose_name="SMTP 密码"),
        ),
        # Reversing leaves them sealed: the older code would then fail to log in, never leak them.
        migrations.RunPython(seal_stored_passwords, migrations.RunPython.noop),
    ]
