# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Shipping performance: one row per outgoing parcel, for pivot and graph.

A figure that is not known (no carrier scan yet, not delivered, no promised
date) is NULL here, so averages and percentiles leave it out instead of
counting it as 0 h; the counts of such parcels are measures of their own.
Lateness is computed when read (the query is Odoo's ``_table_query``), so the *Late parcels* filter is always
current. The daily late-parcel cron reads the same column."""

from odoo import fields, models
from odoo.tools import SQL

from .sevensenders_parcel import DELIVERY_STATES, FINAL_STATES
from .sevensenders_parcel_kpi import PUNCTUALITY

#: measure -> the column whose 90th percentile it is
PERCENTILES = {
    "dispatch_hours_p90": "dispatch_hours",
    "transit_hours_p90": "transit_hours",
}


class SevenSendersShippingReport(models.Model):
    _name = "sevensenders.shipping.report"
    _description = "Seven Senders shipping performance"
    _auto = False
    _order = "confirmed_date desc, id desc"
    _rec_name = "parcel_id"
    _depends = {
        "sevensenders.parcel": [
            "picking_id",
            "company_id",
            "account_id",
            "state",
            "is_return",
            "shipment_ref",
            "delivery_state",
            "carrier_status",
            "punctuality",
            "confirmed_date",
            "handover_date",
            "last_scan_date",
            "delivered_date",
            "promised_date",
        ],
        "stock.picking": [
            "sale_id",
            "carrier_id",
            "picking_type_id",
            "partner_id",
            "date_done",
            "state",
        ],
        "stock.picking.type": ["warehouse_id"],
        "res.partner": ["country_id"],
        "sevensenders.account": ["late_after_days"],
    }

    parcel_id = fields.Many2one("sevensenders.parcel", readonly=True)
    picking_id = fields.Many2one("stock.picking", "Delivery", readonly=True)
    sale_id = fields.Many2one("sale.order", "Sales order", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    account_id = fields.Many2one("sevensenders.account", readonly=True)
    carrier_id = fields.Many2one("delivery.carrier", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", readonly=True)
    country_id = fields.Many2one("res.country", "Destination", readonly=True)
    delivery_state = fields.Selection(DELIVERY_STATES, readonly=True)
    carrier_status = fields.Char(readonly=True)
    punctuality = fields.Selection(PUNCTUALITY, readonly=True)
    confirmed_date = fields.Datetime("Order confirmed", readonly=True)
    done_date = fields.Datetime("Delivery done", readonly=True)
    handover_date = fields.Datetime("Handed to the carrier", readonly=True)
    last_scan_date = fields.Datetime("Last carrier scan", readonly=True)
    delivered_date = fields.Datetime("Delivered on", readonly=True)
    promised_date = fields.Datetime("Promised delivery", readonly=True)
    dispatch_hours = fields.Float(
        "Dispatch time (h)",
        aggregator="avg",
        readonly=True,
        help="Order confirmed to the first carrier scan; parcels without a scan "
        "are left out.",
    )
    dispatch_hours_p90 = fields.Float(
        "Dispatch time, 90th percentile (h)", aggregator="max", readonly=True
    )
    transit_hours = fields.Float(
        "Transit time (h)",
        aggregator="avg",
        readonly=True,
        help="First carrier scan to delivered; parcels not delivered are left out.",
    )
    transit_hours_p90 = fields.Float(
        "Transit time, 90th percentile (h)", aggregator="max", readonly=True
    )
    late_hours = fields.Float(
        "Late by (h)",
        aggregator="avg",
        readonly=True,
        help="Delivered parcels with a promised date: hours after it (0: on time).",
    )
    on_time_rate = fields.Float(
        "On time (%)",
        aggregator="avg",
        readonly=True,
        help="Share of the delivered parcels with a promised date that arrived by it.",
    )
    no_promise_count = fields.Integer(
        "Without promised date", aggregator="sum", readonly=True
    )
    undelivered_count = fields.Integer("Not delivered", aggregator="sum", readonly=True)
    is_late = fields.Boolean(
        "Late now",
        readonly=True,
        help="Not delivered, and past the promised date or without a carrier scan "
        "for the account's days (since the last scan, or the delivery, before any).",
    )

    def _read_group_select(self, aggregate_spec, query):
        fname = aggregate_spec.split(":", 1)[0]
        if fname in PERCENTILES:
            column = self._field_to_sql(self._table, PERCENTILES[fname], query)
            return SQL("percentile_cont(0.9) WITHIN GROUP (ORDER BY %s)", column)
        return super()._read_group_select(aggregate_spec, query)

    @property
    def _table_query(self):
        now = SQL("(now() AT TIME ZONE 'UTC')")
        dispatch = SQL(
            "EXTRACT(EPOCH FROM p.handover_date - p.confirmed_date) / 3600.0"
        )
        transit = SQL("EXTRACT(EPOCH FROM p.delivered_date - p.handover_date) / 3600.0")
        late = SQL(
            "GREATEST(EXTRACT(EPOCH FROM p.delivered_date - p.promised_date) "
            "/ 3600.0, 0)"
        )
        return SQL(
            """
            SELECT p.id AS id, p.id AS parcel_id, p.picking_id, sp.sale_id,
                   p.company_id, p.account_id, sp.carrier_id,
                   spt.warehouse_id, rp.country_id,
                   p.delivery_state, p.carrier_status, p.punctuality,
                   p.confirmed_date, sp.date_done AS done_date,
                   p.handover_date, p.last_scan_date, p.delivered_date,
                   p.promised_date,
                   %(dispatch)s AS dispatch_hours, %(dispatch)s AS dispatch_hours_p90,
                   %(transit)s AS transit_hours, %(transit)s AS transit_hours_p90,
                   %(late)s AS late_hours,
                   CASE WHEN p.promised_date IS NULL OR p.delivered_date IS NULL
                        THEN NULL
                        WHEN p.delivered_date <= p.promised_date THEN 100.0
                        ELSE 0.0 END AS on_time_rate,
                   CASE WHEN p.promised_date IS NULL THEN 1 ELSE 0 END
                       AS no_promise_count,
                   CASE WHEN p.delivered_date IS NULL THEN 1 ELSE 0 END
                       AS undelivered_count,
                   (p.shipment_ref IS NOT NULL
                    AND COALESCE(p.delivery_state, '') NOT IN %(final)s
                    AND (p.promised_date < %(now)s
                         OR (a.late_after_days > 0
                             AND COALESCE(p.last_scan_date, sp.date_done)
                                 < %(now)s - a.late_after_days * INTERVAL '1 day')))
                       AS is_late
              FROM sevensenders_parcel p
              JOIN stock_picking sp ON sp.id = p.picking_id
              JOIN sevensenders_account a ON a.id = p.account_id
              LEFT JOIN stock_picking_type spt ON spt.id = sp.picking_type_id
              LEFT JOIN res_partner rp ON rp.id = sp.partner_id
             WHERE p.state = 'active' AND NOT COALESCE(p.is_return, FALSE)
               AND sp.state = 'done'
            """,
            dispatch=dispatch,
            transit=transit,
            late=late,
            final=FINAL_STATES,
            now=now,
        )
