"""Contact details in what people write: the one rule, for board posts (which
wait for a moderator when they hold any) and for pseudonyms (refused).

A pseudonym is the only identity among members; one that carries a phone
number, an address, a link or a handle would let members find each other
outside Echo, or be found.
"""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

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


# A pseudonym is short and needs none of these, so the rule is stricter than
# for posts, where everyday words and numbers must pass.
# Any "@", and a domain ending in any case ("Jan.BE").
PSEUDONYM_ADDRESS = re.compile(
    r"@|\b[\w-]+\s*\.\s*(be|com|net|org|eu|fr|nl|de|lu|uk|me|io|ly|gg|ee|co|app|tv|to|link)\b",
    re.IGNORECASE,
)
# Six digits or more, however they are spaced or dotted ("0470 12.34.56").
PSEUDONYM_PHONE = re.compile(r"(\d[\s./()+-]*){6,}")
# A pseudonym naming an app says where to find its owner ("insta jan", "snap_noor").
APPS = re.compile(
    r"(?<![^\W\d_])(insta|instagram|ig|snap|snapchat|tiktok|telegram|tg|whatsapp|wa|"
    r"facebook|fb|messenger|twitter|discord|signal|threema|kik|wickr|tinder|linkedin|"
    r"onlyfans|youtube|twitch|reddit|bluesky|mastodon)(?![^\W\d_])",
    re.IGNORECASE,
)

LOOKS_LIKE_ADDRESS = _("A pseudonym cannot look like an email address or a website.")
LOOKS_LIKE_PHONE = _("A pseudonym cannot look like a phone number.")
NAMES_AN_APP = _(
    "A pseudonym cannot name an app or a social network: other members could find you there."
)


def pseudonym_problem(pseudonym):
    """Why `pseudonym` cannot be shown to other members, or None."""
    if PSEUDONYM_PHONE.search(pseudonym):
        return LOOKS_LIKE_PHONE
    if APPS.search(pseudonym):
        return NAMES_AN_APP
    if PSEUDONYM_ADDRESS.search(pseudonym) or any(p.search(pseudonym) for p in PATTERNS):
        return LOOKS_LIKE_ADDRESS
    if has_contact_details(pseudonym):
        return LOOKS_LIKE_PHONE
    return None


def validate_pseudonym(pseudonym):
    """Refuse a pseudonym that carries contact details, wherever one is chosen."""
    if problem := pseudonym_problem(pseudonym):
        raise ValidationError(problem, code="contact_details")
