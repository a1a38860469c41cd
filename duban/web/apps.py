from django.apps import AppConfig


class DubanWebConfig(AppConfig):
    name = "duban.web"
    label = "duban"
    verbose_name = "督办"
    default_auto_field = "django.db.models.BigAutoField"
