from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo import people as demo
from growth import snapshots


class Command(BaseCommand):
    help = (
        "Load demo people and two years of history once (development only), "
        "write the daily figures and print the logins."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo data is for development only (DEBUG=true).")
        if demo.is_loaded():
            self.stdout.write("Demo data already loaded.")
            logins = None
        else:
            logins = demo.load()
            # The figures dashboard and the annual report read the daily
            # snapshots: written now from the history, as the nightly task would have.
            written, _kept = snapshots.backfill()
            self.stdout.write(f"Demo data loaded; {written} daily figures written.")
        self.stdout.write(f"\nDemo logins, all with the password “{demo.PASSWORD}”:")
        for what, email in logins or []:
            self.stdout.write(f"  {what:<40} {email}")
        if logins is None:
            self.stdout.write("  admin@example.org, coordinator-<region>@example.org,")
            self.stdout.write("  lotus@example.org (facilitator), zeewind@example.org (member)")
        self.stdout.write(
            "\nAccounts marked 2FA ask for a code from an authenticator app set up with "
            f"the secret {demo.TOTP_SECRET}\n(or run `make totp` for the current code).\n"
        )
