# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The outbox sent by queue_job jobs, one per account and shard, against the
sandbox: the jobs are trapped (queue_job's own test helper) or stored, and run
here as the job runner would run them."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.delivery_sevensenders.tests.common import SevenSendersCase
from odoo.addons.queue_job.job import Job
from odoo.addons.queue_job.tests.common import trap_jobs

CHANNEL = "root.sevensenders"


@tagged("post_install", "-at_install")
class TestQueueJob(SevenSendersCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account.outbox_job_shards = 16

    def new_transaction(self):
        """What a commit clears: the shards queued in this transaction."""
        self.env.cr.precommit.data.pop("sevensenders_jobs", None)

    def shards_of(self, orders):
        shards = self.account.outbox_job_shards
        return sorted({(order.id % shards, shards) for order in orders})

    def drain_method(self):
        return self.account._sevensenders_job_drain

    def test_one_job_per_touched_shard_sends_every_order_once(self):
        with trap_jobs() as trap:
            orders = [self.make_order() for _i in range(6)]
            self.assertFalse(self.sandbox.objects("order"), "nothing sent yet")
            jobs = trap.enqueued_jobs
            self.assertEqual(sorted(job.args for job in jobs), self.shards_of(orders))
            self.assertEqual(
                trap.jobs_count(only=self.drain_method()), len(self.shards_of(orders))
            )
            for job in jobs:
                self.assertEqual(job.channel, CHANNEL)
                self.assertEqual(job.recordset, self.account)
                self.assertEqual(
                    job.identity_key,
                    f"sevensenders.outbox:{self.account.id}:{job.args[0]}/16",
                )
            # the other rows of these orders (states...) queued nothing more:
            # at most one job per shard in a transaction
            self.assertEqual(len(trap.calls), len(jobs))
            trap.perform_enqueued_jobs()
            remote = sorted(o["order_id"] for o in self.sandbox.objects("order"))
            self.assertEqual(remote, sorted(o.name for o in orders))
            self.assertEqual(self.sandbox_calls("POST /v2/orders"), len(orders))
            rows = self.env["sevensenders.outbox"].search(
                [
                    ("res_model", "=", "sale.order"),
                    ("res_id", "in", [o.id for o in orders]),
                ]
            )
            self.assertEqual(set(rows.mapped("state")), {"done"})
            self.assertFalse(trap.enqueued_jobs, "nothing left: no follow-up job")

    def test_a_delivery_is_in_the_shard_of_its_order(self):
        self.account.sync_tracking_shipments = True
        order = self.make_order(carrier=self.other_carrier)
        self.drain()
        picking = order.picking_ids
        shards = next(n for n in range(8, 64) if picking.id % n != order.id % n)
        self.account.outbox_job_shards = shards
        picking.carrier_tracking_ref = f"QJ{picking.id}A,QJ{picking.id}B"
        with trap_jobs() as trap:
            self.validate(picking)
            self.assertEqual(
                sorted({job.args for job in trap.enqueued_jobs}),
                [(order.id % shards, shards)],
            )
            rows = self.outbox(picking).filtered(lambda r: r.state == "pending")
            self.assertTrue(rows, "the shipment's calls wait for the job")
            trap.perform_enqueued_jobs()
            self.assertEqual(set(rows.mapped("state")), {"done"})
        self.assertEqual(
            [s["tracking_code"] for s in self.sandbox.objects("shipment")],
            picking.carrier_tracking_ref.split(","),
        )

    def test_at_most_one_pending_job_per_shard_across_transactions(self):
        jobs = self.env["queue.job"]
        first = self.make_order()
        key = f"sevensenders.outbox:{self.account.id}:{first.id % 16}/16"
        job = jobs.search([("identity_key", "=", key)])
        self.assertEqual(len(job), 1)
        self.assertEqual((job.state, job.channel), ("pending", CHANNEL))
        # the next job of the shard waits for a row's back-off...
        job.eta = fields.Datetime.now() + timedelta(hours=1)
        # ... another order of the same shard, in another transaction
        self.new_transaction()
        second = self.make_order()
        while second.id % 16 != first.id % 16:
            self.new_transaction()
            second = self.make_order()
        self.assertEqual(jobs.search([("identity_key", "=", key)]), job)
        self.assertFalse(job.eta, "brought forward: the new order is due now")
        # the runner runs it: both orders are sent, nothing is queued again
        Job.load(self.env, job.uuid).perform()
        self.assertTrue(self.sandbox_order(first.name))
        self.assertTrue(self.sandbox_order(second.name))
        self.assertEqual(jobs.search_count([("identity_key", "=", key)]), 1)

    def test_a_failing_row_retries_by_its_own_backoff_not_the_jobs(self):
        with trap_jobs() as trap:
            order = self.make_order()
            self.sandbox.set_faults(error_rate=1.0, error_status=503)
            trap.perform_enqueued_jobs()  # does not raise: the row failed
            row = self.outbox(order, operation="order_create")
            self.assertEqual((row.state, row.attempts), ("retry", 1))
            self.assertGreater(row.next_attempt_at, fields.Datetime.now())
            self.assertIn("503", row.last_error)
            # the follow-up job waits for the row's next attempt
            self.assertEqual(len(trap.enqueued_jobs), 1)
            follow_up = trap.enqueued_jobs[0]
            self.assertEqual(follow_up.args, self.shards_of(order)[0])
            self.assertEqual(follow_up.eta, row.next_attempt_at)
            # time passes, Seven Senders is back
            self.sandbox.set_faults()
            self.outbox(order).filtered(lambda r: r.state != "done").write(
                {"next_attempt_at": fields.Datetime.now() - timedelta(seconds=1)}
            )
            trap.perform_enqueued_jobs()
            self.assertEqual((row.state, row.attempts), ("done", 2))
            self.assertTrue(self.sandbox_order(order.name))
            self.assertFalse(trap.enqueued_jobs)

    def test_the_cron_still_sends_when_no_job_runs(self):
        with trap_jobs() as trap:
            orders = [self.make_order() for _i in range(3)]
            self.assertTrue(trap.enqueued_jobs)
            # the job runner is down: the jobs never run; the cron's turn
            self.drain(force=False)
            remote = sorted(o["order_id"] for o in self.sandbox.objects("order"))
            self.assertEqual(remote, sorted(o.name for o in orders))
            calls = self.sandbox.stats()["requests"]
            # the runner back: its jobs find nothing left to send
            trap.perform_enqueued_jobs()
            self.assertEqual(self.sandbox.stats()["requests"], calls)
            self.assertFalse(trap.enqueued_jobs)

    def test_shards_at_least_one(self):
        with self.assertRaises(ValidationError):
            self.account.outbox_job_shards = 0
