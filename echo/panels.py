"""Panels: a page of one app shows what an app above it has to say (the group
page its meetings, the facilitation page what waits on the boards) without
importing it. The page names a slot and renders `panels(slot, ...)`; the app
above registers a read function for the slot in its AppConfig.ready().

A provider takes the request and the page's objects as keywords and returns
HTML (usually `render_to_string(..., request=request)`), or "" for nothing.
"""

from collections import defaultdict

from django.utils.safestring import mark_safe

_providers = defaultdict(list)


def provide(slot, function):
    """Register `function` to fill `slot`; registering twice changes nothing."""
    if function not in _providers[slot]:
        _providers[slot].append(function)


def panels(slot, request, **objects):
    """The filled panels of `slot`, in the order the apps were installed."""
    rendered = (function(request, **objects) for function in _providers[slot])
    return [mark_safe(html) for html in rendered if html]  # noqa: S308 (rendered templates)


def panels_for_each(slot, request, objects):
    """For a list page: each provider takes all `objects` at once (one query,
    not one per row) and returns {object's pk: HTML}. Returns {pk: [HTML, ...]}."""
    found = defaultdict(list)
    for function in _providers[slot]:
        for pk, html in function(request, objects).items():
            if html:
                found[pk].append(mark_safe(html))  # noqa: S308 (rendered templates)
    return found
