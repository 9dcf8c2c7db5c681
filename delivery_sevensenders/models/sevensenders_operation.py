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

import base64
import logging
import re
from typing import Any, NamedTuple

from odoo import api, fields, models
from odoo.tools import LazyTranslate

from ..sevensenders import ConflictError, NotFoundError
from .common import utc
from .sevensenders_waits import NotInSevenSenders, NotReady

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__)

WAITING = ("pending", "retry")  # rows not sent yet that the drain will send
UNSENT = (*WAITING, "dead")  # rows not sent yet


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
