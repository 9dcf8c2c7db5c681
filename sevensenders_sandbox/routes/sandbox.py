"""The control endpoints (``/_sandbox/...``), not part of the emulated API:
health, reset, faults, token revocation, carrier scans, inspection. No token,
no faults (:class:`..faults.FaultMiddleware` skips them), not in OpenAPI."""

import time

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, field_validator

from ..faults import FaultConfig
from ..lifecycle import derive_order_state
from ..models import _when
from ..rules import must_get, now_iso
from ..state import StateDep, StoreDep

router = APIRouter(prefix="/_sandbox", include_in_schema=False)


@router.get("/health")
async def health():
    return {"status": "ok"}


@router.post("/reset")
async def reset(state: StateDep):
    state.store.reset()
    state.faults = FaultConfig()
    state.rate_limited_until = 0.0
    state.reset_stats()
    return {"status": "reset"}


@router.get("/faults")
async def get_faults(state: StateDep):
    return state.faults


@router.put("/faults")
async def set_faults(body: FaultConfig, state: StateDep):
    state.faults = body
    state.rate_limited_until = (
        time.time() + body.rate_limit_seconds if body.rate_limit_seconds else 0.0
    )
    return state.faults


@router.post("/tokens/revoke")
async def revoke_tokens(state: StateDep):
    state.token_generation += 1
    return {"token_generation": state.token_generation}


class StatusChange(BaseModel):
    status: str
    #: when the carrier scanned it, ISO-8601 with an offset, kept as written
    #: (the real API's histories carry offsets); default: now
    datetime: str | None = None

    @field_validator("datetime")
    @classmethod
    def _iso(cls, value):
        if value is not None:
            _when(value)
        return value


@router.post("/shipments/{shipment_id}/status")
async def move_shipment(shipment_id: str, body: StatusChange, store: StoreDep):
    """Move a shipment through carrier statuses (pickup, in_transit,
    out_for_delivery, delivered, returned...), as the carrier's scans would."""
    shipment = must_get(store, "shipment", shipment_id, "Shipment")
    history = shipment["states_history"]
    history.append({"state": body.status, "datetime": body.datetime or now_iso()})
    # in the order of the scans, a scan reported late among the earlier ones;
    # the shipment's state is its latest
    history.sort(key=lambda entry: _when(entry["datetime"]))
    shipment["state"] = history[-1]["state"]
    store.update("shipment", shipment)
    order = store.find("order", shipment["order_id"])
    if order:
        derive_order_state(store, order)
    return shipment


class HistoryEntry(StatusChange):
    datetime: str


@router.put("/shipments/{shipment_id}/history")
async def set_shipment_history(
    shipment_id: str, body: list[HistoryEntry], store: StoreDep
):
    """Replace a shipment's whole history (demos: weeks of scans in the past);
    kept in date order, the shipment's state is its latest."""
    shipment = must_get(store, "shipment", shipment_id, "Shipment")
    if not body:
        raise HTTPException(422, "a history needs at least one status")
    history = [{"state": e.status, "datetime": e.datetime} for e in body]
    history.sort(key=lambda entry: _when(entry["datetime"]))
    shipment["states_history"] = history
    shipment["state"] = history[-1]["state"]
    store.update("shipment", shipment)
    order = store.find("order", shipment["order_id"])
    if order:
        derive_order_state(store, order)
    return shipment


@router.get("/stats")
async def stats(state: StateDep):
    return dict(state.stats, objects=state.store.counts())


@router.get("/requests")
async def requests_log(state: StateDep):
    return list(state.request_log)


@router.get("/objects/{kind}")
async def objects(kind: str, store: StoreDep):
    return store.list(kind)


@router.get("/objects/{kind}/{obj_id}")
async def get_object(kind: str, obj_id: str, store: StoreDep):
    return must_get(store, kind, obj_id, kind)


@router.patch("/objects/{kind}/{obj_id}")
async def patch_object(kind: str, obj_id: str, body: dict, store: StoreDep):
    """Change Seven Senders' copy behind the shop's back (a change made in the
    portal, a lost call): the keys given are set, a ``null`` removes one;
    the id and the key (our reference) cannot change."""
    stored = must_get(store, kind, obj_id, kind)
    for key, value in body.items():
        if key == "id":
            raise HTTPException(422, "the id cannot change")
        if value is None:
            stored.pop(key, None)
        else:
            stored[key] = value
    return store.update(kind, stored)


@router.delete("/objects/{kind}/{obj_id}")
async def delete_object(kind: str, obj_id: str, store: StoreDep):
    """Delete an object behind the shop's back."""
    must_get(store, kind, obj_id, kind)
    store.delete(kind, obj_id)
    return {"deleted": True}
