"""What a post is checked for before anyone else reads it."""

import re

import phonenumbers

# Also without a domain ending ("name@gmail"): still enough to find someone.
EMAIL = re.compile(r"[\w.+-]+@[\w-]{2,}")
# "name at gmail dot com", "name (at) gmail punt be".
SPELLED_OUT_ADDRESS = re.compile(
    r"\b[\w-]+\s*[\[(]?\s*(dot|punt|point)\s*[\])]?\s*(be|com|net|org|eu|nl|fr|de|lu|uk)\b",
    re.IGNORECASE,
)
# A link with its scheme ("https://…"), "www.…", or an address with a path
# ("bit.ly/…", "instagram.com/…").
LINK = re.compile(
    r"(\b[a-z][a-z0-9+.-]*://\S+)|(\bwww\.\S+)|(\b[\w-]+(\.[\w-]+)*\.[a-z]{2,}/\S*)",
    re.IGNORECASE,
)
# A bare domain with a common ending; lowercase only, so that a missing space
# after a full stop ("het.De") does not count.
DOMAIN = re.compile(
    r"\b[\w-]+\.(be|com|net|org|eu|nl|fr|de|lu|uk|ch|info|me|io|ly|gg|ee|co|app|tv|to|link)\b"
)
# Social handles such as @name are contact details too.
HANDLE = re.compile(r"(?<![\w.])@[A-Za-z0-9_]{3,}")
PATTERNS = (EMAIL, SPELLED_OUT_ADDRESS, LINK, DOMAIN, HANDLE)


def has_contact_details(*texts):
    """Phone numbers (Belgian, French, Dutch and international), email
    addresses, links and handles."""
    for text in texts:
        if any(pattern.search(text) for pattern in PATTERNS):
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
