# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The product library of Return Portal Pro: products by SKU, with their image.

A product is queued when its data or its image changed since the last push
(``sevensenders_pushed_hash``); the image is sent only when its checksum differs
from the one Seven Senders has (``sevensenders_image_checksum``).
"""

import base64
import hashlib
import json
import logging

from odoo import api, fields, models
from odoo.tools.image import image_process

from ..compat import cron_progress
from .access import check_caller
from .notification import notification

_logger = logging.getLogger(__name__)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"


class ProductAttribute(models.Model):
    _inherit = "product.attribute"

    sevensenders_role = fields.Selection(
        [("size", "Size"), ("appearance", "Appearance (e.g. colour)")],
        "Seven Senders role",
        help="How the values of this attribute are shown in the Seven Senders return "
        "portal. Empty: colour attributes are the appearance, attributes named "
        "like 'Size' the size.",
    )

    #: attribute names read as a size when no role is set
    _SEVENSENDERS_SIZE_NAMES = frozenset(
        {"size", "größe", "groesse", "taille", "talla", "taglia", "maat", "rozmiar"}
    )

    def _sevensenders_role(self):
        self.ensure_one()
        if self.sevensenders_role:
            return self.sevensenders_role
        if self.display_type == "color":
            return "appearance"
        if (self.name or "").strip().lower() in self._SEVENSENDERS_SIZE_NAMES:
            return "size"
        return False


class ProductTemplate(models.Model):
    _inherit = "product.template"

    sevensenders_returnable = fields.Boolean(
        "Returnable (Seven Senders)",
        default=True,
        help="The customer can select this product for a return in the Seven Senders "
        "return portal (Return Portal Pro).",
    )

    def action_sevensenders_push_products(self):
        """Server action: push these products and their images to Seven Senders."""
        check_caller(self)
        return self.product_variant_ids.action_sevensenders_push_products()


class ProductProduct(models.Model):
    _inherit = "product.product"

    sevensenders_pushed_hash = fields.Char(copy=False, readonly=True)
    sevensenders_pushed_at = fields.Datetime(
        "Pushed to Seven Senders", copy=False, readonly=True
    )
    sevensenders_image_checksum = fields.Char(
        "Seven Senders image checksum", copy=False, readonly=True
    )

    # ------------------------------------------------------------------
    # Payloads
    # ------------------------------------------------------------------

    def _sevensenders_product_vals(self):
        """The ``POST /products`` body (override to add fields)."""
        self.ensure_one()
        tmpl = self.product_tmpl_id
        hs_code = "".join(ch for ch in (tmpl.hs_code or "") if ch.isdigit())
        vals = {
            "sku": self.default_code.strip(),
            "customs_description": (
                self.with_context(lang="en_US", display_default_code=False).display_name
                or ""
            ).strip()[:255],
            "customs_item_value": round(max(self.lst_price, 0.0), 2),
        }
        if 6 <= len(hs_code) <= 10:
            vals["customs_tariff_code_sending_country"] = hs_code
            vals["customs_tariff_code_receiving_country"] = hs_code
        if tmpl.country_of_origin:
            vals["customs_origin_country_iso2"] = tmpl.country_of_origin.code
        return {k: v for k, v in vals.items() if v not in (None, False, "")}

    def _sevensenders_image(self):
        """``(bytes, extension)`` of the image sent to Seven Senders, or None."""
        self.ensure_one()
        data = self.image_1024
        if not data:
            return None
        raw = base64.b64decode(data)
        if raw.startswith(PNG_MAGIC):
            return raw, "png"
        if raw.startswith(JPEG_MAGIC):
            return raw, "jpg"
        return image_process(raw, output_format="PNG"), "png"

    def _sevensenders_state_hash(self):
        """What was pushed: the product data and the image checksum."""
        self.ensure_one()
        image = self._sevensenders_image()
        checksum = hashlib.sha1(image[0]).hexdigest() if image else ""
        digest = hashlib.sha1(
            json.dumps(self._sevensenders_product_vals(), sort_keys=True).encode()
            + checksum.encode()
        ).hexdigest()
        return digest, image, checksum

    @api.model
    def _sevensenders_library_domain(self, account):
        return [
            ("sale_ok", "=", True),
            ("type", "=", "consu"),
            ("company_id", "in", [False, account.company_id.id]),
        ]

    # ------------------------------------------------------------------
    # Queueing
    # ------------------------------------------------------------------

    def _sevensenders_enqueue_push(self, account, force=False):
        """Queue the products whose data or image changed (all with ``force``).

        Answers the products that have no internal reference (not sent).
        """
        outbox = self.env["sevensenders.outbox"]
        missing = self.browse()
        for product in self:
            if not (product.default_code or "").strip():
                missing |= product
                continue
            digest, _image, _checksum = product._sevensenders_state_hash()
            if not force and digest == product.sevensenders_pushed_hash:
                continue
            outbox._sevensenders_enqueue(account, "product_push", product)
        return missing

    def action_sevensenders_push_products(self):
        """Server action: push the selected products (and changed images)."""
        check_caller(self)
        accounts = (
            self.env["sevensenders.account"]
            .sudo()
            .search([("return_portal", "=", "pro")])
        )
        missing = self.browse()
        queued = self.browse()
        for account in accounts:
            products = self.filtered_domain(self._sevensenders_library_domain(account))
            missing |= products._sevensenders_enqueue_push(account, force=True)
            queued |= products - missing
        if not queued and not missing:
            return notification(
                self.env._(
                    "Nothing to push: no Seven Senders account uses Return Portal Pro, "
                    "or none of these products is a sellable good."
                ),
                kind="warning",
            )
        message = self.env._(
            "%(count)d products queued for Seven Senders.", count=len(queued)
        )
        if missing:
            names = ", ".join(missing[:20].mapped("display_name"))
            more = len(missing) - 20
            message += " " + self.env._(
                "Not sent, they have no internal reference (SKU): %(names)s",
                names=names + (f" (+{more})" if more > 0 else ""),
            )
        return notification(message, kind="warning" if missing else "success")

    @api.model
    def _cron_sevensenders_push_products(self, batch_size=500):
        """Queue the products changed since their last push, for Pro accounts."""
        accounts = (
            self.env["sevensenders.account"]
            .sudo()
            .search([("return_portal", "=", "pro")])
        )
        done = remaining = 0
        for account in accounts:
            self.flush_model(["write_date", "sevensenders_pushed_at"])
            self.env["product.template"].flush_model(["write_date"])
            self.env.cr.execute(
                """
                SELECT pp.id FROM product_product pp
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                 WHERE pp.active AND pp.default_code IS NOT NULL
                   AND (pp.sevensenders_pushed_at IS NULL
                        OR pp.write_date > pp.sevensenders_pushed_at
                        OR pt.write_date > pp.sevensenders_pushed_at)
                 ORDER BY pp.sevensenders_pushed_at NULLS FIRST, pp.id
                """
            )
            ids = [r[0] for r in self.env.cr.fetchall()]
            candidates = (
                self.browse(ids)
                .with_company(account.company_id)
                .filtered_domain(self._sevensenders_library_domain(account))
            )
            batch = candidates[:batch_size]
            batch._sevensenders_enqueue_push(account)
            done += len(batch)
            remaining += len(candidates) - len(batch)
        cron_progress(self.env, done=done, remaining=remaining)
        return done
