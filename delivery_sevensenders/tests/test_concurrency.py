# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Two customers' browsers ask for the same return at the same instant: real
transactions, so it runs with the soak (it commits), never in the standard run."""

import threading

import psycopg2

from odoo import SUPERUSER_ID, api, fields
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, tagged
from odoo.tests.common import get_db_name
from odoo.tools import config

from ..compat import transaction_class


@tagged("-standard", "-at_install", "post_install", "sevensenders_soak")
class TestConcurrentReturns(BaseCase):
    def test_two_requests_at_once_never_return_more_than_delivered(self):
        if "sevensenders_soak" not in (config["test_tags"] or ""):
            self.skipTest("commits: runs only with --test-tags sevensenders_soak")
        registry = Registry(get_db_name())
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company = env.company
            account = env["sevensenders.account"].create(
                {
                    "name": "Concurrency",
                    "environment": "custom",
                    "base_url": "http://127.0.0.1:9/v2",
                    "access_key": "unused",
                    "company_id": company.id,
                    "sequence": 0,
                    "sync_orders": False,
                    "return_window_days": 30,
                }
            )
            product = env["product.product"].create(
                {"name": "Concurrency Shirt", "is_storable": True, "list_price": 1.0}
            )
            env["stock.quant"]._update_available_quantity(
                product, env.ref("stock.stock_location_stock"), 2
            )
            partner = env["res.partner"].create(
                {"name": "Concurrent Customer", "email": "c@example.com"}
            )
            order = env["sale.order"].create(
                {
                    "partner_id": partner.id,
                    "order_line": [
                        fields.Command.create(
                            {"product_id": product.id, "product_uom_qty": 2}
                        )
                    ],
                }
            )
            order.action_confirm()
            picking = order.picking_ids
            picking.action_assign()
            picking.move_ids.quantity = 2
            picking.move_ids.picked = True
            picking.button_validate()
            reason = env.ref("delivery_sevensenders.return_reason_too_small")
            ids = (order.id, order.order_line.id, reason.id, account.id)
            # (leaving the block commits: the customers' transactions see it)
        order_id, line_id, reason_id, account_id = ids
        barrier = threading.Barrier(2)
        outcomes = []

        def customer():
            """One request as Odoo's HTTP layer runs it: a serialization
            failure (the other committed first) is tried again, up to 5 times."""
            with registry.cursor() as cr:
                # not Registry(dbname): the test runner holds the registry lock
                cr.transaction = transaction_class()(registry)
                env = api.Environment(cr, SUPERUSER_ID, {})
                barrier.wait()
                for _try in range(5):
                    try:
                        env["sevensenders.return.request"]._sevensenders_request(
                            env["sale.order"].browse(order_id),
                            [
                                (
                                    env["sale.order.line"].browse(line_id),
                                    2,
                                    env["sevensenders.return.reason"].browse(reason_id),
                                )
                            ],
                        )
                        outcomes.append("made")
                        return  # leaving the block commits
                    except psycopg2.errors.SerializationFailure:
                        cr.rollback()
                        env.invalidate_all()
                        outcomes.append("retried")
                    except UserError:
                        cr.rollback()
                        outcomes.append("refused")
                        return

        threads = [threading.Thread(target=customer) for _i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            requests = env["sevensenders.return.request"].search(
                [("order_id", "=", order_id)]
            )
            returned = sum(
                requests.return_picking_ids.move_ids.mapped("product_uom_qty")
            )
            self.assertEqual(
                sorted(o for o in outcomes if o != "retried"), ["made", "refused"]
            )
            self.assertEqual(len(requests), 1)
            self.assertEqual(returned, 2)
            env["sevensenders.account"].browse(account_id).active = False
