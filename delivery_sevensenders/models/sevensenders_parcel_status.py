# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A parcel's status history: one line per status Seven Senders reported,
with the date Seven Senders gives for it."""

import datetime as dt

from odoo import api, fields, models

from ..compat import Constraint
from .sevensenders_parcel import DELIVERY_STATES

#: raw statuses that are not a carrier scan: the shipment exists, the carrier
#: was told (seed 001: "New", "Info: delivery requested at the carrier's")
NOT_SCANS = ("new", "info", "created", "label created")


def parse_api_datetime(value):
    """An ISO-8601 date of the API as naive UTC, or None when it is not one."""
    if not value or not isinstance(value, str):
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return parsed.replace(microsecond=0)


class SevenSendersParcelStatus(models.Model):
    _name = "sevensenders.parcel.status"
    _description = "Seven Senders parcel status"
    _order = "date desc, id desc"
    _rec_name = "carrier_status"

    parcel_id = fields.Many2one(
        "sevensenders.parcel", required=True, ondelete="cascade", index=True
    )
    picking_id = fields.Many2one(
        related="parcel_id.picking_id", store=True, index=True, string="Delivery"
    )
    company_id = fields.Many2one(related="parcel_id.company_id", store=True)
    carrier_status = fields.Char(
        required=True, readonly=True, help="As Seven Senders reports it."
    )
    delivery_state = fields.Selection(DELIVERY_STATES, "Status", readonly=True)
    date = fields.Datetime(
        required=True,
        readonly=True,
        help="When the status happened, as Seven Senders dates it.",
    )
    source = fields.Selection(
        [
            ("history", "Seven Senders history"),
            ("poll", "Seen at a poll"),
        ],
        required=True,
        readonly=True,
        help="Seven Senders history: the shipment's states_history, dated by "
        "Seven Senders. Seen at a poll: a status change without history; dated "
        "when the poll saw it.",
    )
    is_scan = fields.Boolean(
        "Carrier scan",
        compute="_compute_is_scan",
        store=True,
        help="The carrier handled the parcel (not merely told about it).",
    )

    _status_unique = Constraint(
        "unique(parcel_id, carrier_status, date)",
        "A parcel has each status at a date once.",
    )

    @api.depends("carrier_status", "delivery_state")
    def _compute_is_scan(self):
        for line in self:
            raw = (line.carrier_status or "").strip().lower()
            line.is_scan = bool(raw) and (
                raw not in NOT_SCANS and line.delivery_state != "cancelled"
            )
