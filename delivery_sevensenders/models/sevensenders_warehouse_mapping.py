# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ..compat import Constraint


class SevenSendersWarehouseMapping(models.Model):
    _name = "sevensenders.warehouse.mapping"
    _description = "Seven Senders Warehouse"
    _rec_name = "sevensenders_warehouse"

    account_id = fields.Many2one(
        "sevensenders.account", required=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="account_id.company_id", store=True)
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        required=True,
        domain="[('company_id', '=', company_id)]",
        ondelete="cascade",
    )
    sevensenders_warehouse = fields.Char(
        "Seven Senders warehouse",
        required=True,
        help="The warehouse name Seven Senders gave you for this warehouse.",
    )
    warehouse_address = fields.Char(
        help="One line; defaults to the warehouse's address.",
    )

    _warehouse_uniq = Constraint(
        "unique(account_id, warehouse_id)",
        "A warehouse is mapped once per Seven Senders account.",
    )

    @api.onchange("warehouse_id")
    def _onchange_warehouse_id(self):
        if self.warehouse_id and not self.sevensenders_warehouse:
            self.sevensenders_warehouse = self.warehouse_id.name
        if self.warehouse_id and not self.warehouse_address:
            self.warehouse_address = self._partner_one_line(
                self.warehouse_id.partner_id
            )

    @api.model
    def _partner_one_line(self, partner):
        parts = [
            partner.street,
            partner.street2,
            " ".join(p for p in (partner.zip, partner.city) if p),
            partner.country_id.code,
        ]
        return ", ".join(" ".join(p.split()) for p in parts if p and p.strip())

    def _one_line_address(self):
        self.ensure_one()
        address = self.warehouse_address or self._partner_one_line(
            self.warehouse_id.partner_id
        )
        return " ".join(address.split()) or self.warehouse_id.name
