"""``POST /order-states`` (seed 003): a state the shop sets on an order."""

from fastapi.responses import Response

from .. import models as m
from ..lifecycle import advance
from ..rules import Auth, order_by_ref
from ..state import StoreDep
from ..store import Duplicate
from . import Operations

operations = Operations("Order")


@operations("order_states.create", status_code=201)
async def create_order_state(
    body: m.OrderStateIn, response: Response, store: StoreDep, _a=Auth
):
    data = body.dump()
    order = order_by_ref(store, data["order_id"])
    key = f"{data['order_id']}|{data['state']}|{data['datetime']}"
    response.headers["Location"] = f"/v2/orders/{order['id']}"
    try:
        with store.atomic():
            record = store.insert("order_state", data, key=key)
            advance(order, data["state"], data["datetime"])
            store.update("order", order)
    except Duplicate as dup:
        response.status_code = 200  # the same state again: recorded once
        return dup.existing
    return record
