# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The outbox's drain: claim due rows, send them in waves through the one
operation contract (``sevensenders.operation``), record each outcome.
"""

import logging
import queue
import random
import time
from concurrent.futures import ThreadPoolExecutor
from functools import partial

from psycopg2 import OperationalError

from odoo import api, fields, models
from odoo.service.model import PG_CONCURRENCY_ERRORS_TO_RETRY
from odoo.tools import SQL

from ..compat import cron_progress, in_test_mode
from ..sevensenders import (
    AdaptiveLimiter,
)
from .common import AccountTokenStore
from .sevensenders_outbox import RECORDED_ERRORS
from .sevensenders_outbox_commits import group_of, grouped_commits
from .sevensenders_waits import NotReady

_logger = logging.getLogger(__name__)

# the claim (see SevenSendersOutboxDrain._sevensenders_claim): it reads the
# waiting rows only, in id order, on the outbox's partial index ``_claim_idx``
# (its condition is the first line of WHERE), and looks up each one's
# transfer (``OFFSET 0``: one lookup per row, never a join of all transfers)
CLAIM_QUERY = """
WITH candidate AS MATERIALIZED (
    SELECT o.id,
           CASE WHEN p.sale_id IS NOT NULL THEN 'sale.order'
                ELSE o.res_model END AS lock_model,
           COALESCE(p.sale_id, o.res_id, 0) AS lock_id
      FROM sevensenders_outbox o
      JOIN sevensenders_account a ON a.id = o.account_id AND a.active
      LEFT JOIN LATERAL (
            SELECT sp.sale_id FROM stock_picking sp
             WHERE o.res_model = 'stock.picking' AND sp.id = o.res_id OFFSET 0
      ) p ON TRUE
     WHERE o.state IN ('pending', 'retry') AND o.next_attempt_at <= %(now)s
       AND %(only)s
     ORDER BY o.id
     LIMIT %(window)s
)
SELECT o.id
  FROM candidate c
  JOIN sevensenders_outbox o ON o.id = c.id
 WHERE %(lock)s(hashtext(c.lock_model), c.lock_id)
 ORDER BY o.id
 LIMIT %(limit)s
   FOR UPDATE OF o SKIP LOCKED
"""


class FailureLog:
    """The failed exchanges of the call in progress on one client (its
    ``on_failure``), so that the row shows every retry, also those the client
    made on its own before it succeeded."""

    def __init__(self):
        self.failures = []

    def __call__(self, info):
        self.failures.append(info)

    def take(self):
        failures, self.failures = self.failures, []
        return failures


class _Sender:
    """The HTTP side of a drain for one account: worker clients sharing the
    account's token store and an adaptive bound on the calls in flight.
    ``submit(send)`` runs one call in a worker thread; worker threads never
    touch the ORM."""

    def __init__(self, account, workers=None):
        """``workers``: at most this many (fewer calls to make than the
        account's *Parallel calls*)."""
        self.workers = max(min(account.outbox_concurrency, workers or 1 << 16), 1)
        limiter = AdaptiveLimiter(self.workers)
        # the stored token is read here; a missing or expiring one is fetched
        # by the first worker that needs it (the others wait for it)
        store = AccountTokenStore(account)
        store.load()
        self.clients = queue.SimpleQueue()
        self.opened = []
        self.pool = None
        try:
            for _i in range(self.workers):
                log = FailureLog()
                client = account._sevensenders_client(
                    limiter=limiter, on_failure=log, token_store=store
                )
                self.opened.append(client)
                self.clients.put((client, log))
        except Exception:
            self.close()
            raise
        self.pool = ThreadPoolExecutor(
            max_workers=self.workers, thread_name_prefix="sevensenders-outbox"
        )

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self):
        if self.pool is not None:
            self.pool.shutdown(wait=True)
        for client in self.opened:
            client.close()

    def _call(self, send):
        client, log = self.clients.get()
        try:
            log.take()
            try:
                return send(client), None, log.take()
            except Exception as exc:  # noqa: BLE001 - recorded in the cron thread
                return None, exc, log.take()
        finally:
            self.clients.put((client, log))

    def submit(self, send):
        """A future of ``(result, exception, failed exchanges)``."""
        return self.pool.submit(self._call, send)


