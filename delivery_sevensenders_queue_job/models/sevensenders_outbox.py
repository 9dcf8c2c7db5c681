# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Rows that become due queue the job of their shard (instead of waking the
cron at once: the cron stays on its schedule, as the fallback and the sweeper
for whatever no job sends, e.g. when the job runner is down)."""

from odoo import models

WAITING = ("pending", "retry")


class SevenSendersOutbox(models.Model):
    _inherit = "sevensenders.outbox"

    def _sevensenders_trigger(self):
        rows = self.filtered(lambda r: r.state in WAITING and r.account_id.active)
        if not rows:
            return super()._sevensenders_trigger()
        # the shards queued in this transaction already (cleared on commit)
        queued = self.env.cr.precommit.data.setdefault("sevensenders_jobs", set())
        # the job running now sends the rows of its own shard it makes due
        running = self.env.context.get("sevensenders_job_shard")
        for row, lock_id in zip(rows, rows._sevensenders_lock_ids(), strict=True):
            account = row.account_id
            shards = max(account.outbox_job_shards, 1)
            key = (account.id, lock_id % shards, shards)
            if key in queued or (running and tuple(running) == key):
                continue
            queued.add(key)
            account._sevensenders_schedule_job(key[1], shards)
        return None

    def _sevensenders_lock_ids(self):
        """What the claim locks each row by (its shard's key): the sale order
        of a transfer's row, else the row's document."""
        pickings = self.filtered(lambda r: r.res_model == "stock.picking")
        sale_of = {
            picking.id: picking.sale_id.id
            for picking in self.env["stock.picking"]
            .sudo()
            .browse(pickings.mapped("res_id"))
            .exists()
        }
        return [
            (sale_of.get(row.res_id) if row.res_model == "stock.picking" else None)
            or row.res_id
            or 0
            for row in self
        ]
