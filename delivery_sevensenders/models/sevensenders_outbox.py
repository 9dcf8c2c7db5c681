# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The durable outbox: every call that is not needed interactively is recorded
in the same transaction as the business change, then sent by a cron.

Rows are claimed with ``FOR UPDATE SKIP LOCKED`` so that several workers never
send the same row; a failed row is retried with exponential backoff and, after
the account's maximum attempts, becomes "dead" with an activity for the
responsible user. Creates are idempotent (the client looks the object up by our
reference before sending again), so a worker dying between the API's answer and
the commit never makes a second order or shipment.
"""

import logging
import queue
import random
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from functools import partial

from markupsafe import Markup
from psycopg2 import OperationalError

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.service.model import PG_CONCURRENCY_ERRORS_TO_RETRY
from odoo.tools import SQL

from ..sevensenders import (
    AdaptiveLimiter,
    APIConnectionError,
    RateLimitError,
    SevenSendersError,
)
from .access import check_caller
from .sevensenders_account import AccountTokenStore

_logger = logging.getLogger(__name__)

BACKOFF_BASE = 60  # seconds; doubled per attempt
BACKOFF_MAX = 6 * 3600
MAX_ERROR_LOG = 50  # attempt lines kept per row


class SevenSendersWait(Exception):
    """The row depends on another one not sent yet: try again later."""


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


class SevenSendersOutbox(models.Model):
    _name = "sevensenders.outbox"
    _description = "Seven Senders Outbox"
    _order = "id desc"
    _rec_name = "display_name"

    account_id = fields.Many2one(
        "sevensenders.account", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="account_id.company_id", store=True, index=True
    )
    operation = fields.Selection(
        [
            ("order_create", "Create order"),
            ("order_update", "Update order"),
            ("order_delete", "Delete order"),
            ("order_state", "Order state"),
            ("boarding_complete", "Boarding complete"),
            ("shipment_create", "Create shipment"),
            ("customs_create", "Create customs shipment"),
            ("order_items_create", "Create order items"),
            ("order_items_link", "Link order items to shipment"),
            ("shipment_event", "Shipment event"),
            ("product_push", "Push product"),
        ],
        required=True,
        index=True,
    )
    res_model = fields.Char("Document model", required=True, index=True)
    res_id = fields.Many2oneReference("Document", model_field="res_model", index=True)
    record_name = fields.Char("Document name")
    payload = fields.Json(
        help="What the call needs that may no longer be on the document."
    )
    dedupe_key = fields.Char(index=True, copy=False)
    state = fields.Selection(
        [
            ("pending", "Pending"),
            ("retry", "Failed, will retry"),
            ("done", "Sent"),
            ("dead", "Failed"),
            ("cancelled", "Cancelled"),
        ],
        default="pending",
        required=True,
        index=True,
    )
    attempts = fields.Integer(readonly=True)
    http_failures = fields.Integer(
        "Failed exchanges",
        readonly=True,
        help="HTTP exchanges of this call that failed (error status, lost or "
        "refused connection), including those the client retried at once.",
    )
    next_attempt_at = fields.Datetime(
        default=fields.Datetime.now, index=True, readonly=True
    )
    last_error = fields.Text(readonly=True)
    attempt_log = fields.Text(readonly=True)
    result_ref = fields.Char("Seven Senders id", readonly=True)
    done_at = fields.Datetime(readonly=True)

    @api.depends("operation", "record_name")
    def _compute_display_name(self):
        labels = dict(self._fields["operation"]._description_selection(self.env))
        for row in self:
            row.display_name = (
                f"{labels.get(row.operation, row.operation)}: {row.record_name or ''}"
            )

    # ------------------------------------------------------------------
    # Enqueue
    # ------------------------------------------------------------------

    @api.model
    def _sevensenders_enqueue(
        self, account, operation, record, payload=None, dedupe_key=None, coalesce=False
    ):
        """Record a call for ``record``; it is sent after the transaction commits.

        ``dedupe_key``: a row with that key already sent or waiting means this
        call is not recorded again; with ``coalesce`` only a waiting one counts
        (e.g. several order updates before the cron runs make one call).
        """
        outbox = self.sudo()
        # a document that never had a row (no sync state yet) has none to dedupe
        # against: the search is skipped on the confirmation path's first call
        tracked = "sevensenders_sync_state" in record._fields
        if dedupe_key and (not tracked or record.sevensenders_sync_state):
            states = (
                ("pending", "retry")
                if coalesce
                else ("pending", "retry", "done", "dead")
            )
            existing = outbox.search(
                [("dedupe_key", "=", dedupe_key), ("state", "in", states)], limit=1
            )
            if existing:
                return existing
        row = outbox.create(
            {
                "account_id": account.id,
                "operation": operation,
                "res_model": record._name,
                "res_id": record.id,
                "record_name": record.display_name,
                "payload": payload,
                "dedupe_key": dedupe_key,
            }
        )
        if tracked:
            record._sevensenders_set_sync_state("pending")
        self._sevensenders_trigger()
        return row

    @api.model
    def _sevensenders_trigger(self):
        """Wake the outbox cron once this transaction commits (one trigger each)."""
        data = self.env.cr.precommit.data
        if data.get("sevensenders_outbox_trigger"):
            return
        data["sevensenders_outbox_trigger"] = True
        cron = self.env.ref("delivery_sevensenders.ir_cron_sevensenders_outbox", False)
        if cron:
            self.env.cr.precommit.add(cron.sudo()._trigger)

    # ------------------------------------------------------------------
    # Drain
    # ------------------------------------------------------------------

    def _sevensenders_due_domain(self):
        return [
            ("state", "in", ("pending", "retry")),
            ("next_attempt_at", "<=", fields.Datetime.now()),
            ("account_id.active", "=", True),
        ]

    @api.model
    def _sevensenders_claim(self, limit, session=False):
        """Lock up to ``limit`` due rows that no other worker holds.

        Rows of archived accounts wait (they are not sent, nor given up).
        Rows are claimed per order: the rows of a sale order and of its
        transfers go to one worker at a time (a transaction-level advisory lock
        on the order), so that two workers never write the same order at once,
        which would make one of them fail its whole batch and send it again.

        With ``session``, the advisory locks outlive the transaction: the rows
        stay claimed across the commits made after each row, until
        :meth:`_sevensenders_unclaim` (or the end of the connection). A row that
        another worker finished since this transaction's snapshot makes the
        claim fail (PostgreSQL will not lock it): nothing is claimed this time.
        """
        self.flush_model(["state", "next_attempt_at"])
        lock = "pg_try_advisory_lock" if session else "pg_try_advisory_xact_lock"
        query = SQL(
            """
            WITH candidate AS MATERIALIZED (
                SELECT o.id,
                       CASE WHEN p.sale_id IS NOT NULL THEN 'sale.order'
                            ELSE o.res_model END AS lock_model,
                       COALESCE(p.sale_id, o.res_id, 0) AS lock_id
                  FROM sevensenders_outbox o
                  JOIN sevensenders_account a ON a.id = o.account_id AND a.active
                  LEFT JOIN stock_picking p
                    ON o.res_model = 'stock.picking' AND p.id = o.res_id
                 WHERE o.state IN ('pending', 'retry') AND o.next_attempt_at <= %(now)s
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
            """,
            now=fields.Datetime.now(),
            window=4 * limit,
            limit=limit,
            lock=SQL.identifier(lock),
        )
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(query)
                ids = [r[0] for r in self.env.cr.fetchall()]
        except OperationalError as exc:
            if exc.pgcode not in PG_CONCURRENCY_ERRORS_TO_RETRY:
                raise
            _logger.info("Seven Senders outbox: claim raced another worker: %s", exc)
            if session:
                self._sevensenders_unclaim()
            return self.browse()
        return self.browse(ids)

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
            and not self.env.registry.in_test_mode()
        )

    def _sevensenders_record(self, step, rerun=True, failures=tuple):
        """Run ``step`` (it records one call's outcome); in commit mode, commit
        it. A user changing the same document at that moment makes PostgreSQL
        refuse the commit: with ``rerun`` (the step only writes) it is run again
        on fresh data, a few times; then, or at once without ``rerun`` (the
        step makes the call), the row is marked to be sent again, with the
        failed exchanges that ``failures()`` answers."""
        if not self._sevensenders_commit_mode():
            return step()
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
    def _cron_sevensenders_drain(self, batch_size=200):
        commit = self._sevensenders_commit_mode()
        rows = self._sevensenders_claim(batch_size, session=commit)
        if not commit:
            rows._sevensenders_process()
        else:
            try:
                # the row locks go, the claim stays (scheduled runs only: see
                # _sevensenders_commit_mode)
                self.env.cr.commit()  # pylint: disable=invalid-commit
                rows._sevensenders_process()
            except Exception:
                self.env.cr.rollback()
                raise
            finally:
                self._sevensenders_unclaim()
        remaining = self.sudo().search_count(self._sevensenders_due_domain())
        self.env["ir.cron"]._notify_progress(done=len(rows), remaining=remaining)
        return len(rows)

    def _sevensenders_process(self):
        for account in self.account_id:
            rows = self.filtered(lambda r, a=account: r.account_id == a)
            log = FailureLog()
            try:
                client = account._sevensenders_client(on_failure=log)
            except (UserError, SevenSendersError) as exc:
                for row in rows:
                    row._sevensenders_failed(str(exc))
                continue
            with client:
                sequential = rows
                if account.outbox_concurrency > 1 and len(rows) > 1:
                    tasks, sequential = rows._sevensenders_plan()
                    if len(tasks) < 2:
                        for task in tasks:
                            sequential |= self.browse([t[0].id for t in task])
                        sequential = sequential.sorted("id")
                    else:
                        self._sevensenders_run_concurrently(account, tasks)
                for row in sequential:
                    row._sevensenders_run(client, log)

    # ------------------------------------------------------------------
    # Concurrent drain: the HTTP calls of several documents overlap in worker
    # threads, with a shared bound that backs off on 429; every database read
    # and write stays on this (the cron's) cursor, in this thread.
    # ------------------------------------------------------------------

    def _sevensenders_plan(self):
        """``(tasks, sequential rows)``; a task is one document's rows, in order,
        as ``(row, document, send, apply)``, when all of them can be prepared."""
        groups = {}
        for row in self.sorted("id"):
            groups.setdefault((row.res_model, row.res_id), []).append(row)
        tasks = []
        sequential = self.browse()
        for group in groups.values():
            task = []
            earlier = []
            for row in group:
                document = row._sevensenders_document()
                prepare = (
                    getattr(
                        self.env[row.res_model],
                        f"_sevensenders_outbox_{row.operation}_prepare",
                        None,
                    )
                    if row.res_model in self.env
                    else None
                )
                plan = None
                if prepare and document:
                    try:
                        plan = prepare(row, document, tuple(earlier))
                    except UserError as exc:
                        row._sevensenders_failed(exc.args[0])
                        task = None
                        break
                if plan is None:
                    task = None
                    break
                task.append((row, document, *plan))
                earlier.append(row.operation)
            if task:
                tasks.append(task)
            elif task is None:
                sequential |= self.browse(
                    [r.id for r in group if r.state in ("pending", "retry")]
                )
        return tasks, sequential

    @api.model
    def _sevensenders_run_concurrently(self, account, tasks):
        workers = min(account.outbox_concurrency, len(tasks))
        limiter = AdaptiveLimiter(workers)
        # the stored token is read here: worker threads never touch the ORM;
        # a missing or expiring one is fetched by the first worker that needs
        # it (the others wait for it), on behalf of the row it is sending
        store = AccountTokenStore(account)
        store.load()
        clients = queue.SimpleQueue()
        opened = []
        for _i in range(workers):
            log = FailureLog()
            worker_client = account._sevensenders_client(
                limiter=limiter, on_failure=log, token_store=store
            )
            opened.append(worker_client)
            clients.put((worker_client, log))

        def run(task):
            worker_client, log = clients.get()
            try:
                results = []
                for _row, _document, send, _apply in task:
                    log.take()
                    try:
                        results.append((send(worker_client), None, log.take()))
                    except Exception as exc:  # noqa: BLE001 - applied in the cron thread
                        results.append((None, exc, log.take()))
                        break
                return results
            finally:
                clients.put((worker_client, log))

        try:
            with ThreadPoolExecutor(
                max_workers=workers, thread_name_prefix="sevensenders-outbox"
            ) as pool:
                futures = [pool.submit(run, task) for task in tasks]
                for task, future in zip(tasks, futures, strict=True):
                    results = future.result()
                    for (row, document, _send, apply), (result, exc, failures) in zip(
                        task, results, strict=False
                    ):
                        row._sevensenders_record(
                            partial(
                                row._sevensenders_apply,
                                document,
                                apply,
                                result,
                                exc,
                                failures,
                            ),
                            failures=partial(tuple, failures),
                        )
        finally:
            for worker_client in opened:
                worker_client.close()

    def _sevensenders_apply(self, document, apply, result, exc, failures=()):
        """Record the outcome of a call made in a worker thread."""
        self.ensure_one()
        if exc is None:
            try:
                with self.env.cr.savepoint():
                    result = apply(result)
            except (
                SevenSendersWait,
                RateLimitError,
                UserError,
                SevenSendersError,
            ) as e:
                exc = e
        if exc is None:
            self._sevensenders_succeeded(document, result, failures)
        elif isinstance(
            exc, (SevenSendersWait, RateLimitError, UserError, SevenSendersError)
        ):
            self._sevensenders_error(document, exc, failures)
        else:
            raise exc

    def _sevensenders_document(self):
        self.ensure_one()
        if self.res_model not in self.env:
            return None
        return self.env[self.res_model].browse(self.res_id).exists()

    def _sevensenders_run(self, client, log):
        """Send one row; never raises for an API or data problem. ``log`` is
        the client's ``on_failure``."""
        self.ensure_one()
        document = self._sevensenders_document()
        model = self.env[self.res_model] if self.res_model in self.env else None
        if model is None:
            self._sevensenders_failed(
                f"unknown document model {self.res_model}", final=True
            )
            return
        handler = getattr(model, f"_sevensenders_outbox_{self.operation}", None)
        if handler is None:
            self._sevensenders_failed(f"no handler for {self.operation}", final=True)
            return

        taken = []

        def failures():
            taken.extend(log.take())  # kept: a refused commit loses the write
            return list(taken)

        def step():
            try:
                with self.env.cr.savepoint():
                    result = handler(client, self, document)
            except (
                SevenSendersWait,
                RateLimitError,
                UserError,
                SevenSendersError,
            ) as exc:
                self._sevensenders_error(document, exc, failures())
                return
            self._sevensenders_succeeded(document, result, failures())

        # the call is made once: a refused commit marks the row for a retry
        self._sevensenders_record(step, rerun=False, failures=failures)

    def _sevensenders_error(self, document, exc, failures=()):
        """A failed call: wait, back off, or fail with a message for the user."""
        self.ensure_one()
        if isinstance(exc, SevenSendersWait):
            self.write(
                {
                    "next_attempt_at": fields.Datetime.now()
                    + timedelta(seconds=BACKOFF_BASE),
                    "last_error": str(exc),
                    **self._sevensenders_failure_vals(failures),
                }
            )
        elif isinstance(exc, RateLimitError):
            self._sevensenders_failed(
                str(exc), retry_after=exc.retry_after, failures=failures
            )
        elif isinstance(exc, UserError):
            self._sevensenders_failed(exc.args[0], failures=failures)
        else:
            describe = getattr(document, "_sevensenders_describe_error", None)
            self._sevensenders_failed(
                describe(exc)
                if describe and not isinstance(exc, APIConnectionError)
                else str(exc),
                failures=failures,
            )

    def _sevensenders_failure_vals(self, failures, extra_line=None):
        """``attempt_log`` and ``http_failures`` with these failed exchanges
        (and ``extra_line``) added."""
        if not failures and not extra_line:
            return {}
        stamp = fields.Datetime.to_string(fields.Datetime.now())
        lines = (self.attempt_log or "").splitlines()
        for failure in failures:
            lines.append(
                f"{stamp} #{self.attempts + 1} {failure['method']} {failure['path']}: "
                f"{failure['error']} -> "
                + (
                    "retried"
                    if failure["retry"]
                    else "done by an earlier attempt"
                    if failure.get("resolved")
                    else "given up"
                )
            )
        if extra_line:
            lines.append(extra_line)
        return {
            "attempt_log": "\n".join(lines[-MAX_ERROR_LOG:]),
            "http_failures": self.http_failures + len(failures),
        }

    def _sevensenders_succeeded(self, document, result, failures=()):
        self.ensure_one()
        self.write(
            {
                "state": "done",
                "attempts": self.attempts + 1,
                "result_ref": result and str(result) or self.result_ref,
                "done_at": fields.Datetime.now(),
                "last_error": False,
                **self._sevensenders_failure_vals(failures),
            }
        )
        if document and "sevensenders_sync_state" in document._fields:
            if not self._sevensenders_other_failures():
                document._sevensenders_set_sync_state("synced")

    def _sevensenders_other_failures(self):
        """Whether another call for the same document is failing: its error
        stays on the document until that call succeeds too."""
        self.ensure_one()
        return bool(
            self.sudo().search_count(
                [
                    ("res_model", "=", self.res_model),
                    ("res_id", "=", self.res_id),
                    ("id", "!=", self.id),
                    ("state", "in", ("retry", "dead")),
                ],
                limit=1,
            )
        )

    def _sevensenders_failed(self, message, retry_after=None, final=False, failures=()):
        self.ensure_one()
        attempts = self.attempts + 1
        now = fields.Datetime.now()
        log_line = f"{fields.Datetime.to_string(now)} #{attempts}: {message}"
        dead = final or attempts >= max(self.account_id.outbox_max_attempts, 1)
        delay = retry_after or min(BACKOFF_MAX, BACKOFF_BASE * 2 ** (attempts - 1))
        self.write(
            {
                "state": "dead" if dead else "retry",
                "attempts": attempts,
                "last_error": message,
                "next_attempt_at": now + timedelta(seconds=delay),
                **self._sevensenders_failure_vals(failures, log_line),
            }
        )
        _logger.info(
            "Seven Senders outbox %s failed (attempt %d): %s",
            self.id,
            attempts,
            message,
        )
        document = self._sevensenders_document()
        if document and "sevensenders_sync_state" in document._fields:
            document._sevensenders_set_sync_state("error", message)
        if dead:
            self._sevensenders_dead_letter(document, message)

    def _sevensenders_dead_letter(self, document, message):
        target = (
            document
            if document and "activity_ids" in document._fields
            else self.account_id
        )
        user = self.account_id.responsible_user_id or self.env.ref("base.user_admin")
        target.sudo().activity_schedule(
            "mail.mail_activity_data_warning",
            summary=self.env._(
                "Seven Senders: %(operation)s failed", operation=self.display_name
            ),
            note=Markup("<p>%s</p><p>%s</p>")
            % (
                self.env._(
                    "Gave up after %(attempts)d attempts. Fix the cause, then retry it "
                    "from Inventory > Configuration > Seven Senders > Outbox.",
                    attempts=self.attempts,
                ),
                message,
            ),
            user_id=user.id,
        )

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------

    def action_sevensenders_retry(self):
        check_caller(self, operation="write")
        rows = self.filtered(lambda r: r.state in ("retry", "dead", "cancelled"))
        rows.write(
            {
                "state": "pending",
                "attempts": 0,
                "next_attempt_at": fields.Datetime.now(),
            }
        )
        self._sevensenders_trigger()
        return True

    def action_sevensenders_send_now(self):
        check_caller(self, operation="write")
        rows = self.filtered(lambda r: r.state in ("pending", "retry", "dead"))
        rows.write({"state": "pending", "next_attempt_at": fields.Datetime.now()})
        rows._sevensenders_process()
        return True

    def action_sevensenders_cancel(self):
        check_caller(self, operation="write")
        self.filtered(lambda r: r.state in ("pending", "retry", "dead")).write(
            {"state": "cancelled"}
        )
        return True

    def action_sevensenders_open_document(self):
        check_caller(self)
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
        }
