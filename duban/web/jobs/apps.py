from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "duban.web.jobs"
    label = "duban_jobs"
    verbose_name = "后台任务"
    default_auto_field = "django.db.models.BigAutoField"
