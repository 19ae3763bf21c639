"""Daily figures: counts only, never a person."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from echo.models import Region
from groups.models import Group


class Snapshot(models.Model):
    """The figures of one day (Europe/Brussels) for a region (`group` empty)
    or for one group of it.

    Once written, a row is the truth: it is not recomputed, because an
    erasure would otherwise rewrite the past (see `growth.snapshots`).
    """

    day = models.DateField()
    region = models.CharField(max_length=20, choices=Region)
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.CASCADE, related_name="snapshots"
    )
    # At the end of the day: members whose status is active (a group row:
    # active members in the group).
    active_members = models.PositiveIntegerField(default=0)
    # Region rows only: what happened to applications that day.
    applications = models.PositiveIntegerField(default=0)
    declined = models.PositiveIntegerField(default=0)
    withdrawn = models.PositiveIntegerField(default=0)
    # A region row: applications approved that day; a group row: joined the group.
    new_members = models.PositiveIntegerField(default=0)
    # Region rows only: left Echo or erased their account while a member.
    leavers = models.PositiveIntegerField(default=0)
    # Meetings that took place that day, and their attendance.
    meetings_held = models.PositiveIntegerField(default=0)
    attendance_present = models.PositiveIntegerField(default=0)
    attendance_recorded = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    # The counts of a row, in the order they are shown.
    FIGURES = [
        "active_members",
        "applications",
        "new_members",
        "declined",
        "withdrawn",
        "leavers",
        "meetings_held",
        "attendance_present",
        "attendance_recorded",
    ]

    class Meta:
        ordering = ["day", "region", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "region"],
                condition=Q(group__isnull=True),
                name="one_region_snapshot_per_day",
            ),
            models.UniqueConstraint(
                fields=["day", "group"],
                condition=Q(group__isnull=False),
                name="one_group_snapshot_per_day",
            ),
        ]
        verbose_name = _("daily figures")
        verbose_name_plural = _("daily figures")

    def __str__(self):
        return f"{self.day} {self.region} {self.group_id or ''}".strip()
