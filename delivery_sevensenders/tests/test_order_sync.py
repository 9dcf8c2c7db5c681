# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

from odoo.tests import tagged

from .common import SevenSendersCase


@tagged("post_install", "-at_install")
class TestOrderSync(SevenSendersCase):
    def test_confirm_creates_the_order(self):
        order = self.make_order(
            tag_ids=[(6, 0, self.tag.ids)],
            commitment_date=datetime(2026, 12, 1, 15, 30),
        )
        row = self.outbox(order, operation="order_create")
        self.assertEqual(row.state, "pending")
        self.assertEqual(order.sevensenders_sync_state, "pending")
        self.assertFalse(
            self.sandbox.objects("order"), "nothing is sent before the cron"
        )
        self.drain()
        remote = self.sandbox_order(order.name)
        self.assertEqual(remote["order_url"], "https://shop.example.com")
        self.assertEqual(
            remote["order_date"], order.date_order.strftime("%Y-%m-%dT%H:%M:%S+00:00")
        )
        self.assertEqual(remote["language"], ["en"])
        self.assertEqual(remote["order_tags"], {"tag_1": "VIP"})
        self.assertEqual(remote["promised_delivery_date"], "2026-12-01T15:30:00+00:00")
        self.assertIs(remote["boarding_complete"], False)
        self.assertEqual(row.state, "done")
        self.assertEqual(order.sevensenders_order_ref, str(remote["id"]))
        self.assertEqual(order.sevensenders_sync_state, "synced")

    def test_update_is_coalesced_and_sent(self):
        order = self.make_order()
        self.drain()
        order.commitment_date = datetime(2026, 12, 2, 10, 0)
        order.tag_ids = [(6, 0, self.tag.ids)]
        self.assertEqual(len(self.outbox(order, operation="order_update")), 1)
        self.drain()
        remote = self.sandbox_order(order.name)
        self.assertEqual(remote["promised_delivery_date"], "2026-12-02T10:00:00+00:00")
        self.assertEqual(remote["order_tags"], {"tag_1": "VIP"})

    def test_tags_and_date_set_changed_and_cleared(self):
        """What the order no longer has is cleared in Seven Senders too."""
        order = self.make_order(
            tag_ids=[(6, 0, self.tag.ids)],
            commitment_date=datetime(2026, 12, 1, 15, 30),
        )
        self.drain()
        remote = self.sandbox_order(order.name)
        self.assertEqual(remote["order_tags"], {"tag_1": "VIP"})
        other = self.env["crm.tag"].create({"name": "Wholesale"})
        order.write(
            {
                "tag_ids": [(4, other.id)],
                "commitment_date": datetime(2026, 12, 3, 9, 0),
            }
        )
        self.drain()
        remote = self.sandbox_order(order.name)
        self.assertEqual(remote["order_tags"], {"tag_1": "VIP", "tag_2": "Wholesale"})
        self.assertEqual(remote["promised_delivery_date"], "2026-12-03T09:00:00+00:00")
        # all tags removed, the delivery date cleared
        order.write({"tag_ids": [(5, 0, 0)], "commitment_date": False})
        self.drain()
        remote = self.sandbox_order(order.name)
        self.assertNotIn("order_tags", remote)
        expected = order.expected_date
        if expected:  # Odoo's own promise from the lines' lead times
            self.assertEqual(
                remote["promised_delivery_date"],
                expected.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
            )
        else:
            self.assertNotIn("promised_delivery_date", remote)
        self.assertEqual(remote["language"], ["en"], "what was not cleared stays")

    def test_cancel_deletes_the_order(self):
        order = self.make_order()
        self.drain()
        self.assertTrue(self.sandbox_order(order.name))
        order._action_cancel()
        self.drain()
        self.assertIsNone(self.sandbox_order(order.name))
        self.assertFalse(order.sevensenders_order_ref)
        # confirmed again: a new order is created
        order.action_draft()
        order.action_confirm()
        self.drain()
        self.assertTrue(self.sandbox_order(order.name))

    def test_cancel_before_sending_sends_nothing_twice(self):
        order = self.make_order()
        order._action_cancel()
        self.assertEqual(
            self.outbox(order, operation="order_create").state, "cancelled"
        )
        self.drain()
        self.assertIsNone(self.sandbox_order(order.name))

    def test_in_preparation_when_the_delivery_is_ready(self):
        order = self.make_order()
        self.assertEqual(order.picking_ids.state, "assigned")
        self.drain()
        history = [h["state"] for h in self.sandbox_order(order.name)["states_history"]]
        self.assertEqual(history, ["new", "in_preparation"])

    def test_paid_when_the_invoice_is_paid(self):
        order = self.make_order()
        for line in order.order_line:
            line.qty_delivered = line.product_uom_qty
        invoice = order._create_invoices()
        invoice.action_post()
        self.drain()
        self.assertNotIn(
            "paid",
            [h["state"] for h in self.sandbox_order(order.name)["states_history"]],
        )
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({})._create_payments()
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.drain()
        history = [h["state"] for h in self.sandbox_order(order.name)["states_history"]]
        self.assertEqual(history.count("paid"), 1)

    def test_boarding_complete_when_every_delivery_is_done(self):
        order = self.make_order(lines=[(self.shirt, 1), (self.bottle, 1)])
        self.drain()
        self.validate(order.picking_ids)
        self.drain()
        self.assertIs(self.sandbox_order(order.name)["boarding_complete"], True)

    def test_an_unsupported_language_never_holds_the_order_back(self):
        """Norwegian is not among the 25: the company's language stands in
        (test_api_fidelity covers an account and company without one)."""
        self.env["res.lang"]._activate_lang("nb_NO")
        self.company.partner_id.lang = "en_US"
        partner = self.partner.copy({"lang": "nb_NO"})
        order = self.make_order(partner=partner)
        self.drain()
        row = self.outbox(order, operation="order_create")
        self.assertEqual(row.state, "done", row.last_error)
        self.assertEqual(order.sevensenders_sync_state, "synced")
        self.assertEqual(self.sandbox_order(order.name)["language"], ["en"])
        self.account.fallback_language = "da"
        other = self.make_order(partner=partner)
        self.drain()
        self.assertEqual(self.sandbox_order(other.name)["language"], ["da"])

    def test_no_account_means_no_sync(self):
        self.account.sync_orders = False
        order = self.make_order()
        self.assertFalse(self.outbox(order))
        self.assertFalse(order.sevensenders_sync_state)

    def test_resend_button(self):
        order = self.make_order()
        self.drain()
        order.action_sevensenders_send()
        self.drain()
        self.assertEqual(len(self.outbox(order, operation="order_update")), 1)
        self.assertTrue(self.sandbox_order(order.name))

    def test_order_created_inline_by_a_label_is_adopted(self):
        """Shipped before the outbox ran: the label created the order inline,
        the queued create adopts it instead of failing with 409."""
        order = self.make_order(
            carrier=self.carrier, commitment_date=datetime(2026, 12, 1, 15, 30)
        )
        self.validate(order.picking_ids)
        self.drain()
        row = self.outbox(order, operation="order_create")
        self.assertEqual(row.state, "done", row.last_error)
        remote = self.sandbox_order(order.name)
        self.assertEqual(order.sevensenders_order_ref, str(remote["id"]))
        self.assertTrue(remote["promised_delivery_date"].startswith("2026-12-01"))
