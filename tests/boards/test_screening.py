"""What holds a post before anyone reads it: contact details (which could
identify someone) and watched words. Ordinary numbers, dates, times and
amounts are everyday speech and must not."""

import pytest

from boards.models import WatchedWord
from boards.screening import has_contact_details, watched_words_in

CONTACT_DETAILS = [
    # Belgian phones, written every way people write them
    "bel me op 0470 12 34 56",
    "0470/12.34.56",
    "0470.12.34.56",
    "0470-12-34-56",
    "04 70 12 34 56",
    "0471123456",
    "+32 470 12 34 56",
    "+32470123456",
    "0032 470 12 34 56",
    "+32 (0)470 12 34 56",
    "03 231 45 67",
    "02 512 34 56",
    "+32 3 231 45 67",
    "tel:+32470123456",
    # French and Dutch phones
    "06 12 34 56 78",
    "01 42 68 53 00",
    "+33 6 12 34 56 78",
    "06-12345678",
    "+31 6 12345678",
    "020-1234567",
    # International
    "+44 20 7946 0958",
    "+1 202 456 1111",
    "+49 30 12345678",
    # Email addresses, also half-hidden
    "naam@voorbeeld.be",
    "mail me: Naam.Achternaam+echo@example.org",
    "naam@gmail",
    "naam [at] voorbeeld.be",
    "naam(at)gmail.com",
    "naam at gmail dot com",
    "naam apenstaartje gmail punt be",
    # Links
    "https://example.org",
    "kijk op http://example.org/pagina",
    "HTTPS://EXAMPLE.ORG",
    "ftp://files.example.org",
    "www.example.com",
    "WWW.voorbeeld.be",
    "example.be",
    "example.be/pagina",
    "instagram.com/naam",
    "bit.ly/abc123",
    "linktr.ee/naam",
    "discord.gg/abc",
    "t.me/naam",
    "wa.me/32470123456",
    "example.co.uk",
    # Handles
    "@naam_123",
    "mijn insta is @naam",
]

ORDINARY = [
    "Ik ben 45 jaar",
    "Ik heb 3 kinderen",
    "op 12/03/2024",
    "2024-03-12",
    "12.03.2024",
    "het was 2 januari 2024 om 20.15 uur",
    "06/2024",
    "12/03 om 14u",
    "om 19:30",
    "19u30",
    "tussen 14:00 en 16:00",
    "om 19.30 uur",
    "€ 1.250,00",
    "1250 euro",
    "EUR 25",
    "50%",
    "0,5 mg",
    "10.000 stappen",
    "in 1998",
    "van 1990 tot 2005",
    "1998-2003",
    "30-40 jaar",
    "bladzijde 123",
    "2000 Antwerpen",
    "ref 2024/12345",
    "12345678",
    "123456789",
    "1 2 3 4 5",
    # The help lines themselves are short numbers, not contact details
    "bel 1712, 1813 of 112",
    # Punctuation that only looks like an address
    "e.g. dit",
    "z.s.m.",
    "1.250",
    "Ik was moe.De volgende dag ging het beter.",
    "dag.Het",
    "ik ben @ home",
    "en/of",
    "Het punt is dat ik het niet weet.",
]


@pytest.mark.parametrize("text", CONTACT_DETAILS)
def test_contact_details_are_found(text):
    assert has_contact_details(text)


@pytest.mark.parametrize("text", CONTACT_DETAILS)
def test_contact_details_are_found_inside_a_sentence(text):
    assert has_contact_details(f"Dag allemaal,\n\nals je wil: {text} — groetjes")


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_numbers_dates_times_and_amounts_are_not_contact_details(text):
    assert not has_contact_details(text)


def test_any_of_several_texts_counts():
    assert has_contact_details("Een titel", "Een gewone tekst", "0470 12 34 56")
    assert not has_contact_details("Een titel", "Een gewone tekst", "")


def words(*pairs):
    return [WatchedWord(word=word, action=action) for word, action in pairs]


@pytest.mark.parametrize(
    ("word", "text", "found"),
    [
        ("pillen", "Ik heb pillen gespaard", True),
        ("pillen", "PILLEN", True),
        ("Pillen", "ik heb pillen", True),
        ("pillen", "pillendoos", False),
        ("pillen", "slaappillen", False),
        ("pillen", "pillen.", True),
        ("pillen", "(pillen)", True),
        ("niet meer leven", "ik wil niet meer leven", True),
        ("niet meer leven", "ik wil niet\nmeer   leven", True),
        ("niet meer leven", "niet meer levendig", False),
        ("niet meer leven", "niet meer, leven", False),
        ("c++", "ik schrijf c++ code", True),
        ("a.b", "axb", False),
        ("één", "ÉÉN keer", True),
    ],
)
def test_watched_words_match_whole_words_and_phrases_whatever_the_case(word, text, found):
    assert bool(watched_words_in(words((word, "hold")), text)) is found


def test_watched_words_are_found_in_any_text_and_returned_as_given():
    watched = words(("pillen", "safety"), ("spam", "block"), ("naam", "hold"))
    assert [w.word for w in watched_words_in(watched, "titel", "spam en pillen")] == [
        "pillen",
        "spam",
    ]
