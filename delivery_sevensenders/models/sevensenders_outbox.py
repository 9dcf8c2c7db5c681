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
import re
import time
from datetime import timedelta

import pytz
from markupsafe import Markup

from odoo import api, fields, models, modules
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..compat import Index, in_test_mode
from ..sevensenders import (
    APIConnectionError,
    RateLimitError,
    SevenSendersError,
)
from .access import check_caller
from .notification import notification
from .sevensenders_waits import NotInSevenSenders

_logger = logging.getLogger(__name__)

WAITING = ("pending", "retry")  # rows not sent yet that the drain will send
UNSENT = (*WAITING, "dead")  # rows not sent yet

#: what preparing, sending or applying a call may raise that is recorded on its
#: row (see ``_sevensenders_error``); anything else is a bug, and propagates
RECORDED_ERRORS = (UserError, SevenSendersError, NotInSevenSenders)

BACKOFF_BASE = 60  # seconds; doubled per attempt
BACKOFF_MAX = 6 * 3600
MAX_ERROR_LOG = 50  # attempt lines kept per row
LOG_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")  # UTC
WAIT_RECHECK = 30  # seconds: a waiting row looks again at least this late
AWAIT_RECHECK = 3600  # seconds: a row waiting for a document looks again
GC_BATCH = 5000  # sent rows removed per transaction by the cleanup
GC_SECONDS = 60  # the cleanup stops after this long; the next run goes on


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
        selection="_sevensenders_operation_selection", required=True, index=True
    )
    res_model = fields.Char("Document model", required=True, index=True)
    res_id = fields.Many2oneReference("Document", model_field="res_model", index=True)
    record_name = fields.Char("Document name")
    payload = fields.Json(
        help="What the call needs that may no longer be on the document."
    )
    dedupe_key = fields.Char(index=True, copy=False)
    activity_id = fields.Many2one(
        "mail.activity",
        "Failure activity",
        ondelete="set null",
        copy=False,
        help="The activity that asked someone to look at this call; marked "
        "done when the call is sent.",
    )
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
    attempt_log_local = fields.Text(
        "Attempts log",
        compute="_compute_attempt_log_local",
        help="The attempts, at the times of your time zone.",
    )
    result_ref = fields.Char("Seven Senders id", readonly=True)
    waiting_for_id = fields.Many2one(
        "sevensenders.outbox",
        "Waiting for",
        readonly=True,
        ondelete="set null",
        index="btree_not_null",
        help="A call that must be sent first; this one goes on once it is.",
    )
    done_at = fields.Datetime(readonly=True)

    # The rows a drain can take, in the order it claims them (the claim's
    # condition, see ``CLAIM_QUERY``, implies this one, so PostgreSQL reads
    # the waiting rows, never the sent ones), and the sent rows per account,
    # oldest first, for the cleanup.
    _claim_idx = Index("(id) WHERE state IN ('pending', 'retry')")
    _sent_idx = Index("(account_id, done_at) WHERE state = 'done'")

    @api.depends("operation", "record_name")
    def _compute_display_name(self):
        labels = dict(self._fields["operation"]._description_selection(self.env))
        for row in self:
            row.display_name = (
                f"{labels.get(row.operation, row.operation)}: {row.record_name or ''}"
            )

    @api.depends("attempt_log")
    @api.depends_context("tz")
    def _compute_attempt_log_local(self):
        """``attempt_log`` (written in UTC by the cron) with each line's time
        in the reader's time zone, named."""
        try:
            tz = pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")
        except pytz.UnknownTimeZoneError:
            tz = pytz.utc

        def local(match):
            stamp = pytz.utc.localize(fields.Datetime.to_datetime(match.group(0)))
            return stamp.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S %Z")

        for row in self:
            row.attempt_log_local = "\n".join(
                LOG_STAMP.sub(local, line, count=1)
                for line in (row.attempt_log or "").splitlines()
            )

    # ------------------------------------------------------------------
    # Enqueue
    # ------------------------------------------------------------------

    @api.model
    def _sevensenders_operation_selection(self):
        """The operations of the registry, with their labels."""
        registry = self.env["sevensenders.operation"]._sevensenders_registry()
        return [
            (name, self.env._(op.label) if op.label else name)
            for name, op in registry.items()
        ]

    @api.model
    def _sevensenders_enqueue(self, account, operation, record, **payload):
        """Record the call ``operation`` for ``record``, as its registry entry
        says (see ``sevensenders_operation.py``); it is sent after the
        transaction commits. Nothing is recorded when the account's switches
        for it are off, or when a row with its dedupe key is sent or waiting
        already (with ``coalesce``, only a waiting one counts).
        """
        spec = self.env["sevensenders.operation"]._sevensenders_registry()[operation]
        if not account or not all(account[switch] for switch in spec.switches):
            return self.browse()
        unknown = set(payload) - set(spec.payload)
        if unknown:
            raise ValueError(f"{operation} takes no {', '.join(sorted(unknown))}")
        dedupe_key = spec.dedupe_key(record, account, payload)
        outbox = self.sudo()
        if spec.undoes:
            outbox._sevensenders_undo(spec.undone_key(record, account, payload))
        # a document that never had a row (no sync state yet) has none to dedupe
        # against: the search is skipped on the confirmation path's first call
        tracked = "sevensenders_sync_state" in record._fields
        if dedupe_key and (not tracked or record.sevensenders_sync_state):
            existing = outbox.search(
                [
                    ("dedupe_key", "=", dedupe_key),
                    (
                        "state",
                        "in",
                        WAITING if spec.coalesce else (*WAITING, "done", "dead"),
                    ),
                ],
                limit=1,
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
                "payload": payload or None,
                "dedupe_key": dedupe_key,
            }
        )
        if tracked:
            record._sevensenders_set_sync_state("pending")
        row._sevensenders_trigger()
        return row

    @api.model
    def _sevensenders_undo(self, dedupe_key):
        """The rows with ``dedupe_key`` are undone: the unsent ones are
        cancelled, the sent ones no longer hold the key (the same call may be
        made again later). A row the drain holds makes this wait for its
        outcome (its lock); the drain sends one document's rows in order."""
        rows = self.sudo().search(
            [("dedupe_key", "=", dedupe_key), ("state", "in", (*UNSENT, "done"))]
        )
        sent = rows.filtered(lambda r: r.state == "done")
        for row in sent:
            row.dedupe_key = f"{dedupe_key}:undone:{row.id}"
        (rows - sent).write({"state": "cancelled"})
        return rows

    @api.model
    def _sevensenders_rows(self, records, states, operations=None):
        """The rows of ``records`` (one model) in these states, oldest first."""
        domain = [
            ("res_model", "=", records._name),
            ("res_id", "in", records.ids),
            ("state", "in", states),
        ]
        if operations:
            domain.append(("operation", "in", operations))
        return self.sudo().search(domain, order="id")

    def _sevensenders_wake(self):
        """These rows are due now (what they waited for is there)."""
        if self:
            self.write({"next_attempt_at": fields.Datetime.now()})
            self._sevensenders_trigger()

    def _sevensenders_trigger(self):
        """Wake the outbox cron once this transaction commits (one trigger
        each). ``self``: the rows that became due (may be empty); a runner that
        sends them otherwise overrides this (``delivery_sevensenders_queue_job``).
        """
        data = self.env.cr.precommit.data
        if data.get("sevensenders_outbox_trigger"):
            return
        data["sevensenders_outbox_trigger"] = True
        cron = self.env.ref("delivery_sevensenders.ir_cron_sevensenders_outbox", False)
        if cron:
            self.env.cr.precommit.add(cron.sudo()._trigger)

    def _sevensenders_wait(self, blocking):
        """This row waits for ``blocking`` (rows not sent yet): it is tried
        again when the first of them is, or sooner when one is sent."""
        self.ensure_one()
        first = blocking.sorted(lambda r: (r.next_attempt_at, r.id))[:1]
        self.write(
            {
                "waiting_for_id": first.id,
                "next_attempt_at": max(
                    first.next_attempt_at or fields.Datetime.now(),
                    fields.Datetime.now() + timedelta(seconds=WAIT_RECHECK),
                ),
                "last_error": self.env._(
                    "Waiting for %(rows)s.",
                    rows=", ".join(blocking.mapped("display_name")),
                ),
            }
        )

    def _sevensenders_await(self, what):
        """This row waits for ``what`` (see ``NotReady``): not a failure, it
        spends no attempt and puts no error on its document (one left by
        earlier failed attempts goes, when no other call of the document
        fails); it is sent when woken, or looks again in an hour."""
        self.ensure_one()
        self.write(
            {
                "state": "pending",
                "waiting_for_id": False,
                "next_attempt_at": fields.Datetime.now()
                + timedelta(seconds=AWAIT_RECHECK),
                "last_error": self.env._("Waiting for: %(what)s", what=what),
            }
        )
        document = self._sevensenders_document()
        if (
            document
            and "sevensenders_sync_state" in document._fields
            and document.sevensenders_sync_state == "error"
            and not self._sevensenders_other_failures()
        ):
            document.sudo().write(
                {"sevensenders_sync_state": "pending", "sevensenders_sync_error": False}
            )

    def _sevensenders_revive(self):
        """These rows are sent again now, also those given up (attempts anew):
        what they lacked has come (the invoice of a customs shipment)."""
        self.filtered(lambda r: r.state == "dead").write(
            {"state": "pending", "attempts": 0}
        )
        self._sevensenders_wake()

    def _sevensenders_document(self):
        self.ensure_one()
        if self.res_model not in self.env:
            return None
        return self.env[self.res_model].browse(self.res_id).exists()

    def _sevensenders_error(self, document, exc, failures=()):
        """A failed call (one of ``RECORDED_ERRORS``), the one place where
        errors are told apart: back off (as long as a 429 says), or fail with
        a message for the user (a dependency not sent yet is the drain's
        ``waits_for``, not an error)."""
        self.ensure_one()
        if isinstance(exc, RateLimitError):
            self._sevensenders_failed(
                str(exc), retry_after=exc.retry_after, failures=failures
            )
        elif isinstance(exc, UserError):
            self._sevensenders_failed(exc.args[0], failures=failures)
        elif isinstance(exc, NotInSevenSenders):
            self._sevensenders_failed(
                self.env._(
                    "%(kind)s %(name)s is not in Seven Senders yet.",
                    kind=exc.kind,
                    name=exc.name,
                ),
                failures=failures,
            )
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
                "waiting_for_id": False,
                "state": "done",
                "attempts": self.attempts + 1,
                "result_ref": result and str(result) or self.result_ref,
                "done_at": fields.Datetime.now(),
                "last_error": False,
                **self._sevensenders_failure_vals(failures),
            }
        )
        if self.activity_id:
            self._sevensenders_close_activity()
        if document and "sevensenders_sync_state" in document._fields:
            # a failing call of the document shows as its error state: without
            # it, there is no other failure to look for
            if (
                document.sevensenders_sync_state != "error"
                or not self._sevensenders_other_failures()
            ):
                document._sevensenders_set_sync_state("synced")

    def _sevensenders_wake_dependents(self):
        """The rows waiting for these ones, once sent, are due now."""
        sent = self.filtered(lambda r: r.state == "done")
        if not sent:
            return
        self.sudo().search(
            [("waiting_for_id", "in", sent.ids), ("state", "in", WAITING)]
        )._sevensenders_wake()

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
                "waiting_for_id": False,
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
        self.activity_id = target.sudo().activity_schedule(
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

    def _sevensenders_close_activity(self):
        """The call that someone was asked to look at is sent: its activity is
        done, and the document's chatter says so."""
        activity = self.activity_id.sudo().exists()
        self.activity_id = False
        if activity:
            activity.action_feedback(
                feedback=self.env._(
                    "%(operation)s was sent after all (attempt %(attempts)d).",
                    operation=self.display_name,
                    attempts=self.attempts,
                )
            )

    @api.autovacuum
    def _gc_sevensenders_sent(self, batch_size=GC_BATCH, seconds=GC_SECONDS):
        """Remove the sent rows older than their account's *Keep sent calls*
        (failed, waiting and cancelled rows stay): ``batch_size`` rows at a
        time, oldest first, each batch committed (outside tests), for
        ``seconds`` (at least one batch that removes rows); the next run goes
        on where this one stopped."""
        removed = 0
        now = fields.Datetime.now()
        deadline = time.monotonic() + seconds
        commit = not in_test_mode(self.env.registry) and not modules.module.current_test
        for account in (
            self.env["sevensenders.account"]
            .with_context(active_test=False)
            .search([("outbox_keep_days", ">", 0)], order="id")
        ):
            before = now - timedelta(days=account.outbox_keep_days)
            while time.monotonic() < deadline or not removed:
                batch = self._sevensenders_gc_batch(account, before, batch_size)
                removed += batch
                if commit:  # each batch, so that a stopped run keeps its work
                    self.env.cr.commit()  # pylint: disable=invalid-commit
                if batch < batch_size:
                    break
            if removed and time.monotonic() >= deadline:
                break
        _logger.info("Seven Senders outbox: %d sent rows removed", removed)
        return removed

    @api.model
    def _sevensenders_gc_batch(self, account, before, limit):
        """Remove up to ``limit`` rows of ``account`` sent before ``before``,
        the oldest first (on the index ``_sent_idx``); answers how many."""
        self.flush_model(["state", "done_at"])
        self.env.cr.execute(
            SQL(
                "SELECT id FROM sevensenders_outbox WHERE account_id = %s "
                "AND state = 'done' AND done_at < %s ORDER BY done_at LIMIT %s",
                account.id,
                before,
                limit,
            )
        )
        old = self.sudo().browse(row[0] for row in self.env.cr.fetchall())
        old.unlink()
        return len(old)

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
        rows._sevensenders_trigger()
        return True

    def action_sevensenders_send_now(self):
        """Send these rows now, with the same claim as the scheduled workers:
        a row a worker is sending is left to it."""
        check_caller(self, operation="write")
        rows = self.filtered(lambda r: r.state in ("pending", "retry", "dead"))
        rows.write({"state": "pending", "next_attempt_at": fields.Datetime.now()})
        claimed = self._sevensenders_claim(len(rows), ids=rows.ids) if rows else rows
        claimed._sevensenders_process()
        if len(claimed) < len(rows):
            return notification(
                self.env._(
                    "%(count)d of these calls are being sent by the scheduler right "
                    "now.",
                    count=len(rows) - len(claimed),
                ),
                kind="warning",
            )
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
