# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Customers asking at the same instant: real transactions, so it runs with
the soak (it commits), never in the standard run. Two requests in the models
(approval on and off), then as Odoo's HTTP workers run them (each on its own
cursor, serialization failures retried): 20 identical return requests at
once, 40 wrong lookups from one address, 60 from 30 addresses. (Odoo's test
runner holds the registry lock, so its HTTP server cannot serve a test that
is not an HttpCase: the requests run in threads, as a worker would.)"""

import threading
from collections import Counter
from functools import partial

import psycopg2

from odoo import SUPERUSER_ID, api, fields
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, tagged
from odoo.tests.common import get_db_name
from odoo.tools import config

from ..compat import transaction_class
from ..models.sevensenders_returns import ATTEMPTS, REFERENCE_CEILING


@tagged("-standard", "-at_install", "post_install", "sevensenders_soak")
class TestConcurrentReturns(BaseCase):
    """Never more returned than delivered, and limits that hold, under real
    concurrency."""

    def setUp(self):
        super().setUp()
        if "sevensenders_soak" not in (config["test_tags"] or ""):
            self.skipTest("commits: runs only with --test-tags sevensenders_soak")
        self.registry = Registry(get_db_name())

    def delivered(self, approval):
        """A committed order of 2 delivered units on an account of its own:
        ``(order, line, reason, account)`` ids."""
        with self.registry.cursor() as cr:
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
                    "return_approval": approval,
                }
            )
            product = env["product.product"].create(
                {"name": "Concurrency Shirt", "is_storable": True, "list_price": 1.0}
            )
            env["stock.quant"]._update_available_quantity(
                product, env.ref("stock.stock_location_stock"), 2
            )
            partner = env["res.partner"].create(
                {
                    "name": "Concurrent Customer",
                    "email": "c@example.com",
                    "zip": "10115",
                }
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
            self.addCleanup(self.switch_off, account.id)
            return (order.id, order.order_line.id, reason.id, account.id)
            # (leaving the block commits: the customers' transactions see it)

    def switch_off(self, account_id):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["sevensenders.account"].browse(account_id).active = False

    def returned(self, order_id, approve=False):
        """``(requests, units in their returns)`` of the order; ``approve``:
        each waiting request approved first, in its own transaction."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            requests_ = env["sevensenders.return.request"].search(
                [("order_id", "=", order_id)], order="id"
            )
            ids = requests_.ids
        refused = 0
        for request_id in ids if approve else ():
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                try:
                    env["sevensenders.return.request"].browse(
                        request_id
                    ).action_sevensenders_approve()
                except UserError:
                    cr.rollback()
                    refused += 1
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            requests_ = env["sevensenders.return.request"].browse(ids)
            units = sum(requests_.return_picking_ids.move_ids.mapped("product_uom_qty"))
            return len(ids), units, refused

    def test_two_requests_at_once_never_return_more_than_delivered(self):
        for approval in (False, True):
            with self.subTest(approval=approval):
                self.race(approval)

    def race(self, approval):
        registry = self.registry
        ids = self.delivered(approval)
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
        self.assertEqual(
            sorted(o for o in outcomes if o != "retried"), ["made", "refused"]
        )
        made, units, refused = self.returned(order_id, approve=approval)
        self.switch_off(account_id)
        self.assertEqual((made, units, refused), (1, 2, 0))

    # -- many at once, as Odoo's HTTP workers run them -----------------------------

    def at_once(self, count, call, in_flight=24):
        """``count`` threads, each on a cursor of its own, calling
        ``call(env, index)`` at the same instant (``retried``), at most
        ``in_flight`` at once (a lookup holds two connections for a moment,
        its own and its counter's: Odoo's pool has 64): what each answered."""
        registry = self.registry
        barrier = threading.Barrier(count)
        outcomes = []

        gate = threading.Semaphore(in_flight)

        def run(index):
            try:
                barrier.wait(60)
                with gate, registry.cursor() as cr:
                    # not Registry(dbname) (nor odoo's retrying, which resets
                    # through it): the test runner holds the registry lock
                    cr.transaction = transaction_class()(registry)
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    outcomes.append(self.retried(cr, env, partial(call, env, index)))
            except Exception as exc:  # noqa: BLE001 - counted, the test fails
                outcomes.append(f"{type(exc).__name__}: {exc}"[:200])

        threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(300)
        return Counter(outcomes)

    def retried(self, cr, env, call):
        """``call()`` as Odoo's HTTP layer runs a request: a serialization
        failure is tried again (up to 5 times), a UserError is a 422."""
        for _try in range(5):
            try:
                result = call()
                cr.commit()  # pylint: disable=invalid-commit  # each is its own request
                return result
            except psycopg2.errors.SerializationFailure:
                cr.rollback()
                env.invalidate_all()
            except UserError:
                cr.rollback()
                return 422
        return 503

    def test_twenty_requests_at_once_never_return_more_than_delivered(self):
        """The issue's attack: 20 identical requests at the same instant for
        one of 2 delivered units each; with approval, then approved."""
        for approval in (True, False):
            with self.subTest(approval=approval):
                order_id, line_id, reason_id, account_id = self.delivered(approval)

                def ask(
                    env, _index, order_id=order_id, line_id=line_id, reason_id=reason_id
                ):
                    env["sevensenders.return.request"]._sevensenders_request(
                        env["sale.order"].browse(order_id),
                        [
                            (
                                env["sale.order.line"].browse(line_id),
                                1,
                                env["sevensenders.return.reason"].browse(reason_id),
                            )
                        ],
                        origin="api",
                    )
                    return 201

                self.assertEqual(self.at_once(20, ask), Counter({201: 2, 422: 18}))
                made, units, refused = self.returned(order_id, approve=approval)
                self.switch_off(account_id)
                self.assertEqual((made, units, refused), (2, 2, 0))

    def clear_counters(self):
        with self.registry.cursor() as cr:
            cr.execute("DELETE FROM sevensenders_return_attempt")

    def test_parallel_wrong_tries_meet_the_limits(self):
        self.clear_counters()
        self.addCleanup(self.clear_counters)

        def wrong(reference, address):
            def call(env, index):
                order, wait = env["sevensenders.returns"]._sevensenders_lookup(
                    reference, "00000", address(index)
                )
                return 429 if wait else (200 if order else 404)

            return call

        # 40 wrong tries at once from one address
        statuses = self.at_once(40, wrong("S-ONE-ADDRESS", lambda _i: "192.0.2.1"))
        self.assertEqual(statuses, Counter({404: ATTEMPTS, 429: 40 - ATTEMPTS}))
        # 60 from 30 addresses (two each), against one reference
        statuses = self.at_once(
            60, wrong("S-MANY-ADDRESSES", lambda i: f"198.51.100.{i % 30 + 1}")
        )
        self.assertEqual(
            statuses, Counter({404: REFERENCE_CEILING, 429: 60 - REFERENCE_CEILING})
        )
