# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from odoo.addons.delivery_sevensenders.compat import (
    linked_sale_orders,
    production_origin_vals,
)
from odoo.addons.delivery_sevensenders.tests.common import SevenSendersCase


@tagged("post_install", "-at_install")
class TestInProduction(SevenSendersCase):
    def test_manufacturing_start_sends_in_production_once(self):
        order = self.make_order()
        production = self.env["mrp.production"].create(
            {
                "product_id": self.bottle.id,
                "product_qty": 2,
                **production_origin_vals(order),
            }
        )
        production.action_confirm()
        self.assertEqual(linked_sale_orders(production), order)
        self.assertFalse(
            self.outbox(order, operation="order_state").filtered(
                lambda r: r.payload["state"] == "in_production"
            )
        )
        production.qty_producing = 1
        self.assertEqual(production.state, "progress")
        production.qty_producing = 2  # still one state change
        self.drain()
        history = [h["state"] for h in self.sandbox_order(order.name)["states_history"]]
        self.assertEqual(history.count("in_production"), 1)
