# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..compat import Constraint
from ..sevensenders import SevenSendersError, reference

_logger = logging.getLogger(__name__)


class SevenSendersCarrier(models.Model):
    """The carriers of ``GET /carriers``, refreshed by a cron and a button."""

    _name = "sevensenders.carrier"
    _description = "Seven Senders Carrier"
    _order = "code"

    code = fields.Char(required=True, index=True)
    name = fields.Char(required=True)
    country_ids = fields.Many2many("res.country", string="Hand-over countries")
    country_codes = fields.Char(compute="_compute_country_codes")
    services = fields.Char(help="Service levels, comma separated.")
    tracking_url = fields.Char(help="Tracking page; {tracking_code} is replaced.")
    active = fields.Boolean(default=True)

    _code_uniq = Constraint("unique(code)", "The carrier code must be unique.")

    @api.depends("country_ids")
    def _compute_country_codes(self):
        for carrier in self:
            carrier.country_codes = ", ".join(
                sorted(carrier.country_ids.mapped("code"))
            )

    def _check_country(self, country):
        for carrier in self:
            if country and country not in carrier.country_ids:
                raise ValidationError(
                    self.env._(
                        "Seven Senders carrier %(carrier)s does not take parcels in "
                        "%(country)s (it does in: %(countries)s).",
                        carrier=carrier.name,
                        country=country.name,
                        countries=carrier.country_codes or "-",
                    )
                )

    @api.model
    def _sevensenders_table(self, account=None):
        """``{country: (code, ...)}`` for the client's validation, or None."""
        table = {}
        for carrier in self.sudo().search([("active", "=", True)]):
            for code in carrier.country_ids.mapped("code"):
                table.setdefault(code, []).append(carrier.code)
        return {k: tuple(v) for k, v in table.items()} or None

    @api.model
    def _sevensenders_sync(self, account):
        """The carriers of ``GET /carriers``, under their own names (see
        ``reference.carrier_name``); those no longer offered are archived.
        Answers what changed: ``{"added": [names], "renamed": [(old, new)],
        "archived": [names], "unchanged": [names]}``."""
        with account._sevensenders_client() as client:
            carriers = client.list_carriers()
        countries = {c.code: c for c in self.env["res.country"].search([])}
        existing = {c.code: c for c in self.with_context(active_test=False).search([])}
        changes = {"added": [], "renamed": [], "archived": [], "unchanged": []}
        seen = set()
        for item in carriers:
            if not item.code:
                continue
            code = item.code.lower()
            seen.add(code)
            vals = {
                "name": reference.carrier_name(code, item.name),
                "country_ids": [
                    fields.Command.set(
                        [countries[c].id for c in item.countries if c in countries]
                    )
                ],
                "services": ", ".join(item.services),
                "tracking_url": item.tracking_url,
                "active": True,
            }
            carrier = existing.get(code)
            if not carrier:
                self.create(dict(vals, code=code))
                changes["added"].append(vals["name"])
                continue
            if carrier.name != vals["name"]:
                changes["renamed"].append((carrier.name, vals["name"]))
            else:
                changes["unchanged"].append(carrier.name)
            carrier.write(vals)
        for code, carrier in existing.items():
            if code not in seen and carrier.active:
                carrier.active = False
                changes["archived"].append(carrier.name)
        return changes

    @api.model
    def _sevensenders_sync_message(self, changes):
        """The notification's text for :meth:`_sevensenders_sync`'s answer."""
        lines = []
        if changes["added"]:
            lines.append(
                self.env._(
                    "%(count)s added: %(names)s.",
                    count=len(changes["added"]),
                    names=", ".join(changes["added"]),
                )
            )
        if changes["renamed"]:
            lines.append(
                self.env._(
                    "%(count)s renamed: %(names)s.",
                    count=len(changes["renamed"]),
                    names=", ".join(
                        f"{old} → {new}" for old, new in changes["renamed"]
                    ),
                )
            )
        if changes["archived"]:
            lines.append(
                self.env._(
                    "%(count)s no longer offered (archived): %(names)s.",
                    count=len(changes["archived"]),
                    names=", ".join(changes["archived"]),
                )
            )
        lines.append(
            self.env._("%(count)s unchanged.", count=len(changes["unchanged"]))
        )
        return "\n".join(lines)

    @api.model
    def _cron_sevensenders_sync_carriers(self):
        accounts = self.env["sevensenders.account"].search([("active", "=", True)])
        for account in accounts:
            try:
                self._sevensenders_sync(account)
                return True
            except SevenSendersError as exc:
                _logger.warning(
                    "Seven Senders carriers sync failed for %s: %s", account.name, exc
                )
        return False
