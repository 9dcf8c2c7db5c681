# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The outbox's steps of return labels of return requests (``prepare`` of the operations in
``sevensenders_operation.OPERATIONS``: what to send, sent in any thread,
applied on the drain's cursor)."""

import logging

from odoo import models

from .sevensenders_operation import Call

_logger = logging.getLogger(__name__)


class SevenSendersOperationReturn(models.AbstractModel):
    _inherit = "sevensenders.operation"

    # ------------------------------------------------------------------
    # Return labels of return requests
    # ------------------------------------------------------------------

    def _prepare_return_label(self, row, picking):
        """The 7S return label of an Odoo return made for a return request; the
        request's label is ready once each of its returns has one."""
        if not picking or picking.state == "cancel":
            return None
        carrier = picking.carrier_id
        if carrier.delivery_type != "sevensenders":
            return None
        request = (
            self.env["sevensenders.return.request"]
            .sudo()
            .browse((row.payload or {}).get("request_id"))
            .exists()
        )
        made = picking.sevensenders_parcel_ids._sevensenders_returns()
        requests = (
            [] if made else carrier._sevensenders_label_requests(picking, "return")
        )

        def send(client):
            return carrier._sevensenders_fetch_labels(client, requests)

        def apply(fetched):
            parcels, attachments = carrier._sevensenders_store_labels(picking, fetched)
            if parcels:
                carrier._sevensenders_labels_made(picking, parcels, attachments)
            if request:
                request._sevensenders_label_made()
            return ",".join((made | parcels).mapped("tracking_code"))

        return Call(send, apply)
