from django.utils.functional import SimpleLazyObject

from . import inbox


def unread_notices(request):
    """The unread count in the navigation: one query, and only on a page that
    shows it to someone signed in."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notices": 0}
    return {"unread_notices": SimpleLazyObject(lambda: inbox.unread_count(user))}
