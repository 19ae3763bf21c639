from django import template
from django.conf import settings
from django.utils.html import format_html

from echo import kept_text
from echo.middleware import session_remaining

register = template.Library()


@register.simple_tag(takes_context=True)
def kept_text_writer(context):
    """Inside a form whose view keeps text (`echo.kept_text.keeps_text`): who
    opened it, so that what they wrote is offered again to them only."""
    user = context["request"].user
    if not user.is_authenticated:
        return ""
    return format_html(
        '<input type="hidden" name="{}" value="{}">',
        kept_text.WRITER_FIELD,
        kept_text.writer_field_value(user),
    )


@register.simple_tag(takes_context=True)
def session_seconds_left(context):
    """For the notice before the idle limit: seconds this session has left."""
    return session_remaining(context["request"])


@register.simple_tag
def session_idle_seconds():
    return int(settings.SESSION_IDLE_LIMIT.total_seconds())
