from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .models import Post, Preferences, Report, Thread

MARKDOWN_HELP = _(
    "You can use Markdown: *italic*, **bold**, lists with “- ”, > for a quote, "
    "and links (a link waits for a moderator). Images and HTML are left out."
)


def _message_field():
    return forms.CharField(
        label=_("Message"),
        max_length=20000,
        help_text=MARKDOWN_HELP,
        widget=forms.Textarea(attrs={"rows": 8}),
    )


def _warning_field():
    return forms.CharField(
        label=_("Content warning (optional)"),
        max_length=Post._meta.get_field("content_warning").max_length,
        required=False,
        help_text=_(
            "A few words on what the message is about, for example “a difficult memory”. "
            "Readers see only these words until they open the message."
        ),
    )


class PostForm(forms.Form):
    """A reply, or the new text of one's own post. Checked by the services,
    which say why they refuse; the form only keeps lengths sane."""

    body = _message_field()
    content_warning = _warning_field()


class ReplyForm(PostForm):
    # The code of the quoted post; the view looks it up in the thread.
    quote = forms.CharField(required=False, widget=forms.HiddenInput)


class ThreadForm(PostForm):
    title = forms.CharField(label=_("Title"), max_length=Thread._meta.get_field("title").max_length)

    field_order = ["title", "body", "content_warning"]


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why do you report this message?"),
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("A note for the moderators (optional)"),
        max_length=2000,
        required=False,
        help_text=_("Only the moderators of this board read it."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PreferencesForm(forms.Form):
    fold_warnings = forms.BooleanField(
        label=capfirst(Preferences._meta.get_field("fold_warnings").verbose_name),
        help_text=Preferences._meta.get_field("fold_warnings").help_text,
        required=False,
    )
    emails = forms.ChoiceField(
        label=_("Emails about conversations you follow"),
        choices=Preferences.Emails.choices,
        widget=forms.RadioSelect,
        help_text=_("An email never contains the message itself, only a link to Echo."),
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the boards"), max_length=200, required=False)
