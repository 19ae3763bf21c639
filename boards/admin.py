"""Administrators manage the boards' settings; posts are read and moderated
in Echo itself, where every action goes into the moderation log."""

from django.contrib import admin

from .models import Board, WatchedWord


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "approve_every_post"]
    list_filter = ["kind"]
    fields = ["kind", "group", "approve_every_post"]
    readonly_fields = ["kind", "group"]

    def has_add_permission(self, request):
        # Boards come with their groups; the community board and the staff room with Echo.
        return False


@admin.register(WatchedWord)
class WatchedWordAdmin(admin.ModelAdmin):
    list_display = ["word", "action", "created_at"]
    list_filter = ["action"]
    fields = ["word", "action"]
