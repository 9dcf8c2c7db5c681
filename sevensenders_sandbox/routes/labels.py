"""Labels (research §1.8): a shipment with its label file, PDF or ZPL.

The same ``reference_number`` within 48 hours answers the same label (200).
"""

import base64
import time

from fastapi import Request
from fastapi.responses import Response

from .. import models as m
from ..labels import render
from ..lifecycle import ensure_order, link_shipment, tracking_code, tracking_url
from ..rules import ALREADY_USED, ApiError, Auth, must_get, now_iso
from ..state import StateDep, StoreDep
from . import Operations

LABEL_DEDUP_SECONDS = 48 * 3600

operations = Operations("Label")


def label_shipment(store, data, order, kind):
    """The shipment a label is printed for, linked to its order."""
    shipment = {
        "order_id": order["order_id"],
        "shop_order_id": order["order_id"],
        "reference_number": None,
        "carrier": data["carrier"],
        "carrier_service": data.get("carrier_service", "standard"),
        "return_parcel": kind == "return",
        # the recipient address is a pickup point: an outbound parcel's; a
        # return goes to the warehouse, its pudo_id is where it is handed in
        "pickup_point_selected": kind != "return" and bool(data.get("pudo_id")),
        "pudo_id": data.get("pudo_id"),
        "collection_point_name1": data.get("collection_point_name1"),
        "recipient_first_name": data["recipient_first_name"],
        "recipient_last_name": data["recipient_last_name"],
        "recipient_email": data["recipient_email"],
        "recipient_zip": data["recipient_zip"],
        "recipient_city": data["recipient_city"],
        "recipient_country": data["recipient_country"],
        "warehouse": data.get("warehouse"),
        "weight": data.get("weight"),
        "state": "new",
        "states_history": [{"state": "new", "datetime": now_iso()}],
        "events": [],
        "created_at": now_iso(),
        "label": True,
    }
    shipment = store.insert("shipment", shipment)
    shipment["tracking_code"] = tracking_code(data["carrier"], shipment["id"])
    shipment["carrier_tracking_url"] = tracking_url(
        data["carrier"]["name"], shipment["tracking_code"]
    )
    store.update("shipment", shipment)
    link_shipment(store, order, shipment)
    return shipment


def make_label(request, store, data, order, kind):
    """A label of ``kind`` (outbound or return), its shipment and its file."""
    shipment = label_shipment(store, data, order, kind)
    label = {
        "shipment_id": shipment["id"],
        "tracking_code": shipment["tracking_code"],
        "reference_number": data["reference_number"],
        "format": data["format"],
        "return_parcel": kind,
        "carrier": data["carrier"],
        "order_id": order["order_id"],
        "created_at": now_iso(),
    }
    label = store.insert("label", label, key=f"{data['reference_number']}|{kind}")
    label["label_url"] = str(request.url_for("download_label", label_id=label["id"]))
    store.update("label", label)
    content, _mime = render({**data, **label, "return_parcel": kind})
    store.put_file(
        "label", label["id"], content, f"label-{label['id']}.{data['format']}"
    )
    return label


@operations("labels.create", status_code=201)
async def create_label(
    request: Request,
    body: m.LabelIn,
    response: Response,
    store: StoreDep,
    state: StateDep,
    _a=Auth,
):
    data = body.dump()
    if state.faults.inline_labels:
        return _inline(store, await _create_label(request, data, response, store))
    return await _create_label(request, data, response, store)


def _inline(store, answer):
    """The answer with each label's file (``label_data``, base64)."""
    labels = answer if isinstance(answer, list) else [answer]
    labels = [
        dict(lab, label_data=base64.b64encode(store.get_file("label", lab["id"])[1]))
        for lab in labels
    ]
    return labels if isinstance(answer, list) else labels[0]


async def _create_label(request, data, response, store):
    kinds = (
        ["outbound", "return"]
        if data["return_parcel"] == "both"
        else [data["return_parcel"]]
    )
    existing = [store.find("label", f"{data['reference_number']}|{k}") for k in kinds]
    if all(existing):
        ages = [time.time() - store.created("label", lab["id"]) for lab in existing]
        if max(ages) < LABEL_DEDUP_SECONDS:
            response.status_code = 200  # same reference within 48 h: same label
            return existing if len(existing) > 1 else existing[0]
    if any(existing):
        raise ApiError(422, ALREADY_USED, "reference_number")
    with store.atomic():
        order = ensure_order(store, data, data.get("order_id"))
        made = [make_label(request, store, data, order, kind) for kind in kinds]
    return made if len(made) > 1 else made[0]


@operations("labels.download", name="download_label")
async def download_label(label_id: str, store: StoreDep, _a=Auth):
    label = must_get(store, "label", label_id, "Label")
    stored = store.get_file("label", label_id)
    if stored is None:
        raise ApiError(404, f"Label {label_id} has no file.")
    mime = "application/pdf" if label["format"] == "pdf" else "application/zpl"
    return Response(
        stored[1],
        media_type=mime,
        headers={"Content-Disposition": f'attachment; filename="{stored[0]}"'},
    )


@operations("labels.delete", status_code=204)
async def delete_label(label_id: str, store: StoreDep, _a=Auth):
    label = must_get(store, "label", label_id, "Label")
    # its shipment is cancelled (a route's docstring would enter OpenAPI)
    shipment = store.get("shipment", label["shipment_id"])
    if shipment:
        shipment["state"] = "cancelled"
        shipment["states_history"].append({"state": "cancelled", "datetime": now_iso()})
        store.update("shipment", shipment)
    store.delete("label", label_id)
    store.delete_file("label", label_id)
    return Response(status_code=204)
