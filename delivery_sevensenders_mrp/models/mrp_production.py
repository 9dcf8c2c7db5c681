# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

from odoo.addons.delivery_sevensenders.compat import linked_sale_orders


class MrpProduction(models.Model):
    _inherit = "mrp.production"

    def write(self, vals):
        res = super().write(vals)
        if "qty_producing" in vals:
            self._sevensenders_check_started()
        return res

    def _sevensenders_check_started(self):
        """The sale orders of productions in progress are in_production."""
        started = self.filtered(lambda p: p.state == "progress")
        linked_sale_orders(started)._sevensenders_set_state("in_production")


class MrpWorkorder(models.Model):
    _inherit = "mrp.workorder"

    def button_start(self, raise_on_invalid_state=False):
        res = super().button_start(raise_on_invalid_state=raise_on_invalid_state)
        self.production_id._sevensenders_check_started()
        return res
