# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Shipping performance: one row per outgoing parcel, for pivot and graph.

A figure that is not known (no carrier scan yet, not delivered, no promised
date) is NULL here, so averages and percentiles leave it out instead of
counting it as 0 h; the counts of such parcels are measures of their own.
Lateness is computed when read (the query is Odoo's ``_table_query``), so
the *Late parcels* filter and their *Late by* are always current. The daily
late-parcel cron reads the same column."""

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
            "tracking_code",
            "tracking_url",
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
        "sale.order": ["partner_id"],
        "res.partner": ["country_id"],
        "sevensenders.account": ["late_after_days"],
    }

    parcel_id = fields.Many2one("sevensenders.parcel", readonly=True)
    picking_id = fields.Many2one("stock.picking", "Delivery", readonly=True)
    sale_id = fields.Many2one("sale.order", "Sales order", readonly=True)
    partner_id = fields.Many2one(
        "res.partner",
        "Customer",
        readonly=True,
        help="Who ordered (the order's customer; the delivery contact without "
        "an order), not the pickup point the parcel goes to.",
    )
    tracking_code = fields.Char(readonly=True)
    tracking_url = fields.Char("Tracking", readonly=True)
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
        help="Delivered parcels with a promised date: hours after it (0: on time). "
        "Parcels late now: hours past the promised date, or past the account's "
        "days without a carrier scan, whichever came first.",
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

    def action_sevensenders_open_delivery(self):
        """A row of the lists opens its delivery (customer, order, tracking and
        chatter are there). Needs nothing beyond reading both: the row and
        the delivery are read with the caller's rights."""
        self.ensure_one()
        self.check_access("read")
        picking = self.picking_id
        picking.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": "stock.picking",
            "res_id": picking.id,
            "views": [[False, "form"]],
            "target": "current",
        }

    def _read_group_select(self, aggregate_spec, query):
        fname = aggregate_spec.split(":", 1)[0]
        if fname in PERCENTILES:
            column = self._field_to_sql(self._table, PERCENTILES[fname], query)
            return SQL("percentile_cont(0.9) WITHIN GROUP (ORDER BY %s)", column)
        return super()._read_group_select(aggregate_spec, query)

    @staticmethod
    def _sevensenders_late_sql(now):
        """``(is_late, late_hours)`` as SQL over ``p`` (parcel), ``sp``
        (delivery) and ``a`` (account)."""
        # when a parcel not delivered turns late: the promised date, or the
        # account's days after its last scan (the delivery, before any)
        deadline = SQL(
            "LEAST(p.promised_date, CASE WHEN a.late_after_days > 0 THEN "
            "COALESCE(p.last_scan_date, sp.date_done) "
            "+ a.late_after_days * INTERVAL '1 day' END)"
        )
        is_late = SQL(
            "(p.shipment_ref IS NOT NULL "
            "AND COALESCE(p.delivery_state, '') NOT IN %(final)s "
            "AND COALESCE(%(deadline)s < %(now)s, FALSE))",
            final=FINAL_STATES,
            deadline=deadline,
            now=now,
        )
        late = SQL(
            "CASE WHEN p.delivered_date IS NOT NULL AND p.promised_date IS NOT NULL "
            "THEN GREATEST(EXTRACT(EPOCH FROM p.delivered_date - p.promised_date) "
            "/ 3600.0, 0) "
            "WHEN %(is_late)s THEN EXTRACT(EPOCH FROM %(now)s - %(deadline)s) "
            "/ 3600.0 END",
            is_late=is_late,
            now=now,
            deadline=deadline,
        )
        return is_late, late

    @property
    def _table_query(self):
        now = SQL("(now() AT TIME ZONE 'UTC')")
        dispatch = SQL(
            "EXTRACT(EPOCH FROM p.handover_date - p.confirmed_date) / 3600.0"
        )
        transit = SQL("EXTRACT(EPOCH FROM p.delivered_date - p.handover_date) / 3600.0")
        is_late, late = self._sevensenders_late_sql(now)
        return SQL(
            """
            SELECT p.id AS id, p.id AS parcel_id, p.picking_id, sp.sale_id,
                   COALESCE(so.partner_id, sp.partner_id) AS partner_id,
                   p.tracking_code, p.tracking_url,
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
                   %(is_late)s AS is_late
              FROM sevensenders_parcel p
              JOIN stock_picking sp ON sp.id = p.picking_id
              JOIN sevensenders_account a ON a.id = p.account_id
              LEFT JOIN stock_picking_type spt ON spt.id = sp.picking_type_id
              LEFT JOIN res_partner rp ON rp.id = sp.partner_id
              LEFT JOIN sale_order so ON so.id = sp.sale_id
             WHERE p.state = 'active' AND NOT COALESCE(p.is_return, FALSE)
               AND sp.state = 'done'
            """,
            dispatch=dispatch,
            transit=transit,
            late=late,
            is_late=is_late,
        )
