# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Where the guides are unsure: the customer's language, the path spellings."""

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import SevenSendersCase


class LanguageCase(SevenSendersCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("nl_NL")
        cls.dutch = cls.partner.copy(
            {
                "name": "Sanne de Vries",
                "email": "sanne@example.nl",
                "lang": "nl_NL",
                "street": "Damrak 1",
                "zip": "1012 LG",
                "city": "Amsterdam",
                "country_id": cls.env.ref("base.nl").id,
            }
        )


@tagged("post_install", "-at_install")
class TestLanguage(LanguageCase):
    def ship_both_ways(self):
        """A 7S label for one order, a tracking-only shipment for another."""
        labelled = self.make_order(carrier=self.carrier, partner=self.dutch)
        self.validate(labelled.picking_ids)
        tracked = self.make_order(carrier=self.other_carrier, partner=self.dutch)
        tracked.picking_ids.carrier_tracking_ref = "NL-TRACK-1"
        self.validate(tracked.picking_ids)
        self.drain()
        for order in labelled | tracked:
            self.assertEqual(order.sevensenders_sync_state, "synced", order.name)
            self.assertFalse(order.sevensenders_sync_error)
        self.assertTrue(labelled.picking_ids.sevensenders_parcel_ids.attachment_id)
        shipments = {s["order_id"]: s for s in self.sandbox.objects("shipment")}
        self.assertEqual(shipments[tracked.name]["tracking_code"], "NL-TRACK-1")
        self.assertIn(labelled.name, shipments)
        self.assertEqual(len(self.sandbox.objects("label")), 1)
        return labelled, tracked

    def test_a_dutch_customer_gets_the_companys_language(self):
        """A new account has no fallback: the company's language stands in."""
        self.assertFalse(self.account.fallback_language)
        self.company.partner_id.lang = "de_DE"
        self.assertFalse(self.account.language_warning)
        labelled, tracked = self.ship_both_ways()
        for order in labelled | tracked:
            self.assertEqual(self.sandbox_order(order.name)["language"], ["de"])
            self.assertFalse(order.sevensenders_language_warning)

    def test_without_any_supported_language_the_order_goes_without(self):
        """The guides mark ``language`` recommended: the order, its label and
        its shipment are sent; the account and the order say why Seven
        Senders may not notify this customer."""
        self.company.partner_id.lang = "nl_NL"
        self.account.invalidate_recordset(["language_warning"])
        self.assertIn("No fallback language", self.account.language_warning)
        labelled, tracked = self.ship_both_ways()
        for order in labelled | tracked:
            self.assertNotIn("language", self.sandbox_order(order.name))
            self.assertIn("nl_NL", order.sevensenders_language_warning)
        # the fallback, once set, is what goes out
        self.account.fallback_language = "en"
        self.account.invalidate_recordset(["language_warning"])
        self.assertFalse(self.account.language_warning)
        late = self.make_order(carrier=self.other_carrier, partner=self.dutch)
        self.drain()
        self.assertEqual(self.sandbox_order(late.name)["language"], ["en"])
        self.assertFalse(late.sevensenders_language_warning)


@tagged("post_install", "-at_install")
class TestPathDiscovery(SevenSendersCase):
    """A sandbox that answers only the guides' spellings (``--paths seed``)."""

    sandbox_args = ("--paths", "seed")

    def ship(self, tracking):
        order = self.make_order(carrier=self.other_carrier)
        order.picking_ids.carrier_tracking_ref = tracking
        self.validate(order.picking_ids)
        self.drain()
        return order

    def test_the_other_spelling_is_found_shown_and_forgotten(self):
        order = self.ship("SEED-1")
        self.assertEqual(order.sevensenders_sync_state, "synced")
        self.assertTrue(self.sandbox_order(order.name))
        display = self.account.api_paths_display
        self.assertIn("orders.create = /order", display)
        self.assertIn("shipments.create = /shipment", display)
        self.assertIn("order_states.create = /order-states", display)
        misses = [e for e in self.sandbox.requests() if e["status"] == 404]
        # the next order uses what was learned: no route is missed again
        self.sandbox.reset()
        second = self.ship("SEED-2")
        self.assertEqual(second.sevensenders_sync_state, "synced")
        self.assertFalse([e for e in self.sandbox.requests() if e["status"] == 404])
        self.assertTrue(misses)
        # a manager forgets them: the first choice is tried again
        self.account.action_sevensenders_forget_paths()
        self.account.invalidate_recordset(["api_paths_display"])
        self.assertFalse(self.account.api_paths_display)
        self.sandbox.reset()
        self.ship("SEED-3")
        self.assertTrue([e for e in self.sandbox.requests() if e["status"] == 404])

    def test_an_override_is_used_as_given(self):
        self.account.api_path_overrides = "orders.create = /orders\n# a comment"
        order = self.make_order(carrier=self.other_carrier)
        self.drain()
        row = self.outbox(order, operation="order_create")
        self.assertNotEqual(row.state, "done")
        self.assertIn(
            "set this call's path on the Seven Senders account", row.last_error
        )
        posts = [e["path"] for e in self.sandbox.requests() if e["method"] == "POST"]
        self.assertNotIn("/v2/order", posts, "an override is never replaced")
        # corrected, the failed row goes out on its retry
        self.account.api_path_overrides = "orders.create = /order"
        self.drain()
        self.assertEqual(row.state, "done")
        self.assertIn("(override)", self.account.api_paths_display)

    def test_a_bad_override_is_refused(self):
        for bad in ("orders.create /order", "orders.get = /orders", "nope = /x"):
            with self.assertRaises(UserError), self.cr.savepoint():
                self.account.api_path_overrides = bad
                self.account.flush_recordset()
