"""Forms of the moderators' pages. Choices that name boards or members are
built from the moderator's own boards, so a form never reaches beyond them."""

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from groups import roles as group_roles
from members.models import Member, Suspension

from . import services
from .models import Board, Post, WatchedWord


def _reason_field(label, *, required=False, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=2000,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecideForm(forms.Form):
    """One decision on a post. Each action has its own form on the review
    page (with its own `auto_id`), all posting `action` and `reason`."""

    APPROVE, REJECT, HIDE, RESTORE = "approve", "reject", "hide", "restore"

    action = forms.ChoiceField(
        choices=[(APPROVE, APPROVE), (REJECT, REJECT), (HIDE, HIDE), (RESTORE, RESTORE)],
        widget=forms.HiddenInput,
    )
    reason = _reason_field(_("Why"))

    LABELS = {
        REJECT: (
            _("Why it is not approved"),
            _("Required. The author reads this; write it kindly and say what could change."),
        ),
        HIDE: (_("Why it is hidden (optional)"), _("For the moderation log.")),
        RESTORE: (_("Why it is restored (optional)"), _("For the moderation log.")),
    }

    def __init__(self, *args, action=None, **kwargs):
        if action:
            kwargs.setdefault("initial", {})["action"] = action
            kwargs.setdefault("auto_id", f"{action}_%s")
        super().__init__(*args, **kwargs)
        if action in self.LABELS:
            self.fields["reason"].label, self.fields["reason"].help_text = self.LABELS[action]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == self.REJECT and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Tell the author why: they will read it."))
        return cleaned


class ModeratorEditForm(forms.Form):
    body = forms.CharField(
        label=Post._meta.get_field("body").verbose_name,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    content_warning = forms.CharField(
        label=Post._meta.get_field("content_warning").verbose_name,
        max_length=100,
        required=False,
        help_text=Post._meta.get_field("content_warning").help_text,
    )
    reason = _reason_field(
        _("Why you change it"),
        required=True,
        help_text=_("Required. The author sees it; other moderators read it in the log."),
    )


class ThreadActionForm(forms.Form):
    LOCK, UNLOCK, PIN, UNPIN = "lock", "unlock", "pin", "unpin"
    action = forms.ChoiceField(choices=[(a, a) for a in (LOCK, UNLOCK, PIN, UNPIN)])


class _BoardField(forms.ModelChoiceField):
    """A board chosen by name; the form sends its random code."""

    def __init__(self, queryset, **kwargs):
        super().__init__(queryset, to_field_name="code", **kwargs)

    def label_from_instance(self, obj):
        return str(obj.name)


class MoveThreadForm(forms.Form):
    board = _BoardField(Board.objects.none(), label=_("Move to"), empty_label=_("Choose a board"))
    reason = _reason_field(_("Why (optional)"), help_text=_("For the moderation log."))

    def __init__(self, moderator, thread, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board"].queryset = (
            Board.objects.moderated_by(moderator)
            .exclude(pk=thread.board_id)
            .select_related("group")
        )


class BoardSettingsForm(forms.Form):
    approve_every_post = forms.BooleanField(
        label=Board._meta.get_field("approve_every_post").verbose_name,
        help_text=Board._meta.get_field("approve_every_post").help_text,
        required=False,
    )


MUTE_LABELS = {1: _("1 day"), 3: _("3 days"), 7: _("a week"), 30: _("a month")}


class _MemberField(forms.ModelChoiceField):
    """A member chosen by pseudonym; the form sends the random code, never an id."""

    def __init__(self, queryset, **kwargs):
        super().__init__(queryset, to_field_name="code", **kwargs)

    def label_from_instance(self, obj):
        return obj.pseudonym


def members_of_board(board, moderator):
    """Who may be muted in `board`: members who posted on it or belong to its
    group, without its facilitators and without the moderator. Built inside
    the query, so a code from elsewhere is simply not a valid choice."""
    posted = Post.objects.filter(thread__board=board, author=OuterRef("user"))
    belongs = Q(Exists(posted))
    if board.kind == Board.Kind.GROUP:
        belongs |= Q(memberships__group=board.group_id)
    members = Member.objects.filter(belongs).exclude(user=moderator)
    if board.kind == Board.Kind.GROUP:
        members = members.exclude(pk__in=group_roles.facilitators_of(board.group).values("pk"))
    return members.distinct().order_by("pseudonym")


class MuteForm(forms.Form):
    member = _MemberField(
        Member.objects.none(),
        label=_("Member"),
        empty_label=_("Choose a member"),
        help_text=_("People who wrote on this board or belong to its group."),
    )
    days = forms.TypedChoiceField(
        label=_("For how long"),
        coerce=int,
        choices=[(days, MUTE_LABELS.get(days, days)) for days in services.MUTE_DAYS],
    )
    reason = _reason_field(_("Why (optional)"), help_text=_("For the moderation log."))

    def __init__(self, board, moderator, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members_of_board(board, moderator)


class SuspendForm(forms.Form):
    length = forms.ChoiceField(
        label=_("For how long"), choices=Suspension.Length.choices, widget=forms.RadioSelect
    )
    reason = _reason_field(
        _("Why"),
        required=True,
        help_text=_("Required. The member and the other moderators read it."),
    )


class WatchedWordForm(forms.Form):
    word = forms.CharField(label=WatchedWord._meta.get_field("word").verbose_name, max_length=60)
    action = forms.ChoiceField(
        label=_("What Echo does with a post that contains it"),
        choices=WatchedWord.Action.choices,
        widget=forms.RadioSelect,
    )


class LogFilterForm(forms.Form):
    board = _BoardField(
        Board.objects.none(), label=_("Board"), required=False, empty_label=_("All my boards")
    )

    def __init__(self, moderator, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board"].queryset = Board.objects.moderated_by(moderator).select_related(
            "group"
        )
