# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class StockReturnPicking(models.TransientModel):
    _inherit = "stock.return.picking"

    def _reset_carrier_id(self, picking):
        """Returns of a Seven Senders delivery keep the carrier: their return label
        is made with it (Odoo drops the carrier of returns otherwise)."""
        carrier = self.picking_id.carrier_id
        if carrier.delivery_type != "sevensenders":
            return super()._reset_carrier_id(picking)
        picking.write({"carrier_id": carrier.id, "carrier_price": 0.0})
        return None
