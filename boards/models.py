from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from echo.fields import EncryptedTextField
from echo.models import random_code
from groups import roles as group_roles
from groups.models import Group
from members import roles
from members.models import Member

User = settings.AUTH_USER_MODEL


class BoardQuerySet(models.QuerySet):
    def readable_by(self, user):
        """The boards a person belongs to; the test is inside the query so
        that a board one does not belong to is never even listed. Members
        read their groups' boards and the community board; facilitators also
        the staff room; coordinators their region's boards, the community
        board and the staff room."""
        allowed = Q(pk__in=[])
        if roles.active_member(user) is not None:
            allowed |= Q(kind=Board.Kind.COMMUNITY) | Q(
                kind=Board.Kind.GROUP, group__in=group_roles.groups_of(user)
            )
        if group_roles.is_facilitator(user):
            allowed |= Q(kind=Board.Kind.STAFF)
        if region := roles.coordinated_region(user):
            allowed |= Q(kind__in=[Board.Kind.COMMUNITY, Board.Kind.STAFF]) | Q(
                kind=Board.Kind.GROUP, group__region=region
            )
        return self.filter(allowed)

    def moderated_by(self, user):
        """Facilitators moderate the boards of the groups they lead; coordinators
        those of their region's groups, the community board and the staff room."""
        allowed = Q(kind=Board.Kind.GROUP, group__in=group_roles.groups_led_by(user))
        if region := roles.coordinated_region(user):
            allowed |= Q(kind__in=[Board.Kind.COMMUNITY, Board.Kind.STAFF]) | Q(
                kind=Board.Kind.GROUP, group__region=region
            )
        return self.filter(allowed)


class Board(models.Model):
    """A group's board, the community board of all members, or the staff room
    of facilitators and coordinators."""

    class Kind(models.TextChoices):
        GROUP = "group", _("group board")
        COMMUNITY = "community", _("community board")
        STAFF = "staff", _("facilitators and coordinators")

    code = models.CharField(max_length=32, unique=True, default=random_code, editable=False)
    kind = models.CharField(max_length=10, choices=Kind)
    group = models.OneToOneField(
        Group, null=True, blank=True, on_delete=models.CASCADE, related_name="board"
    )
    approve_every_post = models.BooleanField(
        _("every post waits for approval"),
        default=False,
        help_text=_("Off: only the first posts of new members and posts that need a look."),
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = BoardQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"],
                condition=~Q(kind="group"),
                name="one_community_board_and_one_staff_room",
            ),
            models.CheckConstraint(
                condition=Q(kind="group", group__isnull=False) | ~Q(kind="group"),
                name="group_board_has_group",
            ),
        ]

    def __str__(self):
        return str(self.name)

    def readers(self):
        """The accounts that read this board, to ask about many people in one
        query: the mirror of `BoardQuerySet.readable_by` (the boards of one
        person), built from the same roles; a test checks that they agree
        for every role."""
        coordinators = roles.coordinators()
        if self.kind == self.Kind.COMMUNITY:
            allowed = Q(member__in=Member.objects.active()) | Q(pk__in=coordinators)
        elif self.kind == self.Kind.STAFF:
            facilitators = group_roles.facilitating_memberships().values("member")
            allowed = Q(member__in=facilitators) | Q(pk__in=coordinators)
        else:
            allowed = Q(pk__in=roles.coordinators_of(self.group.region))
            if not self.group.is_archived:
                allowed |= Q(member__in=group_roles.members_of(self.group))
        return get_user_model().objects.filter(allowed)

    @property
    def name(self):
        if self.kind == self.Kind.GROUP:
            return self.group.name
        if self.kind == self.Kind.COMMUNITY:
            return _("Community board")
        return _("Facilitators and coordinators")


class Thread(models.Model):
    code = models.CharField(max_length=32, unique=True, default=random_code, editable=False)
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="threads")
    title = models.CharField(_("title"), max_length=120)
    author = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # Set when the opening post is published; until then only its author and
    # the moderators see the thread.
    published = models.BooleanField(default=False)
    # Moves only when a post is published, so that waiting posts mark nothing unread.
    last_activity_at = models.DateTimeField(default=timezone.now)
    post_count = models.PositiveIntegerField(default=0)
    pinned = models.BooleanField(default=False)
    locked = models.BooleanField(default=False)

    class Meta:
        indexes = [
            # The thread list and its keyset: pinned first, then by last activity.
            models.Index(
                fields=["board", "-pinned", "-last_activity_at", "-id"], name="thread_list"
            ),
        ]

    def __str__(self):
        return self.title


