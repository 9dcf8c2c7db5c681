# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import SevenSendersCase


@tagged("post_install", "-at_install")
class TestShipping(SevenSendersCase):
    def test_rate_is_the_fixed_price(self):
        order = self.make_order(confirm=False)
        rate = self.carrier.rate_shipment(order)
        self.assertTrue(rate["success"])
        self.assertAlmostEqual(rate["price"], 4.9)
        self.carrier.sevensenders_account_id = False
        rate = self.carrier.rate_shipment(order)
        self.assertFalse(rate["success"])
        self.assertIn("account", rate["error_message"])

    def test_validating_the_delivery_makes_the_label(self):
        order = self.make_order(carrier=self.carrier)
        picking = order.picking_ids
        self.validate(picking)
        self.assertEqual(picking.state, "done")
        parcel = picking.sevensenders_parcel_ids
        self.assertEqual(len(parcel), 1)
        self.assertEqual(picking.carrier_tracking_ref, parcel.tracking_code)
        self.assertTrue(parcel.shipment_ref)
        attachment = parcel.attachment_id
        self.assertEqual(
            attachment.name, f"LabelShipping-sevensenders-{parcel.tracking_code}.pdf"
        )
        self.assertTrue(attachment.raw.startswith(b"%PDF-"))
        self.assertEqual(
            (attachment.res_model, attachment.res_id), ("stock.picking", picking.id)
        )
        labels = self.sandbox.objects("label")
        self.assertEqual(len(labels), 1)
        self.assertEqual(labels[0]["tracking_code"], parcel.tracking_code)
        self.assertEqual(labels[0]["order_id"], order.name)
        shipment = next(
            s
            for s in self.sandbox.objects("shipment")
            if str(s["id"]) == parcel.shipment_ref
        )
        self.assertEqual(shipment["recipient_email"], "erika@example.com")
        self.assertEqual(shipment["warehouse"], "Primary Warehouse")
        self.assertIn(parcel.tracking_code, self.carrier.get_tracking_link(picking))
        # one chatter post for the labels: Odoo's, with the labels' note and files
        (post,) = picking.message_ids.filtered(
            lambda m: parcel.tracking_code in str(m.body or "")
        )
        self.assertIn("Seven Senders labels created", str(post.body))
        self.assertIn("Shipment sent to carrier", str(post.body))
        self.assertEqual(post.attachment_ids, attachment)

    def test_one_label_per_package(self):
        order = self.make_order(
            carrier=self.carrier, lines=[(self.shirt, 1), (self.bottle, 1)]
        )
        picking = order.picking_ids
        picking.action_assign()
        lines = picking.move_line_ids
        self.validate(picking, packages=[lines[0], lines[1]])
        parcels = picking.sevensenders_parcel_ids
        self.assertEqual(len(parcels), 2)
        self.assertEqual(len(set(parcels.mapped("reference_number"))), 2)
        self.assertEqual(
            picking.carrier_tracking_ref, ",".join(parcels.mapped("tracking_code"))
        )
        links = json.loads(self.carrier.get_tracking_link(picking))
        self.assertEqual(
            [code for code, _url in links], parcels.mapped("tracking_code")
        )
        self.assertEqual(len(self.sandbox.objects("label")), 2)

    def test_cancel_shipment_deletes_the_labels(self):
        order = self.make_order(carrier=self.carrier)
        picking = self.validate(order.picking_ids)
        parcel = picking.sevensenders_parcel_ids
        picking.cancel_shipment()
        self.assertEqual(parcel.state, "cancelled")
        self.assertFalse(picking.carrier_tracking_ref)
        self.assertFalse(self.sandbox.objects("label"))
        shipment = next(
            s
            for s in self.sandbox.objects("shipment")
            if str(s["id"]) == parcel.shipment_ref
        )
        self.assertEqual(shipment["state"], "cancelled")
        # a new label can be made; it gets a new reference
        picking.action_sevensenders_create_label()
        new = picking.sevensenders_parcel_ids.filtered(lambda p: p.state == "active")
        self.assertNotEqual(new.reference_number, parcel.reference_number)

    def test_a_customer_without_email_stops_validation(self):
        partner = self.partner.copy({"email": False})
        order = self.make_order(carrier=self.carrier, partner=partner)
        with self.assertRaisesRegex(UserError, "an email address"):
            self.validate(order.picking_ids)
        self.assertFalse(self.sandbox.objects("label"))

    def test_an_unmapped_warehouse_stops_validation(self):
        self.account.warehouse_mapping_ids.unlink()
        order = self.make_order(carrier=self.carrier)
        with self.assertRaisesRegex(UserError, "has no Seven Senders warehouse"):
            self.validate(order.picking_ids)

    def test_a_bad_field_is_named(self):
        partner = self.partner.copy({"email": "not-an-email"})
        order = self.make_order(carrier=self.carrier, partner=partner)
        with self.assertRaisesRegex(UserError, "recipient_email"):
            self.validate(order.picking_ids)

    def test_an_unsupported_country_is_named(self):
        kosovo = self.env["res.country"].search([("code", "=", "XK")])
        self.assertTrue(
            kosovo, "Odoo knows Kosovo (XK), which ISO 3166 does not assign"
        )
        partner = self.partner.copy(
            {"country_id": kosovo.id, "zip": "10000", "city": "Prishtina"}
        )
        order = self.make_order(carrier=self.carrier, partner=partner)
        with self.assertRaisesRegex(UserError, "recipient_country"):
            self.validate(order.picking_ids)
        # the same customer with another carrier: a clear error on the delivery, kept
        order = self.make_order(carrier=self.other_carrier, partner=partner)
        picking = order.picking_ids
        picking.carrier_tracking_ref = "XK-1"
        self.validate(picking)
        self.drain()
        self.assertEqual(picking.sevensenders_sync_state, "error")
        self.assertIn("recipient_country", picking.sevensenders_sync_error)
        self.assertEqual(self.outbox(picking).state, "retry")

    def test_other_carriers_get_a_tracking_only_shipment(self):
        order = self.make_order(carrier=self.other_carrier)
        picking = order.picking_ids
        picking.carrier_tracking_ref = "00340434161094042557"
        self.validate(picking)
        row = self.outbox(picking, operation="shipment_create")
        self.assertEqual(row.state, "pending")
        self.drain()
        self.assertEqual(row.state, "done")
        shipments = self.sandbox.objects("shipment")
        self.assertEqual(len(shipments), 1)
        shipment = shipments[0]
        self.assertEqual(shipment["tracking_code"], "00340434161094042557")
        self.assertEqual(shipment["carrier"], {"name": "dpd", "country": "DE"})
        self.assertEqual(shipment["order_id"], order.name)
        self.assertEqual(shipment["recipient_address"], "Invalidenstraße 116")
        self.assertEqual(
            picking.sevensenders_parcel_ids.shipment_ref, str(shipment["id"])
        )
        self.assertTrue(
            self.sandbox_order(order.name), "the order came with the shipment"
        )

    def test_tracking_reference_entered_after_validation(self):
        order = self.make_order(carrier=self.other_carrier)
        picking = self.validate(order.picking_ids)
        self.assertFalse(self.outbox(picking, operation="shipment_create"))
        picking.carrier_tracking_ref = "TRACK-42"
        self.drain()
        self.assertEqual(
            [s["tracking_code"] for s in self.sandbox.objects("shipment")], ["TRACK-42"]
        )

    def test_unmapped_carrier_is_an_error_on_the_picking(self):
        self.account.carrier_mapping_ids.unlink()
        order = self.make_order(carrier=self.other_carrier)
        picking = order.picking_ids
        picking.carrier_tracking_ref = "T1"
        self.validate(picking)
        self.drain()
        self.assertEqual(picking.sevensenders_sync_state, "error")
        self.assertIn("Carrier mapping", picking.sevensenders_sync_error)
        self.assertFalse(self.sandbox.objects("shipment"))

    def test_refresh_carriers_keeps_their_names_and_says_what_changed(self):
        carriers = self.env["sevensenders.carrier"].with_context(active_test=False)
        offered = carriers.search_count([("active", "=", True)])
        self.dpd.name = "Dpd"  # as an earlier version renamed it
        carriers.search([("code", "=", "postnl")]).unlink()
        gone = carriers.create({"code": "oldpost", "name": "Old Post"})
        action = self.account.action_sevensenders_sync_carriers()
        self.assertEqual(action["tag"], "display_notification")
        message = action["params"]["message"]
        self.assertEqual(
            message.split("\n"),
            [
                "1 added: PostNL.",
                "1 renamed: Dpd → DPD.",
                "1 no longer offered (archived): Old Post.",
                f"{offered - 2} unchanged.",
            ],
        )
        names = {c.code: c.name for c in carriers.search([("active", "=", True)])}
        self.assertEqual(len(names), offered)
        for code, name in {
            "dhl": "DHL",
            "dpd": "DPD",
            "gls": "GLS",
            "ups": "UPS",
            "hermes": "Hermes",
            "postnl": "PostNL",
            "deutschepost": "Deutsche Post",
        }.items():
            self.assertEqual(names[code], name)
        self.assertFalse(gone.active)
        # the delivery method's button says the same: nothing changed now
        action = self.carrier.action_sevensenders_sync_carriers()
        self.assertEqual(action["params"]["message"], f"{offered} unchanged.")
