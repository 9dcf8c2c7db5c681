# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import hashlib
import json

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..sevensenders import SevenSendersError

LABEL_EXTENSIONS = {"pdf": "pdf", "zpl": "zpl", "zpl300": "zpl"}


class DeliveryCarrier(models.Model):
    _inherit = "delivery.carrier"

    delivery_type = fields.Selection(
        selection_add=[("sevensenders", "Seven Senders (7S Label)")],
        ondelete={
            "sevensenders": lambda recs: recs.write(
                {"delivery_type": "fixed", "fixed_price": 0}
            )
        },
    )
    sevensenders_account_id = fields.Many2one(
        "sevensenders.account", "Seven Senders account", ondelete="restrict"
    )
    sevensenders_carrier_id = fields.Many2one(
        "sevensenders.carrier", "Seven Senders carrier", ondelete="restrict"
    )
    sevensenders_country_id = fields.Many2one(
        "res.country",
        "Hand-over country",
        help="Where Seven Senders hands the parcels to the carrier (injection hub).",
    )
    sevensenders_service = fields.Selection(
        [("standard", "Standard"), ("express", "Express"), ("other", "Other")],
        "Service",
        default="standard",
    )
    sevensenders_label_format = fields.Selection(
        [("pdf", "PDF"), ("zpl", "ZPL (203 dpi)"), ("zpl300", "ZPL (300 dpi)")],
        "Label format",
        default="pdf",
    )
    sevensenders_default_package_type_id = fields.Many2one(
        "stock.package.type",
        "Default package type",
        help="Used for the products that are not in a package.",
    )
    sevensenders_price_type = fields.Selection(
        [("fixed", "Fixed price"), ("rule", "Based on rules")],
        "Price",
        default="fixed",
        help="Seven Senders does not quote prices: the price comes from the fixed "
        "price or the pricing rules of this shipping method.",
    )

    @api.constrains(
        "delivery_type", "sevensenders_carrier_id", "sevensenders_country_id"
    )
    def _check_sevensenders_carrier(self):
        for carrier in self.filtered(lambda c: c.delivery_type == "sevensenders"):
            carrier.sevensenders_carrier_id._check_country(
                carrier.sevensenders_country_id
            )

    def _sevensenders_check_configured(self):
        self.ensure_one()
        missing = [
            label
            for field, label in (
                ("sevensenders_account_id", self.env._("an account")),
                ("sevensenders_carrier_id", self.env._("a Seven Senders carrier")),
                ("sevensenders_country_id", self.env._("a hand-over country")),
            )
            if not self[field]
        ]
        if missing:
            raise UserError(
                self.env._(
                    "Shipping method %(carrier)s needs %(missing)s (Inventory > "
                    "Configuration > Delivery > Shipping Methods).",
                    carrier=self.name,
                    missing=", ".join(missing),
                )
            )

    # ------------------------------------------------------------------
    # Odoo's carrier contract
    # ------------------------------------------------------------------

    def sevensenders_rate_shipment(self, order):
        self.ensure_one()
        try:
            self._sevensenders_check_configured()
        except UserError as exc:
            return {
                "success": False,
                "price": 0.0,
                "error_message": exc.args[0],
                "warning_message": False,
            }
        if self.sevensenders_price_type == "rule":
            return self.base_on_rule_rate_shipment(order)
        return self.fixed_rate_shipment(order)

    def sevensenders_send_shipping(self, pickings):
        self.ensure_one()
        self._sevensenders_check_configured()
        return [self._sevensenders_ship(picking) for picking in pickings]

    def sevensenders_get_tracking_link(self, picking):
        parcels = picking.sevensenders_parcel_ids.filtered(
            lambda p: p.state == "active" and not p.is_return
        )
        links = [
            (
                p.tracking_code,
                p.tracking_url or self._sevensenders_tracking_url(p.tracking_code),
            )
            for p in parcels
        ]
        links = [(code, url) for code, url in links if url]
        if not links:
            return False
        if len(links) == 1:
            return links[0][1]
        return json.dumps(links)

    def sevensenders_cancel_shipment(self, pickings):
        for picking in pickings:
            parcels = picking.sevensenders_parcel_ids.filtered(
                lambda p: p.state == "active"
            )
            if not parcels:
                continue
            with parcels[:1].account_id._sevensenders_client() as client:
                for parcel in parcels:
                    try:
                        client.delete_label(parcel.label_ref)
                    except SevenSendersError as exc:
                        raise UserError(
                            picking._sevensenders_describe_error(exc)
                        ) from None
            parcels.state = "cancelled"
            picking.write(
                {
                    "sevensenders_shipment_ref": False,
                    "sevensenders_label_generation": picking.sevensenders_label_generation
                    + 1,
                }
            )

    # ------------------------------------------------------------------
    # Labels
    # ------------------------------------------------------------------

    def _sevensenders_tracking_url(self, code):
        template = self.sevensenders_carrier_id.tracking_url
        return template.replace("{tracking_code}", code) if template and code else False

    def _sevensenders_reference(self, picking, index, vals):
        """A label reference per package, the same for the same request.

        The API answers the same label for a reused reference (48 h): a retry
        after a failure makes no second label, while a corrected address or a
        cancelled shipment gets a new reference and so a new label.
        """
        digest = hashlib.sha1(
            json.dumps(vals, sort_keys=True, default=str).encode()
            + str(picking.sevensenders_label_generation).encode()
        ).hexdigest()[:8]
        return f"{picking.name}-{index}-{digest}"

    def _sevensenders_ship(self, picking):
        account = self.sevensenders_account_id
        packages = self._get_packages_from_picking(
            picking, self.sevensenders_default_package_type_id
        )
        base = picking._sevensenders_prepare_label_vals(self)
        parcels = self.env["sevensenders.parcel"]
        attachments = self.env["ir.attachment"]
        try:
            with account._sevensenders_client() as client:
                for index, package in enumerate(packages, 1):
                    vals = dict(base, weight=round(package.weight or 0.0, 3))
                    vals["reference_number"] = self._sevensenders_reference(
                        picking, index, vals
                    )
                    for label in client.create_label(vals):
                        content = client.download_label(label.id)
                        attachment = self._sevensenders_attach(picking, label, content)
                        attachments |= attachment
                        parcels |= parcels.create(
                            {
                                "picking_id": picking.id,
                                "account_id": account.id,
                                "name": package.name or f"#{index}",
                                "reference_number": vals["reference_number"],
                                "label_ref": str(label.id),
                                "shipment_ref": str(label.shipment_id or ""),
                                "tracking_code": label.tracking_code,
                                "tracking_url": label.model_extra.get(
                                    "carrier_tracking_url"
                                )
                                or self._sevensenders_tracking_url(label.tracking_code),
                                "weight": vals["weight"],
                                "is_return": label.return_parcel == "return",
                                "attachment_id": attachment.id,
                            }
                        )
        except SevenSendersError as exc:
            raise UserError(picking._sevensenders_describe_error(exc)) from None
        outbound = parcels.filtered(lambda p: not p.is_return)
        picking.sevensenders_shipment_ref = ",".join(outbound.mapped("shipment_ref"))
        picking.message_post(
            body=Markup("%s")
            % self.env._(
                "Seven Senders labels created: %(codes)s",
                codes=", ".join(outbound.mapped("tracking_code")),
            ),
            attachment_ids=attachments.ids,
        )
        price = 0.0
        if picking.sale_id:
            rate = self.sevensenders_rate_shipment(picking.sale_id)
            price = rate.get("price") or 0.0
        return {
            "exact_price": price,
            "tracking_number": ",".join(outbound.mapped("tracking_code")),
        }

    def _sevensenders_attach(self, picking, label, content):
        ext = LABEL_EXTENSIONS.get(
            label.format or self.sevensenders_label_format, "pdf"
        )
        prefix = (
            self.get_return_label_prefix()
            if label.return_parcel == "return"
            else self._get_delivery_label_prefix()
        )
        return self.env["ir.attachment"].create(
            {
                "name": f"{prefix}-{label.tracking_code}.{ext}",
                "raw": content,
                "res_model": "stock.picking",
                "res_id": picking.id,
                "mimetype": "application/pdf" if ext == "pdf" else "text/plain",
            }
        )

    def action_sevensenders_sync_carriers(self):
        self.sevensenders_account_id.action_sevensenders_sync_carriers()
        return True