class Post(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        PUBLISHED = "published", _("published")
        REJECTED = "rejected", _("not approved")
        HIDDEN = "hidden", _("hidden by a moderator")
        DELETED = "deleted", _("deleted by its author")

    class Hold(models.TextChoices):
        FIRST_POSTS = "first_posts", _("the first posts of a new member are read first")
        EVERY_POST = "every_post", _("every post on this board is read first")
        CONTACT_DETAILS = (
            "contact_details",
            _(
                "it contains contact details (a phone number, an email address or a link), "
                "which could identify someone"
            ),
        )
        WATCHED_WORD = "watched_word", _("it contains a word that a moderator reads first")
        REPORTS = "reports", _("several members reported it")

    code = models.CharField(max_length=32, unique=True, default=random_code, editable=False)
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(_("message"))
    # Rendered and sanitised once, when saved (see boards.markdown).
    body_html = models.TextField(editable=False)
    content_warning = models.CharField(
        _("content warning"),
        max_length=100,
        blank=True,
        help_text=_("Optional. The post is folded away until the reader opens it."),
    )
    quote = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(max_length=10, choices=State, default=State.PENDING)
    hold_reasons = models.JSONField(default=list, blank=True)
    # What the author sees when a moderator rejects the post. Moderation
    # reasons are written about a person: encrypted at rest.
    reject_reason = EncryptedTextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    # Why a moderator last changed the post: its author reads it under the post.
    moderator_edit_reason = EncryptedTextField(blank=True)
    # Set while the post waits in the review queue: held, reported or flagged.
    review_since = models.DateTimeField(null=True, blank=True)
    # Set while a safety concern on the post is not handled: top of the queue.
    safety_concern_since = models.DateTimeField(null=True, blank=True)
    # Title and text in one column, for the full-text index (see migrations).
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["thread", "created_at"]),
            models.Index(fields=["review_since"], name="post_review_queue"),
            models.Index(fields=["author", "state"]),
        ]

    def __str__(self):
        return self.code

    @property
    def is_published(self):
        return self.state == self.State.PUBLISHED

    @property
    def is_pending(self):
        return self.state == self.State.PENDING

    @property
    def is_removed(self):
        return self.state in (self.State.HIDDEN, self.State.DELETED, self.State.REJECTED)

    @property
    def is_opening(self):
        return self.thread.posts.order_by("created_at", "pk").values("pk").first() == {
            "pk": self.pk
        }

    def hold_reason_labels(self):
        return [self.Hold(reason).label for reason in self.hold_reasons if reason in self.Hold]


class PostRevision(models.Model):
    """The text a post had before an edit; moderators can read the history."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    content_warning = models.CharField(max_length=100, blank=True)
    edited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = EncryptedTextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.post} {self.created_at:%Y-%m-%d %H:%M}"


class Report(models.Model):
    class Reason(models.TextChoices):
        HURTFUL = "hurtful", _("it is hurtful")
        IDENTIFYING = "identifying", _("it contains information that could identify someone")
        SPAM = "spam", _("it is spam")
        NO_WARNING = "no_warning", _("it needs a content warning")
        SAFETY = "safety", _("I am worried about someone's safety")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(_("why"), max_length=12, choices=Reason)
    # Free text to moderators is encrypted at rest.
    note = EncryptedTextField(_("a note for the moderators (optional)"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["post", "reporter"], name="one_report_per_person"),
        ]

    def __str__(self):
        return f"{self.post} ({self.reason})"


class WatchedWord(models.Model):
    class Action(models.TextChoices):
        BLOCK = "block", _("refuse the post")
        HOLD = "hold", _("hold for approval")
        SAFETY = "safety", _("flag as a safety concern")

    code = models.CharField(max_length=32, unique=True, default=random_code, editable=False)
    word = models.CharField(_("word or phrase"), max_length=60)
    action = models.CharField(_("action"), max_length=6, choices=Action)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["word"]
        constraints = [
            models.UniqueConstraint(models.functions.Lower("word"), name="unique_watched_word"),
        ]

    def __str__(self):
        return self.word


class Mute(models.Model):
    """A member may not post in one board until a moment."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="mutes")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    until = models.DateTimeField()
    reason = EncryptedTextField(blank=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.board} until {self.until:%Y-%m-%d}"


