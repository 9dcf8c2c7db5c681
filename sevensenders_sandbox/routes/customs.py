"""Customs shipments and manifests (research §1.9).

A customs shipment in a manifest can no longer change.
"""

import datetime as dt

from fastapi import Request
from fastapi.responses import Response

from .. import models as m
from ..rules import (
    ApiError,
    Auth,
    insert_unique,
    must_get,
    now_iso,
    page,
    refuse_taken,
    shipment_by_id,
)
from ..state import StoreDep
from . import Operations

operations = Operations("Customs")


@operations("customs_shipments.create", status_code=201)
async def create_customs_shipment(body: m.CustomsIn, store: StoreDep, _a=Auth):
    data = body.dump()
    shipment_by_id(store, data["shipment_id"])
    data.update(status="created", manifest_id=None, created_at=now_iso())
    return insert_unique(
        store, "customs_shipment", data, data["shipment_id"], "shipment_id"
    )


@operations("customs_shipments.list")
async def list_customs_shipments(
    request: Request,
    store: StoreDep,
    manifest_id: str | None = None,
    shipment_id: str | None = None,
    order_id: str | None = None,
    types: str | None = None,
    status: str | None = None,
    planned_pickup_date: dt.date | None = None,
    _a=Auth,
):
    filters = {
        "manifest_id": manifest_id,
        "shipment_id": shipment_id,
        "order_id": order_id,
        "type": types,
        "status": status,
    }
    found = page(request, store, "customs_shipment", filters)
    if planned_pickup_date:
        day = planned_pickup_date.isoformat()
        found = [c for c in found if c["planned_pickup_datetime"].startswith(day)]
    return found


def mutable_customs(store, customs_id):
    customs = must_get(store, "customs_shipment", customs_id, "Customs shipment")
    if customs.get("manifest_id"):
        raise ApiError(
            422,
            f"is in manifest {customs['manifest_id']} and can no longer change",
            "manifest_id",
        )
    return customs


@operations("customs_shipments.get")
async def get_customs_shipment(customs_id: str, store: StoreDep, _a=Auth):
    return must_get(store, "customs_shipment", customs_id, "Customs shipment")


@operations("customs_shipments.update")
async def update_customs_shipment(
    customs_id: str, body: m.CustomsChange, store: StoreDep, _a=Auth
):
    customs = mutable_customs(store, customs_id)
    return store.update("customs_shipment", body.apply_to(customs))


@operations("customs_shipments.delete", status_code=204)
async def delete_customs_shipment(customs_id: str, store: StoreDep, _a=Auth):
    mutable_customs(store, customs_id)
    store.delete("customs_shipment", customs_id)
    return Response(status_code=204)


def manifest_candidates(store, shipment_ids):
    """The customs shipments a manifest takes: each exists, none is taken."""
    customs = []
    for index, shipment_id in enumerate(shipment_ids):
        found = store.find("customs_shipment", shipment_id)
        if found is None:
            raise ApiError(
                422,
                f"no customs shipment for shipment {shipment_id}",
                f"shipment_ids.{index}",
            )
        if found.get("manifest_id"):
            raise ApiError(
                422,
                f"shipment {shipment_id} is already in manifest {found['manifest_id']}",
                f"shipment_ids.{index}",
            )
        customs.append(found)
    return customs


@operations("customs_manifests.create", status_code=201)
async def create_customs_manifest(body: m.ManifestIn, store: StoreDep, _a=Auth):
    data = body.dump()
    refuse_taken(store, "customs_manifest", data["manifest_id"], "manifest_id")
    customs = manifest_candidates(store, data["shipment_ids"])
    data["created_at"] = now_iso()
    with store.atomic():
        manifest = store.insert("customs_manifest", data, key=data["manifest_id"])
        for found in customs:
            found.update(manifest_id=data["manifest_id"], status="manifested")
            store.update("customs_shipment", found)
    return manifest
