# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Customs articles: the one mapping from Odoo move lines to the article body.

No document names the fields of a customs shipment's articles (see
``sevensenders.reference.UNDOCUMENTED_FIELDS`` and readme/ROADMAP.md): when Seven
Senders confirms them, this file is the only one to change. Override
``_sevensenders_customs_article`` to send other values or more fields.
"""

from odoo import models


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    def _sevensenders_customs_missing(self):
        """What the article of this line lacks, as translated phrases."""
        self.ensure_one()
        product = self.product_id
        tmpl = product.product_tmpl_id
        return [
            self.env._(
                "%(what)s on %(product)s", what=label, product=product.display_name
            )
            for label, ok in (
                (self.env._("an internal reference (SKU)"), product.default_code),
                (self.env._("an HS code"), tmpl.hs_code),
                (self.env._("a country of origin"), tmpl.country_of_origin),
            )
            if not ok
        ]

    def _sevensenders_customs_article(self, currency):
        """The article of this line's product (quantity 0: the caller adds
        up the lines of one product)."""
        self.ensure_one()
        product = self.product_id
        tmpl = product.product_tmpl_id
        sale_line = self.move_id.sale_line_id
        unit_value = sale_line.price_reduce_taxexcl if sale_line else product.lst_price
        return {
            "sku": product.default_code or "-",
            "description": product.display_name[:255],
            "hs_code": "".join(ch for ch in (tmpl.hs_code or "") if ch.isdigit()),
            "origin_country": tmpl.country_of_origin.code or "",
            "quantity": 0,
            "unit_value": round(unit_value, 2),
            "currency": currency.name,
            "weight": round(product.weight or 0.0, 3),
        }

    def _sevensenders_customs_articles(self, currency):
        """One article per product of these lines, quantities added up."""
        articles = {}
        for line in self:
            article = articles.setdefault(
                line.product_id.id, line._sevensenders_customs_article(currency)
            )
            article["quantity"] += int(round(line.quantity))
        return [a for a in articles.values() if a["quantity"] > 0]
