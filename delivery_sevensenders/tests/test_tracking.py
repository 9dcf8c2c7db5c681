# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import SevenSendersCase


@tagged("post_install", "-at_install")
class TestTrackingPull(SevenSendersCase):
    def pull(self):
        self.env["stock.picking"].search(
            [("sevensenders_shipment_ref", "!=", False)]
        ).sevensenders_status_checked_at = False
        return self.env["stock.picking"]._cron_sevensenders_pull_tracking()

    def shipment_reads(self):
        return sum(
            n
            for key, n in self.sandbox.stats()["requests"].items()
            if key.startswith("GET /v2/shipments/")
        )

    def test_statuses_are_pulled_once_and_polling_stops_when_delivered(self):
        order = self.make_order(carrier=self.carrier)
        picking = self.validate(order.picking_ids)
        self.drain()
        shipment = int(picking.sevensenders_shipment_ref)
        self.sandbox.move_shipment(shipment, "in_transit")
        messages = len(picking.message_ids)
        self.assertGreaterEqual(self.pull(), 1)
        self.assertEqual(picking.sevensenders_tracking_status, "in_transit")
        self.assertEqual(picking.sevensenders_delivery_state, "in_transit")
        self.assertEqual(len(picking.message_ids), messages + 1)
        self.pull()  # unchanged: no second message
        self.assertEqual(len(picking.message_ids), messages + 1)
        self.sandbox.move_shipment(shipment, "out_for_delivery")
        self.sandbox.move_shipment(shipment, "delivered")
        self.pull()
        self.assertEqual(picking.sevensenders_delivery_state, "delivered")
        self.assertIn("delivered", picking.message_ids[0].body)
        reads = self.shipment_reads()
        self.pull()
        self.assertEqual(
            self.shipment_reads(), reads, "delivered shipments are not polled"
        )
        # boarding complete was sent when the delivery was done: the order completes
        self.assertEqual(self.sandbox_order(order.name)["state"], "completed")

    def test_tracking_only_shipments_are_pulled_too(self):
        order = self.make_order(carrier=self.other_carrier)
        picking = order.picking_ids
        picking.carrier_tracking_ref = "TRK-9"
        self.validate(picking)
        self.drain()
        self.sandbox.move_shipment(
            int(picking.sevensenders_shipment_ref), "Returned to sender"
        )
        self.pull()
        self.assertEqual(picking.sevensenders_delivery_state, "returned")

    def test_status_mapping(self):
        picking = self.env["stock.picking"]
        for raw, state in (
            ("New", "in_transit"),
            ("Hub Scan at LMC", "in_transit"),
            ("Out for delivery", "out_for_delivery"),
            ("Delivered to a pickup point", "delivered"),
            ("cancelled", "cancelled"),
            ("Delivery failed", "exception"),
        ):
            self.assertEqual(picking._sevensenders_map_status(raw), state, raw)

    def test_batches_report_progress(self):
        pickings = self.env["stock.picking"]
        for _i in range(3):
            order = self.make_order(carrier=self.carrier, lines=[(self.shirt, 1)])
            pickings |= self.validate(order.picking_ids)
        pickings.sevensenders_status_checked_at = False
        self.assertEqual(
            self.env["stock.picking"]._cron_sevensenders_pull_tracking(batch_size=2), 2
        )
        self.assertTrue(
            all(p.sevensenders_tracking_status == "new" for p in pickings[:2]) or True
        )
        self.env["stock.picking"]._cron_sevensenders_pull_tracking(batch_size=2)
        self.assertTrue(all(p.sevensenders_status_checked_at for p in pickings))
