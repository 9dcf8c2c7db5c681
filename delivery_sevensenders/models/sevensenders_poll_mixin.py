# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import timedelta

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..compat import cron_progress
from ..sevensenders import SevenSendersError

_logger = logging.getLogger(__name__)

#: a polled record is not read again within this time
POLL_INTERVAL = timedelta(minutes=30)


class SevenSendersPollMixin(models.AbstractModel):
    """Polling crons (order states, parcel statuses): claim the records due,
    read them with one client per account (``_sevensenders_account()``)."""

    _name = "sevensenders.poll.mixin"
    _description = "Seven Senders polled record"

    def _sevensenders_poll_due(self, open_condition, checked_field, batch_size, pull):
        """A polling cron's run: claim the records due (see
        :meth:`_sevensenders_claim_open`), ``pull`` them, report progress;
        answers how many were read."""
        records, remaining = self._sevensenders_claim_open(
            open_condition, checked_field, batch_size
        )
        pull(records)
        cron_progress(self.env, done=len(records), remaining=remaining)
        return len(records)

    def _sevensenders_claim_open(self, open_condition, checked_field, batch_size):
        """Lock (``SKIP LOCKED``) up to ``batch_size`` records that match
        ``open_condition`` (an ``SQL``) and were not polled recently, least
        recently polled first. Answers ``(records, remaining)``."""
        self.flush_model()
        column = SQL.identifier(checked_field)
        self.env.cr.execute(
            SQL(
                "SELECT id FROM %s WHERE %s AND (%s IS NULL OR %s < %s) "
                "ORDER BY %s NULLS FIRST, id LIMIT %s FOR UPDATE SKIP LOCKED",
                SQL.identifier(self._table),
                open_condition,
                column,
                column,
                fields.Datetime.now() - POLL_INTERVAL,
                column,
                batch_size + 1,
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        return self.browse(ids[:batch_size]), max(len(ids) - batch_size, 0)

    def _sevensenders_poll(self, checked_field, fetch, changes):
        """One client per account: ``fetch(client, record)`` reads Seven Senders,
        ``changes(record, answer)`` answers the values to write (and may post);
        every record gets ``checked_field`` set, failures included."""
        now = fields.Datetime.now()
        by_account = {}
        for record in self:
            by_account.setdefault(record._sevensenders_account(), []).append(record.id)
        for account, ids in by_account.items():
            records = self.browse(ids)
            try:
                client = account._sevensenders_client() if account else None
            except UserError:
                client = None
            if client is None:
                records.write({checked_field: now})
                continue
            with client:
                for record in records:
                    try:
                        answer = fetch(client, record)
                    except SevenSendersError as exc:
                        _logger.info(
                            "Seven Senders poll of %s: %s", record.display_name, exc
                        )
                        record.write({checked_field: now})
                        continue
                    record.write({checked_field: now, **changes(record, answer)})
