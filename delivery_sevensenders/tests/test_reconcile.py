# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The read-back: Seven Senders' copy changed behind Odoo's back is found,
listed as drift and repaired through the outbox; a second run finds nothing
and sends nothing."""

from datetime import datetime

from odoo.tests import tagged

from .common import SevenSendersCase


@tagged("post_install", "-at_install")
class TestReconcile(SevenSendersCase):
    def _synced_order(self):
        order = self.make_order(
            tag_ids=[(6, 0, self.tag.ids)],
            commitment_date=datetime(2026, 12, 1, 15, 30),
        )
        self.drain()
        return order, self.sandbox_order(order.name)

    def _drifts(self, order, state=None):
        domain = [("res_model", "=", "sale.order"), ("res_id", "=", order.id)]
        if state:
            domain.append(("state", "=", state))
        return self.env["sevensenders.drift"].search(domain)

    def _writes(self):
        """The emulated API's calls that change something."""
        return [r for r in self.sandbox.requests() if r["method"] != "GET"]

    def test_drift_is_found_repaired_and_not_found_again(self):
        order, remote = self._synced_order()
        # changed in the Seven Senders portal: tags replaced, the date removed
        self.sandbox.change_object(
            "order",
            remote["id"],
            order_tags={"tag_1": "Portal"},
            promised_delivery_date=None,
        )
        self.account._sevensenders_reconcile()
        drifts = self._drifts(order, "open")
        self.assertEqual(
            sorted(drifts.mapped("field")), ["order_tags", "promised_delivery_date"]
        )
        tags = drifts.filtered(lambda d: d.field == "order_tags")
        self.assertIn("Portal", tags.remote_value)
        self.assertIn("VIP", tags.odoo_value)
        date = drifts.filtered(lambda d: d.field == "promised_delivery_date")
        self.assertFalse(date.remote_value)
        self.assertTrue(date.odoo_value.startswith("2026-12-01T15:30:00"))
        self.assertEqual(self.outbox(order, operation="order_update").state, "pending")
        self.drain()
        remote = self.sandbox_order(order.name)
        self.assertEqual(remote["order_tags"], {"tag_1": "VIP"})
        self.assertEqual(remote["promised_delivery_date"], "2026-12-01T15:30:00+00:00")
        # the second run right after the repair: nothing found, nothing sent
        writes = len(self._writes())
        result = self.account._sevensenders_reconcile(order)
        self.assertEqual(result, {"checked": 1, "found": 0})
        self.assertEqual(len(self._writes()), writes)
        self.assertFalse(self._drifts(order, "open"))
        self.assertEqual(set(self._drifts(order).mapped("state")), {"repaired"})
        self.assertTrue(all(self._drifts(order).mapped("repaired_at")))

    def test_an_order_lost_in_seven_senders_is_created_again(self):
        order, remote = self._synced_order()
        self.sandbox.delete_object("order", remote["id"])
        action = order.action_sevensenders_check()
        self.assertEqual(action["params"]["type"], "warning")
        self.assertEqual(self._drifts(order, "open").field, "(order)")
        self.drain()
        again = self.sandbox_order(order.name)
        self.assertTrue(again, "the order is in Seven Senders again")
        self.assertNotEqual(again["id"], remote["id"])
        self.assertEqual(order.sevensenders_order_ref, str(again["id"]))
        self.assertEqual(again["order_tags"], {"tag_1": "VIP"})
        self.assertEqual(self.account._sevensenders_reconcile(order)["found"], 0)

    def test_due_orders_changed_since_the_last_run_and_a_sample(self):
        order, _remote = self._synced_order()
        self.account.reconcile_checked_at = False
        self.account.reconcile_sample_from = 0
        result = self.account._sevensenders_reconcile()
        self.assertGreaterEqual(result["checked"], 1)
        self.assertTrue(self.account.reconcile_checked_at)
        self.assertEqual(result["found"], 0, "a synced order has no drift")
        # an order with an update waiting is not compared (the update repairs)
        order.tag_ids = [(5, 0, 0)]
        self.assertEqual(self.account._sevensenders_reconcile(order)["checked"], 0)
        # the scheduled action runs every account's read-back (called as
        # its code does: 19.0 runs a triggered job on a cursor of its own,
        # which would wait for this test's transaction)
        cron = self.env.ref("delivery_sevensenders.ir_cron_sevensenders_reconcile")
        self.assertEqual(cron.code.strip(), "model._cron_sevensenders_reconcile()")
        self.account.reconcile_checked_at = False
        self.env["sevensenders.account"]._cron_sevensenders_reconcile()
        self.assertTrue(self.account.reconcile_checked_at)

    def test_a_lost_tracking_only_shipment_is_created_again(self):
        order = self.make_order(carrier=self.other_carrier)
        picking = order.picking_ids
        picking.carrier_tracking_ref = "TRACK-RB1"
        self.validate(picking)
        self.drain()
        parcel = picking.sevensenders_parcel_ids
        self.sandbox.delete_object("shipment", parcel.shipment_ref)
        self.assertEqual(self.account._sevensenders_reconcile(order)["found"], 1)
        drift = self.env["sevensenders.drift"].search(
            [("res_model", "=", "stock.picking"), ("res_id", "=", picking.id)]
        )
        self.assertEqual(drift.field, f"{parcel.name}: shipment")
        self.drain()
        held = [s["tracking_code"] for s in self.sandbox.objects("shipment")]
        self.assertEqual(held, ["TRACK-RB1"])
        self.assertEqual(parcel.state, "cancelled")
        active = picking.sevensenders_parcel_ids._sevensenders_active_outbound()
        self.assertEqual(
            active.shipment_ref, str(self.sandbox.objects("shipment")[0]["id"])
        )
        self.assertEqual(self.account._sevensenders_reconcile(order)["found"], 0)
        self.assertEqual(drift.state, "repaired")

    def test_a_labels_shipment_changed_is_listed_for_a_person(self):
        order = self.make_order(carrier=self.carrier)
        picking = self.validate(order.picking_ids)
        self.drain()
        parcel = picking.sevensenders_parcel_ids
        self.assertTrue(parcel.shipment_ref)
        self.sandbox.change_object(
            "shipment", parcel.shipment_ref, tracking_code="CHANGED-IN-PORTAL"
        )
        writes = len(self._writes())
        self.assertEqual(self.account._sevensenders_reconcile(order)["found"], 1)
        drift = self.env["sevensenders.drift"].search(
            [("res_model", "=", "stock.picking"), ("res_id", "=", picking.id)]
        )
        self.assertEqual(drift.remote_value, "CHANGED-IN-PORTAL")
        self.assertEqual(drift.odoo_value, parcel.tracking_code)
        self.drain()
        self.assertEqual(len(self._writes()), writes, "a label's shipment: no repair")
        self.assertEqual(parcel.state, "active")
