# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Returns of pickup-point orders (issue #32, bugs 1 and 2): the customer
finds the order with their own postal code, and the return label names the
drop-off point they chose, not the pickup point of the outbound parcel."""

import json

from odoo.tests import HttpCase, tagged

from ..models.stock_picking_shipment import pudo_vals
from .common import SevenSendersCase

CUSTOMER_ZIP = "10119"


class PickupOrderCase(SevenSendersCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account.write(
            {
                "return_window_days": 30,
                "return_opens": "shipping",
                "return_self_hosted": True,
            }
        )
        cls.carrier.sevensenders_use_locations = True
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Paula Punkt",
                "email": "paula@example.com",
                "street": "Torstraße 1",
                "zip": CUSTOMER_ZIP,
                "city": "Berlin",
                "country_id": cls.de.id,
                "phone": "+49 30 7654321",
            }
        )
        cls.billing = cls.env["res.partner"].create(
            {
                "name": "Paula Punkt (billing)",
                "type": "invoice",
                "parent_id": cls.customer.id,
                "street": "Marienplatz 1",
                "zip": "80331",
                "city": "München",
                "country_id": cls.de.id,
            }
        )

    def pickup_order(self):
        """A delivered order of the customer at a pickup point in another
        postal code than theirs."""
        points = self.carrier._sevensenders_get_close_locations(self.customer)
        point = next(p for p in points if p["zip_code"] != CUSTOMER_ZIP)
        order = self.make_order(
            carrier=self.carrier,
            partner=self.customer,
            confirm=False,
            partner_invoice_id=self.billing.id,
        )
        order.pickup_location_data = point
        order.action_confirm()
        self.assertEqual(order.partner_shipping_id.name, point["name"])
        self.assertEqual(order.partner_shipping_id.zip, point["zip_code"])
        self.validate(order.picking_ids)
        self.drain()
        return order, point

    def return_shipments(self):
        return [s for s in self.sandbox.objects("shipment") if s["return_parcel"]]


@tagged("post_install", "-at_install")
class TestPickupOrderReturns(HttpCase, PickupOrderCase):
    def lookup(self, reference, secret):
        return self.url_open(
            "/returns/api/lookup",
            data=json.dumps({"reference": reference, "secret": secret}),
            headers={"Content-Type": "application/json"},
        )

    def test_found_with_the_customers_own_postal_codes(self):
        order, point = self.pickup_order()
        # the ordering address, the invoice address, an email: found
        for secret in (CUSTOMER_ZIP, "80331", "PAULA@example.com"):
            found = self.lookup(order.name, secret)
            self.assertEqual(found.status_code, 200, (secret, found.text))
            self.assertEqual(found.json()["order"], order.name)
        # the pickup point's postal code (anyone can look it up): not
        self.env["sevensenders.return.attempt"].search([]).unlink()
        miss = self.lookup(order.name, point["zip_code"])
        self.assertEqual(miss.status_code, 404, miss.text)

    def test_the_return_label_names_the_chosen_dropoff_point(self):
        order, outbound_point = self.pickup_order()
        outbound = next(s for s in self.sandbox.objects("shipment"))
        self.assertTrue(outbound["pickup_point_selected"])
        token = self.lookup(order.name, CUSTOMER_ZIP).json()["token"]
        listed = self.url_open(f"/returns/api/{token}/dropoff-points").json()
        # the points near the customer's own address, not near the pickup point
        self.assertTrue(listed["available"])
        chosen = next(p for p in listed["points"] if p["id"] != outbound_point["id"])
        line = order.order_line.filtered(lambda sl: sl.product_id == self.shirt)
        created = self.url_open(
            f"/returns/api/{token}/returns",
            data=json.dumps(
                {
                    "items": [
                        {"line_id": line.id, "quantity": 1, "reason": "too_small"}
                    ],
                    "dropoff_point": chosen["id"],
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(created.status_code, 201, created.text)
        self.assertIn(chosen["name"], created.json()["dropoff_point"])
        self.drain()
        (shipment,) = self.return_shipments()
        self.assertEqual(shipment["pudo_id"], pudo_vals(chosen)["pudo_id"])
        self.assertEqual(shipment["collection_point_name1"], chosen["name"])
        self.assertFalse(shipment["pickup_point_selected"])
        # from the customer's own address, not from the pickup point
        self.assertEqual(shipment["recipient_zip"], CUSTOMER_ZIP)
        self.assertEqual(shipment["recipient_last_name"], "Punkt")
        request = self.env["sevensenders.return.request"].browse(created.json()["id"])
        self.assertEqual(request.state, "label_ready")
        pdf = request.label_attachment_ids.raw
        self.assertIn(f"Drop-off point: {chosen['name']}".encode(), pdf)
        self.assertNotIn(outbound_point["name"].encode(), pdf)

    def test_any_dropoff_point_sends_none(self):
        order, _point = self.pickup_order()
        token = self.lookup(order.name, CUSTOMER_ZIP).json()["token"]
        line = order.order_line.filtered(lambda sl: sl.product_id == self.shirt)
        created = self.url_open(
            f"/returns/api/{token}/returns",
            data=json.dumps(
                {"items": [{"line_id": line.id, "quantity": 1, "reason": "too_big"}]}
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(created.status_code, 201, created.text)
        self.drain()
        (shipment,) = self.return_shipments()
        self.assertIsNone(shipment["pudo_id"])
        self.assertFalse(shipment["pickup_point_selected"])
        self.assertEqual(shipment["recipient_zip"], CUSTOMER_ZIP)
