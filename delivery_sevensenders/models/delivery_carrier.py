# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import hashlib
import json
import logging

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..sevensenders import NotFoundError, SevenSendersError
from .access import MANAGER, check_caller

_logger = logging.getLogger(__name__)

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

    sevensenders_use_locations = fields.Boolean(
        "Pickup points",
        help="Let the customer choose a Seven Senders pickup point (checkout and "
        "sale order); the label is addressed to that point.",
    )
    sevensenders_pudo_carrier_codes = fields.Char(
        "Pickup point carrier codes",
        help="Seven Senders carrier codes whose points are offered, comma separated. "
        "Empty: the carrier of this shipping method.",
    )
    sevensenders_pudo_carrier_ids = fields.Many2many(
        "sevensenders.carrier",
        string="Pickup point carriers",
        compute="_compute_sevensenders_pudo_carrier_ids",
        inverse="_inverse_sevensenders_pudo_carrier_ids",
        help="The carriers (from the account's Refresh carriers) whose points are "
        "offered. Empty: the carrier of this shipping method.",
    )
    sevensenders_pudo_max_distance = fields.Integer(
        "Max. distance (m)", default=10000, help="0: no limit."
    )
    sevensenders_pudo_max_distance_km = fields.Float(
        "Max. distance",
        digits=(16, 1),
        compute="_compute_sevensenders_pudo_max_distance_km",
        inverse="_inverse_sevensenders_pudo_max_distance_km",
        help="In kilometres; 0: no limit.",
    )
    sevensenders_pudo_max_results = fields.Integer(
        "Max. pickup points", default=10, help="At most 50."
    )
    sevensenders_pudo_cache_ttl = fields.Integer(
        "Cache pickup points for",
        default=3600,
        help="Seconds: how long the points of an area are reused without asking "
        "Seven Senders.",
    )
    sevensenders_pudo_timeout = fields.Float(
        "Pickup point timeout",
        default=4.0,
        help="Seconds: the checkout waits at most this long for Seven Senders.",
    )

    @api.depends("sevensenders_pudo_carrier_codes")
    def _compute_sevensenders_pudo_carrier_ids(self):
        known = self.env["sevensenders.carrier"].with_context(active_test=False)
        for carrier in self:
            codes = carrier._sevensenders_pudo_codes()
            carrier.sevensenders_pudo_carrier_ids = (
                known.search([("code", "in", codes)]) if codes else known
            )

    def _inverse_sevensenders_pudo_carrier_ids(self):
        """The codes of the chosen carriers; a stored code that is no carrier
        of the list (typed before the list existed) is kept."""
        known = self.env["sevensenders.carrier"].with_context(active_test=False)
        for carrier in self:
            listed = set(
                known.search(
                    [("code", "in", carrier._sevensenders_pudo_codes())]
                ).mapped("code")
            )
            codes = [
                code
                for code in carrier._sevensenders_pudo_codes()
                if code not in listed
            ] + carrier.sevensenders_pudo_carrier_ids.mapped("code")
            carrier.sevensenders_pudo_carrier_codes = ", ".join(codes) or False

    def _sevensenders_pudo_codes(self):
        self.ensure_one()
        codes = (self.sevensenders_pudo_carrier_codes or "").split(",")
        return [code.strip().lower() for code in codes if code.strip()]

    @api.depends("sevensenders_pudo_max_distance")
    def _compute_sevensenders_pudo_max_distance_km(self):
        for carrier in self:
            carrier.sevensenders_pudo_max_distance_km = (
                carrier.sevensenders_pudo_max_distance / 1000.0
            )

    def _inverse_sevensenders_pudo_max_distance_km(self):
        for carrier in self:
            carrier.sevensenders_pudo_max_distance = round(
                carrier.sevensenders_pudo_max_distance_km * 1000
            )

    @api.depends("delivery_type")
    def _compute_can_generate_return(self):
        res = super()._compute_can_generate_return()
        for carrier in self.filtered(lambda c: c.delivery_type == "sevensenders"):
            carrier.can_generate_return = True
        return res

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

    @api.private
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

    @api.private
    def sevensenders_send_shipping(self, pickings):
        self.ensure_one()
        self._sevensenders_check_configured()
        with self._sevensenders_prefetch(pickings) as key:
            carrier = self.with_context(sevensenders_prefetch=key)
            return [carrier._sevensenders_ship(picking) for picking in pickings]

    @api.private
    def sevensenders_get_return_label(
        self, pickings, tracking_number=None, origin_date=None
    ):
        """Odoo's "Print Return Label": a Seven Senders return label per picking
        (a return picking, or the delivery it returns), named so that Odoo's
        return label list and the customer portal find it."""
        self.ensure_one()
        self._sevensenders_check_configured()
        with self._sevensenders_prefetch(pickings, "return") as key:
            carrier = self.with_context(sevensenders_prefetch=key)
            for picking in pickings:
                carrier._sevensenders_ship(picking, return_parcel="return")
        return True

    @api.private
    def sevensenders_get_tracking_link(self, picking):
        parcels = picking.sevensenders_parcel_ids._sevensenders_active_outbound()
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

    @api.private
    def sevensenders_cancel_shipment(self, pickings):
        """Delete the labels of the pickings' active parcels.

        Resumable: a label that Seven Senders no longer knows (404) was
        deleted by an earlier click that failed further on (its transaction
        was rolled back), so it counts as cancelled; clicking again after a
        failure finishes the job.
        """
        for picking in pickings:
            parcels = picking.sevensenders_parcel_ids._sevensenders_active()
            if not parcels:
                continue
            done = parcels.browse()
            with parcels[:1].account_id._sevensenders_client() as client:
                for parcel in parcels:
                    if parcel.label_ref:
                        try:
                            client.delete_label(parcel.label_ref)
                        except NotFoundError:
                            _logger.info(
                                "Seven Senders label %s of %s was already deleted",
                                parcel.label_ref,
                                picking.name,
                            )
                        except SevenSendersError as exc:
                            raise UserError(
                                self._sevensenders_cancel_stopped(
                                    picking, parcel, done, exc
                                )
                            ) from None
                    done |= parcel
            parcels.state = "cancelled"
            picking.sevensenders_label_generation += 1

    def _sevensenders_cancel_stopped(self, picking, parcel, done, exc):
        message = self.env._(
            "Cancelling the Seven Senders labels of %(picking)s stopped at parcel "
            "%(parcel)s: %(error)s",
            picking=picking.name,
            parcel=parcel.display_name,
            error=picking._sevensenders_describe_error(exc),
        )
        if done:
            message += "\n" + self.env._(
                "Already cancelled at Seven Senders: %(parcels)s. Click Cancel again "
                "to cancel the others.",
                parcels=", ".join(done.mapped("display_name")),
            )
        return message

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

    def _sevensenders_label_requests(self, picking, return_parcel):
        """``[(package name, label body)]``: one label call per package, in
        the order of their names (the same order however the ORM read them:
        a retry asks for the same references)."""
        packages = sorted(
            (
                (package.name, package.weight)
                for package in self._get_packages_from_picking(
                    picking, self.sevensenders_default_package_type_id
                )
            ),
            key=lambda package: (not package[0], package[0] or ""),
        )
        if return_parcel == "return" and not packages:
            # a return label needs no packing
            packages = [(False, picking.shipping_weight or picking.weight)]
        base = dict(
            picking._sevensenders_prepare_label_vals(self), return_parcel=return_parcel
        )
        requests = []
        for index, (package_name, weight) in enumerate(packages, 1):
            vals = dict(base, weight=round(weight or 0.0, 3))
            vals["reference_number"] = self._sevensenders_reference(
                picking, index, vals
            )
            requests.append((package_name or f"#{index}", vals))
        return requests

    @api.model
    def _sevensenders_fetch_labels(self, client, requests):
        """The HTTP part (no ORM: it may run in a worker thread), one call after
        the other on ``client`` (an outbox row's: the drain overlaps rows; a
        delivery's packages overlap in :meth:`_sevensenders_fetch_many`): each
        request's labels with their files, ``[(name, vals, [(label, content)])]``."""
        return [
            (
                name,
                vals,
                [
                    (label, client.label_content(label))
                    for label in client.create_label(vals)
                ],
            )
            for name, vals in requests
        ]

    def _sevensenders_store_labels(self, picking, fetched):
        """Parcels and attachments of fetched labels: ``(parcels, attachments)``."""
        account = self.sevensenders_account_id
        parcels = self.env["sevensenders.parcel"]
        attachments = self.env["ir.attachment"]
        for name, vals, labels in fetched:
            for label, content in labels:
                attachment = self._sevensenders_attach(picking, label, content)
                attachments |= attachment
                parcels |= parcels.create(
                    {
                        "picking_id": picking.id,
                        "account_id": account.id,
                        "name": name,
                        "reference_number": vals["reference_number"],
                        "label_ref": str(label.id) if label.id is not None else False,
                        "shipment_ref": str(label.shipment_id or ""),
                        "tracking_code": label.tracking_code,
                        "tracking_url": label.model_extra.get("carrier_tracking_url")
                        or self._sevensenders_tracking_url(label.tracking_code),
                        "weight": vals["weight"],
                        "is_return": label.return_parcel == "return",
                        "attachment_id": attachment.id,
                    }
                )
        return parcels, attachments

    def _sevensenders_ship(self, picking, return_parcel=None):
        """Labels of a picking: ``outbound``, ``return``, or ``both`` (a return
        label with each delivery label when the carrier asks for it)."""
        if return_parcel is None:
            return_parcel = "both" if self.return_label_on_delivery else "outbound"
        requests = self._sevensenders_label_requests(picking, return_parcel)
        fetched = self._sevensenders_fetched(picking, return_parcel, requests)
        parcels, attachments = self._sevensenders_store_labels(picking, fetched)
        outbound = self._sevensenders_labels_made(
            picking, parcels, attachments, defer=return_parcel != "return"
        )
        if return_parcel == "return":
            return {"exact_price": 0.0, "tracking_number": False}
        price = 0.0
        if picking.sale_id:
            rate = self.sevensenders_rate_shipment(picking.sale_id)
            price = rate.get("price") or 0.0
        return {
            "exact_price": price,
            "tracking_number": ",".join(outbound.mapped("tracking_code")),
        }

    def _sevensenders_labels_made(self, picking, parcels, attachments, defer=False):
        """What follows new labels: customs and item links for outbound parcels,
        portal access to return labels, the chatter (with ``defer``, in the
        post stock_delivery makes next). Answers the outbound parcels."""
        # Odoo lists the return labels by name (not stored): let it see these
        picking.invalidate_recordset(["return_label_ids"])
        outbound = parcels.filtered(lambda p: not p.is_return)
        returns = parcels - outbound
        if returns and self.get_return_label_from_portal:
            returns.attachment_id.generate_access_token()
        if outbound:
            picking._sevensenders_enqueue_customs(outbound)
            picking._sevensenders_enqueue_item_link()
        # (a call of its own: Odoo's string export misses a _() nested in another)
        return_codes = [
            self.env._("%(code)s (return)", code=code)
            for code in returns.mapped("tracking_code")
        ]
        body = Markup("%s") % self.env._(
            "Seven Senders labels created: %(codes)s",
            codes=", ".join(outbound.mapped("tracking_code") + return_codes),
        )
        if defer:
            picking._sevensenders_defer_note(body, attachments)
        else:
            picking.message_post(body=body, attachment_ids=attachments.ids)
        return outbound

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
        check_caller(self, MANAGER)
        return self.sevensenders_account_id.action_sevensenders_sync_carriers()
