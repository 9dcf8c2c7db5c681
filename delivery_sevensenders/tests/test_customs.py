# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import SevenSendersCase


@tagged("post_install", "-at_install")
class TestCustoms(SevenSendersCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        portugal = cls.env.ref("base.pt")
        (cls.shirt | cls.bottle).product_tmpl_id.write(
            {"country_of_origin": portugal.id}
        )
        cls.london = cls._customer("London Customer", "GB", "SW1A 1AA", "London")
        cls.zurich = cls._customer("Zurich Customer", "CH", "8001", "Zürich")
        cls.canary = cls._customer("Canary Customer", "ES", "35001", "Las Palmas")
        cls.paris = cls._customer("Paris Customer", "FR", "75001", "Paris")

    @classmethod
    def _customer(cls, name, country, zip_code, city):
        return cls.env["res.partner"].create(
            {
                "name": name,
                "email": f"{country.lower()}@example.com",
                "street": "High Street 1",
                "zip": zip_code,
                "city": city,
                "country_id": cls.env["res.country"]
                .search([("code", "=", country)])
                .id,
            }
        )

    def ship(self, partner, carrier=None, invoice=True, lines=None):
        order = self.make_order(
            carrier=carrier or self.carrier, partner=partner, lines=lines
        )
        picking = order.picking_ids
        if carrier == self.other_carrier:
            picking.carrier_tracking_ref = f"T-{picking.id}"
        self.validate(picking)
        if invoice:
            order._create_invoices().action_post()
        return order, picking

    def customs(self):
        return self.sandbox.objects("customs_shipment")

    def test_gb_gets_customs_with_dap(self):
        order, picking = self.ship(self.london)
        self.drain()
        (customs,) = self.customs()
        parcel = picking.sevensenders_parcel_ids
        self.assertEqual(customs["shipment_id"], parcel.shipment_ref)
        self.assertEqual(customs["incoterm"], "DAP")
        self.assertEqual(customs["departure_country"], "DE")
        self.assertEqual(customs["order_id"], order.name)
        self.assertEqual(customs["invoice_id"], order.invoice_ids.name)
        self.assertEqual(customs["tracking_code"], parcel.tracking_code)
        (article,) = customs["articles"]
        self.assertEqual(article["sku"], "7S-TSHIRT")
        self.assertEqual(article["hs_code"], "610910")
        self.assertEqual(article["origin_country"], "PT")
        self.assertEqual(article["quantity"], 2)
        self.assertAlmostEqual(article["unit_value"], 19.99)
        self.assertEqual(parcel.customs_ref, str(customs["id"]))

    def test_domestic_and_eu_parcels_get_none(self):
        self.ship(self.paris)
        self.ship(self.partner)  # Berlin
        self.drain()
        self.assertFalse(self.outbox(operation="customs_create"))
        self.assertFalse(self.customs())

    def test_ch_uses_the_account_incoterm_or_the_country_rule(self):
        self.ship(self.zurich)
        self.drain()
        self.assertEqual(self.customs()[0]["incoterm"], "DDP")
        self.account.incoterm_rule_ids = [
            (0, 0, {"country_id": self.zurich.country_id.id, "incoterm": "DAP"})
        ]
        self.assertEqual(self.account._sevensenders_incoterm("CH"), "DAP")
        self.assertEqual(self.account._sevensenders_incoterm("GB"), "DAP")
        self.assertEqual(self.account._sevensenders_incoterm("NO"), "DDP")

    def test_canary_islands_get_customs(self):
        self.ship(self.canary)
        self.drain()
        self.assertEqual(len(self.customs()), 1)

    def test_tracking_only_shipments_get_customs_too(self):
        order, picking = self.ship(self.london, carrier=self.other_carrier)
        self.drain()
        (customs,) = self.customs()
        self.assertEqual(
            customs["shipment_id"], picking.sevensenders_parcel_ids.shipment_ref
        )
        self.assertEqual(customs["tracking_code"], f"T-{picking.id}")

    def test_missing_data_is_listed_at_once_and_the_invoice_wakes_the_row(self):
        self.bottle.product_tmpl_id.write(
            {"hs_code": False, "country_of_origin": False}
        )
        self.bottle.default_code = False
        order, picking = self.ship(
            self.london, invoice=False, lines=[(self.shirt, 1), (self.bottle, 1)]
        )
        self.drain()
        row = self.outbox(picking, operation="customs_create")
        self.assertEqual(row.state, "retry")
        for words in (
            "posted customer invoice",
            "internal reference",
            "HS code",
            "country of origin",
        ):
            self.assertIn(words, row.last_error)
        self.assertEqual(picking.sevensenders_sync_state, "error")
        self.bottle.product_tmpl_id.write(
            {"hs_code": "7323.93", "country_of_origin": self.env.ref("base.pt").id}
        )
        self.bottle.default_code = "7S-BOTTLE"
        self.assertGreater(row.next_attempt_at, fields.Datetime.now(), "backing off")
        order._create_invoices().action_post()
        self.assertLessEqual(
            row.next_attempt_at, fields.Datetime.now(), "the invoice woke the row"
        )
        self.drain(force=False)
        self.assertEqual(row.state, "done")
        hs_codes = sorted(a["hs_code"] for a in self.customs()[0]["articles"])
        self.assertEqual(hs_codes, ["610910", "732393"])

    def assert_waits_without_failing(self, picking, row, attempts=0):
        self.assertEqual(row.state, "pending")
        self.assertEqual(row.attempts, attempts, "no attempt spent")
        self.assertEqual(
            row.last_error, f"Waiting for: the invoice of {picking.sale_id.name}"
        )
        self.assertGreater(row.next_attempt_at, fields.Datetime.now())
        self.assertNotEqual(picking.sevensenders_sync_state, "error")
        self.assertFalse(picking.sevensenders_sync_error)
        self.assertFalse(picking.activity_ids, "no activity")
        notes = picking.message_ids.filtered(
            lambda m: "synchronisation failed" in (m.body or "")
        )
        self.assertFalse(notes, "no failure note")
        self.assertFalse(self.customs(), "nothing sent without the invoice")

    def test_the_invoice_posted_a_day_later_is_waited_for(self):
        """Odoo's default invoicing policy: the invoice of what was delivered,
        posted after the delivery; the customs shipment waits for it."""
        self.shirt.invoice_policy = "delivery"
        order, picking = self.ship(self.london, invoice=False)
        row = self.outbox(picking, operation="customs_create")
        for _i in range(4):
            self.drain()
        self.assert_waits_without_failing(picking, row)
        # the next day
        invoice = order._create_invoices()
        invoice.invoice_date = fields.Date.today() + timedelta(days=1)
        invoice.action_post()
        self.assertLessEqual(row.next_attempt_at, fields.Datetime.now(), "woken")
        self.drain(force=False)
        (customs,) = self.customs()
        self.assertEqual(customs["invoice_id"], invoice.name)
        self.assertEqual(customs["invoice_date"], str(invoice.invoice_date))
        self.assertEqual(
            customs["shipment_id"], picking.sevensenders_parcel_ids.shipment_ref
        )
        self.assertEqual(customs["articles"][0]["quantity"], 2)
        self.assertEqual(row.state, "done")
        self.assertEqual(row.attempts, 1)
        self.assertEqual(picking.sevensenders_sync_state, "synced")
        self.assertFalse(picking.activity_ids)

    def test_a_row_failed_for_the_invoice_before_waits_and_is_sent(self):
        """Rows an earlier version failed for the lack of the invoice: a
        retrying one waits, one given up is sent when the invoice is posted."""
        order, picking = self.ship(self.london, invoice=False)
        row = self.outbox(picking, operation="customs_create")
        old_error = (
            f"The customs papers of {picking.name} need: a posted customer "
            f"invoice for {order.name}."
        )
        row.write({"state": "retry", "attempts": 3, "last_error": old_error})
        picking.write(
            {"sevensenders_sync_state": "error", "sevensenders_sync_error": old_error}
        )
        self.drain()
        self.assert_waits_without_failing(picking, row, attempts=3)
        row.write({"state": "dead", "attempts": 8, "last_error": old_error})
        self.drain()
        self.assertEqual(row.state, "dead", "a row given up is not claimed")
        order._create_invoices().action_post()
        self.drain(force=False)
        self.assertEqual(row.state, "done")
        (customs,) = self.customs()
        self.assertEqual(customs["invoice_id"], order.invoice_ids.name)

    def test_manifest_for_several_deliveries_is_unique_and_immutable(self):
        _o1, first = self.ship(self.london)
        _o2, second = self.ship(self.zurich)
        self.drain()
        pickings = first | second
        pickings.action_sevensenders_create_manifest()
        (manifest,) = self.sandbox.objects("customs_manifest")
        self.assertNotIn("/", manifest["manifest_id"])
        self.assertEqual(manifest["pieces"], 2)
        self.assertEqual(
            sorted(manifest["shipment_ids"]),
            sorted(pickings.sevensenders_parcel_ids.mapped("shipment_ref")),
        )
        self.assertEqual(
            set(pickings.sevensenders_parcel_ids.mapped("manifest_ref")),
            {manifest["manifest_id"]},
        )
        self.assertEqual({c["status"] for c in self.customs()}, {"manifested"})
        with self.assertRaisesRegex(UserError, "already in manifest"):
            first.action_sevensenders_create_manifest()
        _o3, third = self.ship(self.london)
        self.drain()
        third.action_sevensenders_create_manifest()
        ids = [m["manifest_id"] for m in self.sandbox.objects("customs_manifest")]
        self.assertEqual(len(set(ids)), 2)

    def test_flex_needs_no_manifest(self):
        self.account.uses_flex = True
        _order, picking = self.ship(self.london)
        self.drain()
        action = picking.action_sevensenders_create_manifest()
        self.assertIn("Flex", action["params"]["message"])
        self.assertFalse(self.sandbox.objects("customs_manifest"))
        self.assertFalse(picking.sevensenders_parcel_ids.manifest_ref)

    def test_create_customs_server_action_on_several_records(self):
        _o1, first = self.ship(self.london)
        _o2, second = self.ship(self.zurich)
        (
            first | second
        ).action_sevensenders_create_customs()  # already queued: no duplicates
        self.assertEqual(len(self.outbox(operation="customs_create")), 2)
        self.drain()
        self.assertEqual(len(self.customs()), 2)
