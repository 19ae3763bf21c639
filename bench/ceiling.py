"""The ceiling: a bare Django view that answers "ok", served by the same
gunicorn as Echo. No middleware, no database, no template. What a page of
Echo reaches of this is what its own work leaves of the server's speed.

    gunicorn -c deploy/gunicorn.conf.py bench.ceiling:application
"""

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="ceiling-has-no-secrets",  # noqa: S106 (nothing is signed)
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    USE_I18N=False,
)


def ok(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("", ok)]

application = get_wsgi_application()
