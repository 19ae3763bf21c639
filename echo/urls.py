from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.landing, name="landing"),
    path("help/", views.help_lines, name="help"),
    path("browsing/", views.browsing, name="browsing"),
    path("exit/", views.quick_exit, name="quick_exit"),
    path("privacy/", views.privacy, name="privacy"),
    path("guidelines/", views.guidelines, name="guidelines"),
    path("security/second-factor/", views.second_factor_required, name="second_factor_required"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("session/", views.session, name="session"),
    path("", include("members.site_urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("meetings/", include("events.urls")),
    path("figures/", include("growth.urls")),
    path("boards/", include("boards.urls")),
    path("", include("members.urls")),
    path("", include("groups.urls")),
]

handler500 = "echo.views.server_error"
