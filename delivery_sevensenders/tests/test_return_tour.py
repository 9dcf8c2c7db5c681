# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, tagged

from ..models.stock_picking_shipment import pudo_vals
from .common import SevenSendersCase
from .test_return_pickup_orders import CUSTOMER_ZIP, PickupOrderCase


@tagged("post_install", "-at_install")
class TestReturnTour(HttpCase, SevenSendersCase):
    """A whole return in Chromium, on the shop's own return pages."""

    def test_a_customer_returns_an_item(self):
        self.account.write(
            {
                "return_window_days": 30,
                "return_opens": "shipping",
                "return_self_hosted": True,
            }
        )
        order = self.make_order(carrier=self.carrier)
        self.validate(order.picking_ids)
        self.drain()
        self.start_tour(
            f"/returns?reference={order.name}", "sevensenders_return_flow", login=None
        )
        request = self.env["sevensenders.return.request"].search(
            [("order_id", "=", order.id)]
        )
        self.assertEqual(request.origin, "portal")
        self.assertEqual(request.line_ids.reason_id.code, "too_small")
        self.assertEqual(request.comment, "A size bigger next time")
        self.assertEqual(request.state, "approved")
        self.drain()  # the outbox makes the label, as its cron would
        self.assertEqual(request.state, "label_ready")
        token = self.env["sevensenders.returns"]._sevensenders_token(order)
        self.start_tour(
            f"/returns/{token}/{request.id}", "sevensenders_return_label", login=None
        )


@tagged("post_install", "-at_install")
class TestPickupReturnTour(HttpCase, PickupOrderCase):
    """Issue #32: a pickup-point shopper finds the order with their own
    postal code and gets a return label for the drop-off point they chose."""

    def test_a_pickup_point_shopper_returns_an_item(self):
        order, outbound_point = self.pickup_order()
        self.start_tour(
            f"/returns?reference={order.name}",
            "sevensenders_return_pickup_flow",
            login=None,
        )
        request = self.env["sevensenders.return.request"].search(
            [("order_id", "=", order.id)]
        )
        self.assertEqual(request.line_ids.reason_id.code, "too_big")
        # the tour chose the second point listed (near the customer's address)
        points = self.env["sevensenders.return.request"]._sevensenders_dropoff_points(
            order
        )
        chosen = points[1]
        self.assertEqual(request.dropoff_point_ref, str(chosen["id"]))
        self.drain()
        self.assertEqual(request.state, "label_ready")
        (shipment,) = self.return_shipments()
        self.assertEqual(shipment["pudo_id"], pudo_vals(chosen)["pudo_id"])
        self.assertEqual(shipment["collection_point_name1"], chosen["name"])
        self.assertNotEqual(shipment["collection_point_name1"], outbound_point["name"])
        self.assertFalse(shipment["pickup_point_selected"])
        self.assertEqual(shipment["recipient_zip"], CUSTOMER_ZIP)
        token = self.env["sevensenders.returns"]._sevensenders_token(order)
        self.start_tour(
            f"/returns/{token}/{request.id}", "sevensenders_return_label", login=None
        )
