"""Posts are Markdown, rendered and sanitised once, when they are saved.

markdown-it leaves raw HTML out; nh3 (Ammonia) then keeps only the tags a
post needs. No images at all: an image from elsewhere would tell another
host who reads the post.
"""

import nh3
from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).disable("image")

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h3", "h4", "h5", "h6",
}  # fmt: skip
# "*": no attribute on every tag (Ammonia would otherwise keep lang and title).
ALLOWED_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}, "*": set()}
URL_SCHEMES = {"http", "https", "mailto"}

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    # A relative address ("//elsewhere.example", "java%0ascript:…") has no
    # scheme to check: only full http, https and mailto addresses stay.
    url_relative="deny",
    link_rel="nofollow noopener noreferrer",
)


def sanitise(html):
    return _cleaner.clean(html)


def render(text):
    html = _markdown.render(text)
    # Headings in a post sit below the page's own h1 and h2.
    for level, lower in (("h1", "h3"), ("h2", "h4")):
        html = html.replace(f"<{level}>", f"<{lower}>").replace(f"</{level}>", f"</{lower}>")
    return sanitise(html)
