# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The parcel is the unit: tracking, cancel, events and the order of calls,
for deliveries with more than one package."""

import re

from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged

from ..compat import SERIES
from .common import SevenSendersCase


@tagged("post_install", "-at_install")
class TestParcels(SevenSendersCase):
    def two_parcels(self, carrier=None):
        """A confirmed order whose delivery went out in two packages."""
        order = self.make_order(
            carrier=carrier or self.carrier,
            lines=[(self.shirt, 1), (self.bottle, 1)],
        )
        picking = order.picking_ids
        picking.action_assign()
        lines = picking.move_line_ids
        self.validate(
            picking,
            packages=[
                lines.filtered(lambda ml: ml.product_id == self.shirt),
                lines.filtered(lambda ml: ml.product_id == self.bottle),
            ],
        )
        parcels = picking.sevensenders_parcel_ids
        self.assertEqual(len(parcels), 2, "one label per package")
        return order, picking, parcels

    def shipment_reads(self):
        return [
            e["path"]
            for e in self.sandbox.requests()
            if e["method"] == "GET" and e["path"].startswith("/v2/shipments/")
        ]

    def test_each_parcel_is_tracked_and_the_delivery_waits_for_all(self):
        _order, picking, (first, second) = self.two_parcels()
        self.drain()
        self.sandbox.move_shipment(int(first.shipment_ref), "delivered")
        self.sandbox.move_shipment(int(second.shipment_ref), "in_transit")
        self.assertEqual(self.pull_tracking(), 2, "both parcels are read")
        self.assertEqual(first.delivery_state, "delivered")
        self.assertEqual(second.delivery_state, "in_transit")
        self.assertEqual(second.carrier_status, "in_transit")
        self.assertTrue(first.status_date)
        self.assertEqual(picking.sevensenders_delivery_state, "partially_delivered")
        self.assertIn(first.name, picking.sevensenders_tracking_status)
        bodies = " ".join(str(m.body) for m in picking.message_ids[:2])
        self.assertIn(first.display_name, bodies, "the chatter names the parcel")
        self.assertIn(second.display_name, bodies)
        # the delivered parcel is no longer read; the other one is
        before = len(self.shipment_reads())
        self.pull_tracking()
        reads = self.shipment_reads()[before:]
        self.assertEqual(reads, [f"/v2/shipments/{second.shipment_ref}"])
        self.sandbox.move_shipment(int(second.shipment_ref), "delivered")
        self.pull_tracking()
        self.assertEqual(picking.sevensenders_delivery_state, "delivered")
        before = len(self.shipment_reads())
        self.pull_tracking()
        self.assertEqual(self.shipment_reads()[before:], [], "nothing left to poll")

    def test_a_salesman_opens_and_edits_a_delivery_with_parcels(self):
        order, picking, _parcels = self.two_parcels()
        salesman = new_test_user(
            self.env, "parcels_salesman", groups="sales_team.group_sale_salesman"
        )
        # his own orders: an "own documents only" salesman reads no other
        # salesman's order lines, which a delivery's form shows from 19.0 on
        order.user_id = salesman
        # what the addon puts on the delivery's form for him, read as the form does
        arch = picking.with_user(salesman).get_view(view_type="form")["arch"]
        ours = set(re.findall(r'<field name="(sevensenders_\w+)"', arch))
        self.assertIn("sevensenders_delivery_state", ours)
        [values] = picking.with_user(salesman).web_read({name: {} for name in ours})
        self.assertFalse(values["sevensenders_delivery_state"])
        if SERIES < (19, 0):
            # the whole form; on 19.0 a user without Inventory rights cannot
            # open a delivery's form at all (its moves' lots: Odoo's own rule)
            form = Form(picking.with_user(salesman))
            self.assertFalse(form.sevensenders_delivery_state)
        # a delivery of another carrier: the salesman adds a tracking number
        order = self.make_order(carrier=self.other_carrier)
        order.user_id = salesman
        other = order.picking_ids
        other.carrier_tracking_ref = "SALES-A"
        self.validate(other)
        self.drain()
        other.with_user(salesman).carrier_tracking_ref = "SALES-A,SALES-B"
        queued = self.outbox(other, operation="shipment_create").mapped("payload")
        self.assertEqual(
            sorted(p["tracking_code"] for p in queued), ["SALES-A", "SALES-B"]
        )

    def test_a_cancel_that_fails_halfway_is_finished_by_a_second_click(self):
        _order, picking, (first, second) = self.two_parcels()
        self.sandbox.set_faults(
            endpoint_error_rates={f"/v2/labels/{second.label_ref}": 1.0}
        )
        with self.assertRaisesRegex(UserError, "Click Cancel again") as caught:
            picking.cancel_shipment()
        self.assertIn(second.display_name, str(caught.exception))
        labels = {str(label["id"]) for label in self.sandbox.objects("label")}
        self.assertNotIn(first.label_ref, labels, "the first label was deleted")
        self.assertIn(second.label_ref, labels)
        self.assertEqual(set((first | second).mapped("state")), {"active"})
        # Seven Senders is back: the second click finishes the job
        self.sandbox.set_faults()
        picking.cancel_shipment()
        self.assertEqual(set((first | second).mapped("state")), {"cancelled"})
        labels = {str(label["id"]) for label in self.sandbox.objects("label")}
        self.assertFalse({first.label_ref, second.label_ref} & labels)
        deletes = [
            (e["path"], e["status"])
            for e in self.sandbox.requests()
            if e["method"] == "DELETE"
        ]
        self.assertIn((f"/v2/labels/{first.label_ref}", 404), deletes)
        self.assertEqual(deletes[-1], (f"/v2/labels/{second.label_ref}", 204))
        # and new labels can be made
        picking.action_sevensenders_create_label()
        self.assertEqual(
            len(
                picking.sevensenders_parcel_ids.filtered(lambda p: p.state == "active")
            ),
            2,
        )

    def test_returned_and_refunded_are_sent_once_per_parcel(self):
        order, picking, parcels = self.two_parcels()
        self.drain()
        parcels._sevensenders_enqueue_event("Refunded")
        order._sevensenders_refunded()  # a second refund: nothing more
        self.drain()
        # the sandbox records an event once anyway: count what was sent
        posts = [
            e
            for e in self.sandbox.requests()
            if (e["method"], e["path"]) == ("POST", "/v2/shipment_events")
        ]
        self.assertEqual(len(posts), 2, "one call per parcel")
        self.assertEqual(len(self.outbox(picking, operation="shipment_event")), 2)
        events = [
            (str(e["shipment_id"]), e["event"])
            for e in self.sandbox.objects("shipment_event")
        ]
        self.assertEqual(
            sorted(events),
            sorted((p.shipment_ref, "Refunded") for p in parcels),
        )
        self.assertEqual(set(parcels.mapped("events_sent")), {"Refunded"})

    def test_boarding_complete_waits_for_every_shipment(self):
        """Under the concurrent drain, boarding complete goes out only once
        every shipment of the order exists, also when one failed first."""
        self.assertGreater(self.account.outbox_concurrency, 1)
        order = self.make_order(
            carrier=self.other_carrier, lines=[(self.shirt, 1), (self.bottle, 1)]
        )
        self.drain()  # the order is known to Seven Senders
        picking = order.picking_ids
        picking.carrier_tracking_ref = "TRK-A,TRK-B"
        self.validate(picking)
        boarding = self.outbox(order, operation="boarding_complete")
        self.assertTrue(boarding)
        self.sandbox.set_faults(endpoint_error_rates={"/v2/shipments": 1.0})
        self.drain()
        self.assertEqual(
            set(self.outbox(picking, operation="shipment_create").mapped("state")),
            {"retry"},
        )
        self.assertIn(boarding.state, ("pending", "retry"))
        self.assertIn("Waiting for Create shipment", boarding.last_error)
        self.assertIn(
            boarding.waiting_for_id, self.outbox(picking, operation="shipment_create")
        )
        self.assertFalse(self.sandbox_order(order.name)["boarding_complete"])
        self.sandbox.set_faults()
        self.drain()
        self.drain()  # the boarding row waited a minute: it is due now
        self.assertEqual(boarding.state, "done")
        log = [(e["method"], e["path"], e["status"]) for e in self.sandbox.requests()]
        created = [
            i
            for i, (method, path, status) in enumerate(log)
            if (method, path, status) == ("POST", "/v2/shipments", 201)
        ]
        boarded = [
            i
            for i, (method, path, status) in enumerate(log)
            if method == "PUT" and path.startswith("/v2/orders/") and status == 200
        ]
        self.assertEqual(len(created), 2, log)
        self.assertTrue(boarded, log)
        self.assertLess(max(created), min(boarded), log)
        self.assertIs(self.sandbox_order(order.name)["boarding_complete"], True)

    def test_no_order_state_goes_back_after_shipping(self):
        order = self.make_order(carrier=self.carrier)
        self.drain()
        picking = self.validate(order.picking_ids)
        self.drain()
        self.sandbox.move_shipment(
            int(picking.sevensenders_parcel_ids.shipment_ref), "delivered"
        )
        self.assertEqual(self.sandbox_order(order.name)["state"], "completed")
        # a late payment, registered by a billing user: noted on the order,
        # not sent
        invoice = order._create_invoices()
        invoice.action_post()
        billing = new_test_user(
            self.env, "billing7s", groups="account.group_account_invoice"
        )
        self.env["account.payment.register"].with_user(billing).with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({})._create_payments()
        self.drain()
        self.assertFalse(
            self.outbox(order, operation="order_state").filtered(
                lambda r: r.payload["state"] == "paid"
            )
        )
        remote = self.sandbox_order(order.name)
        self.assertEqual(remote["state"], "completed")
        self.assertNotIn("paid", [h["state"] for h in remote["states_history"]])
        self.assertIn(
            "not sent to Seven Senders",
            " ".join(str(body) for body in order.message_ids[:3].mapped("body")),
        )

    def test_a_state_queued_before_shipping_is_not_sent_after_it(self):
        order = self.make_order(carrier=self.carrier)
        # confirmation queued in_preparation; the delivery leaves before the
        # outbox runs
        self.validate(order.picking_ids)
        self.drain()
        history = [h["state"] for h in self.sandbox_order(order.name)["states_history"]]
        self.assertNotIn("in_preparation", history)
        row = self.outbox(order, operation="order_state")
        self.assertEqual(row.state, "done")
