# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from ..compat import Constraint
from .sevensenders_account import INCOTERM_SELECTION


class SevenSendersIncotermRule(models.Model):
    _name = "sevensenders.incoterm.rule"
    _description = "Seven Senders Incoterm per Country"

    account_id = fields.Many2one(
        "sevensenders.account", required=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="account_id.company_id", store=True)
    country_id = fields.Many2one("res.country", required=True)
    incoterm = fields.Selection(INCOTERM_SELECTION, required=True, default="DAP")

    _country_uniq = Constraint(
        "unique(account_id, country_id)", "One incoterm per country."
    )
