# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The scheduled drain commits its outcomes in groups (``CommitGroup``).

Real commits, so the tests with a database run with the soak, never in the
standard run: the scheduler's drain commits as it goes (other sessions see
the rows done while it runs), in fewer commits than rows, and a user
changing an order while its outcome waits for the group's commit costs
nothing: the group is written again and each order is sent once. The
group's policy (when it commits, what it does when PostgreSQL refuses) is
tested on its own with a stand-in cursor, as a test's cursor cannot commit.
"""

import threading
import time

from psycopg2 import OperationalError
from psycopg2.errorcodes import SERIALIZATION_FAILURE

from odoo import SUPERUSER_ID, api, fields
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, tagged
from odoo.tests.common import get_db_name
from odoo.tools import config

from ..compat import transaction_class
from ..models.sevensenders_outbox_commits import CommitGroup, group_of, grouped_commits
from .common import SandboxProcess


class Refused(OperationalError):
    """What psycopg2 raises when PostgreSQL refuses a concurrent update."""

    pgcode = SERIALIZATION_FAILURE


class StandInCursor:
    """Counts commits and rollbacks; refuses the first ``refuse`` commits."""

    def __init__(self, refuse=0):
        self.refuse = refuse
        self.commits = 0
        self.rollbacks = 0

    def commit(self):
        if self.refuse:
            self.refuse -= 1
            raise Refused("could not serialize access due to concurrent update")
        self.commits += 1

    def rollback(self):
        self.rollbacks += 1


class Row:
    """A stand-in outbox row: the steps it records on its own."""

    def __init__(self):
        self.alone = []

    def _sevensenders_record_alone(self, step, failures=tuple):
        step()
        self.alone.append(step)


@tagged("post_install", "-at_install")
class TestCommitGroup(BaseCase):
    def steps(self, group, count, runs):
        for index in range(count):
            group.record(Row(), lambda i=index: runs.append(i), tuple)

    def test_outcomes_within_the_interval_make_one_commit(self):
        cr, runs = StandInCursor(), []
        group = CommitGroup(cr)
        group.interval = 60
        self.steps(group, 10, runs)
        self.assertEqual(cr.commits, 0, "pending, not committed one by one")
        self.assertIsNotNone(group.due_in())
        group.commit()
        self.assertEqual((cr.commits, runs), (1, list(range(10))))
        self.assertIsNone(group.due_in(), "nothing pending")

    def test_a_full_group_or_an_elapsed_interval_commits(self):
        cr, runs = StandInCursor(), []
        group = CommitGroup(cr)
        group.interval, group.size = 60, 4
        self.steps(group, 9, runs)
        self.assertEqual(cr.commits, 2, "at 4 and at 8")
        self.assertEqual(len(group.pending), 1)
        group.interval = 0
        self.steps(group, 1, runs)
        self.assertEqual(cr.commits, 3, "the interval is over")

    def test_a_refused_commit_writes_the_group_again(self):
        cr, runs = StandInCursor(refuse=1), []
        group = CommitGroup(cr)
        group.interval = 60
        self.steps(group, 3, runs)
        group.commit()
        self.assertEqual(cr.rollbacks, 1)
        self.assertEqual(cr.commits, 1)
        self.assertEqual(runs, [0, 1, 2, 0, 1, 2], "written again, then committed")

    def test_refused_every_time_each_outcome_goes_alone(self):
        cr, runs = StandInCursor(refuse=CommitGroup.tries), []
        group = CommitGroup(cr)
        group.interval = 60
        rows = [Row(), Row()]
        for index, row in enumerate(rows):
            group.record(row, lambda i=index: runs.append(i), tuple)
        group.commit()
        self.assertEqual(cr.rollbacks, CommitGroup.tries)
        self.assertEqual([len(row.alone) for row in rows], [1, 1])
        self.assertEqual(group.pending, [])

    def test_a_refused_write_rolls_the_group_back_and_writes_it_again(self):
        cr, runs = StandInCursor(), []
        group = CommitGroup(cr)
        group.interval = 60
        self.steps(group, 2, runs)
        refused = [True]

        def step():
            runs.append("refused once")
            if refused.pop() if refused else False:
                raise Refused("could not serialize access due to concurrent update")

        group.record(Row(), step, tuple)
        self.assertEqual(cr.rollbacks, 1)
        self.assertEqual(cr.commits, 1, "written again and committed at once")
        self.assertEqual(runs, [0, 1, "refused once", 0, 1, "refused once"])

    def test_a_drain_has_one_group_per_cursor(self):
        cr = StandInCursor()
        self.assertIsNone(group_of(cr))
        with grouped_commits(cr) as group:
            self.assertIs(group_of(cr), group)
            with grouped_commits(cr) as inner:
                self.assertIs(inner, group, "nested: the outer group")
            group.record(Row(), lambda: None, tuple)
        self.assertIsNone(group_of(cr))
        self.assertEqual(cr.commits, 1, "what was pending is committed at the end")


@tagged("-standard", "-at_install", "post_install", "sevensenders_soak")
class TestScheduledDrainCommits(BaseCase):
    """As the scheduler runs the drain: real commits, another session
    watching, a user editing an order at the same moment."""

    def setUp(self):
        super().setUp()
        if "sevensenders_soak" not in (config["test_tags"] or ""):
            self.skipTest("commits: runs only with --test-tags sevensenders_soak")
        self.registry = Registry(get_db_name())
        self.sandbox = SandboxProcess()
        self.addCleanup(self.sandbox.stop)

    def env(self, cr):
        if cr.transaction is None:
            # not Registry(dbname): the test runner holds the registry lock
            cr.transaction = transaction_class()(self.registry)
        return api.Environment(cr, SUPERUSER_ID, {})

    def orders(self, count, concurrency):
        """``count`` confirmed (committed) orders of an account of their own,
        the only active one: their rows are due."""
        with self.registry.cursor() as cr:
            env = self.env(cr)
            accounts = env["sevensenders.account"].search([])
            self.addCleanup(self.reactivate, accounts.ids)
            accounts.active = False
            warehouse = env["stock.warehouse"].search(
                [("company_id", "=", env.company.id)], limit=1
            )
            env["sevensenders.account"].create(
                {
                    "name": "Grouped commits",
                    "environment": "custom",
                    "base_url": self.sandbox.url + "/v2",
                    "access_key": "sandbox-access-key",
                    "shop_url": "https://shop.example.com",
                    "outbox_concurrency": concurrency,
                    "company_id": env.company.id,
                    "warehouse_mapping_ids": [
                        fields.Command.create(
                            {
                                "warehouse_id": warehouse.id,
                                "sevensenders_warehouse": "WH",
                            }
                        )
                    ],
                }
            )
            product = env["product.product"].create(
                {"name": "Grouped shirt", "list_price": 10.0}
            )
            partner = env["res.partner"].create(
                {
                    "name": "Grouped Customer",
                    "email": "grouped@example.com",
                    "street": "Invalidenstraße 116",
                    "zip": "10115",
                    "city": "Berlin",
                    "country_id": env.ref("base.de").id,
                }
            )
            orders = env["sale.order"].create(
                [
                    {
                        "partner_id": partner.id,
                        "order_line": [
                            fields.Command.create(
                                {"product_id": product.id, "product_uom_qty": 1}
                            )
                        ],
                    }
                    for _i in range(count)
                ]
            )
            orders.action_confirm()
            return orders.ids, orders.mapped("name")

    def reactivate(self, ids):
        with self.registry.cursor() as cr:
            self.env(cr)["sevensenders.account"].browse(ids).active = True

    def rows_done(self, order_ids):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM sevensenders_outbox WHERE res_model = "
                "'sale.order' AND res_id = ANY(%s) AND state = 'done'",
                [order_ids],
            )
            return cr.fetchone()[0]

    def drain(self):
        """One scheduled drain, on its own cursor; answers its commits and
        rollbacks."""
        with self.registry.cursor() as cr:
            counts = {"commit": 0, "rollback": 0}

            def counted(method):
                def call():
                    counts[method.__name__] += 1
                    return method()

                return call

            cr.commit, cr.rollback = counted(cr.commit), counted(cr.rollback)
            outbox = self.env(cr)["sevensenders.outbox"].with_context(
                sevensenders_commit=True
            )
            while outbox._cron_sevensenders_drain(batch_size=200):
                pass
            return counts

    def sent_once(self, names):
        created = sorted(o["order_id"] for o in self.sandbox.objects("order"))
        self.assertEqual(created, sorted(names), "each order sent once")

    def test_the_drain_commits_as_it_goes_in_fewer_commits_than_rows(self):
        order_ids, names = self.orders(12, concurrency=2)
        self.sandbox.set_faults(response_ms=100)
        seen, stop = [], threading.Event()

        def watch():  # another session (a user's list of the outbox)
            while not stop.is_set():
                seen.append(self.rows_done(order_ids))
                time.sleep(0.05)

        watcher = threading.Thread(target=watch)
        watcher.start()
        try:
            counts = self.drain()
        finally:
            stop.set()
            watcher.join()
        rows = 24  # each order: its creation and its state
        self.assertEqual(self.rows_done(order_ids), rows)
        self.sent_once(names)
        # 24 calls two at a time at 100 ms: about 1.2 s, so a group every
        # 0.25 s commits some five times, not once per row, nor once at the end
        self.assertLess(counts["commit"], rows // 2, counts)
        progress = sorted(set(seen) - {0, rows})
        self.assertGreaterEqual(len(progress), 2, f"seen done while it ran: {seen}")

    def test_a_user_changing_an_order_while_its_outcome_waits(self):
        order_ids, names = self.orders(4, concurrency=4)
        self.sandbox.set_faults(response_ms=50)
        locked, release = threading.Event(), threading.Event()

        def user():  # edits the first order and keeps it for a moment
            with self.registry.cursor() as cr:
                order = self.env(cr)["sale.order"].browse(order_ids[0])
                order.client_order_ref = "changed by a user"
                order.flush_recordset()
                locked.set()
                release.wait(10)

        thread = threading.Thread(target=user)
        thread.start()
        self.assertTrue(locked.wait(10), "the user's session has the order")
        threading.Timer(0.5, release.set).start()  # the user saves
        counts = self.drain()
        thread.join()
        # PostgreSQL refused the drain's write of the order the user had
        # changed: the group was rolled back and written again
        self.assertGreaterEqual(counts["rollback"], 1, counts)
        self.assertEqual(self.rows_done(order_ids), 8)
        self.sent_once(names)
        with self.registry.cursor() as cr:
            orders = self.env(cr)["sale.order"].browse(order_ids)
            self.assertEqual(orders[0].client_order_ref, "changed by a user")
            self.assertTrue(all(orders.mapped("sevensenders_order_ref")))
            self.assertEqual(set(orders.mapped("sevensenders_sync_state")), {"synced"})
