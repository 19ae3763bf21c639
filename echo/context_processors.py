from django.conf import settings


def echo(request):
    return {"QUICK_EXIT_URL": settings.QUICK_EXIT_URL}
