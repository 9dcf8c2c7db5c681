# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import io
from datetime import timedelta
from urllib.parse import quote

from PIL import Image

from odoo import fields
from odoo.tests import Form, tagged

from ..hooks import post_init_hook
from .common import SevenSendersCase

RETURN_URL = "https://returns.example.com/{lang}/login?order={order}&email={email}"


def png(color):
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), color).save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue())


class ReturnsCase(SevenSendersCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account.write(
            {
                "return_portal_url": RETURN_URL,
                "return_window_days": 30,
                "return_opens": "shipping",
            }
        )

    def return_picking(self, picking, quantity=1):
        wizard = Form(
            self.env["stock.return.picking"].with_context(
                active_id=picking.id,
                active_ids=picking.ids,
                active_model="stock.picking",
            )
        ).save()
        wizard.product_return_moves.quantity = quantity
        action = wizard.action_create_returns()
        return self.env["stock.picking"].browse(action["res_id"])

    def expected_url(self, order):
        email = quote(order.partner_id.email, safe="")
        return f"https://returns.example.com/en/login?order={order.name}&email={email}"


@tagged("post_install", "-at_install")
class TestProductLibrary(ReturnsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account.return_portal = "pro"
        cls.shirt.product_tmpl_id.write(
            {"country_of_origin": cls.env.ref("base.pt").id, "image_1920": png("red")}
        )

    def later(self):
        """The pushes happened in an earlier transaction (a test has one)."""
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE product_product SET sevensenders_pushed_at = "
            "sevensenders_pushed_at - interval '1 minute' "
            "WHERE sevensenders_pushed_at IS NOT NULL"
        )
        self.env.invalidate_all()

    def push(self, products, force=False):
        products._sevensenders_enqueue_push(self.account, force=force)
        self.drain()

    def test_product_and_image_pushed_once(self):
        self.push(self.shirt)
        (product,) = [
            p for p in self.sandbox.objects("product") if p["sku"] == "7S-TSHIRT"
        ]
        self.assertEqual(product["customs_tariff_code_sending_country"], "610910")
        self.assertEqual(product["customs_origin_country_iso2"], "PT")
        self.assertEqual(product["customs_description"], "7S-TSHIRT")
        self.assertEqual(product["image_filename"], "7S-TSHIRT.png")
        self.assertEqual(self.sandbox_calls("PUT /v2/product_images"), 1)
        self.assertTrue(self.shirt.sevensenders_image_checksum)
        self.assertEqual(
            product["image_checksum"], self.shirt.sevensenders_image_checksum
        )
        # nothing changed: nothing queued
        self.push(self.shirt)
        self.assertEqual(len(self.outbox(self.shirt, operation="product_push")), 1)
        # the price changed: the product again, not its image
        self.shirt.lst_price = 21.0
        self.push(self.shirt)
        self.assertEqual(self.sandbox_calls("PUT /v2/products/7S-TSHIRT"), 1)
        self.assertEqual(self.sandbox_calls("PUT /v2/product_images"), 1)
        # a forced push (server action) re-sends data, never an unchanged image
        self.push(self.shirt, force=True)
        self.assertEqual(self.sandbox_calls("PUT /v2/products/7S-TSHIRT"), 2)
        self.assertEqual(self.sandbox_calls("PUT /v2/product_images"), 1)
        # a new image is sent
        self.shirt.product_tmpl_id.image_1920 = png("blue")
        self.push(self.shirt)
        self.assertEqual(self.sandbox_calls("PUT /v2/product_images"), 2)

    def test_cron_queues_changed_products_only(self):
        Product = self.env["product.product"]
        Product._cron_sevensenders_push_products()
        self.drain()
        self.assertEqual(len(self.outbox(self.shirt, operation="product_push")), 1)
        self.assertEqual(len(self.outbox(self.bottle, operation="product_push")), 1)
        self.later()
        Product._cron_sevensenders_push_products()
        self.assertFalse(self.outbox(operation="product_push", state="pending"))
        self.bottle.product_tmpl_id.hs_code = "39241000"
        Product._cron_sevensenders_push_products()
        self.assertEqual(
            self.outbox(operation="product_push", state="pending").mapped("res_id"),
            self.bottle.ids,
        )

    def test_products_without_sku_are_reported_not_sent(self):
        nameless = self.env["product.product"].create(
            {"name": "No SKU mug", "is_storable": True, "list_price": 9.0}
        )
        result = (self.shirt | nameless).action_sevensenders_push_products()
        self.assertIn("No SKU mug", result["params"]["message"])
        self.assertEqual(result["params"]["type"], "warning")
        self.assertFalse(self.outbox(nameless))
        self.assertTrue(self.outbox(self.shirt))
        self.assertGreaterEqual(self.account.product_missing_sku_count, 1)
        action = self.account.action_sevensenders_open_products_missing_sku()
        self.assertIn(nameless, self.env["product.product"].search(action["domain"]))


@tagged("post_install", "-at_install")
class TestOrderItems(ReturnsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account.return_portal = "pro"
        env = cls.env
        size = env["product.attribute"].create(
            {"name": "Size", "value_ids": [fields.Command.create({"name": "M"})]}
        )
        color = env["product.attribute"].create(
            {
                "name": "Colour",
                "display_type": "color",
                "value_ids": [fields.Command.create({"name": "Red"})],
            }
        )
        tmpl = env["product.template"].create(
            {
                "name": "Hoodie",
                "is_storable": True,
                "list_price": 50.0,
                "weight": 0.6,
                "attribute_line_ids": [
                    fields.Command.create(
                        {"attribute_id": a.id, "value_ids": [(6, 0, a.value_ids.ids)]}
                    )
                    for a in (size, color)
                ],
            }
        )
        cls.hoodie = tmpl.product_variant_id
        cls.hoodie.default_code = "7S-HOODIE"
        env["stock.quant"]._update_available_quantity(
            cls.hoodie, cls.stock_location, 10
        )
        cls.bottle.product_tmpl_id.sevensenders_returnable = False
        cls.sock = cls._storable("7S-SOCK", 5.0, 0.05)
        cls.cap = cls._storable("7S-CAP", 15.0, 0.1)
        combo = env["product.combo"].create(
            {
                "name": "Gift set",
                "combo_item_ids": [
                    fields.Command.create({"product_id": p.id})
                    for p in (cls.sock, cls.cap)
                ],
            }
        )
        cls.gift_set = env["product.product"].create(
            {
                "name": "Gift set",
                "type": "combo",
                "list_price": 18.0,
                "combo_ids": [(6, 0, combo.ids)],
            }
        )

    def order_with_everything(self):
        order = self.make_order(
            carrier=self.carrier,
            confirm=False,
            lines=[(self.shirt, 2), (self.hoodie, 1), (self.bottle, 1)],
        )
        Line = self.env["sale.order.line"]
        Line.create(
            {"order_id": order.id, "display_type": "line_section", "name": "Gifts"}
        )
        Line.create(
            {"order_id": order.id, "display_type": "line_note", "name": "Wrap it"}
        )
        parent = Line.create({"order_id": order.id, "product_id": self.gift_set.id})
        combo = self.gift_set.combo_ids
        for item in combo.combo_item_ids:
            Line.create(
                {
                    "order_id": order.id,
                    "product_id": item.product_id.id,
                    "combo_item_id": item.id,
                    "linked_line_id": parent.id,
                }
            )
        order.action_confirm()
        return order

    def test_items_per_unit_with_bundle_and_non_returnable(self):
        order = self.order_with_everything()
        self.drain()
        items = self.sandbox.objects("order_item")
        self.assertEqual(
            sorted(i["sku"] for i in items),
            ["7S-BOTTLE", "7S-CAP", "7S-HOODIE", "7S-SOCK", "7S-TSHIRT", "7S-TSHIRT"],
            "one item per unit; no delivery, section, note or combo header item",
        )
        by_sku = {i["sku"]: i for i in items}
        self.assertFalse(by_sku["7S-BOTTLE"]["returnable"])
        self.assertTrue(by_sku["7S-TSHIRT"]["returnable"])
        self.assertEqual(by_sku["7S-HOODIE"]["size"], "M")
        self.assertEqual(by_sku["7S-HOODIE"]["appearance"], "Red")
        self.assertEqual(by_sku["7S-HOODIE"]["currency"], order.currency_id.name)
        self.assertEqual(by_sku["7S-TSHIRT"]["warehouse"], "Primary Warehouse")
        self.assertTrue(by_sku["7S-SOCK"]["bundle_item"])
        self.assertEqual(
            by_sku["7S-SOCK"]["bundle_item"], by_sku["7S-CAP"]["bundle_item"]
        )
        self.assertNotIn("bundle_item", by_sku["7S-TSHIRT"])
        shirt_line = order.order_line.filtered(lambda sl: sl.product_id == self.shirt)
        self.assertEqual(len(shirt_line.sevensenders_item_refs.split(",")), 2)
        # the products of the order were pushed to the library with it
        skus = {p["sku"] for p in self.sandbox.objects("product")}
        self.assertLessEqual({"7S-TSHIRT", "7S-HOODIE", "7S-SOCK"}, skus)

    def test_resending_items_creates_no_duplicate(self):
        order = self.make_order(carrier=self.carrier, lines=[(self.shirt, 3)])
        self.drain()
        row = self.outbox(order, operation="order_items_create")
        self.assertEqual(row.state, "done")
        # a worker that died before its commit: the row runs again from scratch
        order.order_line.sevensenders_item_refs = False
        row.write({"state": "pending", "next_attempt_at": fields.Datetime.now()})
        # and the answer of one create is lost on the way back
        self.sandbox.set_faults(drop_after_count=1)
        self.drain()
        items = [
            i for i in self.sandbox.objects("order_item") if i["order_id"] == order.name
        ]
        self.assertEqual(len(items), 3)
        line = order.order_line.filtered(lambda sl: sl.product_id == self.shirt)
        self.assertEqual(
            sorted(line.sevensenders_item_refs.split(",")),
            sorted(str(i["id"]) for i in items),
        )

    def test_items_linked_to_the_shipment(self):
        order = self.make_order(
            carrier=self.carrier, lines=[(self.shirt, 2), (self.bottle, 1)]
        )
        self.drain()
        picking = order.picking_ids
        lines = picking.move_ids.move_line_ids
        self.validate(
            picking,
            packages=[
                lines.filtered(lambda ml: ml.product_id == self.shirt),
                lines.filtered(lambda ml: ml.product_id == self.bottle),
            ],
        )
        self.drain()
        parcels = picking.sevensenders_parcel_ids
        self.assertEqual(len(parcels), 2)
        items = self.sandbox.objects("order_item")
        shipment_of = {}
        for item in items:
            shipment_of.setdefault(item["sku"], set()).add(item.get("shipment_id"))
        shirt_parcel = parcels.filtered(
            lambda p: (
                p.name
                == lines.filtered(
                    lambda ml: ml.product_id == self.shirt
                ).result_package_id.name
            )
        )
        self.assertEqual(shipment_of["7S-TSHIRT"], {shirt_parcel.shipment_ref})
        self.assertEqual(
            shipment_of["7S-BOTTLE"], {(parcels - shirt_parcel).shipment_ref}
        )
        self.assertEqual(
            self.outbox(picking, operation="order_items_link").state, "done"
        )

    def test_light_account_sends_no_items(self):
        self.account.return_portal = "light"
        self.make_order(carrier=self.carrier)
        self.drain()
        self.assertFalse(self.sandbox.objects("order_item"))
        self.assertFalse(self.outbox(operation="order_items_create"))

    def test_item_without_sku_is_an_error_on_the_order(self):
        nameless = self.env["product.product"].create(
            {"name": "No SKU mug", "is_storable": True, "list_price": 9.0}
        )
        self.env["stock.quant"]._update_available_quantity(
            nameless, self.stock_location, 5
        )
        order = self.make_order(lines=[(self.shirt, 1), (nameless, 1)])
        self.drain()
        row = self.outbox(order, operation="order_items_create")
        self.assertEqual(row.state, "retry")
        self.assertIn("No SKU mug", row.last_error)
        self.assertIn("No SKU mug", order.sevensenders_sync_error)
        self.assertFalse(self.sandbox.objects("order_item"))


@tagged("post_install", "-at_install")
class TestReturnLabelsAndEvents(ReturnsCase):
    def test_return_label_on_the_return_picking(self):
        self.carrier.get_return_label_from_portal = True
        order = self.delivered()
        delivery = order.picking_ids
        returned = self.return_picking(delivery)
        self.assertEqual(returned.carrier_id, self.carrier, "returns keep the carrier")
        self.assertTrue(returned.is_return_picking)
        returned.print_return_label()
        returned.invalidate_recordset(["return_label_ids"])
        (parcel,) = returned.sevensenders_parcel_ids
        self.assertTrue(parcel.is_return)
        label = returned.return_label_ids
        self.assertEqual(len(label), 1)
        self.assertTrue(label.name.startswith("LabelReturn-sevensenders-"))
        self.assertTrue(label.access_token, "the customer portal can download it")
        (shipment,) = [
            s
            for s in self.sandbox.objects("shipment")
            if s["tracking_code"] == parcel.tracking_code
        ]
        self.assertTrue(shipment["return_parcel"])
        self.assertFalse(returned._sevensenders_shipped_parcels())

    def test_return_label_with_the_delivery(self):
        self.carrier.return_label_on_delivery = True
        order = self.delivered()
        delivery = order.picking_ids
        outbound = delivery.sevensenders_parcel_ids.filtered(lambda p: not p.is_return)
        back = delivery.sevensenders_parcel_ids - outbound
        self.assertEqual((len(outbound), len(back)), (1, 1))
        self.assertEqual(delivery._sevensenders_shipped_parcels(), outbound)
        self.assertEqual(len(delivery.return_label_ids), 1)
        self.assertIn(back.tracking_code, delivery.return_label_ids.name)
        self.assertEqual(delivery.carrier_tracking_ref, outbound.tracking_code)

    def test_other_carriers_returns_drop_the_carrier(self):
        order = self.make_order(carrier=self.other_carrier)
        self.validate(order.picking_ids)
        self.assertFalse(self.return_picking(order.picking_ids).carrier_id)

    def test_returned_to_warehouse_once(self):
        order = self.delivered()
        delivery = order.picking_ids
        ref = delivery.sevensenders_parcel_ids.shipment_ref
        first = self.return_picking(delivery)
        self.validate(first)
        second = self.return_picking(delivery)
        self.validate(second)
        self.drain()
        events = self.sandbox.objects("shipment_event")
        self.assertEqual(
            [(str(e["shipment_id"]), e["event"]) for e in events],
            [(ref, "Returned to warehouse")],
        )
        self.assertEqual(len(self.outbox(operation="shipment_event")), 1)

    def invoice_and_refund(self, order, pay_invoice):
        invoice = order._create_invoices()
        invoice.action_post()
        if pay_invoice:
            self.pay(invoice)
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "return"})
        )
        refund = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        refund.action_post()
        return refund

    def pay(self, move):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=move.ids
        ).create({})._create_payments()

    def events(self):
        return [
            (str(e["shipment_id"]), e["event"])
            for e in self.sandbox.objects("shipment_event")
        ]

    def test_refunded_when_the_credit_note_is_paid(self):
        order = self.delivered()
        refund = self.invoice_and_refund(order, pay_invoice=True)
        self.drain()
        self.assertEqual(refund.payment_state, "not_paid")
        self.assertFalse(self.events(), "posted, not paid yet")
        self.pay(refund)
        self.assertIn(refund.payment_state, ("paid", "in_payment"))
        refund._invoice_paid_hook()  # a second notice changes nothing
        self.drain()
        ref = order.picking_ids.sevensenders_parcel_ids.shipment_ref
        self.assertEqual(self.events(), [(ref, "Refunded")])
        self.assertEqual(len(self.outbox(operation="shipment_event")), 1)

    def refunded_states(self, order):
        return [
            o["state"]
            for o in self.sandbox.objects("order_state")
            if o["order_id"] == order.name and o["state"] == "refunded"
        ]

    def test_light_refund_posts_the_refunded_state_once_after_the_events(self):
        """Seed 002: without order items Seven Senders cannot derive the
        refund, so the shop posts the ``refunded`` order state too."""
        order = self.delivered()
        refund = self.invoice_and_refund(order, pay_invoice=True)
        self.pay(refund)
        refund._invoice_paid_hook()  # a second notice changes nothing
        self.drain()
        self.assertEqual(self.refunded_states(order), ["refunded"])
        self.assertEqual(self.sandbox_order(order.name)["state"], "refunded")
        posts = [e["path"] for e in self.sandbox.requests() if e["method"] == "POST"]
        self.assertLess(
            posts.index("/v2/shipment_events"), posts.index("/v2/order_states")
        )
        self.assertEqual(
            len(
                self.outbox(order, operation="order_state").filtered(
                    lambda r: r.payload["state"] == "refunded"
                )
            ),
            1,
        )

    def test_pro_refund_leaves_the_state_to_seven_senders(self):
        self.account.return_portal = "pro"
        order = self.delivered()
        self.assertTrue(self.sandbox.objects("order_item"))
        refund = self.invoice_and_refund(order, pay_invoice=True)
        self.pay(refund)
        self.drain()
        ref = order.picking_ids.sevensenders_parcel_ids.shipment_ref
        self.assertEqual(self.events(), [(ref, "Refunded")])
        self.assertEqual(self.refunded_states(order), [])

    def test_refunded_when_the_credit_note_is_reconciled(self):
        order = self.delivered()
        # the open invoice and its credit note are reconciled with each other
        refund = self.invoice_and_refund(order, pay_invoice=False)
        self.assertEqual(refund.payment_state, "paid")
        self.drain()
        ref = order.picking_ids.sevensenders_parcel_ids.shipment_ref
        self.assertEqual(self.events(), [(ref, "Refunded")])


