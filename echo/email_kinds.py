"""Every kind of email Echo sends, registered by the app that sends it (in its
`emails.py`, imported when the app is ready): a label for people (the
coordinators' page of failed deliveries) and the prefix of its idempotency
keys. Names and prefixes are unique, so no two kinds can share a key, and an
email of a kind nobody registered is refused when it is queued."""

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class EmailKind:
    name: str  # dotted, the app first: "groups.join_request"
    label: str  # lazily translated
    prefix: str  # of its keys: "join-request"

    def key(self, *parts):
        """The idempotency key of one email of this kind: the same parts give
        the same key, and queueing it twice sends it once."""
        return ":".join([self.prefix, *(str(part) for part in parts)])


_kinds = {}


def register(name, label, *, prefix=None):
    """Register a kind of email; registering the same kind again returns it."""
    kind = EmailKind(name, label, prefix or name)
    known = _kinds.get(name)
    if known is not None:
        if known.prefix != kind.prefix:
            raise ImproperlyConfigured(f"Email kind {name} registered twice, differently.")
        return known
    for other in _kinds.values():
        if kind.prefix.startswith(other.prefix + ":") or other.prefix == kind.prefix:
            raise ImproperlyConfigured(
                f"Email kinds {other.name} and {name} would share keys ({kind.prefix})."
            )
    _kinds[name] = kind
    return kind


def check(kind, key=None):
    """Refuse a kind nobody registered, and a key made for another kind."""
    if _kinds.get(getattr(kind, "name", None)) is not kind:
        raise ValueError(f"{kind!r} is not a registered kind of email.")
    if key is not None and not key.startswith(kind.prefix + ":"):
        raise ValueError(f"The key {key!r} is not one of {kind.name}: use kind.key(...).")


def label_of(name):
    """What people read for a stored kind; a kind no longer registered shows as stored."""
    kind = _kinds.get(name)
    return kind.label if kind else name


def registered():
    return dict(_kinds)
