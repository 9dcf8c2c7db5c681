# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Every public method of the addon, called over XML-RPC by every role."""

from xmlrpc.client import Fault

from odoo.tests import HttpCase, tagged

from .common import ACCESS_KEY, SevenSendersCase
from .rpc_sweep import MANAGERS, SEVENSENDERS, RpcSweepMixin

# (model, method): (target record, arguments, roles allowed, outcome when allowed)
SWEEP = {
    # the account: managers configure it, Seven Senders users look at it
    ("sevensenders.account", "action_sevensenders_test_connection"): (
        "account",
        [],
        MANAGERS,
        "ok",
    ),
    ("sevensenders.account", "action_sevensenders_sync_carriers"): (
        "account",
        [],
        MANAGERS,
        "ok",
    ),
    ("sevensenders.account", "action_sevensenders_forget_paths"): (
        "account",
        [],
        MANAGERS,
        "ok",
    ),
    ("sevensenders.account", "action_sevensenders_open_outbox"): (
        "account",
        [],
        SEVENSENDERS,
        "ok",
    ),
    ("sevensenders.account", "action_sevensenders_open_products_missing_sku"): (
        "account",
        [],
        SEVENSENDERS,
        "ok",
    ),
    ("sevensenders.account", "action_sevensenders_reconcile"): (
        "account",
        [],
        MANAGERS,
        "ok",
    ),
    ("sevensenders.account", "action_sevensenders_open_drift"): (
        "account",
        [],
        SEVENSENDERS,
        "ok",
    ),
    ("sale.order", "action_sevensenders_check"): ("order", [], SEVENSENDERS, "ok"),
    ("sevensenders.account", "write"): (
        "account",
        [{"name": "Renamed over RPC"}],
        MANAGERS,
        "ok",
    ),
    ("sevensenders.account", "create"): (
        None,
        [[{"name": "Created over RPC", "environment": "test"}]],
        MANAGERS,
        "ok",
    ),
    ("sevensenders.account", "unlink"): ("spare_account", [], MANAGERS, "ok"),
    # shipping methods: refreshing the carriers calls Seven Senders
    ("delivery.carrier", "action_sevensenders_sync_carriers"): (
        "carrier",
        [],
        MANAGERS,
        "ok",
    ),
    # orders: a salesman sells (the sync is queued for him), only Seven
    # Senders users send by hand or look at the queue
    ("sale.order", "action_sevensenders_send"): ("order", [], SEVENSENDERS, "ok"),
    ("sale.order", "action_sevensenders_open_outbox"): (
        "order",
        [],
        SEVENSENDERS,
        "ok",
    ),
    # (Odoo's own rights: stock users write orders, salesmen write transfers)
    ("sale.order", "write"): (
        "order",
        [{"client_order_ref": "PO-RPC"}],
        ("salesman", "stock", *SEVENSENDERS),
        "ok",
    ),
    # a customer's language and a line's lead time reach the orders sent
    # (Odoo's own rights: sales and stock managers edit contacts)
    ("res.partner", "write"): ("customer", [{"lang": "en_US"}], ("admin",), "ok"),
    ("sale.order.line", "write"): (
        "order_line",
        [{"customer_lead": 3.0}],
        ("salesman", "stock", *SEVENSENDERS),
        "ok",
    ),
    # deliveries: stock users ship, Seven Senders users use the 7S buttons
    ("stock.picking", "action_sevensenders_create_label"): (
        "delivery",
        [],
        SEVENSENDERS,
        "ok",
    ),
    ("stock.picking", "action_sevensenders_send"): (
        "done_delivery",
        [],
        SEVENSENDERS,
        "ok",
    ),
    ("stock.picking", "action_sevensenders_create_customs"): (
        "delivery",
        [],
        SEVENSENDERS,
        "ok",
    ),
    ("stock.picking", "action_sevensenders_create_manifest"): (
        "delivery",
        [],
        SEVENSENDERS,
        "user_error",  # none of these deliveries has a customs shipment
    ),
    ("stock.picking", "action_sevensenders_open_outbox"): (
        "delivery",
        [],
        SEVENSENDERS,
        "ok",
    ),
    ("stock.picking", "action_cancel"): (
        "delivery",
        [],
        ("salesman", "stock", *SEVENSENDERS),
        "ok",
    ),
    ("stock.picking", "write"): (
        "done_delivery",
        [{"carrier_tracking_ref": "RPC-TRACK-1"}],
        ("salesman", "stock", *SEVENSENDERS),
        "ok",
    ),
    # products: pushed by Seven Senders users
    ("product.template", "action_sevensenders_push_products"): (
        "template",
        [],
        SEVENSENDERS,
        "ok",
    ),
    ("product.product", "action_sevensenders_push_products"): (
        "variant",
        [],
        SEVENSENDERS,
        "ok",
    ),
    # the outbox: Seven Senders users run it
    ("sevensenders.outbox", "action_sevensenders_retry"): (
        "outbox_row",
        [],
        SEVENSENDERS,
        "ok",
    ),
    ("sevensenders.outbox", "action_sevensenders_send_now"): (
        "outbox_row",
        [],
        SEVENSENDERS,
        "ok",
    ),
    ("sevensenders.outbox", "action_sevensenders_cancel"): (
        "outbox_row",
        [],
        SEVENSENDERS,
        "ok",
    ),
    ("sevensenders.outbox", "action_sevensenders_open_document"): (
        "outbox_row",
        [],
        SEVENSENDERS,
        "ok",
    ),
    # the reports: every Inventory user opens a row's delivery
    ("sevensenders.shipping.report", "action_sevensenders_open_delivery"): (
        "report_row",
        [],
        ("stock", *SEVENSENDERS),
        "ok",
    ),
    # return requests: Seven Senders users approve or refuse them
    ("sevensenders.return.request", "action_sevensenders_approve"): (
        "return_request",
        [],
        SEVENSENDERS,
        "ok",
    ),
    ("sevensenders.return.request", "action_sevensenders_refuse"): (
        "return_request",
        [],
        SEVENSENDERS,
        "ok",
    ),
}


