"""Posts are Markdown rendered once and sanitised: the allowed subset comes
through, and nothing a member types can run, style the page, load an image
or send a referrer."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from boards.markdown import ALLOWED_TAGS, render, sanitise

from .xss_corpus import PAYLOADS

REL = "nofollow noopener noreferrer"


class Elements(HTMLParser):
    """Every start tag of a fragment, with its attributes."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.elements = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def elements(html):
    return Elements(html).elements


def assert_inert(html):
    for tag, attrs in elements(html):
        assert tag in ALLOWED_TAGS, (tag, html)
        assert tag != "img", html
        for name in attrs:
            assert not name.startswith("on"), (name, html)
            assert name != "style", html
            assert name in {"href", "start", "rel"}, (name, html)
        if tag == "a":
            assert attrs.get("rel") == REL, html
            href = attrs.get("href")
            if href is not None:
                scheme = urlsplit(href.strip()).scheme.lower()
                assert scheme in {"http", "https", "mailto"}, (href, html)


# The allowed subset


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("*dank*", "<p><em>dank</em></p>"),
        ("**dank**", "<p><strong>dank</strong></p>"),
        ("`code`", "<p><code>code</code></p>"),
        ("> iemand zei", "<blockquote>\n<p>iemand zei</p>\n</blockquote>"),
        ("- een\n- twee", "<ul>\n<li>een</li>\n<li>twee</li>\n</ul>"),
        ("3. drie\n4. vier", '<ol start="3">\n<li>drie</li>\n<li>vier</li>\n</ol>'),
        ("een\\\ntwee", "<p>een<br>\ntwee</p>"),
        ("---", "<hr>"),
        ("```\nx = 1\n```", "<pre><code>x = 1\n</code></pre>"),
        ("### drie", "<h3>drie</h3>"),
        ("###### zes", "<h6>zes</h6>"),
    ],
)
def test_the_allowed_subset_renders(source, expected):
    assert render(source).strip() == expected


def test_headings_sit_below_the_page_headings():
    html = render("# Groot\n\n## Kleiner")
    assert "<h1" not in html and "<h2" not in html
    assert "<h3>Groot</h3>" in html and "<h4>Kleiner</h4>" in html


def test_links_keep_their_address_and_send_no_referrer():
    html = render("[hulp](https://www.tele-onthaal.be/) en [mail](mailto:hulp@example.org)")
    links = [attrs for tag, attrs in elements(html) if tag == "a"]
    assert [link["href"] for link in links] == [
        "https://www.tele-onthaal.be/",
        "mailto:hulp@example.org",
    ]
    assert all(link["rel"] == REL for link in links)


def test_bare_addresses_are_not_turned_into_links():
    html = render("kijk op https://example.org")
    assert "<a" not in html


def test_the_language_class_of_a_code_block_is_dropped():
    html = render("```python\nprint(1)\n```")
    assert "class" not in html
    assert "print(1)" in html


def test_raw_html_is_shown_as_text_not_markup():
    html = render("<b>vet</b> en <i>schuin</i>")
    assert "<b>" not in html and "<i>" not in html
    assert "&lt;b&gt;vet&lt;/b&gt;" in html


def test_no_image_at_all():
    html = render("![foto](https://example.org/foto.jpg)")
    assert "<img" not in html
    assert "example.org/foto.jpg" not in [attrs.get("href") for _t, attrs in elements(html)]


# Cross-site scripting


def test_the_corpus_is_big_enough():
    assert len(PAYLOADS) >= 40
    assert len(set(PAYLOADS)) == len(PAYLOADS)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_payload_renders_inert(payload):
    assert_inert(render(payload))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_payload_inside_other_markdown_renders_inert(payload):
    assert_inert(render(f"> {payload}\n\n- *{payload}*\n\n[{payload}](https://example.org)"))


def test_the_sanitiser_itself_catches_what_markdown_would_let_through():
    """Even if Markdown let raw HTML through, nh3 keeps only the allowed set."""
    for payload in PAYLOADS:
        assert_inert(sanitise(payload))


@pytest.mark.parametrize(
    "address", ["/relative", "//elsewhere.example/x", "#top", "?q=1", "ftp://files.example.org"]
)
def test_a_link_without_a_full_http_or_mail_address_loses_its_address(address):
    html = render(f"[link]({address})")
    assert [attrs for tag, attrs in elements(html) if tag == "a"] == [{"rel": REL}]


def test_no_title_or_language_attributes():
    html = sanitise('<p lang="en" title="t"><a href="https://example.org" title="t">x</a></p>')
    assert html == '<p><a href="https://example.org" rel="nofollow noopener noreferrer">x</a></p>'
