from django.conf import settings
from django.utils.functional import SimpleLazyObject

from . import help_lines


def echo(request):
    return {
        "QUICK_EXIT_URL": settings.QUICK_EXIT_URL,
        # Worked out only when a page shows them; never an error (echo.help_lines).
        "help_lines": SimpleLazyObject(lambda: help_lines.for_person(request.user)),
    }
