# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class SevenSendersParcel(models.Model):
    """One Seven Senders label/shipment of a picking (one per package)."""

    _name = "sevensenders.parcel"
    _description = "Seven Senders Parcel"
    _order = "id"

    picking_id = fields.Many2one(
        "stock.picking", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="picking_id.company_id", store=True)
    account_id = fields.Many2one(
        "sevensenders.account", required=True, ondelete="restrict"
    )
    name = fields.Char("Package")
    reference_number = fields.Char(readonly=True)
    label_ref = fields.Char("Label id", readonly=True)
    shipment_ref = fields.Char("Shipment id", readonly=True, index=True)
    tracking_code = fields.Char(readonly=True, index=True)
    tracking_url = fields.Char(readonly=True)
    weight = fields.Float(digits="Stock Weight")
    is_return = fields.Boolean(readonly=True)
    attachment_id = fields.Many2one("ir.attachment", "Label file", readonly=True)
    customs_ref = fields.Char("Customs shipment id", readonly=True, copy=False)
    manifest_ref = fields.Char(
        "Customs manifest",
        readonly=True,
        copy=False,
        help="Set once; a manifest cannot change.",
    )
    state = fields.Selection(
        [("active", "Active"), ("cancelled", "Cancelled")],
        default="active",
        required=True,
    )
