# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Customs: shipments per parcel to customs destinations, manifests."""

from odoo import models
from odoo.exceptions import UserError

from ..sevensenders import SevenSendersError, reference
from .access import check_caller
from .common import utc
from .notification import notification


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _sevensenders_needs_customs(self):
        self.ensure_one()
        origin = self.picking_type_id.warehouse_id.partner_id.country_id.code
        partner = self.partner_id
        return reference.needs_customs(origin, partner.country_id.code, partner.zip)

    def _sevensenders_enqueue_customs(self, parcels):
        """Customs destinations: queue a customs shipment per Seven Senders shipment."""
        self.ensure_one()
        if not parcels or not self._sevensenders_needs_customs():
            return
        account = parcels[:1].account_id
        for parcel in parcels.filtered(lambda p: p.shipment_ref and not p.customs_ref):
            self.env["sevensenders.outbox"]._sevensenders_enqueue(
                account, "customs_create", self, parcel_id=parcel.id
            )

    def _sevensenders_invoice(self):
        invoices = self.sale_id.invoice_ids.filtered(
            lambda m: m.state == "posted" and m.move_type == "out_invoice"
        )
        return invoices.sorted("invoice_date")[-1:] if invoices else invoices

    def _sevensenders_customs_lines(self, parcel):
        """The move lines of ``parcel`` (all of them with one parcel), and
        what their products lack for customs papers."""
        self.ensure_one()
        lines = self.move_line_ids.filtered(lambda ml: ml.quantity > 0)
        if len(self.sevensenders_parcel_ids._sevensenders_active_outbound()) > 1:
            packed = lines.filtered(lambda ml: ml.result_package_id.name == parcel.name)
            lines = packed or lines
        missing = []
        for line in lines:
            missing += line._sevensenders_customs_missing()
        return lines, missing

    def _sevensenders_customs_waits_for(self, parcel):
        """What the customs shipment of ``parcel`` waits for (a posted customer
        invoice; with Odoo's default invoicing policy it comes after the
        delivery), or ``None``: nothing, or data only a user can fix, which
        :meth:`_sevensenders_prepare_customs_vals` lists."""
        self.ensure_one()
        if self._sevensenders_invoice() or self._sevensenders_customs_lines(parcel)[1]:
            return None
        return self.env._(
            "the invoice of %(order)s",
            order=self.sale_id.name or self.origin or self.name,
        )

    def _sevensenders_prepare_customs_vals(self, account, parcel):
        """``POST /customs/shipments`` body; every missing item is listed at once."""
        self.ensure_one()
        missing = []
        invoice = self._sevensenders_invoice()
        if not invoice:
            missing.append(
                self.env._(
                    "a posted customer invoice for %(order)s",
                    order=self.sale_id.name or self.origin or self.name,
                )
            )
        lines, lacking = self._sevensenders_customs_lines(parcel)
        missing += lacking
        currency = (
            invoice.currency_id
            or self.sale_id.currency_id
            or self.company_id.currency_id
        )
        if missing:
            raise UserError(
                self.env._(
                    "The customs papers of %(picking)s need: %(missing)s.",
                    picking=self.name,
                    missing="; ".join(dict.fromkeys(missing)),
                )
            )
        origin = self.picking_type_id.warehouse_id.partner_id.country_id.code
        return {
            "shipment_id": parcel.shipment_ref,
            "order_id": self.sale_id.name or self.origin or self.name,
            "incoterm": account._sevensenders_incoterm(self.partner_id.country_id.code),
            "tracking_code": parcel.tracking_code,
            "planned_pickup_datetime": utc(self.date_done or self.scheduled_date),
            "departure_country": origin,
            "invoice_id": invoice.name,
            "invoice_date": invoice.invoice_date,
            "type": "outbound",
            "articles": lines._sevensenders_customs_articles(currency),
        }

    def action_sevensenders_create_customs(self):
        """Server action: (re)queue the customs shipments of these deliveries."""
        check_caller(self, operation="write")
        for picking in self:
            picking._sevensenders_enqueue_customs(
                picking.sevensenders_parcel_ids._sevensenders_active_outbound()
            )
        return True

    def action_sevensenders_create_manifest(self):
        """Server action: one customs manifest for the parcels of these deliveries."""
        check_caller(self, operation="write")
        parcels = self.sevensenders_parcel_ids._sevensenders_active_outbound().filtered(
            "customs_ref"
        )
        done = parcels.filtered("manifest_ref")
        if done:
            raise UserError(
                self.env._(
                    "%(pickings)s are already in manifest %(manifests)s; a manifest "
                    "cannot change.",
                    pickings=", ".join(done.picking_id.mapped("name")),
                    manifests=", ".join(sorted(set(done.mapped("manifest_ref")))),
                )
            )
        if not parcels:
            raise UserError(
                self.env._(
                    "None of these deliveries has a customs shipment to manifest."
                )
            )
        account = parcels.account_id
        if len(account) > 1:
            raise UserError(self.env._("A manifest covers one Seven Senders account."))
        if account.uses_flex:
            return notification(
                self.env._(
                    "Seven Senders Flex needs no customs manifest: nothing was sent."
                ),
                kind="info",
            )
        manifest_id = account._sevensenders_next_manifest_id()
        try:
            with account._sevensenders_client() as client:
                client.create_customs_manifest(
                    {
                        "manifest_id": manifest_id,
                        "shipment_ids": parcels.mapped("shipment_ref"),
                        "pieces": len(parcels),
                        "reference": ", ".join(parcels.picking_id.mapped("name"))[:255],
                    }
                )
        except SevenSendersError as exc:
            raise UserError(self[:1]._sevensenders_describe_error(exc)) from None
        parcels.sudo().manifest_ref = manifest_id
        for picking in parcels.picking_id:
            picking.message_post(
                body=self.env._(
                    "Customs manifest %(manifest)s sent to Seven Senders.",
                    manifest=manifest_id,
                )
            )
        return notification(
            self.env._(
                "Customs manifest %(manifest)s sent (%(count)d parcels).",
                manifest=manifest_id,
                count=len(parcels),
            )
        )
