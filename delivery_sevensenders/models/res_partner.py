# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields, models

#: orders this recent follow a change of their customer's language
LANGUAGE_DAYS = 90


class ResPartner(models.Model):
    _inherit = "res.partner"

    def write(self, vals):
        res = super().write(vals)
        # the customer's language is the orders' notification language in
        # Seven Senders (or the account's fallback): their recent orders follow
        if "lang" in vals:
            self.env["sale.order"].sudo().search(
                [
                    ("partner_id", "in", self.ids),
                    ("state", "=", "sale"),
                    ("sevensenders_order_ref", "!=", False),
                    (
                        "date_order",
                        ">=",
                        fields.Datetime.now() - timedelta(days=LANGUAGE_DAYS),
                    ),
                ]
            )._sevensenders_enqueue_update()
        return res
