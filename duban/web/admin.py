from django.contrib import admin

from duban.web import models


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


for model in (models.Government, models.Unit, models.Membership, models.ApiToken):
    admin.site.register(model)
