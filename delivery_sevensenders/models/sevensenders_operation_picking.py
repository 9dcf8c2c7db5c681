# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The outbox's steps of deliveries and their parcels (tracking-only shipments, customs, order items linked, shipment events) (``prepare`` of the operations in
``sevensenders_operation.OPERATIONS``: what to send, sent in any thread,
applied on the drain's cursor)."""

import logging

from odoo import fields, models

from ..sevensenders import NotFoundError
from .common import utc
from .sevensenders_operation import Call
from .sevensenders_waits import NotReady

_logger = logging.getLogger(__name__)


class SevenSendersOperationPicking(models.AbstractModel):
    _inherit = "sevensenders.operation"

    # ------------------------------------------------------------------
    # Shipments, customs, events
    # ------------------------------------------------------------------

    def _prepare_shipment_create(self, row, picking):
        """A tracking-only shipment (a delivery of another carrier); the order
        it creates inline at Seven Senders is adopted."""
        if not picking:
            return None
        vals = picking._sevensenders_prepare_shipment_vals(
            row.account_id, row.payload["tracking_code"]
        )
        order = picking.sale_id
        name = order.name if order and not order.sevensenders_order_ref else None

        def send(client):
            shipment = client.create_shipment(vals)
            found = client.find_order(name) if name else None
            return shipment, found and str(found.id)

        def apply(result):
            shipment, order_ref = result
            if order_ref:
                self._adopt(order)(order_ref)
            return picking._sevensenders_shipment_created(row, vals, shipment)

        return Call(send, apply)

    def _prepare_shipment_delete(self, row, picking):
        """Withdraw a tracking-only shipment whose reference the delivery no
        longer has (changed, cleared, the delivery cancelled). Looked up by
        tracking code when Odoo never learnt its id (a create lost in flight)."""
        code = row.payload["tracking_code"]
        parcel = (
            picking.sevensenders_parcel_ids._sevensenders_active_outbound().filtered(
                lambda p: p.tracking_code == code
            )[:1]
        )
        ref = parcel.shipment_ref
        order_name = picking.sale_id.name or None

        def send(client):
            shipment_id = ref
            if not shipment_id:
                found = client.find_shipment(tracking_code=code, order_id=order_name)
                shipment_id = found and str(found.id)
            if shipment_id:
                try:
                    client.delete_shipment(shipment_id)
                except NotFoundError:
                    # gone already: what the delete wanted
                    _logger.info("Seven Senders shipment %s was gone", shipment_id)
            return shipment_id

        def apply(shipment_id):
            parcel.sudo().state = "cancelled"
            return shipment_id

        return Call(send, apply)

    def _prepare_customs_create(self, row, picking):
        parcel = (
            self.env["sevensenders.parcel"].browse(row.payload["parcel_id"]).exists()
        )
        if not picking or not parcel or parcel.customs_ref:
            return None
        waits_for = picking._sevensenders_customs_waits_for(parcel)
        if waits_for:
            raise NotReady(waits_for)
        vals = picking._sevensenders_prepare_customs_vals(row.account_id, parcel)

        def send(client):
            return str(client.create_customs_shipment(vals).id)

        def apply(ref):
            parcel.sudo().customs_ref = ref
            return ref

        return Call(send, apply)

    def _prepare_order_items_link(self, row, picking):
        """Set ``shipment_id`` on as many unlinked items per SKU as each parcel
        carries; items already linked to these shipments count (retries)."""
        if not picking or not picking.sale_id:
            return None
        name = picking.sale_id.name
        wanted = {
            parcel.shipment_ref: units
            for parcel, units in picking._sevensenders_units_by_parcel().items()
        }

        def send(client):
            items = list(client.list_order_items(order_id=name, limit=1000))
            linked = 0
            for shipment_ref, units in wanted.items():
                for sku, count in units.items():
                    same = [i for i in items if i.sku == sku]
                    have = [i for i in same if str(i.shipment_id) == shipment_ref]
                    free = [i for i in same if not i.shipment_id]
                    for item in free[: max(count - len(have), 0)]:
                        client.update_order_item(item.id, {"shipment_id": shipment_ref})
                        item.shipment_id = shipment_ref
                        linked += 1
            return linked

        return Call(send)

    def _prepare_shipment_event(self, row, picking):
        payload = row.payload
        event = {
            "id": payload["shipment_id"],
            "event": payload["event"],
            "datetime": utc(fields.Datetime.to_datetime(payload["datetime"])),
        }

        def send(client):
            client.add_shipment_event(event)

        def apply(_result):
            if picking:
                picking.message_post(
                    body=self.env._(
                        "Seven Senders event %(event)s sent for shipment %(shipment)s.",
                        event=payload["event"],
                        shipment=payload["shipment_id"],
                    )
                )
            return payload["shipment_id"]

        return Call(send, apply)
