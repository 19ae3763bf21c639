"""Words that would tell a reader of someone's mailbox what Echo is about."""

from django.conf import settings

REVEALING_WORDS = [
    # nl
    "misbruik",
    "mishandel",
    "kindermishandeling",
    "overlever",
    "lotgeno",
    "slachtoffer",
    "vertrouwenscentr",
    "geweld",
    "incest",
    "verkracht",
    # fr
    "abus",
    "maltrait",
    "survivant",
    "victime",
    "violence",
    "inceste",
    # en
    "abuse",
    "survivor",
    "victim",
    "maltreat",
    "trauma",
    "molest",
]


def revealing_words(text):
    lowered = text.lower()
    return [word for word in REVEALING_WORDS if word in lowered]


def assert_discreet(message):
    parts = [message.subject, message.from_email, message.body]
    parts += [content for content, _mimetype in getattr(message, "alternatives", [])]
    found = revealing_words(" ".join(parts))
    assert not found, f"Email {message.subject!r} to {message.to} reveals: {found}"
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert message.from_email.startswith("Echo ")
