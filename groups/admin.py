from django.contrib import admin

from .models import Group, GroupMembership


class GroupMembershipInline(admin.TabularInline):
    model = GroupMembership
    fields = ["member", "role", "joined_at"]
    raw_id_fields = ["member"]
    extra = 0


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "format", "cadence", "max_size", "archived_at"]
    list_filter = ["region", "format", "archived_at"]
    search_fields = ["name"]
    inlines = [GroupMembershipInline]