class ModerationAction(models.Model):
    """The moderation log: one row per action, never changed."""

    class Action(models.TextChoices):
        APPROVED = "approved", _("approved a post")
        REJECTED = "rejected", _("rejected a post")
        HIDDEN = "hidden", _("hid a post")
        RESTORED = "restored", _("restored a post")
        EDITED = "edited", _("edited a post")
        HIDDEN_BY_REPORTS = "auto_hidden", _("post hidden after several reports")
        FLAGGED = "flagged", _("safety concern raised")
        LOCKED = "locked", _("locked a thread")
        UNLOCKED = "unlocked", _("unlocked a thread")
        PINNED = "pinned", _("pinned a thread")
        UNPINNED = "unpinned", _("unpinned a thread")
        MOVED = "moved", _("moved a thread")
        MUTED = "muted", _("muted a member in the board")
        SUSPENDED = "suspended", _("suspended a member from the boards")
        SETTINGS = "settings", _("changed the board's settings")

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="log")
    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Null for what Echo did by itself (reports, watched words).
    actor = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    # The person a mute or suspension concerned; null once they are erased.
    subject = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=12, choices=Action)
    reason = EncryptedTextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["board", "-at"])]

    def __str__(self):
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"


class ReadMark(models.Model):
    """Up to when a person has read: drives the unread markers."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField()

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.read_at:%Y-%m-%d %H:%M}"


class ThreadRead(ReadMark):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reads")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="one_read_mark_per_thread"),
        ]


class BoardRead(ReadMark):
    """ "Mark all as read": everything in the board before this moment is read."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="reads")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["board", "user"], name="one_read_mark_per_board"),
        ]


class Follow(models.Model):
    """Replies in a followed thread are emailed (at once or in the digest)."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="one_follow_per_thread"),
        ]

    def __str__(self):
        return str(self.thread)


class Preferences(models.Model):
    """A person's choices for the boards."""

    class Emails(models.TextChoices):
        EACH_REPLY = "each", _("an email for each reply in a conversation I follow")
        DIGEST = "digest", _("one email a day at most, when there is something new")
        NONE = "none", _("no emails")

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="board_preferences")
    fold_warnings = models.BooleanField(
        _("always fold posts with a content warning"),
        default=False,
        help_text=_(
            "Off: a post with a warning is folded until you have read it once, "
            "then shown open below its warning."
        ),
    )
    emails = models.CharField(_("emails"), max_length=6, choices=Emails, default=Emails.EACH_REPLY)
    digest_sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.emails

    @classmethod
    def of(cls, user):
        return cls.objects.filter(user=user).first() or cls(user=user)


class Draft(models.Model):
    """What a person is writing on a board and has not sent yet: a new
    conversation (`board`), a reply (`thread`) or a change to their own post
    (`post`), exactly one of them. Kept so that a long message survives a
    closed tab; deleted once it is sent. Nobody else ever sees a draft, not a
    moderator nor an administrator (it is not in the admin), and it is
    encrypted at rest, title included."""

    author = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    board = models.ForeignKey(Board, null=True, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, null=True, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, null=True, on_delete=models.CASCADE, related_name="+")
    title = EncryptedTextField(blank=True)
    body = EncryptedTextField(blank=True)
    content_warning = EncryptedTextField(blank=True)
    # The code of the quoted post, for a reply.
    quote = models.CharField(max_length=32, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(board__isnull=False, thread__isnull=True, post__isnull=True)
                | Q(board__isnull=True, thread__isnull=False, post__isnull=True)
                | Q(board__isnull=True, thread__isnull=True, post__isnull=False),
                name="draft_is_for_one_thing",
            ),
            models.UniqueConstraint(fields=["author", "board"], name="one_draft_per_board"),
            models.UniqueConstraint(fields=["author", "thread"], name="one_draft_per_thread"),
            models.UniqueConstraint(fields=["author", "post"], name="one_draft_per_post"),
        ]

    def __str__(self):
        return f"draft {self.pk}"