class _Refill:
    """More rows for a scheduled drain while its calls are in flight: a claim
    of up to ``batch_size`` due rows of the account being sent (and of the
    drain's shard), none of them claimed by this drain before, until the
    drain has claimed ``budget`` rows in all (five batches), or for
    ``seconds`` (30) after it started. The workers so never stand idle between
    two batches (the tail of one batch, the next one's claim and
    preparation), and a drain still ends soon, for the scheduler's progress
    and time limits."""

    def __init__(self, outbox, batch_size, shard=None, budget=None, seconds=30):
        self.outbox = outbox
        self.batch_size = batch_size
        self.shard = shard
        self.budget = budget or 5 * batch_size
        self.until = time.monotonic() + seconds
        self.seen = set()
        self.claimed = 0

    def took(self, rows):
        self.seen.update(rows.ids)
        self.claimed += len(rows)

    def __call__(self, account):
        limit = min(self.batch_size, self.budget - self.claimed)
        if limit <= 0 or time.monotonic() > self.until:
            return self.outbox.browse()
        # a scheduled drain commits in groups: its group is there
        group = group_of(self.outbox.env.cr)
        rows = self.outbox._sevensenders_claim(
            limit,
            session=group is not None,
            shard=self.shard or (account.id, 0, 1),
            exclude=self.seen,
            more=True,
        )
        if group is not None:
            group.commit()  # the rows' locks go, the advisory locks stay
        self.took(rows)
        return rows


class _Round:
    """The bookkeeping of one round of the drain (see
    ``SevenSendersOutboxDrain._sevensenders_round``): each document's rows in
    order, the calls in flight and the rows left for the next round. Calls
    are handed to the sender's pool as soon as they are prepared (the pool
    queues what exceeds its workers, so that its workers never wait for this
    thread); finished calls are taken from a queue, not by polling every
    future in flight."""

    def __init__(self, rows, registry, sender, refill=None):
        self.rows = rows.browse()
        self.registry = registry
        self.sender = sender
        self.refill = refill
        self.queues = {}
        self.documents = {}
        self.later = rows.browse()
        self.in_flight = {}
        self.sent = []
        self.finished = queue.SimpleQueue()
        self.add(rows)

    def add(self, rows):
        """Take these rows into the round; answers the documents to start
        (those with no call in flight). A row of a document that waits for the
        next round waits with it: a document's rows go in order."""
        self.rows |= rows
        self.documents.update(rows._sevensenders_documents())
        busy = {key for _row, _document, _call, key in self.in_flight.values()}
        waiting = {(row.res_model, row.res_id) for row in self.later}
        start = {}
        for row in rows:
            key = (row.res_model, row.res_id)
            if key in waiting:
                self.later |= row
                continue
            self.queues.setdefault(key, []).append(row)
            if key not in busy:
                start[key] = True
        return list(start)

    def top_up(self):
        """Before the calls in flight run out, claim more due rows (see
        ``_Refill``) and start them, so that the workers never wait for the
        next batch's claim."""
        while self.refill is not None and len(self.in_flight) < 2 * self.sender.workers:
            rows = self.refill()
            if not rows:
                self.refill = None  # nothing more due, or the drain's budget is spent
                return
            for key in self.add(rows):
                self.start(key)

    def start(self, key):
        """Send the next row of a document that can go now."""
        queue_ = self.queues[key]
        while queue_:
            row = queue_.pop(0)
            plan = row._sevensenders_plan(
                self.registry, self.rows, self.documents.get(key, False)
            )
            if plan == "later":
                self.later |= row.browse([row.id] + [r.id for r in queue_])
                queue_.clear()
                return
            if plan is None:
                continue  # recorded: nothing to send, waiting or failed
            document, call = plan
            future = self.sender.submit(call.send)
            self.in_flight[future] = (row, document, call, key)
            future.add_done_callback(self.finished.put)
            return

    def completed(self):
        """The calls finished since the last time (at least one), in row order.
        While it waits, the outcomes recorded so far are committed when
        their time comes (scheduled runs: see ``CommitGroup``)."""
        group = group_of(self.rows.env.cr)
        while True:
            try:
                done = [self.finished.get(timeout=group and group.due_in())]
                break
            except queue.Empty:
                group.commit()
        while True:
            try:
                done.append(self.finished.get_nowait())
            except queue.Empty:
                break
        return sorted(done, key=lambda f: self.in_flight[f][0].id)