@tagged("post_install", "-at_install")
class TestRpcAccess(RpcSweepMixin, SevenSendersCase, HttpCase):
    SWEEP = SWEEP

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account.write({"return_portal": "pro", "return_opens": "shipping"})

    # fresh records for each call, made as the superuser

    def _target_account(self):
        return self.account

    def _target_spare_account(self):
        return self.env["sevensenders.account"].create(
            {
                "name": "Spare",
                "environment": "custom",
                "base_url": self.sandbox.base_url,
                "access_key": ACCESS_KEY,
                "active": False,
            }
        )

    def _target_carrier(self):
        return self.carrier

    def _target_order(self):
        return self.make_order(carrier=self.carrier, user_id=False)

    def _target_customer(self):
        return self.partner.copy({"name": "RPC customer"})

    def _target_order_line(self):
        return self._target_order().order_line[:1]

    def _target_delivery(self):
        """A delivery picked and ready to be labelled."""
        picking = self._target_order().picking_ids
        picking.action_assign()
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        return picking

    def _target_done_delivery(self):
        order = self.make_order(carrier=self.other_carrier, user_id=False)
        picking = self.validate(order.picking_ids)
        picking.carrier_tracking_ref = "T-RPC-0"
        return picking

    def _target_return_request(self):
        """A return request waiting for approval."""
        self.account.return_approval = True
        order = self.make_order(carrier=self.other_carrier, user_id=False)
        self.validate(order.picking_ids)
        return self.env["sevensenders.return.request"]._sevensenders_request(
            order,
            [
                (
                    order.order_line[:1],
                    1,
                    self.env.ref("delivery_sevensenders.return_reason_too_small"),
                )
            ],
        )

    def _target_report_row(self):
        """A row of the shipping-performance report (a shipped parcel)."""
        order = self.make_order(carrier=self.carrier, user_id=False)
        parcel = self.validate(order.picking_ids).sevensenders_parcel_ids[:1]
        return self.env["sevensenders.shipping.report"].browse(parcel.id)

    def _target_template(self):
        return self.shirt.product_tmpl_id

    def _target_variant(self):
        return self.shirt

    def _target_outbox_row(self):
        return self.outbox(self._target_order(), operation="order_create")

    def test_every_public_method_has_a_row(self):
        self._check_every_public_method_has_a_row()

    def test_rpc_sweep(self):
        self._run_rpc_sweep()

    def test_the_issue_probes_are_refused(self):
        """The calls of the report: a shop customer and an internal user
        without rights get an access error and Seven Senders hears nothing."""
        probes = [
            ("sevensenders.account", "action_sevensenders_test_connection", "account"),
            ("sevensenders.account", "action_sevensenders_sync_carriers", "account"),
            ("stock.picking", "action_sevensenders_send", "done_delivery"),
            ("product.product", "action_sevensenders_push_products", "variant"),
            ("product.template", "action_sevensenders_push_products", "template"),
            ("sevensenders.account", "action_sevensenders_open_outbox", "account"),
            ("stock.picking", "action_sevensenders_open_outbox", "delivery"),
            ("sale.order", "action_sevensenders_open_outbox", "order"),
        ]
        for model, method, target in probes:
            record = getattr(self, f"_target_{target}")()
            for role in ("portal", "internal"):
                with self.subTest(method=method, role=role):
                    before = self._sandbox_requests()
                    with self.assertRaises(Fault) as caught:
                        self._rpc(role, model, method, record.ids, [])
                    self.assertEqual(caught.exception.faultCode, 4)
                    self.assertEqual(self._sandbox_requests(), before)
        # the carrier hooks are not reachable by name at all
        for hook in ("sevensenders_send_shipping", "sevensenders_cancel_shipment"):
            with self.subTest(hook=hook), self.assertRaises(Fault) as caught:
                self._rpc("admin", "delivery.carrier", hook, self.carrier.ids, [[]])
            self.assertIn("Private methods", caught.exception.faultString)
