# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, tagged

from .common import SevenSendersCase


@tagged("post_install", "-at_install")
class TestReturnTour(HttpCase, SevenSendersCase):
    """A whole return in Chromium, on the shop's own return pages."""

    def test_a_customer_returns_an_item(self):
        self.account.return_window_days = 30
        order = self.make_order(carrier=self.carrier)
        self.validate(order.picking_ids)
        self.drain()
        self.start_tour(
            f"/returns?reference={order.name}", "sevensenders_return_flow", login=None
        )
        request = self.env["sevensenders.return.request"].search(
            [("order_id", "=", order.id)]
        )
        self.assertEqual(request.origin, "portal")
        self.assertEqual(request.line_ids.reason_id.code, "too_small")
        self.assertEqual(request.comment, "A size bigger next time")
        self.assertEqual(request.state, "approved")
        self.drain()  # the outbox makes the label, as its cron would
        self.assertEqual(request.state, "label_ready")
        token = self.env["sevensenders.returns"]._sevensenders_token(order)
        self.start_tour(
            f"/returns/{token}/{request.id}", "sevensenders_return_label", login=None
        )
