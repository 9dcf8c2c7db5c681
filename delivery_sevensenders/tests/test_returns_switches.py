# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The account's return switches (issue #32): *Returns in this shop* off means
no return pages and no API (bug 5); returns open at delivery or at shipping
(bug 14)."""

import json
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from .test_returns import ReturnsCase


@tagged("post_install", "-at_install")
class TestReturnsInThisShopOff(HttpCase, ReturnsCase):
    """An account with a Seven Senders return portal URL and *Returns in this
    shop* off: its orders have no return pages, no API, no button to them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(
            cls.env,
            login="paula",
            password="paula-portal-pw",
            groups="base.group_portal",
            partner_id=cls.partner.id,
        )

    def api(self, path, payload=None):
        return self.url_open(
            f"/returns/api/{path}",
            data=json.dumps(payload) if payload is not None else None,
            headers={"Content-Type": "application/json"},
        )

    def assertOff(self, order):
        Returns = self.env["sevensenders.returns"]
        token = Returns._sevensenders_token(order)
        line = order.order_line[:1]
        for path in (f"/returns/{token}", f"/returns/api/{token}/items"):
            self.assertEqual(self.url_open(path).status_code, 404, path)
        self.assertEqual(self.api(f"{token}/dropoff-points").status_code, 404)
        created = self.api(
            f"{token}/returns",
            {"items": [{"line_id": line.id, "quantity": 1, "reason": "too_small"}]},
        )
        self.assertEqual(created.status_code, 404, created.text)
        self.assertEqual(created.json(), {"error": "not_found"})
        entry = self.url_open(
            f"/my/orders/{order.id}/returns?access_token={order._portal_ensure_token()}",
            allow_redirects=False,
        )
        self.assertEqual(entry.status_code, 404)
        self.assertFalse(
            self.env["sevensenders.return.request"].search(
                [("order_id", "=", order.id)]
            )
        )

    def test_off_means_no_pages_and_no_api(self):
        self.assertFalse(self.account.return_self_hosted)
        order = self.delivered()
        self.assertEqual(self.url_open("/returns").status_code, 404)
        found = self.api("lookup", {"reference": order.name, "secret": "10115"})
        self.assertEqual(found.status_code, 404)
        self.assertOff(order)
        # the customer portal's button leads to the Seven Senders portal only
        self.authenticate("paula", "paula-portal-pw")
        page = self.url_open(f"/my/orders/{order.id}").text
        self.assertIn("o_sevensenders_return_link", page)
        self.assertIn(self.expected_url(order).replace("&", "&amp;"), page)
        self.assertNotIn(f"/my/orders/{order.id}/returns", page)
        # without a return portal URL: no button at all
        self.account.return_portal_url = False
        page = self.url_open(f"/my/orders/{order.id}").text
        self.assertNotIn("o_sevensenders_return_link", page)

    def test_another_accounts_switch_does_not_open_this_one(self):
        order = self.delivered()
        self.env["sevensenders.account"].create(
            {
                "name": "Other shop",
                "environment": "custom",
                "base_url": self.sandbox.base_url,
                "access_key": "unused",
                "return_self_hosted": True,
                "sequence": 99,
            }
        )
        self.assertEqual(self.url_open("/returns").status_code, 200)
        found = self.api("lookup", {"reference": order.name, "secret": "10115"})
        self.assertEqual(found.status_code, 404)
        self.assertOff(order)
        # switched on, the same order opens
        self.account.return_self_hosted = True
        token = self.api("lookup", {"reference": order.name, "secret": "10115"}).json()[
            "token"
        ]
        self.assertEqual(self.url_open(f"/returns/{token}").status_code, 200)


@tagged("post_install", "-at_install")
class TestReturnsOpen(HttpCase, ReturnsCase):
    """Returns open when the parcel is delivered (the default) or shipped."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account.write({"return_opens": "delivery", "return_self_hosted": True})
        cls.Request = cls.env["sevensenders.return.request"]
        cls.email = cls.env.ref(
            "delivery_sevensenders.mail_template_sevensenders_delivery_confirmation"
        )

    def email_body(self, picking):
        picking.invalidate_recordset(["sevensenders_return_url"])
        return self.email._render_field("body_html", picking.ids)[picking.id]

    def test_the_default_opens_at_delivery(self):
        defaults = self.env["sevensenders.account"].default_get(["return_opens"])
        self.assertEqual(defaults["return_opens"], "delivery")

    def test_in_transit_no_return_delivered_returnable(self):
        order = self.delivered()
        picking = order.picking_ids
        parcel = picking.sevensenders_parcel_ids
        self.assertTrue(parcel.shipment_ref)
        self.assertFalse(order.sevensenders_return_url, "in transit")
        self.assertNotIn("Return items", self.email_body(picking))
        self.assertEqual(self.Request._sevensenders_returnable(order), {})
        # shipped 40 days ago, delivered now: the window counts from delivery
        picking.date_done = fields.Datetime.now() - timedelta(days=40)
        self.sandbox.move_shipment(int(parcel.shipment_ref), "in_transit")
        self.pull_tracking()
        self.assertFalse(self.Request._sevensenders_returnable(order))
        self.sandbox.move_shipment(int(parcel.shipment_ref), "delivered")
        self.pull_tracking()
        self.assertEqual(parcel.delivery_state, "delivered")
        order.invalidate_recordset(["sevensenders_return_url"])
        self.assertTrue(order.sevensenders_return_url)
        self.assertIn("Return items", self.email_body(picking))
        self.assertEqual(
            list(self.Request._sevensenders_returnable(order).values()), [2]
        )
        later = fields.Datetime.now() + timedelta(days=31)
        self.assertFalse(self.Request._sevensenders_returnable(order, now=later))

    def test_at_shipping_opens_at_once(self):
        self.account.return_opens = "shipping"
        order = self.delivered()
        self.assertTrue(order.sevensenders_return_url)
        self.assertIn("Return items", self.email_body(order.picking_ids))
        self.assertTrue(self.Request._sevensenders_returnable(order))

    def test_a_delivery_seven_senders_does_not_track_opens_when_shipped(self):
        order = self.make_order(carrier=self.other_carrier)
        self.validate(order.picking_ids)
        self.assertFalse(order.picking_ids.sevensenders_parcel_ids)
        self.assertTrue(order.sevensenders_return_url)

    def test_the_portal_button_opens_in_the_same_tab(self):
        new_test_user(
            self.env,
            login="paula",
            password="paula-portal-pw",
            groups="base.group_portal",
            partner_id=self.partner.id,
        )
        self.account.return_opens = "shipping"
        order = self.delivered()
        self.authenticate("paula", "paula-portal-pw")
        page = self.url_open(f"/my/orders/{order.id}").text
        start = page.index("o_sevensenders_return_link")
        anchor = page[page.rindex("<a", 0, start) : page.index(">", start)]
        self.assertIn(f"/my/orders/{order.id}/returns", anchor)
        self.assertNotIn("_blank", anchor)
