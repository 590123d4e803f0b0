"""Sessions in the database, as Django keeps them, minus one way to crash a request.

A session key comes from the visitor's cookie, and Django looks it up as long as it has eight
characters or more. A cookie can carry a NUL character (`sessionid="abcdefgh\\000..."` is a
valid quoted cookie value), which PostgreSQL refuses in text: the lookup raised a DataError and
any page that reads the session (the admin's login page, for one) answered 500. A key Django
could never have issued is now treated like no key at all: the visitor gets a fresh session.
"""

from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

ISSUED_KEY_CHARACTERS = frozenset(VALID_KEY_CHARS)  # what Django draws its random keys from


class SessionStore(DatabaseSessionStore):
    def _validate_session_key(self, key: str | None) -> bool:
        return bool(super()._validate_session_key(key)) and set(key) <= ISSUED_KEY_CHARACTERS
