# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class SevenSendersDrift(models.Model):
    """A difference the read-back found between Seven Senders' copy of a
    document and what Odoo would send now (see ``sevensenders_reconcile.py``)."""

    _name = "sevensenders.drift"
    _description = "Seven Senders drift (a difference found by the read-back)"
    _order = "found_at desc, id desc"
    _rec_name = "record_name"

    account_id = fields.Many2one(
        "sevensenders.account", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="account_id.company_id", store=True)
    res_model = fields.Char("Document model", required=True, index=True)
    res_id = fields.Many2oneReference("Document", model_field="res_model", index=True)
    record_name = fields.Char("Document")
    field = fields.Char(required=True, help="The Seven Senders key that differed.")
    remote_value = fields.Char(
        "Seven Senders' value", help="What Seven Senders held; empty: nothing."
    )
    odoo_value = fields.Char(
        "Odoo's value", help="What Odoo would send now; empty: nothing (cleared)."
    )
    found_at = fields.Datetime(required=True, readonly=True)
    repaired_at = fields.Datetime(
        readonly=True,
        help="When a later read found Seven Senders' copy equal to Odoo's again.",
    )
    state = fields.Selection(
        [("open", "Found, repair queued"), ("repaired", "Repaired")],
        default="open",
        required=True,
        index=True,
    )

    document = fields.Reference(
        selection="_selection_document", compute="_compute_document", string="Open"
    )

    def _selection_document(self):
        return [(m.model, m.name) for m in self.env["ir.model"].sudo().search([])]

    def _compute_document(self):
        for drift in self:
            drift.document = (
                f"{drift.res_model},{drift.res_id}" if drift.res_id else False
            )
