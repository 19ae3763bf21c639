"""Forms of peer groups. Members are chosen by pseudonym; the forms send
random codes, never ids."""

from django import forms
from django.utils.translation import gettext_lazy as _

from members.forms import text_field
from members.models import Member

from .models import Group
from .services import FACILITATOR_FIELDS, GROUP_FIELDS, name_problem


class GroupForm(forms.ModelForm):
    """Everything about a group: the coordinator's form."""

    class Meta:
        model = Group
        fields = GROUP_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "format": forms.RadioSelect,
            "max_size": forms.NumberInput(attrs={"min": 2, "max": 100}),
        }
        help_texts = {
            "name": _(
                "Seen by members of the region, and in emails of members who chose full "
                "emails. Choose a plain name, such as a weekday: never what the group is about."
            ),
            "description": _("What members read before they ask to join."),
            "max_size": _("Also the default number of places at its meetings."),
        }

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if problem := name_problem(name):
            raise forms.ValidationError(problem)
        return name


class FacilitatorGroupForm(GroupForm):
    """What a facilitator of the group may change."""

    class Meta(GroupForm.Meta):
        fields = FACILITATOR_FIELDS


class JoinRequestForm(forms.Form):
    note = text_field(
        _("A few words for the facilitators (optional)"),
        max_length=1000,
        rows=4,
        required=False,
        help_text=_("Only the facilitators of this group and the coordinators read this."),
    )


class _GroupMemberField(forms.ModelChoiceField):
    """A member chosen by pseudonym; the form sends the random code, never an id."""

    def __init__(self, queryset, **kwargs):
        super().__init__(queryset.order_by("pseudonym"), to_field_name="code", **kwargs)

    def label_from_instance(self, obj):
        return obj.pseudonym


class PlaceMemberForm(forms.Form):
    member = _GroupMemberField(
        Member.objects.none(),
        label=_("Member"),
        empty_label=_("Choose a member"),
        help_text=_("Active members of the region who are not in this group."),
    )

    def __init__(self, group, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = (
            Member.objects.filter(region=group.region, status=Member.Status.ACTIVE)
            .exclude(memberships__group=group)
            .order_by("pseudonym")
        )


class _InGroupForm(forms.Form):
    member = _GroupMemberField(Member.objects.none())

    def __init__(self, group, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = Member.objects.filter(memberships__group=group).order_by(
            "pseudonym"
        )


class GroupRoleForm(_InGroupForm):
    FACILITATOR, MEMBER = "facilitator", "member"
    role = forms.ChoiceField(choices=[(FACILITATOR, _("facilitator")), (MEMBER, _("member"))])


class RemoveFromGroupForm(forms.Form):
    message = text_field(
        _("A few kind words to them (optional)"),
        max_length=2000,
        rows=5,
        required=False,
        help_text=_(
            "Echo tells them they are no longer in the group, with these words if you write "
            "some. Members with discreet emails only get a link."
        ),
    )


class SupportRequestForm(forms.Form):
    COORDINATOR = "coordinator"
    to = forms.ChoiceField(label=_("Who would you like to tell?"), widget=forms.RadioSelect)
    note = text_field(
        _("A few words (optional)"),
        max_length=2000,
        rows=5,
        required=False,
        help_text=_(
            "Only they read this, in Echo. Their email says only that someone would like "
            "their support."
        ),
    )

    def __init__(self, groups, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = {group.code: group for group in groups}
        choices = [
            (code, _("the facilitators of %(group)s") % {"group": group.name})
            for code, group in self.groups.items()
        ]
        choices.append((self.COORDINATOR, _("the coordinator of my region")))
        self.fields["to"].choices = choices
        self.fields["to"].initial = choices[0][0]

    @property
    def group(self):
        """The chosen group, or None for the coordinator."""
        return self.groups.get(self.cleaned_data["to"])


class JoinDecisionForm(forms.Form):
    ACCEPT, DECLINE = "accept", "decline"
    decision = forms.ChoiceField(choices=[(ACCEPT, _("Accept")), (DECLINE, _("Decline"))])

    @property
    def accepted(self):
        return self.cleaned_data["decision"] == self.ACCEPT


class GroupMessageForm(forms.Form):
    text = text_field(
        _("Message"),
        max_length=5000,
        rows=8,
        help_text=_(
            "Echo emails it to each of them; nobody sees anyone's address. "
            "Members with discreet emails only get a link and read it in Echo."
        ),
    )


class RevealingWordForm(forms.Form):
    word = forms.CharField(
        label=_("Word"),
        max_length=40,
        help_text=_("Part of a word counts too: “praat” would also refuse “Praatgroep”."),
    )
