# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    sevensenders_item_refs = fields.Char(
        "Seven Senders order items", copy=False, readonly=True
    )

    def write(self, vals):
        res = super().write(vals)
        # a lead time moves the order's expected date, its promise to Seven
        # Senders when it has no delivery date, without a write to the order
        if "customer_lead" in vals:
            self.order_id.filtered(
                lambda o: not o.commitment_date
            )._sevensenders_enqueue_update()
        return res

    def _sevensenders_is_item(self):
        """Whether this line is an order item: a good sold, not a delivery,
        section, note, down payment, combo header or service."""
        self.ensure_one()
        return bool(
            not self.display_type
            and self.product_id
            and not self.is_delivery
            and not self.is_downpayment
            and self.product_id.type == "consu"
            and self.product_uom_qty > 0
        )

    def _sevensenders_attributes(self):
        """``{"size": ..., "appearance": ...}`` from the variant's attributes."""
        self.ensure_one()
        found = {}
        values = self.product_id.product_template_attribute_value_ids
        values |= self.product_no_variant_attribute_value_ids
        for value in values:
            role = value.attribute_id._sevensenders_role()
            if role and role not in found:
                found[role] = value.name
        return found

    def _sevensenders_item_vals(self, account):
        """The ``POST /order_items`` body of one unit of this line."""
        self.ensure_one()
        order = self.order_id
        lang = order.partner_id.lang or self.env.lang
        product = self.product_id.with_context(lang=lang)
        attributes = self._sevensenders_attributes()
        qty = self.product_uom_qty or 1.0
        vals = {
            "order_id": order.name,
            "sku": product.default_code.strip(),
            "name": (product.name or product.default_code)[:255],
            "description": (self.name or product.display_name)[:2000],
            "sales_price": round(max(self.price_total / qty, 0.0), 2),
            "currency": order.currency_id.name,
            "size": (attributes.get("size") or "-")[:64],
            "weight": round(max(product.weight, 0.0), 3),
            "returnable": bool(product.sevensenders_returnable),
        }
        if attributes.get("appearance"):
            vals["appearance"] = attributes["appearance"][:64]
        parent = self.linked_line_id if self.combo_item_id else self.browse()
        if parent:
            vals["bundle_item"] = f"{order.name}-{parent.id}"
        if "website_url" in product._fields and product.is_published:
            base = account._sevensenders_shop_url() or ""
            vals["shop_product_url"] = base.rstrip("/") + product.website_url
        return vals
