from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from duban.web import models
from duban.web.security import mark_one_time


@admin.register(models.AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Readable, never writable: the audit log is append-only."""

    list_display = ("at", "username", "action", "object_type", "object_repr")
    list_filter = ("action", "object_type")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """A new token's key is shown once, in the message after saving; only its hash is kept."""

    list_display = ("prefix", "name", "user", "scope", "expires_at", "created_at")
    fields = ("user", "name", "scope", "expires_at")
    readonly_fields = ()

    def get_changeform_initial_data(self, request):
        from datetime import timedelta

        from django.utils import timezone

        return {"expires_at": timezone.now() + timedelta(days=models.ApiToken.DEFAULT_DAYS)}

    def save_model(self, request, obj, form, change):
        if not change:
            key = obj.set_new_key()
        super().save_model(request, obj, form, change)
        if not change:
            messages.warning(request, f"令牌 {key}（只显示这一次，请立即复制；系统只保存它的摘要）")


class DubanUserAdmin(UserAdmin):
    """A password the administrator sets is one-time: the user changes it at first login."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change and obj.has_usable_password():
            mark_one_time(obj)

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            mark_one_time(User.objects.get(pk=id))
        return response


admin.site.unregister(User)
admin.site.register(User, DubanUserAdmin)
for model in (models.Government, models.Unit, models.Membership):
    admin.site.register(model)
