import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo import people as demo


class Command(BaseCommand):
    help = "Print the current two-factor code of the demo accounts (development only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo codes are for development only (DEBUG=true).")
        counter = int(time.time()) // 30
        self.stdout.write(format_hotp_value(hotp_value(demo.TOTP_SECRET, counter)))
