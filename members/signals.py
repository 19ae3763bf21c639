"""What a member's pause, departure or erasure means for the apps above this
one (groups, meetings, boards). Each connects one function per moment in its
AppConfig.ready(); `members.services` sends these in the member's own
transaction, so a failure anywhere undoes the whole change."""

from django.dispatch import Signal

# member: answers "going" are withdrawn, seats go to the waiting list.
member_paused = Signal()
# member: they leave their groups and meetings.
member_left = Signal()
# user, member (or None), delete_posts: everything that hangs off the account
# goes before the account itself is deleted.
account_erasing = Signal()
# user, member (or None): returns {section: data} for the person's export.
personal_data_requested = Signal()
