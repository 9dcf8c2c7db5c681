# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Tracking-only shipments follow the delivery's reference: set, corrected,
cleared, set again, the delivery's shipment cancelled. What the sandbox holds
after the outbox ran is exactly what Odoo implies."""

from unittest.mock import patch

from odoo.tests import tagged

from .common import SevenSendersCase


@tagged("post_install", "-at_install")
class TestTrackingUndo(SevenSendersCase):
    def _shipped(self, code):
        order = self.make_order(carrier=self.other_carrier)
        picking = order.picking_ids
        picking.carrier_tracking_ref = code
        self.validate(picking)
        self.drain()
        return picking

    def _held(self):
        return sorted(s["tracking_code"] for s in self.sandbox.objects("shipment"))

    def _sent(self, operation):
        return [
            r
            for r in self.sandbox.requests()
            if r["method"] == operation[0] and r["path"].startswith(operation[1])
        ]

    def test_corrected_reference_replaces_the_shipment(self):
        picking = self._shipped("TRACK-OLD")
        old = picking.sevensenders_parcel_ids
        self.assertEqual(self._held(), ["TRACK-OLD"])
        picking.carrier_tracking_ref = "TRACK-NEW"
        self.drain()
        self.assertEqual(self._held(), ["TRACK-NEW"])
        self.assertEqual(old.state, "cancelled")
        active = picking.sevensenders_parcel_ids._sevensenders_active_outbound()
        self.assertEqual(active.tracking_code, "TRACK-NEW")
        self.assertEqual(
            active.shipment_ref, str(self.sandbox.objects("shipment")[0]["id"])
        )

    def test_cleared_then_set_again_sends_three_calls(self):
        picking = self._shipped("TRACK-1")
        picking.carrier_tracking_ref = False
        self.drain()
        self.assertEqual(self._held(), [])
        self.assertFalse(
            picking.sevensenders_parcel_ids._sevensenders_active_outbound()
        )
        # the same reference again: created anew, never deduplicated away
        picking.carrier_tracking_ref = "TRACK-1"
        self.drain()
        self.assertEqual(self._held(), ["TRACK-1"])
        creates = self._sent(("POST", "/v2/shipments"))
        deletes = self._sent(("DELETE", "/v2/shipments/"))
        self.assertEqual((len(creates), len(deletes)), (2, 1))
        # the new shipment (a new id: ids are never reused) is the active
        # parcel's, not the cancelled one's
        active = picking.sevensenders_parcel_ids._sevensenders_active_outbound()
        self.assertEqual(len(active), 1)
        self.assertEqual(
            active.shipment_ref, str(self.sandbox.objects("shipment")[0]["id"])
        )

    def test_changes_before_the_drain_cancel_each_other(self):
        order = self.make_order(carrier=self.other_carrier)
        picking = self.validate(order.picking_ids)
        picking.carrier_tracking_ref = "TYPO-1"
        picking.carrier_tracking_ref = "RIGHT-1"
        self.drain()
        self.assertEqual(self._held(), ["RIGHT-1"])
        self.assertFalse(
            [r for r in self._sent(("POST", "/v2/shipments")) if r["status"] >= 400]
        )
        # cleared and set again before the drain: the shipment stays, once
        picking.carrier_tracking_ref = False
        picking.carrier_tracking_ref = "RIGHT-1"
        self.drain()
        self.assertEqual(self._held(), ["RIGHT-1"])
        self.assertEqual(len(self._sent(("DELETE", "/v2/shipments/"))), 0)
        self.assertEqual(
            len(picking.sevensenders_parcel_ids._sevensenders_active_outbound()), 1
        )

    def test_cancelled_shipment_is_withdrawn(self):
        picking = self._shipped("TRACK-C1,TRACK-C2")
        self.assertEqual(self._held(), ["TRACK-C1", "TRACK-C2"])
        # Odoo's *Cancel* of a delivery's shipment clears its reference once
        # the carrier's connector cancelled it there (that carrier's API is
        # the one part that cannot run here)
        carrier_class = type(self.other_carrier)
        with patch.object(carrier_class, "fixed_cancel_shipment", lambda *a: None):
            picking.cancel_shipment()
        self.drain()
        self.assertEqual(self._held(), [])
        self.assertEqual(
            set(picking.sevensenders_parcel_ids.mapped("state")), {"cancelled"}
        )
