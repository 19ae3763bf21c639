"""What a post is checked for before anyone else reads it: watched words here;
contact details by the one rule that pseudonyms follow too (members.screening)."""

import re

from members.screening import has_contact_details

__all__ = ["has_contact_details", "watched_words_in"]


def _pattern(word):
    # Whole words only, case-insensitive; a phrase may span any whitespace.
    parts = (re.escape(part) for part in word.split())
    return re.compile(r"(?<!\w)" + r"\s+".join(parts) + r"(?!\w)", re.IGNORECASE)


def watched_words_in(words, *texts):
    """The watched words (model instances) that occur in any of the texts."""
    return [word for word in words if any(_pattern(word.word).search(t) for t in texts)]
