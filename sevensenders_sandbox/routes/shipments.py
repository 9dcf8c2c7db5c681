"""Shipments and shipment events (seeds 000, 001; research §1.5, §1.6)."""

from fastapi import Request
from fastapi.responses import Response

from .. import models as m
from ..lifecycle import ensure_order, link_shipment, tracking_url
from ..rules import Auth, must_get, now_iso, page, refuse_taken, shipment_by_id
from ..state import StoreDep
from ..store import Duplicate
from . import Operations

operations = Operations("Shipment")


@operations("shipments.create", status_code=201)
async def create_shipment(body: m.ShipmentIn, store: StoreDep, _a=Auth):
    with store.atomic():
        return new_shipment(store, body.dump())


def new_shipment(store, data):
    """Store a shipment (and its inline order) and link it to its order."""
    order = ensure_order(store, data, data.get("order_id"))
    data.pop("order", None)
    data["order_id"] = order["order_id"] if order else None
    if data.get("reference_number"):
        refuse_taken(store, "shipment", data["reference_number"], "reference_number")
    data.update(
        shop_order_id=data["order_id"],
        state="new",
        states_history=[{"state": "new", "datetime": now_iso()}],
        events=[],
        created_at=now_iso(),
    )
    data.setdefault("trackable", True)
    shipment = store.insert("shipment", data, key=data.get("reference_number"))
    if shipment.get("tracking_code"):
        shipment["carrier_tracking_url"] = tracking_url(
            shipment["carrier"]["name"], shipment["tracking_code"]
        )
        store.update("shipment", shipment)
    link_shipment(store, order, shipment)
    return shipment


@operations("shipments.list")
async def list_shipments(
    request: Request,
    store: StoreDep,
    order_id: str | None = None,
    reference_number: str | None = None,
    tracking_code: str | None = None,
    _a=Auth,
):
    filters = {
        "order_id": order_id,
        "reference_number": reference_number,
        "tracking_code": tracking_code,
    }
    return page(request, store, "shipment", filters)


@operations("shipments.get")
async def get_shipment(shipment_id: str, store: StoreDep, _a=Auth):
    return must_get(store, "shipment", shipment_id, "Shipment")


@operations("shipments.update")
async def update_shipment(
    shipment_id: str, body: m.ShipmentChange, store: StoreDep, _a=Auth
):
    shipment = must_get(store, "shipment", shipment_id, "Shipment")
    return store.update("shipment", body.apply_to(shipment))


@operations("shipments.delete", status_code=204)
async def delete_shipment(shipment_id: str, store: StoreDep, _a=Auth):
    must_get(store, "shipment", shipment_id, "Shipment")
    store.delete("shipment", shipment_id)
    return Response(status_code=204)


@operations("shipment_events.create", status_code=201)
async def create_shipment_event(
    body: m.ShipmentEventIn, response: Response, store: StoreDep, _a=Auth
):
    data = body.dump()
    shipment = shipment_by_id(store, data["id"], "id")
    event = {
        "shipment_id": data["id"],
        "event": data["event"],
        "datetime": data["datetime"],
    }
    try:
        with store.atomic():
            record = store.insert(
                "shipment_event", event, key=f"{data['id']}|{data['event']}"
            )
            shipment["events"].append(event)
            store.update("shipment", shipment)
    except Duplicate as dup:
        response.status_code = 200  # each return event is recorded once
        return dup.existing
    return record
