# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import timedelta

from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..sevensenders import SevenSendersError, SevenSendersValidationError
from .access import check_caller

_logger = logging.getLogger(__name__)

#: a polled record is not read again within this time
POLL_INTERVAL = timedelta(minutes=30)


class SevenSendersSyncMixin(models.AbstractModel):
    """Sync status badge, last error and outbox link of a synced document."""

    _name = "sevensenders.sync.mixin"
    _description = "Seven Senders synchronised document"

    sevensenders_sync_state = fields.Selection(
        [
            ("pending", "Waiting"),
            ("synced", "Synced"),
            ("error", "Error"),
        ],
        string="Seven Senders",
        copy=False,
        readonly=True,
        index="btree_not_null",
    )
    sevensenders_sync_error = fields.Text(
        "Seven Senders error", copy=False, readonly=True
    )
    sevensenders_outbox_count = fields.Integer(
        compute="_compute_sevensenders_outbox_count",
        groups="delivery_sevensenders.group_sevensenders_user",
    )

    def _compute_sevensenders_outbox_count(self):
        counts = dict(
            self.env["sevensenders.outbox"]._read_group(
                [("res_model", "=", self._name), ("res_id", "in", self.ids)],
                ["res_id"],
                ["__count"],
            )
        )
        for record in self:
            record.sevensenders_outbox_count = counts.get(record.id, 0)

    def _sevensenders_set_sync_state(self, state, error=False):
        """Called by the outbox; posts a new error once in the chatter."""
        for record in self.sudo():
            if state == "error" and error and record.sevensenders_sync_error != error:
                record.message_post(
                    body=Markup("<p>%s</p><p>%s</p>")
                    % (self.env._("Seven Senders synchronisation failed:"), error),
                    message_type="notification",
                    subtype_xmlid="mail.mt_note",
                )
            if state == "pending" and record.sevensenders_sync_state == "error":
                continue  # keep the error visible until something succeeds
            if record.sevensenders_sync_state == state and (
                state != "error" or record.sevensenders_sync_error == error
            ):
                continue  # nothing changes: no write (and no tracking) for it
            record.write(
                {
                    "sevensenders_sync_state": state,
                    "sevensenders_sync_error": error if state == "error" else False,
                }
            )

    def _sevensenders_describe_error(self, exc):
        """A user message for a client error about this document, naming fields."""
        self.ensure_one()
        if isinstance(exc, SevenSendersValidationError):
            details = "; ".join(f"{field}: {message}" for field, message in exc.errors)
            return self.env._(
                "Seven Senders cannot accept the data of %(document)s: %(details)s",
                document=self.display_name,
                details=details,
            )
        return self.env._(
            "Seven Senders refused %(document)s: %(error)s",
            document=self.display_name,
            error=str(exc),
        )

    # ------------------------------------------------------------------
    # Polling crons (order states, shipment statuses)
    # ------------------------------------------------------------------

    def _sevensenders_claim_open(self, open_condition, checked_field, batch_size):
        """Lock (``SKIP LOCKED``) up to ``batch_size`` records that match
        ``open_condition`` (an ``SQL``) and were not polled recently, least
        recently polled first. Answers ``(records, remaining)``."""
        self.flush_model()
        column = SQL.identifier(checked_field)
        self.env.cr.execute(
            SQL(
                "SELECT id FROM %s WHERE %s AND (%s IS NULL OR %s < %s) "
                "ORDER BY %s NULLS FIRST, id LIMIT %s FOR UPDATE SKIP LOCKED",
                SQL.identifier(self._table),
                open_condition,
                column,
                column,
                fields.Datetime.now() - POLL_INTERVAL,
                column,
                batch_size + 1,
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        return self.browse(ids[:batch_size]), max(len(ids) - batch_size, 0)

    def _sevensenders_poll(self, checked_field, fetch, changes):
        """One client per account: ``fetch(client, record)`` reads Seven Senders,
        ``changes(record, answer)`` answers the values to write (and may post);
        every record gets ``checked_field`` set, failures included."""
        now = fields.Datetime.now()
        by_account = {}
        for record in self:
            by_account.setdefault(record._sevensenders_account(), []).append(record.id)
        for account, ids in by_account.items():
            records = self.browse(ids)
            try:
                client = account._sevensenders_client() if account else None
            except UserError:
                client = None
            if client is None:
                records.write({checked_field: now})
                continue
            with client:
                for record in records:
                    try:
                        answer = fetch(client, record)
                    except SevenSendersError as exc:
                        _logger.info(
                            "Seven Senders poll of %s: %s", record.display_name, exc
                        )
                        record.write({checked_field: now})
                        continue
                    record.write({checked_field: now, **changes(record, answer)})

    def action_sevensenders_open_outbox(self):
        check_caller(self)
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "delivery_sevensenders.sevensenders_outbox_action"
        )
        action["domain"] = [("res_model", "=", self._name), ("res_id", "=", self.id)]
        action["context"] = {}
        return action
