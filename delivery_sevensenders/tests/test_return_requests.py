# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Return requests: what may be returned, the Odoo return and its 7S label."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import SevenSendersCase


@tagged("post_install", "-at_install")
class TestReturnRequests(SevenSendersCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account.write({"return_window_days": 30, "return_opens": "shipping"})
        cls.bottle.sevensenders_returnable = False
        cls.Request = cls.env["sevensenders.return.request"]
        cls.too_small = cls.env.ref("delivery_sevensenders.return_reason_too_small")
        cls.other = cls.env.ref("delivery_sevensenders.return_reason_other")

    def delivered(self, lines=None, **kw):
        return super().delivered(
            lines=lines or [(self.shirt, 2), (self.bottle, 1)], **kw
        )

    def line_of(self, order, product):
        return order.order_line.filtered(lambda line: line.product_id == product)

    def returnable(self, order, **kw):
        return {
            line.product_id: qty
            for line, qty in self.Request._sevensenders_returnable(order, **kw).items()
        }

    def test_what_can_be_returned(self):
        order = self.make_order(carrier=self.carrier)
        self.assertEqual(self.returnable(order), {}, "nothing delivered yet")
        self.validate(order.picking_ids)
        # the bottle is not returnable
        self.assertEqual(self.returnable(order), {self.shirt: 2})
        later = fields.Datetime.now() + timedelta(days=31)
        self.assertEqual(self.returnable(order, now=later), {}, "after the window")

    def test_a_request_makes_the_return_and_its_label_through_the_outbox(self):
        order = self.delivered()
        shirt = self.line_of(order, self.shirt)
        labels_before = len(self.sandbox.objects("label"))
        request = self.Request._sevensenders_request(
            order, [(shirt, 1, self.too_small)], comment="Fits like a glove, sadly."
        )
        self.assertEqual(request.state, "approved")
        returned = request.return_picking_ids
        self.assertEqual(len(returned), 1)
        self.assertEqual(returned.picking_type_code, "incoming")
        self.assertEqual(returned.move_ids.product_id, self.shirt)
        self.assertEqual(returned.move_ids.product_uom_qty, 1)
        self.assertEqual(returned.carrier_id, self.carrier)
        self.assertIn("Too small", returned.message_ids[0].body)
        self.assertIn("Fits like a glove", returned.message_ids[0].body)
        row = self.outbox(returned, operation="return_label")
        self.assertEqual(row.state, "pending")
        self.assertEqual(self.returnable(order), {self.shirt: 1})
        self.drain()
        self.assertEqual(row.state, "done", row.last_error)
        labels = self.sandbox.objects("label")[labels_before:]
        self.assertEqual([lab["return_parcel"] for lab in labels], ["return"])
        self.assertEqual(request.state, "label_ready")
        self.assertTrue(request.label_attachment_ids.raw.startswith(b"%PDF"))
        # the customer gets it by email, with the label attached
        mail = self.env["mail.mail"].search(
            [("model", "=", request._name), ("res_id", "=", request.id)]
        )
        self.assertEqual(mail.recipient_ids, order.partner_id)
        self.assertIn(request.name, mail.body_html)
        self.assertEqual(
            mail.attachment_ids.mapped("raw"),
            request.label_attachment_ids.mapped("raw"),
        )
        # the request's quantity is now counted through the return's moves
        self.assertEqual(self.returnable(order), {self.shirt: 1})

    def test_never_more_than_delivered(self):
        order = self.delivered()
        shirt = self.line_of(order, self.shirt)
        bottle = self.line_of(order, self.bottle)
        for items in (
            [(shirt, 3, self.too_small)],
            [(shirt, 2, self.too_small), (shirt, 1, self.too_small)],
            [(shirt, 0, self.too_small)],
            [(bottle, 1, self.too_small)],
            [],
        ):
            with self.assertRaises(UserError), self.cr.savepoint():
                self.Request._sevensenders_request(order, items)
        self.Request._sevensenders_request(order, [(shirt, 2, self.too_small)])
        self.assertEqual(self.returnable(order), {})
        with self.assertRaises(UserError):
            self.Request._sevensenders_request(order, [(shirt, 1, self.too_small)])
        self.assertEqual(len(self.Request.search([("order_id", "=", order.id)])), 1)

    def test_reasons_and_comments_are_checked(self):
        order = self.delivered()
        shirt = self.line_of(order, self.shirt)
        with self.assertRaisesRegex(UserError, "tell us more"):
            self.Request._sevensenders_request(order, [(shirt, 1, self.other)])
        with self.assertRaisesRegex(UserError, "too long"):
            self.Request._sevensenders_request(
                order, [(shirt, 1, self.too_small)], comment="x" * 2001
            )
        self.too_small.active = False
        with self.assertRaisesRegex(UserError, "reason"):
            self.Request._sevensenders_request(order, [(shirt, 1, self.too_small)])
        self.assertFalse(self.Request.search([("order_id", "=", order.id)]))
        request = self.Request._sevensenders_request(
            order, [(shirt, 1, self.other)], comment="<script>alert(1)</script>"
        )
        body = request.return_picking_ids.message_ids[0].body
        self.assertNotIn("<script>", body)
        self.assertIn("&lt;script&gt;", body)

    def test_approval_holds_the_request_and_its_units(self):
        self.account.return_approval = True
        order = self.delivered()
        shirt = self.line_of(order, self.shirt)
        first = self.Request._sevensenders_request(order, [(shirt, 1, self.too_small)])
        self.assertEqual(first.state, "to_approve")
        self.assertFalse(first.return_picking_ids)
        self.assertFalse(self.outbox(operation="return_label"))
        self.assertEqual(self.returnable(order), {self.shirt: 1}, "held for it")
        second = self.Request._sevensenders_request(order, [(shirt, 1, self.too_small)])
        second.action_sevensenders_refuse()
        self.assertEqual(second.state, "refused")
        self.assertEqual(self.returnable(order), {self.shirt: 1}, "a refusal frees")
        first.action_sevensenders_approve()
        self.assertEqual(first.state, "approved")
        self.assertEqual(len(first.return_picking_ids), 1)
        self.drain()
        self.assertEqual(first.state, "label_ready")

    def test_seven_senders_down_keeps_the_return_and_the_label_follows(self):
        order = self.delivered()
        shirt = self.line_of(order, self.shirt)
        self.sandbox.set_faults(error_rate=1.0)
        request = self.Request._sevensenders_request(
            order, [(shirt, 2, self.too_small)]
        )
        self.drain()
        row = self.outbox(request.return_picking_ids, operation="return_label")
        self.assertEqual(row.state, "retry")
        self.assertEqual(request.state, "approved")
        self.assertTrue(request.return_picking_ids)
        self.sandbox.set_faults(error_rate=0.0)
        self.drain()
        self.assertEqual(row.state, "done", row.last_error)
        self.assertEqual(request.state, "label_ready")

    def test_two_deliveries_make_two_returns(self):
        order = self.make_order(carrier=self.carrier, lines=[(self.shirt, 2)])
        picking = order.picking_ids
        picking.action_assign()
        picking.move_ids.quantity = 1
        picking.move_ids.picked = True
        res = picking.with_context(
            skip_backorder=False, picking_ids_not_to_backorder=[]
        ).button_validate()
        if isinstance(res, dict) and res.get("res_model"):
            self.env[res["res_model"]].with_context(**res["context"]).create(
                {}
            ).process()
        backorder = order.picking_ids - picking
        self.validate(backorder)
        self.drain()
        request = self.Request._sevensenders_request(
            order, [(self.line_of(order, self.shirt), 2, self.too_small)]
        )
        self.assertEqual(len(request.return_picking_ids), 2)
        self.assertEqual(
            sorted(request.return_picking_ids.move_ids.mapped("product_uom_qty")),
            [1, 1],
        )
        self.drain()
        self.assertEqual(request.state, "label_ready")
        self.assertEqual(len(request.label_attachment_ids), 2)

    def test_approval_counts_again_a_back_office_return_meanwhile(self):
        self.account.return_approval = True
        order = self.delivered()
        shirt = self.line_of(order, self.shirt)
        waiting = self.Request._sevensenders_request(
            order, [(shirt, 2, self.too_small)], origin="backoffice"
        )
        with self.assertRaisesRegex(UserError, "cannot be returned"):
            self.Request._sevensenders_request(order, [(shirt, 1, self.too_small)])
        # a stock user returns one unit with Odoo's wizard meanwhile
        delivery = order.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing"
        )
        move = delivery.move_ids.filtered(lambda m: m.product_id == self.shirt)
        waiting._sevensenders_make_return(delivery, {move: 1})
        with self.assertRaisesRegex(UserError, "cannot be returned"):
            waiting.action_sevensenders_approve()
        self.assertEqual(waiting.state, "to_approve")
        self.assertFalse(waiting.return_picking_ids)
