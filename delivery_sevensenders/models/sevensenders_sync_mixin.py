# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from markupsafe import Markup

from odoo import fields, models

from ..sevensenders import SevenSendersValidationError
from .access import check_caller

_logger = logging.getLogger(__name__)


class SevenSendersSyncMixin(models.AbstractModel):
    """Sync status badge, last error and outbox link of a synced document."""

    _name = "sevensenders.sync.mixin"
    _inherit = ["sevensenders.poll.mixin"]
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

    def action_sevensenders_open_outbox(self):
        check_caller(self)
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "delivery_sevensenders.sevensenders_outbox_action"
        )
        action["domain"] = [("res_model", "=", self._name), ("res_id", "=", self.id)]
        action["context"] = {}
        return action
