# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from .sevensenders_outbox import UNSENT


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        posted = super()._post(soft)
        # customs shipments waiting for this invoice (or given up for the
        # lack of it, before they waited): send them now
        invoices = posted.filtered(lambda m: m.move_type == "out_invoice")
        pickings = invoices.line_ids.sale_line_ids.order_id.picking_ids
        if pickings:
            self.env["sevensenders.outbox"]._sevensenders_rows(
                pickings, UNSENT, ["customs_create"]
            )._sevensenders_revive()
        return posted

    def _invoice_paid_hook(self):
        res = super()._invoice_paid_hook()
        invoices = self.filtered(lambda m: m.move_type == "out_invoice")
        invoices.line_ids.sale_line_ids.order_id._sevensenders_check_paid()
        refunds = self.filtered(lambda m: m.move_type == "out_refund")
        refunds.line_ids.sale_line_ids.order_id._sevensenders_refunded()
        return res
