from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class EchoConfig(AppConfig):
    default = True
    name = "echo"
    verbose_name = "Echo"

    def ready(self):
        from . import checks, signals  # noqa: F401


class EchoAdminConfig(admin_apps.AdminConfig):
    default = False
    # The site lives with the roles it checks (members.roles).
    default_site = "members.admin_site.EchoAdminSite"
