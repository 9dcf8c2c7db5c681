# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The read-back: Seven Senders' copy of the orders and of their parcels'
shipments compared with what Odoo would send now; each difference becomes a
``sevensenders.drift`` and a repair queued through the outbox (the order's
update, its create when Seven Senders lost it, a lost tracking-only shipment
created again). Orders changed since the last run are read, plus a rolling
sample of older ones within the return window; reads run on the account's
*Parallel calls*, outside the outbox (the drain is never blocked)."""

import datetime as dt
import json
import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..sevensenders import NotFoundError, SevenSendersError
from .access import MANAGER, check_caller
from .notification import notification
from .sevensenders_fields import compared_keys
from .sevensenders_outbox import WAITING
from .sevensenders_outbox_drain import _Sender

_logger = logging.getLogger(__name__)

#: orders of the rolling sample read per run and account
SAMPLE_SIZE = 200
#: the key recorded when Seven Senders has no such order at all
MISSING = "(order)"


def _comparable(value):
    """A payload or answer value in one form: dates as aware UTC datetimes,
    empty values as None."""
    if value in (None, "", [], {}):
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc)
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-":
        try:
            return dt.datetime.fromisoformat(value).astimezone(dt.timezone.utc)
        except ValueError:
            return value
    return value


def _shown(value):
    if value is None:
        return False
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True)


def record_drift(document, account, differences, now):
    """``differences`` (``{key: (Seven Senders' value, Odoo's value)}``) of
    ``document`` as drift records: one open record per key (updated when found
    again); open records of keys no longer different are repaired."""
    drifts = document.env["sevensenders.drift"].sudo()
    open_ = drifts.search(
        [
            ("res_model", "=", document._name),
            ("res_id", "=", document.id),
            ("state", "=", "open"),
        ]
    )
    open_.filtered(lambda d: d.field not in differences).write(
        {"state": "repaired", "repaired_at": now}
    )
    for key, (remote, mine) in differences.items():
        vals = {"remote_value": _shown(remote), "odoo_value": _shown(mine)}
        same = open_.filtered(lambda d, key=key: d.field == key)
        if same:
            same.write(vals)
            continue
        drifts.create(
            {
                **vals,
                "account_id": account.id,
                "res_model": document._name,
                "res_id": document.id,
                "record_name": document.display_name,
                "field": key,
                "found_at": now,
            }
        )


class SevenSendersAccount(models.Model):
    _inherit = "sevensenders.account"

    reconcile_checked_at = fields.Datetime(
        "Last read-back",
        readonly=True,
        copy=False,
        help="Orders changed since then are read back at the next run.",
    )
    reconcile_sample_from = fields.Integer(readonly=True, copy=False)
    drift_count = fields.Integer(compute="_compute_drift_count")

    def _compute_drift_count(self):
        counts = dict(
            self.env["sevensenders.drift"]._read_group(
                [("account_id", "in", self.ids), ("state", "=", "open")],
                ["account_id"],
                ["__count"],
            )
        )
        for account in self:
            account.drift_count = counts.get(account, 0)

    def action_sevensenders_reconcile(self):
        """Button *Check Seven Senders now*: read back this account's orders
        changed since the last check and a sample of older ones."""
        check_caller(self, group=MANAGER)
        found = checked = 0
        for account in self.sudo():
            result = account._sevensenders_reconcile()
            checked += result["checked"]
            found += result["found"]
        return notification(
            self.env._(
                "%(checked)d orders read back, %(found)d differences found; their "
                "repairs are queued in the outbox.",
                checked=checked,
                found=found,
            ),
            kind="warning" if found else "success",
        )

    def action_sevensenders_open_drift(self):
        check_caller(self)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Drift"),
            "res_model": "sevensenders.drift",
            "view_mode": "list,form",
            "domain": [("account_id", "in", self.ids)],
        }

    @api.model
    def _cron_sevensenders_reconcile(self):
        for account in self.search([("sync_orders", "=", True)]):
            try:
                account._sevensenders_reconcile()
            except (UserError, SevenSendersError) as exc:
                _logger.warning(
                    "Seven Senders read-back of %s: %s", account.display_name, exc
                )

    # ------------------------------------------------------------------

    def _sevensenders_reconcile(self, orders=None):
        """Read back ``orders`` (default: those due), record the differences,
        queue the repairs. Answers ``{"checked": n, "found": n}``."""
        self.ensure_one()
        started = fields.Datetime.now()
        if orders is None:
            orders = self._sevensenders_reconcile_due()
            self.reconcile_checked_at = started
        busy = set(
            self.env["sevensenders.outbox"]
            ._sevensenders_rows(orders, WAITING, ["order_create", "order_update"])
            .mapped("res_id")
        )
        orders = orders.filtered(
            lambda o: o.id not in busy and o._sevensenders_reconcilable(self)
        )
        if not orders:
            return {"checked": 0, "found": 0}
        parcels = orders.picking_ids.sevensenders_parcel_ids._sevensenders_shipped()
        reads = [("order", o.id, o.sevensenders_order_ref) for o in orders]
        reads += [("shipment", p.id, p.shipment_ref) for p in parcels]
        answers = self._sevensenders_read(reads)
        found = 0
        for order in orders:
            answer = answers.get(("order", order.id))
            if isinstance(answer, Exception):
                continue  # not readable now: the next run reads it again
            found += order._sevensenders_compare(self, answer, started)
        for picking in parcels.picking_id:
            mine = parcels.filtered(lambda p, picking=picking: p.picking_id == picking)
            read = {p: answers.get(("shipment", p.id)) for p in mine}
            if not any(isinstance(a, Exception) for a in read.values()):
                found += picking._sevensenders_compare_shipments(self, read, started)
        return {"checked": len(orders), "found": found}

    def _sevensenders_reconcile_due(self):
        """The confirmed, synced orders of this account changed since the last
        run, and the next slice of the older ones within the return window."""
        orders = self.env["sale.order"].sudo()
        base = [
            ("state", "=", "sale"),
            ("sevensenders_order_ref", "!=", False),
            ("company_id", "=", self.company_id.id),
        ]
        changed = orders.browse()
        if self.reconcile_checked_at:
            changed = orders.search(
                [*base, ("write_date", ">=", self.reconcile_checked_at)]
            )
        window = fields.Datetime.now() - timedelta(
            days=max(self.return_window_days or 0, 30)
        )
        sample_domain = [
            *base,
            ("date_order", ">=", window),
            ("id", ">", self.reconcile_sample_from),
        ]
        sample = orders.search(sample_domain, order="id", limit=SAMPLE_SIZE)
        # the sample wraps around once it reached the newest order
        self.reconcile_sample_from = sample[-1].id if len(sample) == SAMPLE_SIZE else 0
        return changed | sample

    def _sevensenders_read(self, reads):
        """``{(kind, record id): answer dict, None (not in Seven Senders) or
        error}`` for ``reads`` = ``[(kind, record id, Seven Senders id)]``
        (kind ``order`` or ``shipment``), on the account's *Parallel calls*."""
        answers = {}

        def read(kind, ref):
            def send(client):
                try:
                    get = client.get_order if kind == "order" else client.get_shipment
                    return get(ref).model_dump(mode="json")
                except NotFoundError:
                    return None

            return send

        with _Sender(self, workers=len(reads)) as sender:
            futures = {
                (kind, res_id): sender.submit(read(kind, ref))
                for kind, res_id, ref in reads
            }
            for key, future in futures.items():
                result, error, _failures = future.result()
                if error is not None and not isinstance(error, SevenSendersError):
                    raise error
                answers[key] = error if error is not None else result
        return answers


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def action_sevensenders_check(self):
        """Button *Check Seven Senders now* on the order."""
        check_caller(self)
        found = 0
        for order in self.sudo():
            account = order._sevensenders_account()
            if account:
                found += account._sevensenders_reconcile(order)["found"]
        if not found:
            return notification(
                self.env._("Seven Senders holds what Odoo says for these orders.")
            )
        return notification(
            self.env._(
                "%(found)d differences found; the repair is queued in the outbox "
                "(see Drift).",
                found=found,
            ),
            kind="warning",
        )

    def _sevensenders_reconcilable(self, account):
        """Synced and of this account (an order with an order call waiting is
        left out by the caller: what that call sends is the repair already)."""
        self.ensure_one()
        return (
            self.state == "sale"
            and bool(self.sevensenders_order_ref)
            and self._sevensenders_account() == account
        )

    def _sevensenders_compare(self, account, answer, now):
        """Record the differences between ``answer`` (Seven Senders' order,
        None: it has none) and what Odoo would send; queue the repair.
        Answers how many were found."""
        self.ensure_one()
        if answer is None:
            differences = {MISSING: (None, self.name)}
        else:
            expected = self._sevensenders_prepare_order_vals(account)
            differences = {}
            for key in compared_keys(self._SEVENSENDERS_SYNCED, account):
                remote = _comparable(answer.get(key))
                mine = _comparable(expected.get(key))
                if remote != mine:
                    differences[key] = (remote, mine)
        record_drift(self, account, differences, now)
        if differences:
            self._sevensenders_repair(MISSING in differences)
        return len(differences)

    def _sevensenders_repair(self, missing):
        """Queue what makes Seven Senders' copy Odoo's again: the whole order
        when it lost it (a new generation: its create, states and items are
        sent anew), else the order's update."""
        _logger.info(
            "Seven Senders read-back: %s differs, repair queued", self.display_name
        )
        if missing:
            self.sevensenders_generation += 1
            self.sevensenders_order_ref = False
            self._sevensenders_enqueue("order_create")
        else:
            self._sevensenders_enqueue("order_update")


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _sevensenders_compare_shipments(self, account, answers, now):
        """Seven Senders' shipments of this delivery's parcels (``{parcel:
        answer or None}``) against the parcels: one that is gone, or whose
        tracking code differs, is drift. A tracking-only shipment that is gone
        is created again; a label's is left to a person (its label stands)."""
        self.ensure_one()
        differences = {}
        lost = self.env["sevensenders.parcel"]
        for parcel, answer in answers.items():
            if answer is None:
                differences[f"{parcel.name}: shipment"] = (None, parcel.shipment_ref)
                lost |= parcel
            elif (answer.get("tracking_code") or None) != parcel.tracking_code:
                differences[f"{parcel.name}: tracking_code"] = (
                    answer.get("tracking_code"),
                    parcel.tracking_code,
                )
        record_drift(self, account, differences, now)
        if lost and self.carrier_id.delivery_type != "sevensenders":
            self._sevensenders_recreate_tracking_shipments(account, lost)
        return len(differences)

    def _sevensenders_recreate_tracking_shipments(self, account, parcels):
        outbox = self.env["sevensenders.outbox"]
        for parcel in parcels:
            code = parcel.tracking_code
            parcel.sudo().state = "cancelled"
            outbox._sevensenders_undo(f"shipment_create:{self.id}:{code}")
            outbox._sevensenders_enqueue(
                account, "shipment_create", self, tracking_code=code
            )
