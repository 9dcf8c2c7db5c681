# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The operation registry: each call defined once, tested once through its
prepare / send / apply, and the drain's dependencies between rows."""

from datetime import timedelta

from odoo import fields, sql_db
from odoo.tests import tagged

from ..models.sevensenders_operation import Call
from .common import SevenSendersCase


@tagged("post_install", "-at_install")
class TestOperations(SevenSendersCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry_ = cls.env["sevensenders.operation"]._sevensenders_registry()

    def calls(self, method, prefix):
        return [
            e
            for e in self.sandbox.requests()
            if e["method"] == method and e["path"].startswith(prefix)
        ]

    def run_row(self, row):
        """prepare, send (here, with a real client), apply: the three steps."""
        operation = self.registry_[row.operation]
        document = row._sevensenders_document()
        call = operation.prepare(row, document)
        self.assertIsInstance(call, Call, row.display_name)
        with self.account._sevensenders_client() as client:
            result = call.send(client)
        return call.apply(result) if call.apply else result

    def test_the_registry_covers_every_operation(self):
        outbox = self.env["sevensenders.outbox"]
        operations = dict(outbox._fields["operation"]._description_selection(self.env))
        self.assertEqual(set(self.registry_), set(operations))
        # the selection is built from the registry: each with its own label
        self.assertTrue(all(label != name for name, label in operations.items()))

    def test_order_operations(self):
        self.account.return_portal = "pro"
        order = self.make_order(lines=[(self.shirt, 2)])
        create = self.outbox(order, operation="order_create")
        ref = self.run_row(create)
        self.assertEqual(order.sevensenders_order_ref, ref)
        self.assertEqual(self.sandbox_order(order.name)["id"], int(ref))
        # order items: one per unit
        items = self.outbox(order, operation="order_items_create")
        self.assertEqual(self.run_row(items), 2)
        self.assertEqual(len(self.calls("POST", "/v2/order_items")), 2)
        self.assertEqual(len(order.order_line[:1].sevensenders_item_refs.split(",")), 2)
        # update, state, boarding complete
        order.commitment_date = fields.Datetime.now() + timedelta(days=3)
        self.assertEqual(
            self.run_row(self.outbox(order, operation="order_update")), ref
        )
        state = self.outbox(order, operation="order_state")
        self.run_row(state)
        history = [h["state"] for h in self.sandbox_order(order.name)["states_history"]]
        self.assertIn(state.payload["state"], history)
        order._sevensenders_enqueue("boarding_complete")
        self.run_row(self.outbox(order, operation="boarding_complete"))
        self.assertIs(self.sandbox_order(order.name)["boarding_complete"], True)
        # delete
        order._action_cancel()
        self.run_row(self.outbox(order, operation="order_delete"))
        self.assertIsNone(self.sandbox_order(order.name))
        self.assertFalse(order.sevensenders_order_ref)

    def test_shipment_and_customs_and_event_operations(self):
        self.account.return_portal = "pro"
        order = self.make_order(carrier=self.other_carrier)
        self.drain()
        picking = order.picking_ids
        picking.carrier_tracking_ref = "OP-1"
        self.validate(picking)
        shipment_id = self.run_row(self.outbox(picking, operation="shipment_create"))
        self.assertEqual(picking.sevensenders_parcel_ids.shipment_ref, str(shipment_id))
        self.assertEqual(len(self.calls("POST", "/v2/shipments")), 1)
        # the items of the order are linked to the shipment
        link = self.outbox(picking, operation="order_items_link")
        self.assertEqual(self.run_row(link), 2)
        linked = [i for i in self.sandbox.objects("order_item") if i.get("shipment_id")]
        self.assertEqual(len(linked), 2)
        # an event per parcel
        picking.sevensenders_parcel_ids._sevensenders_enqueue_event("Refunded")
        event = self.outbox(picking, operation="shipment_event")
        self.assertEqual(self.run_row(event), str(shipment_id))
        self.assertEqual(len(self.calls("POST", "/v2/shipment_events")), 1)

    def test_customs_operation(self):
        london = self.env["res.partner"].create(
            {
                "name": "London Customer",
                "email": "gb@example.com",
                "street": "High Street 1",
                "zip": "SW1A 1AA",
                "city": "London",
                "country_id": self.env.ref("base.uk").id,
            }
        )
        self.shirt.product_tmpl_id.country_of_origin = self.env.ref("base.pt")
        order = self.make_order(carrier=self.carrier, partner=london)
        picking = self.validate(order.picking_ids)
        order._create_invoices().action_post()
        row = self.outbox(picking, operation="customs_create")
        ref = self.run_row(row)
        self.assertEqual(picking.sevensenders_parcel_ids.customs_ref, ref)
        self.assertEqual(len(self.calls("POST", "/v2/customs/shipments")), 1)

    def test_product_operation(self):
        self.account.return_portal = "pro"
        self.shirt._sevensenders_enqueue_push(self.account, force=True)
        row = self.outbox(self.shirt, operation="product_push")
        self.assertEqual(self.run_row(row), "7S-TSHIRT")
        self.assertTrue(self.shirt.sevensenders_pushed_at)
        self.assertEqual(len(self.calls("POST", "/v2/products")), 1)

    def test_nothing_to_send_is_done_without_a_call(self):
        order = self.make_order()
        order._action_cancel()
        state = self.outbox(order, operation="order_state")
        self.assertEqual(state.state, "cancelled")
        operation = self.registry_["order_state"]
        self.assertIsNone(operation.prepare(state, order), "a cancelled order")

    def test_a_row_waits_for_a_failed_dependency_and_goes_on_by_itself(self):
        order = self.make_order(carrier=self.other_carrier)
        create = self.outbox(order, operation="order_create")
        picking = order.picking_ids
        picking.carrier_tracking_ref = "DEP-1"
        self.validate(picking)
        shipment = self.outbox(picking, operation="shipment_create")
        self.sandbox.set_faults(endpoint_error_rates={"/v2/orders": 1.0})
        self.drain()
        self.assertEqual(create.state, "retry")
        self.assertEqual(shipment.state, "pending")
        self.assertEqual(shipment.waiting_for_id, create, "a link to what it awaits")
        self.assertIn("Waiting for", shipment.last_error)
        self.assertFalse(self.calls("POST", "/v2/shipments"), "not sent before")
        # the order goes through: the shipment follows in the same drain
        self.sandbox.set_faults()
        self.drain()
        self.assertEqual(create.state, "done")
        self.assertEqual(shipment.state, "done")
        self.assertFalse(shipment.waiting_for_id)
        log = self.sandbox.requests()
        first_order = next(
            i
            for i, e in enumerate(log)
            if (e["method"], e["path"], e["status"]) == ("POST", "/v2/orders", 201)
        )
        first_shipment = next(
            i
            for i, e in enumerate(log)
            if (e["method"], e["path"]) == ("POST", "/v2/shipments")
        )
        self.assertLess(first_order, first_shipment)

    def test_one_worker_is_the_same_path(self):
        """Concurrency 1 and 8 send the same calls and end the same way."""
        outcomes = []
        for concurrency in (1, 8):
            self.sandbox.reset()
            self.account.outbox_concurrency = concurrency
            orders = self.env["sale.order"]
            for index in range(3):
                order = self.make_order(
                    carrier=self.other_carrier, lines=[(self.shirt, 1)]
                )
                order.picking_ids.carrier_tracking_ref = f"C{concurrency}-{index}"
                self.validate(order.picking_ids)
                orders |= order
            self.drain()
            rows = self.env["sevensenders.outbox"].search(
                [
                    "|",
                    "&",
                    ("res_model", "=", "sale.order"),
                    ("res_id", "in", orders.ids),
                    "&",
                    ("res_model", "=", "stock.picking"),
                    ("res_id", "in", orders.picking_ids.ids),
                ]
            )
            outcomes.append(
                (
                    sorted(
                        (e["method"], e["path"].split("/")[2])
                        for e in self.sandbox.requests()
                        if e["method"] != "GET"
                    ),
                    set(rows.mapped("state")),
                    all(o.sevensenders_sync_state == "synced" for o in orders),
                )
            )
        self.assertEqual(outcomes[0], outcomes[1])
        self.assertEqual(outcomes[0][1], {"done"})
        self.assertTrue(outcomes[0][2])

    def test_send_now_takes_the_workers_claim(self):
        order = self.make_order()
        row = self.outbox(order, operation="order_create")
        # a scheduled worker (another connection) holds the order's claim
        other = sql_db.db_connect(self.env.cr.dbname).cursor()
        try:
            other.execute(
                "SELECT pg_advisory_lock(hashtext('sale.order'), %s)", [order.id]
            )
            result = row.action_sevensenders_send_now()
        finally:
            other.execute("SELECT pg_advisory_unlock_all()")
            other.close()
        self.assertEqual(result["params"]["type"], "warning")
        self.assertEqual(row.state, "pending")
        self.assertFalse(self.sandbox.objects("order"))
        row.action_sevensenders_send_now()
        self.assertEqual(row.state, "done")

    def test_sent_rows_are_removed_after_the_kept_days(self):
        self.account.outbox_keep_days = 10
        order = self.make_order()
        self.drain()
        rows = self.outbox(order)
        self.assertTrue(rows)
        failing = self.outbox(order, operation="order_state")
        failing.state = "dead"
        rows.done_at = fields.Datetime.now() - timedelta(days=11)
        self.env["sevensenders.outbox"]._gc_sevensenders_sent()
        self.assertEqual(self.outbox(order), failing, "failed ones stay")
