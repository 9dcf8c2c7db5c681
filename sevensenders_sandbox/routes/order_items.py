"""Order items (seed 001): what a return portal offers to send back."""

from fastapi import Request

from .. import models as m
from ..rules import Auth, must_get, now_iso, order_by_ref, page, shipment_by_id
from ..state import StoreDep
from . import Operations

operations = Operations("OrderItem")


def check_shipment(store, shipment_id):
    """An order item's ``shipment_id``, when given, names a shipment."""
    if shipment_id:
        shipment_by_id(store, shipment_id)


@operations("order_items.create", status_code=201)
async def create_order_item(body: m.OrderItemIn, store: StoreDep, _a=Auth):
    data = body.dump()
    order_by_ref(store, data["order_id"])
    check_shipment(store, data.get("shipment_id"))
    data["created_at"] = now_iso()
    return store.insert("order_item", data)


@operations("order_items.list")
async def list_order_items(
    request: Request,
    store: StoreDep,
    order_id: str | None = None,
    sku: str | None = None,
    shipment_id: str | None = None,
    _a=Auth,
):
    filters = {"order_id": order_id, "sku": sku, "shipment_id": shipment_id}
    return page(request, store, "order_item", filters, default_limit=100)


@operations("order_items.update")
async def update_order_item(
    item_id: str, body: m.OrderItemChange, store: StoreDep, _a=Auth
):
    item = must_get(store, "order_item", item_id, "Order item")
    data = body.dump()
    check_shipment(store, data.get("shipment_id"))
    item.update(data)
    return store.update("order_item", item)
