# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A parcel's status history and the figures made from it: dispatch time,
transit time, delivered against the promised date, late or not."""

import logging

from odoo import api, fields, models

from .sevensenders_parcel_status import parse_api_datetime

_logger = logging.getLogger(__name__)

PUNCTUALITY = [
    ("on_time", "On time"),
    ("late", "Late"),
    ("no_promise", "No promised date"),
    ("not_delivered", "Not delivered yet"),
]


def hours_between(start, end):
    return round((end - start).total_seconds() / 3600.0, 2)


class SevenSendersParcel(models.Model):
    _inherit = "sevensenders.parcel"

    status_history_read = fields.Boolean(
        "Status history read",
        copy=False,
        readonly=True,
        help="Seven Senders' status history of this parcel was read at least once "
        "(parcels from before 1.4.0 are read once, delivered ones included; the "
        "late-parcels check ignores a parcel until then).",
    )
    status_ids = fields.One2many(
        "sevensenders.parcel.status", "parcel_id", "Status history", readonly=True
    )
    confirmed_date = fields.Datetime(
        "Order confirmed",
        compute="_compute_sevensenders_figures",
        store=True,
        help="When the sales order was confirmed.",
    )
    promised_date = fields.Datetime(
        "Promised delivery",
        compute="_compute_sevensenders_figures",
        store=True,
        help="The order's delivery date, or its expected date when the products "
        "have a lead time; none when the order promises nothing.",
    )
    handover_date = fields.Datetime(
        "Handed to the carrier",
        compute="_compute_sevensenders_figures",
        store=True,
        help="The first carrier scan of the status history.",
    )
    last_scan_date = fields.Datetime(
        "Last carrier scan", compute="_compute_sevensenders_figures", store=True
    )
    delivered_date = fields.Datetime(
        "Delivered on", compute="_compute_sevensenders_figures", store=True
    )
    dispatch_hours = fields.Float(
        "Dispatch time (h)",
        compute="_compute_sevensenders_figures",
        store=True,
        aggregator="avg",
        help="Order confirmed to the first carrier scan; 0 until both are known "
        "(the reports count such parcels apart, never as 0 h).",
    )
    transit_hours = fields.Float(
        "Transit time (h)",
        compute="_compute_sevensenders_figures",
        store=True,
        aggregator="avg",
        help="First carrier scan to delivered; 0 until both are known.",
    )
    late_hours = fields.Float(
        "Late by (h)",
        compute="_compute_sevensenders_figures",
        store=True,
        aggregator="avg",
        help="Delivered after the promised date by this many hours.",
    )
    punctuality = fields.Selection(
        PUNCTUALITY, compute="_compute_sevensenders_figures", store=True
    )

    @api.depends(
        "status_ids.date",
        "status_ids.is_scan",
        "status_ids.delivery_state",
        "picking_id.sale_id.date_order",
        "picking_id.sale_id.commitment_date",
        "picking_id.sale_id.state",
    )
    def _compute_sevensenders_figures(self):
        for parcel in self:
            lines = parcel.status_ids.sorted(lambda line: (line.date, line.id))
            scans = lines.filtered("is_scan")
            delivered = lines.filtered(lambda line: line.delivery_state == "delivered")
            order = parcel.picking_id.sale_id
            confirmed = order.date_order if order.state == "sale" else False
            # the hand-over is a carrier scan before delivery: a parcel whose
            # only scan is "delivered" has no known dispatch or transit time
            handover = (
                scans.filtered(lambda line: line.delivery_state != "delivered")[:1].date
                or False
            )
            done = delivered[:1].date or False
            promised = parcel._sevensenders_promised_date()
            parcel.update(
                {
                    "confirmed_date": confirmed,
                    "promised_date": promised,
                    "handover_date": handover,
                    "last_scan_date": scans[-1:].date or False,
                    "delivered_date": done,
                    "dispatch_hours": hours_between(confirmed, handover)
                    if confirmed and handover
                    else 0.0,
                    "transit_hours": hours_between(handover, done)
                    if handover and done
                    else 0.0,
                    "late_hours": max(hours_between(promised, done), 0.0)
                    if promised and done
                    else 0.0,
                    "punctuality": (
                        "no_promise"
                        if not promised
                        else "not_delivered"
                        if not done
                        else "late"
                        if done > promised
                        else "on_time"
                    ),
                }
            )

    def _sevensenders_promised_date(self):
        """The date the order promised: its delivery date (commitment), else
        its expected date when that is later than the order (products with a
        lead time). An expected date equal to the order date promises nothing."""
        self.ensure_one()
        order = self.picking_id.sale_id.sudo()
        if not order:
            return False
        if order.commitment_date:
            return order.commitment_date
        expected = order.expected_date
        return expected if expected and expected > order.date_order else False

    # ------------------------------------------------------------------
    # History: each status once, dated by Seven Senders
    # ------------------------------------------------------------------

    def _sevensenders_record_history(self, shipment):
        """Add the statuses of ``shipment`` (its ``states_history``, or its
        current state when it has none) that this parcel does not have yet.
        Answers the new lines."""
        self.ensure_one()
        known = {(line.carrier_status, line.date) for line in self.status_ids}
        vals = []
        for entry in shipment.states_history:
            status = (entry.state or "").strip()
            date = parse_api_datetime(entry.datetime)
            if not status or not date:
                _logger.info(
                    "Seven Senders history of %s: entry skipped (no status or date)",
                    self.display_name,
                )
                continue
            if (status, date) not in known:
                known.add((status, date))
                vals.append(self._sevensenders_status_vals(status, date, "history"))
        status = (shipment.state or "").strip()
        if (
            not shipment.states_history
            and status
            and status not in {s for s, _d in known}
        ):
            now = fields.Datetime.now().replace(microsecond=0)
            vals.append(self._sevensenders_status_vals(status, now, "poll"))
        return self.env["sevensenders.parcel.status"].sudo().create(vals)

    def _sevensenders_status_vals(self, status, date, source):
        return {
            "parcel_id": self.id,
            "carrier_status": status,
            "delivery_state": self._sevensenders_map_status(status),
            "date": date,
            "source": source,
        }
