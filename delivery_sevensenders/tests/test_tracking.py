# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import SevenSendersCase


@tagged("post_install", "-at_install")
class TestTrackingPull(SevenSendersCase):
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
        shipment = int(picking.sevensenders_parcel_ids.shipment_ref)
        self.sandbox.move_shipment(shipment, "in_transit")
        messages = len(picking.message_ids)
        self.assertGreaterEqual(self.pull_tracking(), 1)
        self.assertEqual(picking.sevensenders_tracking_status, "in_transit")
        self.assertEqual(picking.sevensenders_delivery_state, "in_transit")
        self.assertEqual(len(picking.message_ids), messages + 1)
        self.pull_tracking()  # unchanged: no second message
        self.assertEqual(len(picking.message_ids), messages + 1)
        self.sandbox.move_shipment(shipment, "out_for_delivery")
        self.sandbox.move_shipment(shipment, "delivered")
        self.pull_tracking()
        self.assertEqual(picking.sevensenders_delivery_state, "delivered")
        self.assertIn("delivered", picking.message_ids[0].body)
        reads = self.shipment_reads()
        self.pull_tracking()
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
            int(picking.sevensenders_parcel_ids.shipment_ref), "Returned to sender"
        )
        self.pull_tracking()
        self.assertEqual(picking.sevensenders_delivery_state, "returned")

    def test_status_mapping(self):
        parcel = self.env["sevensenders.parcel"]
        for raw, state in (
            ("New", "in_transit"),
            ("Hub Scan at LMC", "in_transit"),
            ("Out for delivery", "out_for_delivery"),
            ("Delivered to a pickup point", "delivered"),
            ("cancelled", "cancelled"),
            ("Delivery failed", "exception"),
        ):
            self.assertEqual(parcel._sevensenders_map_status(raw), state, raw)

    def test_batches_report_progress(self):
        pickings = self.env["stock.picking"]
        for _i in range(3):
            order = self.make_order(carrier=self.carrier, lines=[(self.shirt, 1)])
            pickings |= self.validate(order.picking_ids)
        parcels = pickings.sevensenders_parcel_ids
        parcels.status_checked_at = False
        self.assertEqual(
            self.env["stock.picking"]._cron_sevensenders_pull_tracking(batch_size=2), 2
        )
        self.assertEqual(len(parcels.filtered("status_checked_at")), 2)
        self.assertEqual(
            set(parcels.filtered("status_checked_at").mapped("carrier_status")),
            {"new"},
        )
        self.env["stock.picking"]._cron_sevensenders_pull_tracking(batch_size=2)
        self.assertTrue(all(p.status_checked_at for p in parcels))


@tagged("post_install", "-at_install")
class TestOrderStatePull(SevenSendersCase):
    def order_reads(self):
        return sum(
            n
            for key, n in self.sandbox.stats()["requests"].items()
            if key.startswith("GET /v2/orders/")
        )

    def test_states_are_pulled_until_completed(self):
        order = self.make_order(carrier=self.carrier)
        self.drain()
        self.pull_order_states()
        # confirmation made the delivery ready: in_preparation was sent
        self.assertEqual(order.sevensenders_order_state, "in_preparation")
        messages = len(order.message_ids)
        picking = self.validate(order.picking_ids)
        self.drain()
        self.pull_order_states()
        self.assertEqual(order.sevensenders_order_state, "shipped")
        self.assertEqual(len(order.message_ids), messages + 1)
        self.pull_order_states()  # unchanged: no second message
        self.assertEqual(len(order.message_ids), messages + 1)
        self.sandbox.move_shipment(
            int(picking.sevensenders_parcel_ids.shipment_ref), "delivered"
        )
        self.pull_order_states()
        self.assertEqual(order.sevensenders_order_state, "completed")
        reads = self.order_reads()
        self.pull_order_states()
        self.assertEqual(self.order_reads(), reads, "completed orders are not polled")

    def test_batches(self):
        orders = [self.make_order(lines=[(self.shirt, 1)]) for _i in range(3)]
        self.drain()
        self.assertEqual(self.pull_order_states(batch_size=2), 2)
        checked = [o for o in orders if o.sevensenders_state_checked_at]
        self.assertEqual(len(checked), 2)
        self.env["sale.order"]._cron_sevensenders_pull_order_states(batch_size=2)
        self.assertEqual(
            [o.sevensenders_order_state for o in orders],
            [self.sandbox_order(o.name)["state"] for o in orders],
        )
        self.assertTrue(all(o.sevensenders_order_state for o in orders))
