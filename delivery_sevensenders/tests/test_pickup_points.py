# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import importlib.util
import json
from pathlib import Path

from odoo.tests import tagged

from ..models.pudo_cache import clear_pickup_cache
from .common import SevenSendersCase


@tagged("post_install", "-at_install")
class TestPickupPoints(SevenSendersCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.carrier.write(
            {"sevensenders_use_locations": True, "sevensenders_pudo_max_results": 5}
        )

    def setUp(self):
        super().setUp()
        clear_pickup_cache()

    def order_for(self, partner=None):
        order = self.make_order(confirm=False, partner=partner)
        order.set_delivery_line(self.carrier, self.carrier.fixed_price)
        return order

    def pudo_calls(self):
        return self.sandbox.stats()["requests"].get("GET /v2/pudo/locations", 0)

    def test_locations_are_mapped_for_the_selector(self):
        result = self.order_for()._get_pickup_locations()
        locations = result["pickup_locations"]
        self.assertEqual(len(locations), 5)
        first = locations[0]
        for key in ("id", "name", "street", "city", "zip_code", "country_code"):
            self.assertIsInstance(first[key], str)
            self.assertTrue(first[key], key)
        self.assertEqual(first["country_code"], "DE")
        self.assertEqual(set(first["opening_hours"]), {str(d) for d in range(7)})
        weekday = first["opening_hours"]["0"]
        self.assertTrue(weekday and " - " in weekday[0], weekday)
        data = first["additional_data"]
        self.assertEqual(data["location_id"], first["id"])
        self.assertEqual(data["carrier_name"], "dhl")
        self.assertIn(data["location_type"], ("SHOP", "POST_OFFICE", "LOCKER"))
        distances = [loc["additional_data"]["distance"] for loc in locations]
        self.assertEqual(distances, sorted(distances))
        self.assertIsInstance(first["latitude"], float)

    def test_coordinates_are_used_when_known(self):
        partner = self.partner.copy(
            {"partner_latitude": 48.1374, "partner_longitude": 11.5755}
        )
        locations = self.order_for(partner)._get_pickup_locations()["pickup_locations"]
        self.assertEqual({loc["city"] for loc in locations}, {"München"})

    def test_zip_typed_in_the_selector(self):
        order = self.order_for()
        result = order._get_pickup_locations(
            zip_code="75001", country=self.env.ref("base.fr")
        )
        self.assertEqual({loc["city"] for loc in result["pickup_locations"]}, {"Paris"})

    def test_answers_are_cached_per_area(self):
        order = self.order_for()
        first = order._get_pickup_locations()
        calls = self.pudo_calls()
        self.assertEqual(calls, 1)
        self.assertEqual(order._get_pickup_locations(), first)
        self.assertEqual(self.pudo_calls(), 1, "the second lookup came from the cache")
        order._get_pickup_locations(zip_code="80331", country=self.de)
        self.assertEqual(self.pudo_calls(), 2, "another area is asked for")
        self.carrier.sevensenders_pudo_cache_ttl = 0
        clear_pickup_cache()
        order._get_pickup_locations()
        order._get_pickup_locations()
        self.assertEqual(self.pudo_calls(), 4, "no cache with a zero lifetime")

    def test_api_failure_is_a_friendly_message(self):
        self.sandbox.set_faults(error_rate=1.0, error_status=503)
        result = self.order_for()._get_pickup_locations()
        self.assertNotIn("pickup_locations", result)
        self.assertIn("cannot be loaded right now", result["error"])
        self.assertNotIn("503", result["error"])

    def test_unknown_area_has_no_points(self):
        partner = self.partner.copy({"zip": "99999", "city": "Nowhere"})
        result = self.order_for(partner)._get_pickup_locations()
        self.assertEqual(
            result,
            {"error": "No pick-up points are available for this delivery address."},
        )

    def test_the_chosen_point_travels_to_the_label(self):
        order = self.order_for()
        point = order._get_pickup_locations()["pickup_locations"][2]
        order._set_pickup_location(json.dumps(point))
        order.action_confirm()
        picking = order.picking_ids
        self.assertEqual(picking.partner_id.parent_id, self.partner)
        self.validate(picking)
        label = self.sandbox.objects("label")[0]
        shipment = next(
            s
            for s in self.sandbox.objects("shipment")
            if s["id"] == label["shipment_id"]
        )
        self.assertTrue(shipment["pickup_point_selected"])
        # the label request carried the point; the customer stays the recipient
        self.assertEqual(shipment["recipient_first_name"], "Erika")
        self.assertEqual(shipment["recipient_last_name"], "Mustermann")
        self.assertEqual(shipment["recipient_email"], "erika@example.com")
        content = self.sandbox.objects("label")
        self.assertEqual(len(content), 1)
        sent = self.env["sevensenders.parcel"].search([("picking_id", "=", picking.id)])
        self.assertTrue(sent)
        vals = picking._sevensenders_prepare_label_vals(self.carrier)
        self.assertEqual(vals["pudo_id"], point["id"])
        self.assertEqual(vals["collection_point_zip"], point["zip_code"])
        self.assertEqual(vals["collection_point_name1"], point["name"])

    def test_tracking_only_shipment_marks_the_pickup_point(self):
        self.other_carrier.write({"delivery_type": "fixed"})
        order = self.order_for()
        point = order._get_pickup_locations()["pickup_locations"][0]
        order._set_pickup_location(json.dumps(point))
        order.action_confirm()
        order.carrier_id = self.other_carrier  # labels printed elsewhere
        picking = order.picking_ids
        picking.carrier_id = self.other_carrier
        picking.carrier_tracking_ref = "PUDO-1"
        self.validate(picking)
        self.drain()
        shipment = self.sandbox.objects("shipment")[0]
        self.assertTrue(shipment["pickup_point_selected"])
        self.assertEqual(shipment["recipient_email"], "erika@example.com")

    def test_the_shipping_email_greets_the_customer_not_the_point(self):
        """The point became the delivery contact (named after the point, with
        the customer's email): the email greets and goes to the customer."""
        own = self.env.ref(
            "delivery_sevensenders.mail_template_sevensenders_delivery_confirmation"
        )
        self.company.write(
            {
                "stock_move_email_validation": True,
                "stock_mail_confirmation_template_id": own.id,
            }
        )
        order = self.order_for()
        point = order._get_pickup_locations()["pickup_locations"][0]
        order._set_pickup_location(json.dumps(point))
        order.action_confirm()
        picking = order.picking_ids
        self.assertEqual(picking.partner_id.name, point["name"])
        self.validate(picking)
        (message,) = picking.message_ids.filtered(
            lambda m: "has been shipped" in (m.body or "")
        )
        self.assertIn("Hello Erika Mustermann,", str(message.body))
        self.assertNotIn(point["name"], str(message.body))
        self.assertEqual(message.partner_ids, self.partner)
        mails = (
            self.env["mail.mail"].sudo().search([("mail_message_id", "=", message.id)])
        )
        for mail in mails:  # unless sent and deleted already
            self.assertEqual(mail.recipient_ids, self.partner)
        self.assertEqual(
            self.partner.email_formatted, '"Erika Mustermann" <erika@example.com>'
        )

    def test_the_migration_fixes_the_template_of_an_existing_database(self):
        own = self.env.ref(
            "delivery_sevensenders.mail_template_sevensenders_delivery_confirmation"
        )
        path = Path(__file__).parents[1] / "migrations/1.4.1/post-migration.py"
        spec = importlib.util.spec_from_file_location("sevensenders_mig_141", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        new_body = own.body_html
        self.assertIn(migration.GREETING[1], new_body)
        # as 1.4.0 installed it
        own.write(
            {
                "partner_to": migration.CHANGES["partner_to"][0],
                "lang": migration.CHANGES["lang"][0],
                "body_html": str(new_body).replace(*reversed(migration.GREETING)),
            }
        )
        self.assertNotIn(migration.GREETING[1], own.body_html)
        own.flush_recordset()
        migration.migrate(self.env.cr, "18.0.1.4.0")
        own.invalidate_recordset()
        self.assertEqual(own.partner_to, migration.CHANGES["partner_to"][1])
        self.assertEqual(own.lang, migration.CHANGES["lang"][1])
        self.assertEqual(own.body_html, new_body)
