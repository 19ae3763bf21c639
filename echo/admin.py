from django.contrib import admin

from .models import AuditEntry, HelpLine, OutgoingEmail


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "action", "actor_code", "target_code", "region"]
    list_filter = ["action", "region"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "state", "attempts", "due_at", "sent_at", "region"]
    list_filter = ["state", "kind", "region"]
    exclude = ["body_text", "body_html"]
    readonly_fields = ["to", "subject", "last_error"]


@admin.register(HelpLine)
class HelpLineAdmin(admin.ModelAdmin):
    list_display = ["name", "phone", "url", "language", "order", "active"]
    list_editable = ["order", "active"]
    list_filter = ["language", "active"]
