from django.utils.functional import cached_property

from members import roles as person

from . import roles


class Roles:
    """What the navigation shows a person, worked out only when a template
    asks. People who must set up a second factor still see the way to their
    tools: the tools send them to set one up."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def member(self):
        return person.active_member(self.user) is not None

    @cached_property
    def coordinator(self):
        return person.is_coordinator_account(self.user)

    @cached_property
    def facilitator(self):
        return roles.appointed_facilitator(self.user)

    @cached_property
    def administrator(self):
        return bool(self.user.is_authenticated and self.user.is_staff)


def navigation_roles(request):
    return {"roles": Roles(request.user)}
