from django.apps import AppConfig


class DubanWebConfig(AppConfig):
    name = "duban.web"
    label = "duban"
    verbose_name = "督办"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Login auditing (signal receivers) and duban's own deployment checks (``duban check``).
        from duban.web import checks, security  # noqa: F401
