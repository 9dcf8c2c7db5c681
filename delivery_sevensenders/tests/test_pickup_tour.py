# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import unittest

from odoo.tests import HttpCase, tagged

from .common import SevenSendersCase


@tagged("post_install", "-at_install")
class TestPickupTour(HttpCase, SevenSendersCase):
    """The website checkout (website_sale, when installed) with a Seven Senders
    pickup point, in Chromium: the point is picked in Odoo's selector, the order
    is confirmed, and the label request of its delivery carries the point."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if (
            "website" not in cls.env
            or "is_published" not in cls.env["delivery.carrier"]
        ):
            raise unittest.SkipTest("website_sale is not installed")
        cls.carrier.write(
            {
                "name": "Seven Senders Pickup",
                "sevensenders_use_locations": True,
                "fixed_price": 0.0,
                "is_published": True,
                "website_id": False,
            }
        )
        cls.tour_product = cls._storable("7S Tour Shirt", 0.0, 0.3)
        cls.tour_product.write({"name": "7S Tour Shirt", "is_published": True})
        cls.env.ref("base.partner_admin").write(
            {
                "street": "Invalidenstraße 116",
                "zip": "10115",
                "city": "Berlin",
                "country_id": cls.de.id,
                "email": "admin@example.com",
                "phone": "+49 30 1234567",
            }
        )

    def test_checkout_with_a_pickup_point(self):
        self.start_tour("/", "sevensenders_pickup_checkout", login="admin")
        order = self.env["sale.order"].search(
            [("order_line.product_id", "=", self.tour_product.id)],
            order="id desc",
            limit=1,
        )
        self.assertEqual(order.state, "sale")
        point = order.pickup_location_data
        self.assertEqual(point["additional_data"]["carrier_name"], "dhl")
        self.assertEqual(order.partner_shipping_id.name, point["name"])
        self.assertEqual(
            order.partner_shipping_id.parent_id, self.env.ref("base.partner_admin")
        )
        picking = order.picking_ids
        self.validate(picking)
        shipment = next(
            s
            for s in self.sandbox.objects("shipment")
            if str(s["id"]) == picking.sevensenders_parcel_ids.shipment_ref
        )
        self.assertTrue(shipment["pickup_point_selected"])
        self.assertEqual(shipment["recipient_email"], "admin@example.com")
        vals = picking._sevensenders_prepare_label_vals(order.carrier_id)
        self.assertEqual(vals["pudo_id"], point["id"])
        self.assertEqual(vals["collection_point_city"], "Berlin")
