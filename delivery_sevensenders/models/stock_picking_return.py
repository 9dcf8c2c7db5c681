# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Returns of deliveries and the order items' link to their shipments."""

from odoo import fields, models

from .sevensenders_returns import is_pickup_contact
from .stock_picking_shipment import pudo_vals


class StockPicking(models.Model):
    _inherit = "stock.picking"

    # ------------------------------------------------------------------
    # Return labels: from the customer, at the drop-off point they chose
    # ------------------------------------------------------------------

    def _sevensenders_is_return(self):
        self.ensure_one()
        return self.picking_type_code == "incoming" and bool(self.return_id)

    def _sevensenders_pickup_point(self):
        """A return goes back to the warehouse: never to the pickup point the
        order was delivered to."""
        if self._sevensenders_is_return():
            return {}
        return super()._sevensenders_pickup_point()

    def _sevensenders_address_partner(self):
        """A return of a pickup-point delivery comes from the customer's own
        address (the one the point was chosen for), not from the point."""
        partner = super()._sevensenders_address_partner()
        if self._sevensenders_is_return() and is_pickup_contact(self.sale_id, partner):
            return partner.parent_id
        return partner

    def _sevensenders_prepare_label_vals(self, carrier):
        """A return made for a return request names the drop-off point the
        customer chose on the return page (none: any point of the carrier)."""
        vals = super()._sevensenders_prepare_label_vals(carrier)
        if self._sevensenders_is_return():
            request = (
                self.env["sevensenders.return.request"]
                .sudo()
                .search([("return_picking_ids", "in", self.ids)], limit=1)
            )
            point = pudo_vals(request.dropoff_point_data or {})
            vals.update({k: v for k, v in point.items() if v not in (None, "")})
        return vals

    def _compute_sevensenders_return_url(self):
        now = fields.Datetime.now()
        for picking in self:
            picking.sevensenders_return_url = (
                picking.picking_type_code == "outgoing"
                and picking.sale_id
                and picking.sale_id._sevensenders_return_url(now)
            ) or False

    def _sevensenders_delivered_on(self):
        """When this delivery reached the customer: the last of its parcels'
        delivery, once Seven Senders reports them all delivered (False until
        then); a delivery without tracked parcels counts from its shipping."""
        self.ensure_one()
        parcels = self.sudo()._sevensenders_shipped_parcels()
        if not parcels:
            return self.date_done
        if any(p.delivery_state != "delivered" for p in parcels):
            return False
        return max(p.delivered_date or self.date_done for p in parcels)

    def _sevensenders_returned_to_warehouse(self):
        """A validated return of a Seven Senders shipment: "Returned to warehouse"
        for the outbound shipments of the delivery it returns."""
        for picking in self.filtered(
            lambda p: p.picking_type_code == "incoming" and p.return_id
        ):
            origin = picking.return_id
            parcels = origin.sudo()._sevensenders_shipped_parcels()
            account = parcels[:1].account_id
            if not account or not account.sync_orders:
                continue
            parcels._sevensenders_enqueue_event("Returned to warehouse")

    # ------------------------------------------------------------------
    # Order items <-> shipment (Return Portal Pro)
    # ------------------------------------------------------------------

    def _sevensenders_enqueue_item_link(self):
        """Once the shipments exist, link the order items to them."""
        for picking in self.filtered(
            lambda p: p.picking_type_code == "outgoing" and p.sale_id
        ):
            account = picking.sale_id._sevensenders_pro_account()
            refs = picking._sevensenders_shipped_parcels().mapped("shipment_ref")
            if not account or not refs:
                continue
            self.env["sevensenders.outbox"]._sevensenders_enqueue(
                account, "order_items_link", picking
            )

    def _sevensenders_shipped_parcels(self):
        return self.sevensenders_parcel_ids._sevensenders_shipped()

    def _sevensenders_units_by_parcel(self):
        """``{parcel: {sku: units}}``: which sold units travel in which parcel."""
        self.ensure_one()
        parcels = self._sevensenders_shipped_parcels()
        by_name = {p.name: p for p in parcels}
        units = {}

        def add(parcel, sku, count):
            bucket = units.setdefault(parcel, {})
            bucket[sku] = bucket.get(sku, 0) + count

        moves = self.move_ids.filtered(lambda m: m.sale_line_id and m.quantity)
        for line in moves.sale_line_id.filtered(lambda sl: sl._sevensenders_is_item()):
            sku = (line.product_id.default_code or "").strip()
            line_moves = moves.filtered(lambda m, sl=line: m.sale_line_id == sl)
            if not sku:
                continue
            if all(m.product_id == line.product_id for m in line_moves):
                for ml in line_moves.move_line_ids:
                    parcel = by_name.get(ml.result_package_id.name) or parcels[:1]
                    add(parcel, sku, int(round(ml.quantity)))
            else:  # a kit: it travels with its first component
                first = line_moves.move_line_ids[:1]
                parcel = by_name.get(first.result_package_id.name) or parcels[:1]
                add(parcel, sku, int(round(line.product_uom_qty)))
        return units
