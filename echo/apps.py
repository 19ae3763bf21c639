from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class EchoConfig(AppConfig):
    default = True
    name = "echo"
    verbose_name = "Echo"

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from . import checks, signals  # noqa: F401

        # Each app describes the audit entries it records (<app>/audit_actions.py).
        autodiscover_modules("audit_actions")


class EchoAdminConfig(admin_apps.AdminConfig):
    default = False
    # The site lives with the roles it checks (members.roles).
    default_site = "members.admin_site.EchoAdminSite"
