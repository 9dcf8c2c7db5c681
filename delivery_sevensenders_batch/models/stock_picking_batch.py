# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.exceptions import UserError

from odoo.addons.delivery_sevensenders.models.access import check_caller


class StockPickingBatch(models.Model):
    _inherit = "stock.picking.batch"

    def action_sevensenders_create_manifest(self):
        """Server action: one customs manifest for the deliveries of each batch."""
        check_caller(self, operation="write")
        result = True
        for batch in self:
            pickings = batch.picking_ids.filtered(
                lambda p: p.picking_type_code == "outgoing"
            )
            if not pickings:
                raise UserError(
                    self.env._(
                        "Batch %(batch)s has no delivery to manifest.", batch=batch.name
                    )
                )
            result = pickings.action_sevensenders_create_manifest()
            batch.message_post(body=result["params"]["message"])
        return result
