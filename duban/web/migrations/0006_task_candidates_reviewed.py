from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("duban", "0005_round_integrity_and_bulletins")]

    operations = [
        migrations.AddField(
            model_name="task",
            name="candidates",
            field=models.JSONField(blank=True, default=list, verbose_name="推荐候选"),
        ),
        migrations.AddField(
            model_name="task",
            name="reviewed",
            field=models.BooleanField(default=False, verbose_name="已核对"),
        ),
    ]
