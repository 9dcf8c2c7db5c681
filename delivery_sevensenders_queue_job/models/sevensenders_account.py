# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The outbox's drain as queue_job jobs: one job drains one shard of an
account's rows (see ``sevensenders_outbox.py`` of this addon for who queues
them). The outbox stays the source of truth: a job sends rows through the
drain of ``delivery_sevensenders`` (the claim's locks per order, each outcome
committed as soon as it is known, the rows' own retries and back-off); queue_job
only decides where and when the job runs."""

import time
from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, config

JOB_CHANNEL = "root.sevensenders"
#: seconds a job drains before it hands over to a follow-up job (keep it well
#: below the workers' limit_time_cpu and limit_time_real)
JOB_BUDGET = 30
JOB_BATCH = 200  # rows claimed at a time (as the cron)
#: seconds: rows of the shard are due, but another worker (the cron, *Send
#: now*) holds them; the follow-up job looks again this late
BUSY_RECHECK = 10


class SevenSendersAccount(models.Model):
    _inherit = "sevensenders.account"

    outbox_job_shards = fields.Integer(
        "Job shards",
        default=8,
        help="The outbox is sent by at most this many jobs of the Job Queue at "
        "once: the rows of one sale order (and its transfers) are always in the "
        "same shard. More shards spread the calls over more Odoo workers; the "
        "channel root.sevensenders caps how many run at once.",
    )

    @api.constrains("outbox_job_shards")
    def _check_outbox_job_shards(self):
        if any(account.outbox_job_shards < 1 for account in self):
            raise ValidationError(self.env._("Job shards must be at least 1."))

    def _sevensenders_job_key(self, shard, shards):
        self.ensure_one()
        return f"sevensenders.outbox:{self.id}:{shard}/{shards}"

    def _sevensenders_schedule_job(self, shard, shards, eta=None):
        """The pending job that drains this shard, at ``eta`` (now if None) or
        sooner: at most one waits per account and shard (``identity_key``);
        one waiting for later is brought forward."""
        self.ensure_one()
        key = self._sevensenders_job_key(shard, shards)
        waiting = (
            self.env["queue.job"]
            .sudo()
            .search(
                [("identity_key", "=", key), ("state", "in", ("pending", "enqueued"))],
                limit=1,
            )
        )
        if waiting:
            if (
                waiting.state == "pending"
                and waiting.eta
                and (not eta or waiting.eta > eta)
            ):
                waiting.eta = eta or False
            return waiting
        return (
            self.with_user(SUPERUSER_ID)
            .with_delay(
                channel=JOB_CHANNEL,
                identity_key=key,
                eta=eta or None,
                description=self.env._(
                    "Seven Senders: send the outbox of %(account)s "
                    "(shard %(shard)d of %(shards)d)",
                    account=self.name,
                    shard=shard + 1,
                    shards=shards,
                ),
            )
            ._sevensenders_job_drain(shard, shards)
        )

    def _sevensenders_job_drain(self, shard, shards):
        """The job: send the due rows of shard ``shard`` of ``shards`` as the
        cron does, until none is left or the time budget is spent; then queue
        the next job for the rows that retry later. A row's failure is its
        own (its retry and back-off): it never fails the job."""
        self.ensure_one()
        if config["test_enable"]:
            # under Odoo's test runner, on the test's cursor, committing
            # nothing (as queue_job itself then)
            return self._sevensenders_job_run(shard, shards, commit=False)
        # queue_job forbids commits on the job's cursor (they would release
        # its lock): the rows are sent and committed on a cursor of their own
        with self.env.registry.cursor() as cr:
            return self.with_env(self.env(cr=cr))._sevensenders_job_run(
                shard, shards, commit=True
            )

    def _sevensenders_job_run(self, shard, shards, commit):
        key = (self.id, shard, shards)
        outbox = self.env["sevensenders.outbox"].with_context(
            sevensenders_commit=commit, sevensenders_job_shard=key
        )
        deadline = time.monotonic() + JOB_BUDGET
        sent = done = 0
        while time.monotonic() < deadline:
            done = outbox._cron_sevensenders_drain(
                batch_size=JOB_BATCH,
                shard=key,
                seconds=max(0.0, deadline - time.monotonic()),
            )
            sent += done
            if not done:
                break
        nxt = self._sevensenders_shard_next(key)
        now = fields.Datetime.now()
        eta = None
        if nxt and nxt <= now and not done:
            eta = now + timedelta(seconds=BUSY_RECHECK)  # held by another worker
        elif nxt and nxt > now:
            eta = nxt
        if nxt:
            self._sevensenders_schedule_job(shard, shards, eta=eta)
        return self.env._(
            "%(sent)d calls claimed; next run: %(next)s",
            sent=sent,
            next=fields.Datetime.to_string(eta or now) if nxt else "-",
        )

    def _sevensenders_shard_next(self, key):
        """When the next row of this shard is due (None: nothing left): read
        from the waiting rows (the outbox's ``_claim_idx``), each one's
        transfer looked up (as the claim does), never all of them."""
        self.env["sevensenders.outbox"].flush_model(["state", "next_attempt_at"])
        self.env.cr.execute(
            SQL(
                """
                SELECT min(o.next_attempt_at)
                  FROM sevensenders_outbox o
                  LEFT JOIN LATERAL (
                        SELECT sp.sale_id FROM stock_picking sp
                         WHERE o.res_model = 'stock.picking' AND sp.id = o.res_id
                        OFFSET 0
                  ) p ON TRUE
                 WHERE o.state IN ('pending', 'retry') AND o.account_id = %s
                   AND mod(COALESCE(p.sale_id, o.res_id, 0), %s) = %s
                """,
                key[0],
                key[2],
                key[1],
            )
        )
        return self.env.cr.fetchone()[0]
