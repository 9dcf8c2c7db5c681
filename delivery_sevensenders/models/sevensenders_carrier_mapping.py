# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ..compat import Constraint


class SevenSendersCarrierMapping(models.Model):
    """Which Seven Senders carrier an Odoo carrier's parcels travel with, for the
    tracking-only shipments of deliveries whose labels Seven Senders does not make."""

    _name = "sevensenders.carrier.mapping"
    _description = "Seven Senders Carrier Mapping"

    account_id = fields.Many2one(
        "sevensenders.account", required=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="account_id.company_id", store=True)
    carrier_id = fields.Many2one(
        "delivery.carrier", "Odoo carrier", required=True, ondelete="cascade"
    )
    sevensenders_carrier_id = fields.Many2one(
        "sevensenders.carrier", "Seven Senders carrier", required=True
    )
    country_id = fields.Many2one(
        "res.country",
        "Hand-over country",
        required=True,
        help="Where the parcel is handed over to the carrier (first scan).",
    )
    country_code = fields.Char(related="country_id.code")

    _carrier_uniq = Constraint(
        "unique(account_id, carrier_id)", "An Odoo carrier is mapped once."
    )

    @api.constrains("sevensenders_carrier_id", "country_id")
    def _check_country(self):
        for mapping in self:
            mapping.sevensenders_carrier_id._check_country(mapping.country_id)
