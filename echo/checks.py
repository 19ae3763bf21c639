from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

from .fields import keyring


@register()
def field_encryption_keys(app_configs, **kwargs):
    try:
        keyring()
    except ImproperlyConfigured as error:
        return [Error(str(error), id="echo.E001")]
    return []
