"""The life of orders and shipments, shared by the routes that create or move
them: an order's state only ever moves forward (``shipped`` at its first
shipment, ``completed`` when every shipment is delivered, seed 003)."""

from . import reference
from .rules import insert_unique, now_iso, order_by_ref


def new_order(store, data):
    doc = dict(data)
    doc.update(
        shop_order_id=doc["order_id"],
        shop_order_url=doc.get("order_url"),
        shop_order_date=doc.get("order_date"),
        state="new",
        states_history=[{"state": "new", "datetime": now_iso()}],
        shipments=[],
        created_at=now_iso(),
    )
    doc.setdefault("boarding_complete", None)
    return insert_unique(store, "order", doc, doc["order_id"], "order_id")


def ensure_order(store, data, order_id):
    """The order a shipment or label names, created from an inline order;
    None when it names none (seed 001 does not require ``order_id``)."""
    if data.get("order"):
        existing = store.find("order", data["order"]["order_id"])
        return existing or new_order(store, data["order"])
    return order_by_ref(store, order_id) if order_id else None


def advance(order, new_state, when=None):
    """Record a state; the order's state only ever moves forward."""
    order["states_history"].append({"state": new_state, "datetime": when or now_iso()})
    rank = reference.ORDER_STATE_RANK
    if rank.get(new_state, 0) > rank.get(order["state"], 0):
        order["state"] = new_state


def link_shipment(store, order, shipment):
    if order is None:
        return
    order["shipments"].append(shipment["id"])
    if reference.ORDER_STATE_RANK.get(order["state"], 0) < 4:
        advance(order, "shipped")
    store.update("order", order)


def derive_order_state(store, order):
    """Documented: completed when boarding_complete is true or unset and every
    shipment of the order is delivered (shipped is set at the first shipment)."""
    shipments = [store.get("shipment", sid) for sid in order.get("shipments", [])]
    shipments = [s for s in shipments if s and not s.get("return_parcel")]
    if (
        shipments
        and order.get("boarding_complete") in (True, None)
        and all(s.get("state") == "delivered" for s in shipments)
        and order["state"] != "completed"
    ):
        advance(order, "completed")
        store.update("order", order)


def tracking_code(carrier, shipment_id):
    return f"{carrier['name'][:3].upper()}{shipment_id}{carrier['country']}"


def tracking_url(carrier_name, code):
    return f"https://track.sandbox.invalid/{carrier_name}/{code}"
