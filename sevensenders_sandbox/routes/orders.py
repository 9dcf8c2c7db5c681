"""Orders (seeds 000, 001, 003): create, list, read, update, delete."""

from fastapi import Query, Request
from fastapi.responses import Response

from .. import models as m
from ..lifecycle import derive_order_state, new_order
from ..rules import Auth, must_get, page
from ..state import StoreDep
from . import Operations

operations = Operations("Order")


@operations("orders.create", status_code=201)
async def create_order(body: m.OrderIn, store: StoreDep, _a=Auth):
    return new_order(store, body.dump())


@operations("orders.list")
async def list_orders(
    request: Request,
    store: StoreDep,
    order_id: str | None = None,
    shop_order_id: str | None = None,
    state_: str | None = Query(None, alias="state"),
    _a=Auth,
):
    params = request.query_params
    after, before = (
        params.get("order_date[after]"),
        params.get("order_date[before]"),
    )
    filters = {
        "order_id": order_id or shop_order_id,
        "state": state_,
        "id": params.get("id"),
    }
    found = page(request, store, "order", filters)
    if after or before:
        found = [
            o
            for o in found
            if (not after or o["order_date"] >= after)
            and (not before or o["order_date"] <= before)
        ]
    return found


@operations("orders.get")
async def get_order(order_id: str, store: StoreDep, _a=Auth):
    return must_get(store, "order", order_id, "Order")


@operations("orders.update")
async def update_order(order_id: str, body: m.OrderChange, store: StoreDep, _a=Auth):
    order = must_get(store, "order", order_id, "Order")
    body.apply_to(order)
    for key in ("order_url", "order_date"):
        if key in body.model_fields_set:
            order[f"shop_{key}"] = order.get(key)
    store.update("order", order)
    derive_order_state(store, order)
    return order


@operations("orders.delete", status_code=204)
async def delete_order(order_id: str, store: StoreDep, _a=Auth):
    must_get(store, "order", order_id, "Order")
    store.delete("order", order_id)
    return Response(status_code=204)
