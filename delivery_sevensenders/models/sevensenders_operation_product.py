# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The outbox's steps of the product library (Return Portal Pro) (``prepare`` of the operations in
``sevensenders_operation.OPERATIONS``: what to send, sent in any thread,
applied on the drain's cursor)."""

import base64
import logging
import re

from odoo import models

from ..sevensenders import ConflictError, NotFoundError
from .sevensenders_operation import Call

_logger = logging.getLogger(__name__)


class SevenSendersOperationProduct(models.AbstractModel):
    _inherit = "sevensenders.operation"

    # ------------------------------------------------------------------
    # Product library (Return Portal Pro)
    # ------------------------------------------------------------------

    def _prepare_product_push(self, row, product):
        """The product, then its image when it changed (or its removal)."""
        if not product or not (product.default_code or "").strip():
            return None
        vals = product._sevensenders_product_vals()
        sku = vals["sku"]
        digest, image, checksum = product._sevensenders_state_hash()
        image_changed = checksum != (product.sevensenders_image_checksum or "")
        filename = re.sub(r"[^A-Za-z0-9._-]+", "_", sku)[:200]

        def send(client):
            try:
                client.create_product(vals)
            except ConflictError:
                client.update_product(
                    sku, {k: v for k, v in vals.items() if k != "sku"}
                )
            if not image_changed:
                return sku
            if image:
                client.put_product_image(
                    {
                        "sku": sku,
                        "attachment": base64.b64encode(image[0]).decode(),
                        "filename": f"{filename}.{image[1]}",
                    }
                )
            else:
                try:
                    client.delete_product_image(sku)
                except NotFoundError:
                    _logger.debug("Seven Senders had no image for %s", sku)
            return sku

        def apply(result):
            # cr.now(): the same instant as write_date, so an untouched
            # product is not a candidate again
            product.sudo().write(
                {
                    "sevensenders_pushed_hash": digest,
                    "sevensenders_image_checksum": checksum or False,
                    "sevensenders_pushed_at": self.env.cr.now(),
                }
            )
            return result

        return Call(send, apply)
