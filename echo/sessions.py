"""Django's database sessions; on the pages that need no database, read as
empty while it is down.

The pages that need no database (the landing page, the help lines, the page
on browsing safely, the quick exit: views marked `needs_no_database`) must
answer while it is down, to a signed-in person too. Every request reads the
session (for `request.user`), and an unreadable session would make each of
them an error page. So on those pages a session the database cannot be asked
for is read as empty: the person is a visitor there until the database is
back. Such a session is never written back, which would replace the real
one; its cookie is kept, unless the page ends the session (the quick exit),
which then removes it from the browser at once. Every other page fails as
it would anyway, with the error page (signed-in people are not sent to sign
in again for a moment without database).

SESSION_ENGINE = "echo.sessions", with echo.middleware.database_free_pages
right after Django's SessionMiddleware.
"""

import logging

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import DatabaseError

logger = logging.getLogger(__name__)


def needs_no_database(view):
    """Marks a view that answers while the database is down (see above)."""
    view.needs_no_database = True
    return view


class SessionStore(DatabaseSessionStore):
    # Set by echo.middleware.database_free_pages on the pages marked above.
    empty_without_database = False
    database_unavailable = False

    def load(self):
        try:
            return super().load()
        except DatabaseError as error:
            if not self.empty_without_database:
                raise
            logger.warning("Session read as empty: the database is unavailable (%s)", error)
            self.database_unavailable = True
            return {}

    def save(self, must_create=False):
        if self.database_unavailable:
            return
        super().save(must_create=must_create)

    def delete(self, session_key=None):
        try:
            super().delete(session_key)
        except DatabaseError:
            if not self.database_unavailable:
                raise
            # Its row expires on its own (SESSION_COOKIE_AGE); the cookie goes now.
