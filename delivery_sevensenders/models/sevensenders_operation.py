# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Every call the outbox makes to Seven Senders, each defined once.

An operation is:

- ``prepare(row, document)``: reads the database (on the cron's cursor) and
  answers the call as a :class:`Call`, or ``None`` when there is nothing to
  send (the row is then done); raises ``UserError`` for data Seven Senders
  would refuse.
- ``Call.send(client)``: the HTTP calls only, with plain data; it runs in a
  drain worker thread and never touches the ORM.
- ``Call.apply(result)``: writes the result (on the cron's cursor) and answers
  the Seven Senders id shown on the row; ``None`` when there is nothing to
  write (``send``'s result is that id: the drain records the row without a
  savepoint of its own).
  ``prepare`` raises :class:`NotReady` when what the call needs is not there
  yet and no outbox row makes it (the invoice of a customs shipment): the row
  waits for it, with no attempt spent (see ``sevensenders_waits.py``).
- ``waits_for(row, document)``: the outbox rows that must be sent first
  (empty when none). The drain sends a row once they are; a row whose
  dependency failed shows *Waiting for* with a link to it, and goes on by
  itself once the dependency is sent.

and, for the side that queues it (``outbox._sevensenders_enqueue(account,
operation, record, **payload)``): its label, the ``payload`` keys a call site
gives, the ``key`` that makes a second call for the same thing a no-op (a
template over ``id``, ``gen``, ``account`` and the payload, or a callable),
whether only a waiting row counts for that (``coalesce``: several updates
before the cron runs make one call), and the account ``switches`` that must
be on for it to be queued at all.

:meth:`SevenSendersOperation._sevensenders_registry` maps each operation of
``sevensenders.outbox.operation`` to its definition; extend it in an
``_inherit`` to add or change one.
"""

import logging
from typing import Any, NamedTuple

from odoo import api, models
from odoo.tools import LazyTranslate

from .sevensenders_outbox import UNSENT

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__)


class Call(NamedTuple):
    send: Any  # (client) -> result
    apply: Any = None  # (result) -> Seven Senders id; None: nothing to write


class Operation(NamedTuple):
    prepare: Any  # (row, document) -> Call | None
    waits_for: Any = None  # (row, document) -> sevensenders.outbox rows
    label: Any = ""  # shown on the outbox row
    payload: tuple = ()  # the payload keys a call site gives
    key: Any = None  # dedupe key: template or (record, account, payload) -> str
    coalesce: bool = False  # only a waiting row with the key counts
    switches: tuple = ()  # account fields that must be on
    #: the dedupe key (template or callable, as ``key``) of the rows this
    #: operation undoes: queueing it cancels their unsent rows and frees the
    #: key of the sent ones, so create, delete, create sends three calls
    undoes: Any = None

    def undone_key(self, record, account, payload):
        return Operation(None, key=self.undoes).dedupe_key(record, account, payload)

    def dedupe_key(self, record, account, payload):
        if callable(self.key):
            return self.key(record, account, payload)
        if not self.key:
            return None
        gen = (
            record._sevensenders_generation()
            if "{gen}" in self.key and hasattr(record, "_sevensenders_generation")
            else 0
        )
        return self.key.format(id=record.id, gen=gen, account=account.id, **payload)


def _order_create_key(order, _account, payload):
    """A manual *Send* is a call of its own, even after an automatic one."""
    key = f"order_create:{order.id}:{order._sevensenders_generation()}"
    return key + ":manual" if payload.get("manual") else key


def _customs_key(picking, _account, payload):
    """One customs shipment per Seven Senders shipment."""
    parcel = picking.env["sevensenders.parcel"].browse(payload["parcel_id"])
    return f"customs_create:{parcel.shipment_ref}"


def _item_link_key(picking, _account, _payload):
    """Once per set of shipments of the delivery."""
    refs = picking._sevensenders_shipped_parcels().mapped("shipment_ref")
    return f"order_items_link:{picking.id}:{','.join(refs)}"


#: account switch of every order call
ORDERS = ("sync_orders",)

#: every operation, its methods named (resolved on the model, so that an
#: ``_inherit`` overrides them) with how it is queued
OPERATIONS = {
    "order_create": Operation(
        "_prepare_order_create",
        label=_lt("Create order"),
        payload=("manual",),
        key=_order_create_key,
        switches=ORDERS,
    ),
    "order_update": Operation(
        "_prepare_order_update",
        "_waits_for_order",
        label=_lt("Update order"),
        key="order_update:{id}",
        coalesce=True,
        switches=ORDERS,
    ),
    "order_delete": Operation(
        "_prepare_order_delete",
        label=_lt("Delete order"),
        payload=("order_id", "ref"),
        switches=ORDERS,
    ),
    "order_state": Operation(
        "_prepare_order_state",
        "_waits_for_order_state",
        label=_lt("Order state"),
        payload=("state", "datetime"),
        key="order_state:{id}:{gen}:{state}",
        switches=(*ORDERS, "sync_order_states"),
    ),
    "boarding_complete": Operation(
        "_prepare_boarding_complete",
        "_waits_for_shipments",
        label=_lt("Boarding complete"),
        key="boarding_complete:{id}:{gen}",
        switches=ORDERS,
    ),
    "shipment_create": Operation(
        "_prepare_shipment_create",
        "_waits_for_sale_order",
        label=_lt("Create shipment"),
        payload=("tracking_code",),
        key="shipment_create:{id}:{tracking_code}",
        undoes="shipment_delete:{id}:{tracking_code}",
        switches=("sync_tracking_shipments",),
    ),
    "shipment_delete": Operation(
        "_prepare_shipment_delete",
        label=_lt("Delete shipment"),
        payload=("tracking_code",),
        key="shipment_delete:{id}:{tracking_code}",
        undoes="shipment_create:{id}:{tracking_code}",
        switches=("sync_tracking_shipments",),
    ),
    "customs_create": Operation(
        "_prepare_customs_create",
        label=_lt("Create customs shipment"),
        payload=("parcel_id",),
        key=_customs_key,
    ),
    "order_items_create": Operation(
        "_prepare_order_items_create",
        "_waits_for_order",
        label=_lt("Create order items"),
        key="order_items_create:{id}:{gen}",
        switches=ORDERS,
    ),
    "order_items_link": Operation(
        "_prepare_order_items_link",
        "_waits_for_order_items",
        label=_lt("Link order items to shipment"),
        key=_item_link_key,
    ),
    "shipment_event": Operation(
        "_prepare_shipment_event",
        label=_lt("Shipment event"),
        payload=("shipment_id", "parcel_id", "event", "datetime"),
        key="shipment_event:{account}:{shipment_id}:{event}",
    ),
    "product_push": Operation(
        "_prepare_product_push",
        label=_lt("Push product"),
        key="product_push:{account}:{id}",
        coalesce=True,
    ),
    "return_label": Operation(
        "_prepare_return_label",
        label=_lt("Create return label"),
        payload=("request_id",),
        key="return_label:{id}",
    ),
}


class SevenSendersOperation(models.AbstractModel):
    _name = "sevensenders.operation"
    _description = "Seven Senders operations (the outbox's calls)"

    @api.model
    def _sevensenders_registry(self):
        """``{operation: Operation}``: the one place where each call is defined
        (``OPERATIONS``, with its methods resolved on this model); override to
        add or change one."""
        return {
            name: spec._replace(
                prepare=getattr(self, spec.prepare),
                waits_for=spec.waits_for and getattr(self, spec.waits_for),
            )
            for name, spec in OPERATIONS.items()
        }

    # ------------------------------------------------------------------
    # Dependencies
    # ------------------------------------------------------------------

    def _unsent(self, row, model, ids, operations):
        outbox = self.env["sevensenders.outbox"]
        return (
            outbox._sevensenders_rows(self.env[model].browse(ids), UNSENT, operations)
            - row
        )

    def _waits_for_order(self, row, order):
        """The order's creation, unless Seven Senders' id is known already."""
        if not order or order.sevensenders_order_ref:
            return self.env["sevensenders.outbox"]
        return self._unsent(row, "sale.order", order.ids, ["order_create"])

    def _waits_for_order_state(self, row, order):
        """The order's creation; ``refunded`` also waits for the order's
        *Refunded* shipment events (seed 002: the events, then the state)."""
        waits = self._waits_for_order(row, order)
        if order and (row.payload or {}).get("state") == "refunded":
            waits |= self._unsent(
                row, "stock.picking", order.picking_ids.ids, ["shipment_event"]
            )
        return waits

    def _waits_for_shipments(self, row, order):
        """Boarding complete: the order, then every shipment of its deliveries
        (the guides: once all shipments exist)."""
        return self._waits_for_order(row, order) | self._unsent(
            row, "stock.picking", order.picking_ids.ids, ["shipment_create"]
        )

    def _waits_for_sale_order(self, row, picking):
        return self._waits_for_order(row, picking.sale_id)

    def _waits_for_order_items(self, row, picking):
        if not picking.sale_id:
            return self.env["sevensenders.outbox"]
        return self._unsent(
            row, "sale.order", picking.sale_id.ids, ["order_items_create"]
        )
