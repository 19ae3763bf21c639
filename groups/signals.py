"""What a group's change means for the apps above it (meetings, boards): they
connect one function each in their AppConfig.ready(); it runs in the same
transaction, so a failure undoes the whole change."""

from django.dispatch import Signal

# group, actor: the group no longer meets.
group_archived = Signal()
# group, member: the member is no longer in the group.
member_left_group = Signal()
