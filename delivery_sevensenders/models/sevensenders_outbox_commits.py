# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The commits of a scheduled drain, in groups (see :class:`CommitGroup`)."""

import logging
import random
import time
from contextlib import contextmanager

from psycopg2 import OperationalError

from odoo.service.model import PG_CONCURRENCY_ERRORS_TO_RETRY

_logger = logging.getLogger(__name__)

# the group of the drain running on a cursor, by id(cursor)
_GROUPS = {}


class CommitGroup:
    """The outcomes of a scheduled drain, committed in groups.

    Each outcome is written as soon as its call is answered, and committed
    with the outcomes that follow it within ``interval`` seconds (``size``
    at most), or when the drain is done. A commit empties Odoo's cache, so
    the batch's rows and documents are read again after each one: with a
    commit per row, the drain waited on the database more than on Seven
    Senders (at 50 ms a call, a third of its calls in flight).

    At most ``interval`` seconds of outcomes are uncommitted. If the process
    dies then, those rows are sent again, which the outbox's duplicate
    handling absorbs, as it does an answer lost on the way.

    A user changing one of the documents at the same moment makes
    PostgreSQL refuse a write or the commit: the group is rolled back and
    its steps (they only write) run again on fresh data, a few times; then
    one at a time, each with its own commit and retries, as without a
    group."""

    interval = 0.25
    size = 64
    tries = 3

    def __init__(self, cr):
        self.cr = cr
        self.pending = []  # (row, step, failures)
        self.since = 0.0

    def due_in(self):
        """Seconds until the pending outcomes are committed (``None``:
        nothing is pending)."""
        if not self.pending:
            return None
        return max(0.0, self.since + self.interval - time.monotonic())

    def record(self, row, step, failures):
        """Run ``step`` (it writes one call's outcome for ``row``); it is
        committed with the group."""
        if not self.pending:
            self.since = time.monotonic()
        self.pending.append((row, step, failures))
        try:
            step()
        except OperationalError as exc:
            if exc.pgcode not in PG_CONCURRENCY_ERRORS_TO_RETRY:
                raise
            self._rolled_back(exc, 0)
            self.commit(rerun=True)
            return
        if len(self.pending) >= self.size or not self.due_in():
            self.commit()

    def commit(self, rerun=False):
        """Commit the pending outcomes (``rerun``: write them again first,
        after a rollback)."""
        for attempt in range(1, self.tries + 1):
            try:
                if rerun:
                    for _row, step, _failures in self.pending:
                        step()
                self.cr.commit()  # pylint: disable=invalid-commit
                self.pending.clear()
                return
            except OperationalError as exc:
                if exc.pgcode not in PG_CONCURRENCY_ERRORS_TO_RETRY:
                    raise
                self._rolled_back(exc, attempt)
                rerun = True
        pending, self.pending = self.pending, []
        for row, step, failures in pending:
            row._sevensenders_record_alone(step, failures=failures)

    def _rolled_back(self, exc, attempt):
        self.cr.rollback()
        _logger.info(
            "Seven Senders outbox: concurrent update (%s) in a group of %d "
            "outcomes, try %d",
            exc.pgcode,
            len(self.pending),
            attempt + 1,
        )
        if attempt:
            time.sleep(random.uniform(0.05, 0.3) * attempt)


def group_of(cr):
    """The group of the drain running on this cursor, if any."""
    return _GROUPS.get(id(cr))


@contextmanager
def grouped_commits(cr, group_class=CommitGroup):
    """Commit the outcomes recorded on ``cr`` in groups while the block runs;
    what is pending when it ends is committed (on an exception, it is left
    to the caller's rollback: those rows are sent again)."""
    if id(cr) in _GROUPS:  # nested: the outer drain's group
        yield _GROUPS[id(cr)]
        return
    group = _GROUPS[id(cr)] = group_class(cr)
    try:
        yield group
        group.commit()
    finally:
        del _GROUPS[id(cr)]
