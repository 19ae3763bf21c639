"""The help lines every page shows, in the person's language and region.

They are rows an administrator corrects in the admin (`HelpLine`), seeded
with `DEFAULTS` below. The same defaults are shown whenever the database
cannot be asked or holds no line at all: the help lines answer while the
database is down, and nobody is ever shown an empty list.

Lines are read once a minute per process, not on every page: an
administrator's correction is seen everywhere within that minute.
"""

import logging
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.db import DatabaseError
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

DUTCH, FRENCH, EVERYONE = "nl", "fr", "all"
BRUSSELS = "brussel"  # echo.models.Region.BRUSSEL: both languages are at home there
READ_EVERY = 60.0
RETRY_AFTER_FAILURE = 5.0


@dataclass(frozen=True)
class Line:
    name: str
    phone: str  # as people read it ("0800 32 123"); empty for a website only
    url: str
    language: str  # the language the line answers in: DUTCH, FRENCH or EVERYONE
    description: dict = field(default_factory=dict)  # {"nl": ..., "fr": ..., "en": ...}
    order: int = 0

    @property
    def tel(self):
        """A `tel:` link that phones dial as written (no spaces)."""
        return "tel:" + "".join(c for c in self.phone if c.isdigit() or c == "+")

    @property
    def site(self):
        """The website as a short link text: "zelfmoord1813.be"."""
        return urlsplit(self.url).netloc.removeprefix("www.") if self.url else ""

    @property
    def text(self):
        """The description in the language of the page (English when missing)."""
        language = (get_language() or DUTCH)[:2]
        return self.description.get(language) or self.description.get("en", "")


DEFAULTS = (
    Line(
        "Hulplijn 1712",
        "1712",
        "https://www.1712.be/",
        DUTCH,
        {
            "nl": "Als je je zorgen maakt over je eigen veiligheid of die van iemand "
            "anders (op werkdagen).",
            "fr": "Si vous vous inquiétez pour votre sécurité ou celle de quelqu'un "
            "d'autre (en néerlandais, les jours ouvrables).",
            "en": "If you worry about your own safety or someone else's (in Dutch, on weekdays).",
        },
        10,
    ),
    Line(
        "Zelfmoordlijn 1813",
        "1813",
        "https://www.zelfmoord1813.be/",
        DUTCH,
        {
            "nl": "Dag en nacht, als je aan zelfmoord denkt.",
            "fr": "Jour et nuit, si vous pensez au suicide (en néerlandais).",
            "en": "Day and night, if you think about suicide (in Dutch).",
        },
        20,
    ),
    Line(
        "Nupraatikerover.be",
        "",
        "https://www.nupraatikerover.be/",
        DUTCH,
        {
            "nl": "Chat voor kinderen en jongeren.",
            "fr": "Chat pour les enfants et les jeunes (en néerlandais).",
            "en": "Chat for children and young people (in Dutch).",
        },
        30,
    ),
    Line(
        "Écoute-Enfants",
        "103",
        "https://www.103ecoute.be/",
        FRENCH,
        {
            "nl": "Voor kinderen en jongeren (in het Frans).",
            "fr": "Pour les enfants et les jeunes : quelqu'un vous écoute.",
            "en": "For children and young people (in French).",
        },
        40,
    ),
    Line(
        "Centre de Prévention du Suicide",
        "0800 32 123",
        "https://www.preventionsuicide.be/",
        FRENCH,
        {
            "nl": "Dag en nacht, gratis, als je aan zelfmoord denkt (in het Frans).",
            "fr": "Jour et nuit, gratuit, si vous pensez au suicide.",
            "en": "Day and night, free, if you think about suicide (in French).",
        },
        50,
    ),
    Line(
        "SOS Viol",
        "0800 98 100",
        "https://www.sosviol.be/",
        FRENCH,
        {
            "nl": "Gratis, na seksuele agressie, voor jezelf of iemand dichtbij (in het Frans).",
            "fr": "Gratuit, après une agression sexuelle, pour vous ou un proche.",
            "en": "Free, after a sexual assault, for yourself or someone close (in French).",
        },
        60,
    ),
    Line(
        "112",
        "112",
        "",
        EVERYONE,
        {
            "nl": "Noodnummer, bij direct gevaar.",
            "fr": "Numéro d'urgence, en cas de danger immédiat.",
            "en": "Emergency number, when there is immediate danger.",
        },
        90,
    ),
)

_read = {"lines": None, "until": 0.0}


def forget():
    """Read the lines from the database again on the next page (after a change)."""
    _read.update(lines=None, until=0.0)


def _stored_lines():
    from .models import HelpLine

    return [row.as_line() for row in HelpLine.objects.filter(active=True)]


def all_lines():
    """Every active line: from the database at most once a minute, the
    defaults when it cannot be asked or holds none."""
    now = time.monotonic()
    if _read["lines"] is not None and now < _read["until"]:
        return _read["lines"]
    try:
        lines, wait = _stored_lines() or list(DEFAULTS), READ_EVERY
    except DatabaseError as error:
        logger.warning("Help lines from the defaults: the database is unavailable (%s)", error)
        lines, wait = list(DEFAULTS), RETRY_AFTER_FAILURE
    _read.update(lines=lines, until=now + wait)
    return lines


def choose(lines, language, region=None):
    """The lines that fit: those answering in the person's language (Dutch
    for English speakers, who live in Flanders or Brussels), both languages'
    in Brussels with their own first, then the lines for everyone (112)."""
    own = FRENCH if (language or "")[:2] == FRENCH else DUTCH
    spoken = [own] + ([DUTCH if own == FRENCH else FRENCH] if region == BRUSSELS else [])
    rank = {language: i for i, language in enumerate([*spoken, EVERYONE])}
    return sorted(
        (line for line in lines if line.language in rank),
        key=lambda line: (rank[line.language], line.order),
    )


def region_of(user):
    """A signed-in person's region: a member's, or a coordinator's own.
    Read off the account (the member comes with it, see members.backends);
    echo cannot import members."""
    if not getattr(user, "is_authenticated", False):
        return None
    member = getattr(user, "member", None)
    return getattr(member, "region", None) or getattr(user, "coordinator_region", None) or None


def for_person(user, language=None):
    return choose(all_lines(), language or get_language(), region_of(user))


def every_default():
    """Every default line, for a page that may not ask the database (500)."""
    return choose(DEFAULTS, DUTCH, BRUSSELS)
