# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import SevenSendersCase


@tagged("post_install", "-at_install")
class TestOutbox(SevenSendersCase):
    def test_outage_then_everything_arrives_exactly_once(self):
        orders = [self.make_order() for _i in range(3)]
        self.sandbox.set_faults(error_rate=1.0, error_status=503)
        self.drain()
        rows = self.outbox(operation="order_create").filtered(
            lambda r: r.res_id in [o.id for o in orders]
        )
        self.assertEqual(set(rows.mapped("state")), {"retry"})
        self.assertTrue(all("503" in r.attempt_log for r in rows))
        self.assertEqual({o.sevensenders_sync_state for o in orders}, {"error"})
        self.drain()  # still down: a second attempt is logged
        self.assertEqual(set(rows.mapped("attempts")), {2})
        # every failed exchange shows on the row that made it, also those the
        # client retried on its own: together, all the faults the sandbox made
        injected = self.sandbox.stats()["faults"]["errors"]
        all_rows = self.env["sevensenders.outbox"].search(
            [("res_model", "=", "sale.order"), ("res_id", "in", [o.id for o in orders])]
        )
        self.assertGreater(len(all_rows), len(rows))  # the states queued too
        self.assertEqual(sum(all_rows.mapped("http_failures")), injected)
        self.assertGreater(injected, 2 * len(rows))
        for row in rows:
            log = row.attempt_log.splitlines()
            self.assertEqual(len(log), row.http_failures + 2)
            self.assertTrue(log[-1].split(" ", 2)[2].startswith("#2: "), log[-1])
            self.assertEqual(
                sum(" POST " in line and "-> given up" in line for line in log), 2
            )
            self.assertIn("503", log[0])
        self.sandbox.set_faults()
        self.drain()
        self.assertEqual(set(rows.mapped("state")), {"done"})
        remote = [o["order_id"] for o in self.sandbox.objects("order")]
        self.assertEqual(sorted(remote), sorted(o.name for o in orders))
        self.assertEqual({o.sevensenders_sync_state for o in orders}, {"synced"})

    def test_lost_answers_make_no_duplicates(self):
        orders = [self.make_order(lines=[(self.shirt, 1)]) for _i in range(4)]
        self.sandbox.set_faults(drop_after_count=3)
        self.drain()
        self.assertEqual(self.sandbox.stats()["faults"]["dropped_after"], 3)
        names = sorted(o["order_id"] for o in self.sandbox.objects("order"))
        self.assertEqual(names, sorted(o.name for o in orders))
        # the retries found the orders that had landed: no conflict, all sent
        rows = self.outbox(operation="order_create").filtered(
            lambda r: r.res_id in [o.id for o in orders]
        )
        self.assertEqual(set(rows.mapped("state")), {"done"})
        self.assertEqual(
            sorted(rows.mapped("result_ref")),
            sorted(o.sevensenders_order_ref for o in orders),
        )

    def test_token_expiry_mid_drain(self):
        orders = [self.make_order(lines=[(self.shirt, 1)]) for _i in range(3)]
        outbox = self.env["sevensenders.outbox"]
        self.drain_batch(outbox, 1)
        issued = self.sandbox.stats()["tokens_issued"]
        self.sandbox.revoke_tokens()
        self.drain()
        self.assertEqual(self.sandbox.stats()["tokens_issued"], issued + 1)
        self.assertEqual(len(self.sandbox.objects("order")), 3)
        self.assertTrue(all(o.sevensenders_sync_state == "synced" for o in orders))

    def drain_batch(self, outbox, size):
        rows = outbox._sevensenders_claim(size)
        rows._sevensenders_process()
        return rows

    def test_dead_letter_after_max_attempts_with_an_activity(self):
        self.account.outbox_max_attempts = 2
        order = self.make_order()
        self.sandbox.set_faults(error_rate=1.0, error_status=500)
        self.drain()
        self.drain()
        row = self.outbox(order, operation="order_create")
        self.assertEqual(row.state, "dead")
        activity = order.activity_ids.filtered(
            lambda a: "Seven Senders" in (a.summary or "")
        )
        self.assertEqual(activity.user_id, self.account.responsible_user_id)
        self.drain()
        self.assertEqual(row.attempts, 2, "a dead row is not retried by the cron")
        self.sandbox.set_faults()
        row.action_sevensenders_retry()
        self.drain()
        self.assertEqual(row.state, "done")
        self.assertTrue(self.sandbox_order(order.name))
        # the activity is done once the call is sent, and the chatter says so
        # (18.0 deletes a done activity, 19.0 may keep it archived)
        self.assertFalse(
            order.activity_ids.filtered(lambda a: "Seven Senders" in (a.summary or "")),
            "a done activity leaves the order's open activities",
        )
        self.assertFalse(row.activity_id)
        self.assertTrue(
            order.message_ids.filtered(lambda m: "sent after all" in (m.body or ""))
        )

    def test_cancel_and_send_now_buttons(self):
        order = self.make_order()
        row = self.outbox(order, operation="order_create")
        row.action_sevensenders_cancel()
        self.drain()
        self.assertEqual(row.state, "cancelled")
        self.assertFalse(self.sandbox.objects("order"))
        row.action_sevensenders_retry()
        row.action_sevensenders_send_now()
        self.assertEqual(row.state, "done")

    def due(self):
        return self.env["sevensenders.outbox"].search_count(
            [("state", "in", ("pending", "retry"))]
        )

    def test_cron_reports_progress(self):
        for _i in range(3):
            self.make_order(lines=[(self.shirt, 1)])
        outbox = self.env["sevensenders.outbox"]
        due = self.due()
        self.assertGreater(due, 2)
        # a batch of 2, and the rest claimed while it was in flight
        self.assertEqual(outbox._cron_sevensenders_drain(batch_size=2), due)
        self.assertEqual(outbox._cron_sevensenders_drain(batch_size=2), 0)

    def test_a_drain_claims_the_next_rows_while_its_calls_are_in_flight(self):
        orders = [self.make_order(lines=[(self.shirt, 1)]) for _i in range(6)]
        self.sandbox.set_faults(latency_ms=300)
        # 12 rows (each order's creation and its state), claimed 4 at a time
        self.env["sevensenders.outbox"]._cron_sevensenders_drain(batch_size=4)
        creates = [
            e
            for e in self.sandbox.requests()
            if e["method"] == "POST" and e["path"] == "/v2/orders"
        ]
        self.assertEqual(len(creates), 6, "each order once")
        self.assertLess(
            max(c["started"] for c in creates),
            min(c["ended"] for c in creates),
            "the six orders were sent at once, not two at a time",
        )
        self.assertEqual({o.sevensenders_sync_state for o in orders}, {"synced"})
        self.assertEqual(self.due(), 0)

    def test_a_drain_claims_five_batches_at_most(self):
        orders = [self.make_order(lines=[(self.shirt, 1)]) for _i in range(12)]
        due = self.due()
        outbox = self.env["sevensenders.outbox"]
        self.assertEqual(outbox._cron_sevensenders_drain(batch_size=2), 10)
        self.assertEqual(self.due(), due - 10)
        self.drain()
        self.assertEqual(
            sorted(o["order_id"] for o in self.sandbox.objects("order")),
            sorted(o.name for o in orders),
        )
        self.assertEqual({o.sevensenders_sync_state for o in orders}, {"synced"})

    def test_the_attempt_log_shows_the_readers_time_zone(self):
        order = self.make_order()
        row = self.outbox(order, operation="order_create")
        row.attempt_log = (
            "2026-01-15 12:00:00 #1: Seven Senders is down\n"
            "2026-07-15 23:30:00 #2 POST /v2/orders: 503 -> retried"
        )
        berlin = row.with_context(tz="Europe/Berlin").attempt_log_local
        self.assertEqual(
            berlin.splitlines(),
            [
                "2026-01-15 13:00:00 CET #1: Seven Senders is down",
                "2026-07-16 01:30:00 CEST #2 POST /v2/orders: 503 -> retried",
            ],
        )
        self.env.user.tz = "America/New_York"
        row.invalidate_recordset(["attempt_log_local"])
        self.assertTrue(
            row.with_context(tz=False).attempt_log_local.startswith(
                "2026-01-15 07:00:00 EST #1"
            )
        )

    def test_the_job_queue_bridge_is_not_offered_without_queue_job(self):
        modules = self.env["ir.module.module"]
        bridge = modules.search([("name", "=", "delivery_sevensenders_queue_job")])
        if not bridge or bridge.state not in ("uninstalled", "uninstallable"):
            self.skipTest("the bridge is not on the addons path, or installed")
        queue_job = modules.search(
            [("name", "=", "queue_job"), ("state", "!=", "uninstallable")]
        )
        modules.update_list()
        self.assertEqual(bridge.state, "uninstalled" if queue_job else "uninstallable")
        # one that needs an addon this Odoo does not have is not offered
        self.env["ir.module.module.dependency"].create(
            {"module_id": bridge.id, "name": "sevensenders_no_such_addon"}
        )
        bridge.invalidate_recordset()
        bridge.state = "uninstalled"
        modules._sevensenders_hide_bridges()  # as on each update of the addon
        self.assertEqual(bridge.state, "uninstallable")
        # the bridges whose dependencies are there are offered
        mrp = modules.search([("name", "=", "delivery_sevensenders_mrp")])
        self.assertNotEqual(mrp.state, "uninstallable")

    def make_rows(self, *specs):
        """Outbox rows of one order, one per ``(state, due in minutes, sent
        days ago)`` (None: not sent), in this order (ids ascending)."""
        order = self.make_order(confirm=False)
        now = fields.Datetime.now()
        rows = self.env["sevensenders.outbox"]
        for state, due_in, sent_days in specs:
            rows |= rows.create(
                {
                    "account_id": self.account.id,
                    "operation": "order_create",
                    "res_model": "sale.order",
                    "res_id": order.id,
                    "record_name": order.name,
                }
            )
            rows[-1:].write(
                {
                    "state": state,
                    "next_attempt_at": now + timedelta(minutes=due_in),
                    "done_at": now - timedelta(days=sent_days) if sent_days else False,
                }
            )
        return order, rows

    def test_the_claim_takes_the_due_rows_in_order_and_nothing_else(self):
        outbox = self.env["sevensenders.outbox"]
        outbox.search([("state", "in", ("pending", "retry"))]).state = "cancelled"
        order, rows = self.make_rows(
            ("done", -5, 1),
            ("pending", -5, None),
            ("retry", 60, None),  # failed, waits for its next attempt
            ("retry", -1, None),
            ("dead", -5, None),
            ("pending", 10, None),  # waits for a document
            ("cancelled", -5, None),
            ("pending", -1, None),
        )
        due = rows[1] | rows[3] | rows[7]
        self.assertEqual(outbox._sevensenders_claim(2).ids, due[:2].ids)
        self.assertEqual(outbox._sevensenders_claim(10).ids, due.ids)
        # the queue_job bridge's claim of one shard: the order's, or none
        self.assertEqual(
            outbox._sevensenders_claim(
                10, shard=(self.account.id, order.id % 3, 3)
            ).ids,
            due.ids,
        )
        other = (order.id + 1) % 3
        self.assertFalse(
            outbox._sevensenders_claim(10, shard=(self.account.id, other, 3))
        )
        # rows of an archived account wait
        self.account.active = False
        self.assertFalse(outbox._sevensenders_claim(10))

    def test_the_cleanup_removes_old_sent_rows_in_batches_and_goes_on(self):
        self.account.outbox_keep_days = 10
        outbox = self.env["sevensenders.outbox"]
        _order, rows = self.make_rows(
            ("done", -1, 12),
            ("done", -1, 15),
            ("done", -1, 2),  # sent lately: kept
            ("done", -1, 11),
            ("dead", -1, 20),
            ("retry", 60, 20),
            ("cancelled", -1, 20),
            ("pending", -1, 20),
            ("done", -1, 14),
            ("done", -1, 13),
        )
        old = rows.filtered(
            lambda r: (
                r.state == "done"
                and r.done_at < fields.Datetime.now() - timedelta(days=10)
            )
        ).sorted("done_at")
        self.assertEqual(len(old), 5)
        # a run stopped after its first batch (its time is up): the oldest went
        self.assertEqual(outbox._gc_sevensenders_sent(batch_size=2, seconds=0), 2)
        self.assertEqual(rows.exists(), rows - old[:2])
        # the next run goes on where it stopped, batch after batch
        self.assertEqual(outbox._gc_sevensenders_sent(batch_size=2), 3)
        self.assertEqual(rows.exists(), rows - old)
        self.assertEqual(
            rows.exists().mapped("state"),
            ["done", "dead", "retry", "cancelled", "pending"],
        )
        self.assertEqual(outbox._gc_sevensenders_sent(batch_size=2), 0)
