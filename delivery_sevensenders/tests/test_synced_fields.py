# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The order's synced fields, declared once (``_SEVENSENDERS_SYNCED``): an
account switch turns one off; values Odoo derives without a write to the
order (the customer's language, the lines' lead times) follow; asserted on
what the sandbox holds after the outbox ran."""

from datetime import timedelta

from odoo.tests import tagged

from ..models.sevensenders_fields import compared_keys, trigger_fields
from .common import SevenSendersCase


@tagged("post_install", "-at_install")
class TestSyncedFields(SevenSendersCase):
    def test_one_declaration_drives_triggers_payloads_and_read_back(self):
        table = self.env["sale.order"]._SEVENSENDERS_SYNCED
        self.assertEqual(
            trigger_fields(table), {"partner_id", "tag_ids", "commitment_date"}
        )
        self.assertIn("order_tags", compared_keys(table, self.account))
        self.account.sync_tags = False
        self.assertNotIn("order_tags", compared_keys(table, self.account))

    def test_send_order_tags_switch(self):
        self.account.sync_tags = False
        order = self.make_order(tag_ids=[(6, 0, self.tag.ids)])
        self.drain()
        self.assertNotIn("order_tags", self.sandbox_order(order.name))
        # off: a change of tags queues nothing, and Seven Senders' tags (set in
        # its portal) are left as they are by other updates
        remote = self.sandbox_order(order.name)
        self.sandbox.change_object("order", remote["id"], order_tags={"x": "portal"})
        order.tag_ids = [(5, 0, 0)]
        order.commitment_date = order.date_order + timedelta(days=4)
        self.drain()
        remote = self.sandbox_order(order.name)
        self.assertEqual(remote["order_tags"], {"x": "portal"})
        self.assertTrue(remote["promised_delivery_date"])
        # on again: the next update sends Odoo's (no tags: cleared)
        self.account.sync_tags = True
        order.tag_ids = [(6, 0, self.tag.ids)]
        self.drain()
        self.assertEqual(self.sandbox_order(order.name)["order_tags"], {"tag_1": "VIP"})

    def test_the_customers_language_follows_the_contact(self):
        self.env["res.lang"]._activate_lang("de_DE")
        order = self.make_order()
        self.drain()
        self.assertEqual(self.sandbox_order(order.name)["language"], ["en"])
        order.partner_id.lang = "de_DE"
        self.assertEqual(self.outbox(order, operation="order_update").state, "pending")
        self.drain()
        self.assertEqual(self.sandbox_order(order.name)["language"], ["de"])

    def test_a_lead_time_moves_the_promise(self):
        order = self.make_order()
        self.drain()
        before = self.sandbox_order(order.name)["promised_delivery_date"]
        order.order_line.customer_lead = 12
        self.drain()
        after = self.sandbox_order(order.name)["promised_delivery_date"]
        self.assertNotEqual(after, before)
        self.assertEqual(after, order.expected_date.strftime("%Y-%m-%dT%H:%M:%S+00:00"))

    def test_a_language_seven_senders_does_not_know_is_cleared(self):
        """Set (en), changed on the contact to Dutch, which Seven Senders does
        not support, with neither a fallback nor a supported company language:
        cleared there. The account's fallback set afterwards changes no order:
        the read-back finds the difference and repairs it."""
        self.env["res.lang"]._activate_lang("nl_NL")
        self.account.fallback_language = False
        self.company.partner_id.lang = "nl_NL"
        order = self.make_order()
        self.drain()
        self.assertEqual(self.sandbox_order(order.name)["language"], ["en"])
        order.partner_id.lang = "nl_NL"
        self.drain()
        self.assertNotIn("language", self.sandbox_order(order.name))
        self.account.fallback_language = "de"
        self.assertEqual(self.account._sevensenders_reconcile(order)["found"], 1)
        self.drain()
        self.assertEqual(self.sandbox_order(order.name)["language"], ["de"])
