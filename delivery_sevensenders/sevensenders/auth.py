"""Token handling: ``POST /token`` with the access key answers a JWT valid 60 min.

The token is cached in a :class:`TokenStore` (in memory by default; the Odoo
layer stores it on the account record) and renewed shortly before it expires.
"""

import base64
import json
import re
import threading
import time

TOKEN_LIFETIME = 3600  # seconds, documented
REFRESH_MARGIN = 300  # renew this long before expiry (at most 10 % of lifetime)

_JWT_RE = re.compile(r"eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*")


class MemoryTokenStore:
    """Keeps the token in the client instance."""

    def __init__(self):
        self._value = None

    def load(self):
        return self._value

    def save(self, token, expires_at, refresh_at):
        self._value = (token, expires_at, refresh_at)

    def clear(self):
        self._value = None


def jwt_claims(token):
    """The (unverified) claims of a JWT, or ``{}``: only its timing is read."""
    try:
        payload = token.split(".")[1]
        payload += "=" * (-len(payload) % 4)
        claims = json.loads(base64.urlsafe_b64decode(payload))
    except (IndexError, ValueError, TypeError):
        return {}
    return claims if isinstance(claims, dict) else {}


class TokenManager:
    """Fetches, caches and renews the token.

    A store shared by the clients of several threads may offer a ``lock``:
    then only one of them fetches a new token, the others wait and use it.
    """

    def __init__(self, fetch, store=None, clock=time.time):
        self._fetch = fetch
        self._store = store or MemoryTokenStore()
        self._clock = clock
        self._lock = getattr(self._store, "lock", None) or threading.Lock()

    def get(self):
        cached = self._store.load()
        if cached and cached[2] > self._clock():
            return cached[0]
        with self._lock:
            cached = self._store.load()
            if cached and cached[2] > self._clock():
                return cached[0]
            return self._renew()

    def _renew(self):
        now = self._clock()
        token = self._fetch()
        claims = jwt_claims(token)
        exp = claims.get("exp")
        expires_at = (
            float(exp) if isinstance(exp, int | float) else now + TOKEN_LIFETIME
        )
        lifetime = max(expires_at - now, 0)
        refresh_at = expires_at - min(REFRESH_MARGIN, lifetime * 0.1)
        self._store.save(token, expires_at, refresh_at)
        return token

    def current(self):
        cached = self._store.load()
        return cached[0] if cached else None

    def invalidate(self, token=None):
        """Forget the token; with ``token``, only if it is still the cached one
        (a token another thread renewed in the meantime is kept)."""
        with self._lock:
            if token is not None and self.current() != token:
                return
            self._store.clear()


class Redactor:
    """Removes the access key and tokens from any text that leaves the client."""

    MASK = "***"
    _KEY_RE = re.compile(
        r'("?(?:access_key|token|password)"?\s*[:=]\s*"?)([^"\s,}&]+)', re.I
    )
    _BEARER_RE = re.compile(r"(Bearer\s+)\S+", re.I)

    def __init__(self, *secrets):
        self._secrets = {s for s in secrets if s}

    def add(self, secret):
        if secret:
            self._secrets.add(secret)

    def __call__(self, text):
        if text is None:
            return text
        if not isinstance(text, str):
            text = str(text)
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, self.MASK)
        text = _JWT_RE.sub(self.MASK, text)
        text = self._BEARER_RE.sub(r"\1" + self.MASK, text)
        return self._KEY_RE.sub(r"\1" + self.MASK, text)
