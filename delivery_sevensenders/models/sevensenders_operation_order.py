# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The outbox's steps of orders (create, update, delete, states, boarding complete, order items) (``prepare`` of the operations in
``sevensenders_operation.OPERATIONS``: what to send, sent in any thread,
applied on the drain's cursor)."""

import logging

from odoo import fields, models

from ..sevensenders import ConflictError
from .common import utc
from .sevensenders_operation import Call
from .sevensenders_waits import NotInSevenSenders

_logger = logging.getLogger(__name__)


class SevenSendersOperationOrder(models.AbstractModel):
    _inherit = "sevensenders.operation"

    # ------------------------------------------------------------------
    # Orders
    # ------------------------------------------------------------------

    def _order_ref(self, order):
        """``send``'s part: the order's Seven Senders id, looked up by its
        number when not known yet (created inline by a label, say)."""
        ref = order.sevensenders_order_ref
        name = order.name

        def find(client):
            if ref:
                return ref
            found = client.find_order(name)
            if not found:
                raise NotInSevenSenders("Order", name)
            return str(found.id)

        return find

    def _adopt(self, order):
        def apply(ref):
            if ref and order.sevensenders_order_ref != str(ref):
                order.sevensenders_order_ref = str(ref)
            return ref

        return apply

    def _prepare_order_create(self, row, order):
        if not order:
            return None
        vals = order._sevensenders_prepare_order_vals(row.account_id)
        name = order.name

        def send(client):
            try:
                return str(client.create_order(vals).id)
            except ConflictError:
                # already there: a label or shipment created it inline before
                # this row ran; adopt it and complete it with the order's data
                found = client.find_order(name)
                if not found:
                    raise
                client.update_order(
                    found.id,
                    {
                        k: v
                        for k, v in vals.items()
                        if k not in ("order_id", "boarding_complete")
                    },
                )
                return str(found.id)

        return Call(send, self._adopt(order))

    def _prepare_order_update(self, row, order):
        if not order or order.state != "sale":
            return None
        # what the order no longer has (tags removed, delivery date cleared, a
        # language Seven Senders does not know) is cleared there
        vals = order._sevensenders_prepare_order_update_vals(row.account_id)
        find = self._order_ref(order)

        def send(client):
            ref = find(client)
            client.update_order(ref, vals)
            return ref

        return Call(send, self._adopt(order))

    def _prepare_order_delete(self, row, order):
        payload = row.payload or {}
        name = payload.get("order_id") or order.name
        if not name:
            return None

        def send(client):
            found = client.find_order(name)
            if found:
                client.delete_order(found.id)
            return found and str(found.id)

        def apply(ref):
            if order:
                order.sevensenders_order_ref = False
            return ref

        return Call(send, apply)

    def _prepare_order_state(self, row, order):
        """An order state, by order number. Not sent for a cancelled order,
        nor (a pre-shipment state) for an order shipped since it was queued."""
        if not order or order.state != "sale":
            return None
        payload = row.payload
        if order._sevensenders_late_state(payload["state"]):
            return None
        state = {
            "order_id": order.name,
            "state": payload["state"],
            "datetime": utc(fields.Datetime.to_datetime(payload["datetime"])),
        }

        ref = order.sevensenders_order_ref

        def send(client):
            client.set_order_state(state)
            return ref

        return Call(send)

    def _prepare_boarding_complete(self, row, order):
        if not order:
            return None
        find = self._order_ref(order)

        def send(client):
            ref = find(client)
            client.update_order(ref, {"boarding_complete": True})
            return ref

        return Call(send, self._adopt(order))

    def _prepare_order_items_create(self, row, order):
        """One item per unit; Seven Senders is the reference: a retry after a
        partial failure creates only the missing ones."""
        if not order or order.state != "sale":
            return None
        items = order._sevensenders_prepare_items(row.account_id)
        name = order.name

        def send(client):
            existing = {}
            known = set()
            for item in client.list_order_items(order_id=name, limit=1000):
                existing.setdefault(item.sku, []).append(str(item.id))
                known.add(str(item.id))
            refs = []
            for _line, vals in items:
                have = existing.get(vals["sku"])
                if have:
                    ref = have.pop(0)
                else:
                    ref = str(client.create_order_item(vals, known_ids=known).id)
                    known.add(ref)
                refs.append(ref)
            return refs

        def apply(refs):
            by_line = {}
            for (line, _vals), ref in zip(items, refs, strict=True):
                by_line.setdefault(line, []).append(ref)
            for line, line_refs in by_line.items():
                line.sevensenders_item_refs = ",".join(line_refs)
            return len(refs)

        return Call(send, apply)
