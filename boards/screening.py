"""What a post is checked for before anyone else reads it."""

import re

import phonenumbers

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# A link, with or without its scheme: "https://…", "www.…" or "name.be/…".
LINK = re.compile(
    r"(\b[a-z][a-z0-9+.-]*://\S+)|(\bwww\.\S+)|(\b[\w-]+\.(be|com|net|org|eu|nl|fr|info|me|io)\b)",
    re.IGNORECASE,
)
# Social handles such as @name are contact details too.
HANDLE = re.compile(r"(?<![\w.])@[A-Za-z0-9_]{3,}")


def has_contact_details(*texts):
    """Phone numbers (Belgian and international), email addresses, links."""
    for text in texts:
        if EMAIL.search(text) or LINK.search(text) or HANDLE.search(text):
            return True
        for region in ("BE", "FR", "NL"):
            if any(
                phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID)
            ):
                return True
    return False


def _pattern(word):
    # Whole words only, case-insensitive; a phrase may span any whitespace.
    parts = (re.escape(part) for part in word.split())
    return re.compile(r"(?<!\w)" + r"\s+".join(parts) + r"(?!\w)", re.IGNORECASE)


def watched_words_in(words, *texts):
    """The watched words (model instances) that occur in any of the texts."""
    return [word for word in words if any(_pattern(word.word).search(t) for t in texts)]
