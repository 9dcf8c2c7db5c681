# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Helpers shared by the models: UTC datetimes, one-line addresses, the token
and API-path stores."""

import datetime as dt
import json
import logging
import threading

from ..compat import in_test_mode

_logger = logging.getLogger(__name__)


def utc(value):
    """An Odoo (naive UTC) datetime as an aware one, or None."""
    return value.replace(tzinfo=dt.timezone.utc) if value else None


def one_line(*parts):
    """Join address parts on one line (the API rejects line breaks)."""
    return ", ".join(" ".join(p.split()) for p in parts if p and p.strip())


#: token cache shared by the workers of one process, keyed by database and account
_TOKENS = {}
_TOKENS_LOCK = threading.Lock()
_RENEW_LOCKS = {}  # one per account: a single token fetch at a time


class AccountTokenStore:
    """Keeps an account's token in memory and on the account record.

    The record is written through its own short transaction, so that concurrent
    workers never wait on (or roll back with) each other's business transactions.
    """

    def __init__(self, account):
        self.key = (account.env.cr.dbname, account.id)
        self.account = account
        self.registry = account.pool
        self.owner = threading.get_ident()
        with _TOKENS_LOCK:
            self.lock = _RENEW_LOCKS.setdefault(self.key, threading.Lock())

    def load(self):
        with _TOKENS_LOCK:
            cached = _TOKENS.get(self.key)
        if cached:
            return cached
        if threading.get_ident() != self.owner:
            return None  # a drain worker thread never touches the ORM
        account = self.account.sudo()
        if account.token and account.token_refresh_at:
            cached = (account.token, account.token_expires_at, account.token_refresh_at)
            with _TOKENS_LOCK:
                _TOKENS[self.key] = cached
            return cached
        return None

    def save(self, token, expires_at, refresh_at):
        with _TOKENS_LOCK:
            _TOKENS[self.key] = (token, expires_at, refresh_at)
        self._persist(token, expires_at, refresh_at)

    def clear(self):
        with _TOKENS_LOCK:
            _TOKENS.pop(self.key, None)
        self._persist(None, 0.0, 0.0)

    def _persist(self, token, expires_at, refresh_at):
        if getattr(threading.current_thread(), "testing", False) or in_test_mode(
            self.registry
        ):
            return  # tests run in one transaction; the memory cache is enough
        try:
            with self.registry.cursor() as cr:
                cr.execute(
                    "UPDATE sevensenders_account SET token=%s, token_expires_at=%s, "
                    "token_refresh_at=%s WHERE id=%s",
                    (token, expires_at, refresh_at, self.key[1]),
                )
        except Exception:  # noqa: BLE001 - a cache write must never break a sync
            _logger.info(
                "Seven Senders: could not store the token of account %s", self.key[1]
            )


#: API paths learned per account (database, account id): {operation: path}
_PATHS = {}


class AccountPathStore:
    """Remembers which documented path spelling answered, per account.

    The client calls :meth:`learn` from whatever thread sent the call; the path
    is kept in memory at once and written through a short transaction of its
    own (not in tests, which run in one transaction: memory is enough there).
    """

    def __init__(self, account):
        self.key = (account.env.cr.dbname, account.id)
        self.registry = account.pool

    def learned(self, stored):
        """The stored paths (the account's JSON) with what memory adds."""
        try:
            paths = json.loads(stored or "{}")
        except ValueError:
            paths = {}
        with _TOKENS_LOCK:
            paths.update(_PATHS.get(self.key, {}))
        return paths

    def learn(self, operation, path):
        with _TOKENS_LOCK:
            paths = _PATHS.setdefault(self.key, {})
            paths[operation] = path
            snapshot = dict(paths)
        if getattr(threading.current_thread(), "testing", False) or in_test_mode(
            self.registry
        ):
            return
        try:
            with self.registry.cursor() as cr:
                cr.execute(
                    "SELECT api_paths_learned FROM sevensenders_account WHERE id=%s",
                    (self.key[1],),
                )
                row = cr.fetchone()
                stored = json.loads(row[0] or "{}") if row else {}
                stored.update(snapshot)
                cr.execute(
                    "UPDATE sevensenders_account SET api_paths_learned=%s WHERE id=%s",
                    (json.dumps(stored, sort_keys=True), self.key[1]),
                )
        except Exception:  # noqa: BLE001 - remembering must never break a sync
            _logger.info(
                "Seven Senders: could not store the paths of account %s", self.key[1]
            )

    def forget(self):
        with _TOKENS_LOCK:
            _PATHS.pop(self.key, None)
