"""The Dutch and French catalogues are complete, and Django really uses them.

English is the source language: locale/en stays empty and Django falls back to
the msgid. After `manage.py makemessages -l nl -l fr -l en --ignore=.venv
--ignore=var --ignore=tests --no-obsolete`, translate every new entry in
locale/nl and locale/fr, check and unflag every "#, fuzzy" one, then run
`manage.py compilemessages --ignore=.venv` (`make test` does that first).
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from .discretion import revealing_words

SOURCE_LANGUAGE = "en"
LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
TRANSLATED_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != SOURCE_LANGUAGE]


# A small reader for GNU gettext .po files: comments and flags, msgctxt,
# msgid, msgid_plural, msgstr and msgstr[n], strings continued over several
# lines, and C escapes. Obsolete entries ("#~") are ignored, as msgfmt does.


@dataclass
class Entry:
    line: int
    msgctxt: str | None = None
    msgid: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def is_header(self):
        return self.msgid == "" and self.msgctxt is None

    @property
    def label(self):
        return f"{self.msgctxt}|{self.msgid}" if self.msgctxt else self.msgid


_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")$')
_ESCAPE = re.compile(r"\\(?:([0-7]{1,3})|x([0-9a-fA-F]{1,2})|(.))")
_SIMPLE_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
    '"': '"',
    "\\": "\\",
}


def _unquote(token, where):
    if len(token) < 2 or not (token.startswith('"') and token.endswith('"')):
        raise ValueError(f"{where}: expected a quoted string, got {token!r}")

    def unescape(match):
        octal, hexadecimal, char = match.groups()
        if octal:
            return chr(int(octal, 8))
        if hexadecimal:
            return chr(int(hexadecimal, 16))
        if char in _SIMPLE_ESCAPES:
            return _SIMPLE_ESCAPES[char]
        raise ValueError(f"{where}: unknown escape \\{char}")

    return _ESCAPE.sub(unescape, token[1:-1])


def parse_po(path):
    """Return the entries of a .po file, the header (msgid "") first."""
    entries = []
    entry = Entry(line=1)
    target = None  # (field name, plural index) that a continued string extends

    def start_entry(lineno):
        nonlocal entry, target
        if entry.msgid is not None:
            entries.append(entry)
        entry, target = Entry(line=lineno), None

    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        where = f"{path}:{lineno}"
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#"):
            if entry.msgstr:
                start_entry(lineno)
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            continue
        if line.startswith('"'):
            if target is None:
                raise ValueError(f"{where}: string outside an entry")
            name, index = target
            text = _unquote(line, where)
            if name == "msgstr":
                entry.msgstr[index] += text
            else:
                setattr(entry, name, getattr(entry, name) + text)
            continue
        match = _KEYWORD.match(line)
        if match is None:
            raise ValueError(f"{where}: cannot read {raw!r}")
        keyword, index, token = match.groups()
        text = _unquote(token, where)
        if keyword in ("msgctxt", "msgid") and entry.msgstr:
            start_entry(lineno)
        if keyword == "msgstr":
            position = int(index or 0)
            entry.msgstr[position] = text
            target = ("msgstr", position)
        else:
            setattr(entry, keyword, text)
            target = (keyword, None)
    start_entry(0)
    return entries


def catalogue(language):
    path = LOCALE_DIR / language / "LC_MESSAGES" / "django.po"
    assert path.exists(), f"{path} is missing: run makemessages -l {language}"
    entries = parse_po(path)
    assert entries and entries[0].is_header, f"{path} has no header entry"
    return entries


def nplurals(header):
    match = re.search(r"nplurals\s*=\s*(\d+)", header.msgstr.get(0, ""))
    assert match, "the header has no Plural-Forms"
    return int(match.group(1))


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_every_message_is_translated_and_checked(language):
    header, *entries = catalogue(language)
    forms = nplurals(header)
    assert entries, f"locale/{language} has no messages"
    problems = []
    for entry in entries:
        if "fuzzy" in entry.flags:
            problems.append(f"line {entry.line}: fuzzy: {entry.label!r}")
        expected = range(forms) if entry.msgid_plural is not None else [0]
        missing = [n for n in expected if not entry.msgstr.get(n)]
        if missing and entry.msgid_plural is not None:
            problems.append(f"line {entry.line}: msgstr{missing} untranslated: {entry.label!r}")
        elif missing:
            problems.append(f"line {entry.line}: untranslated: {entry.label!r}")
    assert not problems, f"locale/{language}/LC_MESSAGES/django.po:\n" + "\n".join(problems)


# %(name)s and %s, {} and {name}, and HTML tags must survive translation.
_PLACEHOLDER = re.compile(r"%\(\w+\)[sdifr]|%[sdifr]|\{\w*\}|<[^<>]+>")


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_translations_keep_placeholders_and_tags(language):
    _header, *entries = catalogue(language)
    problems = []
    for entry in entries:
        if entry.msgid_plural is None:
            source = Counter(_PLACEHOLDER.findall(entry.msgid))
            translated = entry.msgstr.get(0, "")
            if translated and Counter(_PLACEHOLDER.findall(translated)) != source:
                problems.append(f"line {entry.line}: {entry.label!r} -> {translated!r}")
            continue
        # A plural form may leave out the count ("one message"), nothing else.
        allowed = set(_PLACEHOLDER.findall(entry.msgid + entry.msgid_plural))
        for n, translated in sorted(entry.msgstr.items()):
            if not set(_PLACEHOLDER.findall(translated)) <= allowed:
                problems.append(f"line {entry.line}: {entry.label!r} -> msgstr[{n}]")
    assert not problems, f"locale/{language}: placeholders differ:\n" + "\n".join(problems)


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_translations_stay_discreet(language):
    """No translation names what Echo is about, even where the source slips."""
    _header, *entries = catalogue(language)
    problems = [
        f"line {entry.line}: {entry.label!r}: {found}"
        for entry in entries
        for text in entry.msgstr.values()
        if (found := revealing_words(text))
    ]
    assert not problems, f"locale/{language}: revealing words:\n" + "\n".join(problems)


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_django_uses_the_compiled_catalogue(language):
    compiled = LOCALE_DIR / language / "LC_MESSAGES" / "django.mo"
    assert compiled.exists(), f"{compiled} is missing: run manage.py compilemessages"
    po = {entry.msgid: entry.msgstr.get(0) for entry in catalogue(language)[1:]}
    for msgid in ("Skip to content", "Leave this page quickly"):
        assert po[msgid] and po[msgid] != msgid
        with translation.override(language):
            assert translation.gettext(msgid) == po[msgid]

    template = Template(
        "{% load i18n %}{% translate 'Skip to content' %}|"
        "{% blocktranslate with name='Noor' %}Welcome, {{ name }}{% endblocktranslate %}"
    )
    with translation.override(language):
        rendered = template.render(Context())
    expected = po["Skip to content"] + "|" + po["Welcome, %(name)s"] % {"name": "Noor"}
    assert rendered == expected


def test_english_falls_back_to_the_source_strings():
    with translation.override(SOURCE_LANGUAGE):
        assert translation.gettext("Skip to content") == "Skip to content"
