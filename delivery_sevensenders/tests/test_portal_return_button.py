# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, new_test_user, tagged

from .test_returns import ReturnsCase


@tagged("post_install", "-at_install")
class TestPortalReturnButton(HttpCase, ReturnsCase):
    """The customer portal's order page: the return button for the customer's
    own delivered orders, nothing for undelivered ones, and no way into
    another customer's order."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(
            cls.env,
            login="erika",
            password="erika-portal-pw",
            groups="base.group_portal",
            partner_id=cls.partner.id,
        )
        cls.other = cls.env["res.partner"].create(
            {
                "name": "Max Mustermann",
                "email": "max@example.com",
                "street": "Hauptstraße 1",
                "zip": "80331",
                "city": "München",
                "country_id": cls.de.id,
            }
        )

    def page(self, order):
        self.authenticate("erika", "erika-portal-pw")
        return self.url_open(f"/my/orders/{order.id}")

    def test_own_delivered_order_shows_the_return_button(self):
        order = self.delivered(partner=self.partner, drain=False)
        response = self.page(order)
        self.assertEqual(response.status_code, 200)
        self.assertIn(order.name, response.text)
        self.assertIn("o_sevensenders_return_link", response.text)
        self.assertIn(self.expected_url(order).replace("&", "&amp;"), response.text)

    def test_undelivered_order_has_no_button(self):
        order = self.make_order(carrier=self.carrier)
        response = self.page(order)
        self.assertEqual(response.status_code, 200)
        self.assertIn(order.name, response.text)
        self.assertNotIn("o_sevensenders_return_link", response.text)

    def test_another_customers_order_is_not_reachable(self):
        order = self.delivered(partner=self.other, drain=False)
        response = self.page(order)
        self.assertNotIn(order.name, response.text)
        self.assertNotIn("o_sevensenders_return_link", response.text)
        self.assertNotIn("max%40example.com", response.text)
        # Odoo answers an order of someone else with the portal home (or 403/404)
        self.assertTrue(
            response.status_code in (403, 404) or response.url.endswith("/my"),
            (response.status_code, response.url),
        )
        # nor by guessing the access token
        response = self.url_open(f"/my/orders/{order.id}?access_token=guess")
        self.assertNotIn("o_sevensenders_return_link", response.text)