@tagged("post_install", "-at_install")
class TestReturnLinks(ReturnsCase):
    def test_link_only_while_returnable(self):
        order = self.make_order(carrier=self.other_carrier)
        self.assertFalse(order.sevensenders_return_url, "not delivered yet")
        picking = order.picking_ids
        picking.carrier_tracking_ref = "T-1"
        self.validate(picking)
        order.invalidate_recordset(["sevensenders_return_url"])
        self.assertEqual(order.sevensenders_return_url, self.expected_url(order))
        picking.date_done = fields.Datetime.now() - timedelta(days=31)
        order.invalidate_recordset(["sevensenders_return_url"])
        self.assertFalse(order.sevensenders_return_url, "the return window is over")
        self.account.return_window_days = 60
        order.invalidate_recordset(["sevensenders_return_url"])
        self.assertTrue(order.sevensenders_return_url)
        self.account.return_portal_url = False
        order.invalidate_recordset(["sevensenders_return_url"])
        self.assertFalse(order.sevensenders_return_url)

    def test_placeholders_are_checked(self):
        with self.assertRaisesRegex(Exception, "placeholders"):
            self.account.return_portal_url = "https://returns.example.com/{customer}"
        with self.assertRaisesRegex(Exception, "placeholders"):
            self.account.return_portal_url = "returns.example.com/{order}"

    def test_delivery_email_has_the_link(self):
        company = self.company
        stock_template = self.env.ref("stock.mail_template_data_delivery_confirmation")
        company.write(
            {
                "stock_move_email_validation": True,
                "stock_mail_confirmation_template_id": stock_template.id,
            }
        )
        post_init_hook(self.env)
        own = self.env.ref(
            "delivery_sevensenders.mail_template_sevensenders_delivery_confirmation"
        )
        self.assertEqual(company.stock_mail_confirmation_template_id, own)
        order = self.make_order(carrier=self.carrier)
        self.validate(order.picking_ids)
        message = order.picking_ids.message_ids.filtered(
            lambda m: "Return items" in (m.body or "")
        )
        self.assertEqual(len(message), 1)
        self.assertIn(self.expected_url(order).replace("&", "&amp;"), str(message.body))
        # a company with its own template keeps it
        custom = stock_template.copy({"name": "Ours"})
        company.stock_mail_confirmation_template_id = custom
        post_init_hook(self.env)
        self.assertEqual(company.stock_mail_confirmation_template_id, custom)

    def test_email_of_an_expired_return_has_no_link(self):
        own = self.env.ref(
            "delivery_sevensenders.mail_template_sevensenders_delivery_confirmation"
        )
        order = self.make_order(carrier=self.other_carrier)
        picking = order.picking_ids
        self.validate(picking)
        body = own._render_field("body_html", picking.ids)[picking.id]
        self.assertIn("Return items", body)
        picking.date_done = fields.Datetime.now() - timedelta(days=31)
        picking.invalidate_recordset(["sevensenders_return_url"])
        body = own._render_field("body_html", picking.ids)[picking.id]
        self.assertNotIn("Return items", body)