class SevenSendersOutboxDrain(models.Model):
    _inherit = "sevensenders.outbox"

    def _sevensenders_due_domain(self):
        return [
            ("state", "in", ("pending", "retry")),
            ("next_attempt_at", "<=", fields.Datetime.now()),
            ("account_id.active", "=", True),
        ]

    @api.model
    def _sevensenders_claim(
        self, limit, session=False, ids=None, shard=None, exclude=(), more=False
    ):
        """Lock up to ``limit`` due rows that no other worker holds.

        Rows of archived accounts wait (they are not sent, nor given up).
        Rows are claimed per order: the rows of a sale order and of its
        transfers go to one worker at a time (a transaction-level advisory lock
        on the order), so that two workers never write the same order at once,
        which would make one of them fail its whole batch and send it again.

        With ``session``, the advisory locks outlive the transaction: the rows
        stay claimed across the commits made after each row, until
        :meth:`_sevensenders_unclaim` (or the end of the connection). With
        ``ids`` or ``shard``, see :meth:`_sevensenders_claim_only`; rows of
        ``exclude`` (ids) are not claimed. A row that another worker finished
        since this transaction's snapshot makes the claim fail (PostgreSQL
        will not lock it): nothing is claimed this time, and with ``session``
        the session's claims are released, unless ``more`` (a drain claiming
        more rows while it sends those it holds: they stay claimed until its
        end, with the locks the failed claim took).
        """
        self.flush_model(["state", "next_attempt_at"])
        self.env["sevensenders.account"].flush_model(["active"])
        lock = "pg_try_advisory_lock" if session else "pg_try_advisory_xact_lock"
        query = SQL(
            CLAIM_QUERY,
            now=fields.Datetime.now(),
            window=4 * limit,
            limit=limit,
            lock=SQL.identifier(lock),
            only=self._sevensenders_claim_only(ids, shard, exclude),
        )
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(query)
                ids = [r[0] for r in self.env.cr.fetchall()]
        except OperationalError as exc:
            if exc.pgcode not in PG_CONCURRENCY_ERRORS_TO_RETRY:
                raise
            _logger.info("Seven Senders outbox: claim raced another worker: %s", exc)
            if session and not more:
                self._sevensenders_unclaim()
            return self.browse()
        return self.browse(ids)

    @api.model
    def _sevensenders_claim_only(self, ids, shard, exclude=()):
        """The claim's condition on its candidates ``o`` (``p``: the transfer
        of a transfer's row): these ``ids``; with ``shard`` ``(account id,
        index, count)``, the rows of that account whose lock key (the order,
        or the row's document) modulo ``count`` is ``index``: all the rows of
        one order are in one shard; none of ``exclude``."""
        return SQL(
            "%s AND %s AND NOT o.id = ANY(%s)",
            SQL("o.id = ANY(%s)", list(ids)) if ids is not None else SQL("TRUE"),
            SQL(
                "o.account_id = %s AND mod(COALESCE(p.sale_id, o.res_id, 0), %s) = %s",
                shard[0],
                shard[2],
                shard[1],
            )
            if shard
            else SQL("TRUE"),
            list(exclude),
        )

    @api.model
    def _sevensenders_unclaim(self):
        self.env.cr.execute("SELECT pg_advisory_unlock_all()")

    def _sevensenders_commit_mode(self):
        """Whether each row's outcome is committed as soon as it is known: in
        a scheduled run (``cron_id``) or when asked (``sevensenders_commit``),
        never inside a test's transaction."""
        context = self.env.context
        return bool(
            (context.get("cron_id") or context.get("sevensenders_commit"))
            and not in_test_mode(self.env.registry)
        )

    def _sevensenders_record(self, step, rerun=True, failures=tuple):
        """Run ``step`` (it records one call's outcome); in commit mode, commit
        it: in a drain, with the outcomes that come soon after it (see
        ``CommitGroup``), else on its own (:meth:`_sevensenders_record_alone`)."""
        if not self._sevensenders_commit_mode():
            return step()
        group = group_of(self.env.cr)
        if group is None or not rerun:
            if group is not None:
                group.commit()
            return self._sevensenders_record_alone(step, rerun, failures)
        return group.record(self, step, failures)

    def _sevensenders_record_alone(self, step, rerun=True, failures=tuple):
        """Run ``step`` (it records one call's outcome) and commit it on its
        own (commit mode). A user changing the same document at that moment
        makes PostgreSQL refuse the commit: with ``rerun`` (the step only
        writes) it is run again on fresh data, a few times; then, or at once
        without ``rerun`` (the step makes the call), the row is marked to be
        sent again, with the failed exchanges that ``failures()`` answers."""
        cr = self.env.cr
        for tries in range(4 if rerun else 1):
            try:
                result = step()
                cr.commit()  # pylint: disable=invalid-commit
                return result
            except OperationalError as exc:
                if exc.pgcode not in PG_CONCURRENCY_ERRORS_TO_RETRY:
                    raise
                cr.rollback()
                _logger.info(
                    "Seven Senders outbox %s: concurrent update (%s), try %d",
                    self.ids,
                    exc.pgcode,
                    tries + 1,
                )
                if rerun:
                    time.sleep(random.uniform(0.05, 0.3) * (tries + 1))
        self._sevensenders_failed(
            self.env._(
                "The document was being changed at the same time; the call is "
                "sent again."
            ),
            failures=failures(),
        )
        cr.commit()  # pylint: disable=invalid-commit
        return None

    @api.model
    def _cron_sevensenders_drain(self, batch_size=200, shard=None, seconds=30):
        """Send up to ``batch_size`` due rows (of ``shard``, see
        :meth:`_sevensenders_claim`), and more of them while those are in
        flight (``_Refill``: up to five batches in one call, claimed during
        ``seconds``); answers how many were claimed."""
        commit = self._sevensenders_commit_mode()
        refill = _Refill(self, batch_size, shard, seconds=seconds)
        rows = self._sevensenders_claim(batch_size, session=commit, shard=shard)
        refill.took(rows)
        if not commit:
            rows._sevensenders_process(refill)
        else:
            try:
                # the row locks go, the claim stays (scheduled runs only: see
                # _sevensenders_commit_mode)
                self.env.cr.commit()  # pylint: disable=invalid-commit
                with grouped_commits(self.env.cr):
                    rows._sevensenders_process(refill)
            except Exception:
                self.env.cr.rollback()
                raise
            finally:
                self._sevensenders_unclaim()
        remaining = self.sudo().search_count(self._sevensenders_due_domain())
        cron_progress(self.env, done=refill.claimed, remaining=remaining)
        return refill.claimed

    def _sevensenders_process(self, refill=None):
        """Send these (claimed) rows: every row, whatever its operation, goes
        through the one path of :meth:`_sevensenders_send_waves`; with
        ``refill`` (a scheduled drain), with more of each account's due rows
        claimed on the way."""
        for account in self.account_id:
            rows = self.filtered(lambda r, a=account: r.account_id == a).sorted("id")
            try:
                sender = _Sender(account)
            except RECORDED_ERRORS as exc:
                for row in rows:
                    row._sevensenders_error(None, exc)
                continue
            with sender:
                rows._sevensenders_send_waves(
                    sender, refill and partial(refill, account)
                )

    # ------------------------------------------------------------------
    # The drain, in rounds. In a round, each document's rows go in order,
    # each row as soon as the one before it is recorded and what it waits
    # for is sent; the HTTP calls of different documents overlap in worker
    # threads (up to the account's concurrency, with a shared bound that
    # backs off on 429); every database read and write stays on this (the
    # cron's) cursor, in this thread. A row waiting for a row of another
    # document in the batch goes in the next round. A concurrency of 1 is
    # the same path with one worker.
    # ------------------------------------------------------------------

    def _sevensenders_send_waves(self, sender, refill=None):
        registry = self.env["sevensenders.operation"]._sevensenders_registry()
        remaining = self
        while remaining:
            round_ = remaining._sevensenders_round(registry, sender, refill)
            later = round_.later
            if later and len(later) == len(round_.rows):
                for row in later:  # what blocks them did not get through
                    row._sevensenders_record(
                        partial(row._sevensenders_wait, (later - row) or row)
                    )
                return
            remaining = later
            refill = round_.refill  # None once it found nothing more

    def _sevensenders_round(self, registry, sender, refill=None):
        """Send what can go of these rows (and of the rows ``refill`` claims
        meanwhile); answers the round (``_Round``), whose ``later`` rows wait
        for rows of another document sent in this round."""
        round_ = _Round(self, registry, sender, refill)
        for key in list(round_.queues):
            round_.start(key)
        round_.top_up()
        while round_.in_flight:
            for future in round_.completed():
                row, document, call, key = round_.in_flight.pop(future)
                result, exc, failures = future.result()
                row._sevensenders_record(
                    partial(
                        row._sevensenders_apply,
                        document,
                        call.apply,
                        result,
                        exc,
                        failures,
                    ),
                    failures=partial(tuple, failures),
                )
                round_.sent.append(row.id)
                round_.start(key)
            round_.top_up()
        if round_.sent:
            self._sevensenders_record(
                self.browse(round_.sent)._sevensenders_wake_dependents
            )
        return round_

    def _sevensenders_documents(self):
        """The document of each of these rows by ``(model, id)``: one query
        per model, and the documents of a model share their prefetch (what
        the rows' calls read of them is read for all at once). A deleted one
        is an empty recordset, one of a model not installed ``None``."""
        ids = {}
        for row in self:
            ids.setdefault(row.res_model, []).append(row.res_id)
        documents = {}
        for model, res_ids in ids.items():
            if model not in self.env:
                documents.update(dict.fromkeys(((model, i) for i in res_ids), None))
                continue
            records = self.env[model].browse(dict.fromkeys(res_ids))
            existing = set(records.exists().ids)
            for record in records:
                documents[model, record.id] = (
                    record if record.id in existing else records.browse()
                )
        return documents

    def _sevensenders_plan(self, registry, batch, document=False):
        """``(document, Call)`` to send this row now; ``"later"`` when it waits
        for rows of ``batch`` (this drain) not sent yet; ``None`` when the
        outcome is recorded already (nothing to send, waiting, or failed).
        ``document``: the row's document when known already (see
        :meth:`_sevensenders_documents`)."""
        self.ensure_one()
        operation = registry.get(self.operation)
        if operation is None:
            self._sevensenders_record(
                partial(
                    self._sevensenders_failed,
                    f"no definition for {self.operation}",
                    final=True,
                )
            )
            return None
        if document is False:
            document = self._sevensenders_document()
        blocking = (
            operation.waits_for(self, document)
            if operation.waits_for and document
            else self.browse()
        )
        if blocking and not blocking - batch:
            return "later"
        if blocking:
            self._sevensenders_record(
                partial(self._sevensenders_wait, blocking - batch)
            )
            return None
        try:  # prepare only reads: no savepoint needed
            call = operation.prepare(self, document)
        except NotReady as exc:
            self._sevensenders_record(partial(self._sevensenders_await, exc.what))
            return None
        except RECORDED_ERRORS as exc:
            self._sevensenders_record(partial(self._sevensenders_error, document, exc))
            return None
        if call is None:  # nothing to send
            self._sevensenders_record(
                partial(self._sevensenders_succeeded, document, None)
            )
            return None
        return document, call

    def _sevensenders_apply(self, document, apply, result, exc, failures=()):
        """Record the outcome of a call made in a worker thread. The result
        and the row's success are written together (one flush: the
        document's Seven Senders id and its sync state in one update)."""
        self.ensure_one()
        if exc is None and apply is None:  # nothing to write but the row
            self._sevensenders_succeeded(document, result, failures)
            return
        if exc is None:
            try:
                with self.env.cr.savepoint():
                    self._sevensenders_succeeded(document, apply(result), failures)
                return
            except RECORDED_ERRORS as e:
                exc = e
        if isinstance(exc, RECORDED_ERRORS):
            self._sevensenders_error(document, exc, failures)
        else:
            raise exc
