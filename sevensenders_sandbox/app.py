"""The emulated Seven Senders API v2 (FastAPI).

Request bodies are validated by the sandbox's own models, written from the
integration guides (:mod:`.models`; nothing is imported from the client).
Errors answer API-Platform-style JSON bodies naming the offending field
(``violations[].propertyPath``), with the statuses the guides list: 400 for
malformed JSON or a missing mandatory field, 404 for an unknown id or route,
422 for an invalid value or a reference that is already used.
"""

import base64
import binascii
import collections
import datetime as dt
import hashlib
import secrets
import time
import uuid
from dataclasses import dataclass, field

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import (
    jwt,
    labels,
    pudo,
    reference,
)
from . import models as m
from .faults import AliasMiddleware, FaultConfig, FaultMiddleware
from .paths import ROUTES, spellings
from .store import Duplicate, Store

DEFAULT_ACCESS_KEY = "sandbox-access-key"
REQUEST_LOG_SIZE = 20000
DEFAULT_PORT = 8765
LABEL_DEDUP_SECONDS = 48 * 3600
MAX_LIMIT = 1000
#: the message of API-Platform's unique-value constraint (a 422 violation)
ALREADY_USED = "This value is already used."


@dataclass
class SandboxConfig:
    access_keys: tuple = (DEFAULT_ACCESS_KEY,)
    token_ttl: int = 3600
    db: str = ":memory:"
    faults: FaultConfig = field(default_factory=FaultConfig)
    #: path spellings answered: "all", "seed" (the guides') or "plugins"
    paths: str = "all"


class SandboxState:
    def __init__(self, config):
        self.config = config
        self.store = Store(config.db)
        self.secret = secrets.token_hex(32)
        self.token_generation = 0
        self.faults = config.faults.model_copy()
        self.rate_limited_until = 0.0
        self.rng = None
        self.rng_seed = object()
        self.reset_stats()

    def reset_stats(self):
        #: every call of the emulated API in arrival order (bounded), with the
        #: status answered (None: the connection was dropped)
        self.request_log = collections.deque(maxlen=REQUEST_LOG_SIZE)
        self.stats = {
            "requests": {},
            "faults": {
                "dropped": 0,
                "dropped_after": 0,
                "rate_limited": 0,
                "errors": 0,
            },
            "tokens_issued": 0,
            "responses": {},  # status -> count, for the emulated API
        }


class ApiError(Exception):
    def __init__(self, status, detail, field=None, **extra):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.field = field
        self.extra = extra


TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    422: "Unprocessable Entity",
}


def problem(status, detail, violations=(), **extra):
    body = {
        "type": "https://tools.ietf.org/html/rfc2616#section-10",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if violations:
        body["violations"] = [{"propertyPath": f, "message": m} for f, m in violations]
    body.update(extra)
    return JSONResponse(body, status_code=status)


def now_iso():
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+00:00")


class AccessKey(BaseModel):
    access_key: str


def create_app(config=None):
    config = config or SandboxConfig()
    state = SandboxState(config)
    store = state.store
    app = FastAPI(
        title="Seven Senders API v2 (local sandbox)",
        version="2.0-sandbox",
        description="A local emulator of the Seven Senders API for development and tests.",
    )
    app.state.sandbox = state

    # -- errors -------------------------------------------------------------

    @app.exception_handler(ApiError)
    async def _api_error(request, exc):
        violations = [(exc.field, exc.detail)] if exc.field else []
        detail = f"{exc.field}: {exc.detail}" if exc.field else exc.detail
        return problem(exc.status, detail, violations, **exc.extra)

    @app.exception_handler(StarletteHTTPException)
    async def _no_route(request, exc):
        if exc.status_code in (404, 405):
            # API-Platform (Symfony) words an unknown path this way; a client
            # tells it from an unknown object ("Order 5 not found.") by it
            return problem(
                404, f'No route found for "{request.method} {request.url.path}"'
            )
        return problem(exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request, exc):
        errors = exc.errors()
        pairs = m.error_pairs(errors)
        status = (
            400
            if any(e["type"] in ("missing", "json_invalid") for e in errors)
            else 422
        )
        detail = "; ".join(f"{f}: {m}" for f, m in pairs)
        return problem(status, detail, pairs)

    # -- auth ---------------------------------------------------------------

    def authenticated(request: Request):
        header = request.headers.get("authorization", "")
        if not header.lower().startswith("bearer "):
            raise ApiError(401, "JWT Token not found")
        try:
            claims = jwt.decode(header[7:].strip(), state.secret)
        except ValueError:
            raise ApiError(401, "Invalid JWT Token") from None
        if claims.get("gen") != state.token_generation:
            raise ApiError(401, "Invalid JWT Token")
        if claims.get("exp", 0) <= time.time():
            raise ApiError(401, "Expired JWT Token")
        return claims

    Auth = Depends(authenticated)

    def api(operation, name=None, **kw):
        """Register one operation under each spelling its paths mode answers."""
        method = ROUTES[operation][0]

        def register(func):
            for index, path in enumerate(spellings(operation, config.paths)):
                app.add_api_route(
                    "/v2" + path,
                    func,
                    methods=[method],
                    name=name if index == 0 else None,
                    include_in_schema=index == 0,
                    **kw,
                )
            return func

        return register

    @api("token", tags=["Authentication"])
    async def token(body: AccessKey):
        if body.access_key not in state.config.access_keys:
            raise ApiError(401, "Invalid access key.")
        now = time.time()
        claims = {
            "sub": hashlib.sha256(body.access_key.encode()).hexdigest()[:16],
            "iat": int(now),
            "exp": now + (state.faults.token_ttl or state.config.token_ttl),
            "gen": state.token_generation,
            "jti": uuid.uuid4().hex,
        }
        state.stats["tokens_issued"] += 1
        return {
            "token": jwt.encode(claims, state.secret),
            "allowed_to_track_all_shipments": True,
            "allowed_to_send_seven_senders_shipments": True,
        }

    # -- helpers ------------------------------------------------------------

    def must_get(kind, obj_id, label):
        obj = store.get(kind, obj_id)
        if obj is None:
            raise ApiError(404, f"{label} {obj_id} not found.")
        return obj

    def order_by_ref(order_id, field_name="order_id"):
        order = store.find("order", order_id)
        if order is None:
            raise ApiError(
                422,
                f"no order with order_id {order_id!r}; create the order first",
                field_name,
            )
        return order

    def page(request, kind, filters, default_limit=20):
        params = request.query_params
        try:
            limit = int(params.get("limit", default_limit))
            offset = int(params.get("offset", 0))
        except ValueError:
            raise ApiError(400, "limit and offset must be integers", "limit") from None
        if not 1 <= limit <= MAX_LIMIT:
            raise ApiError(400, f"must be between 1 and {MAX_LIMIT}", "limit")
        if offset < 0:
            raise ApiError(400, "must not be negative", "offset")
        return store.list(kind, filters, limit=limit, offset=offset)

    def new_order(data):
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
        try:
            return store.insert("order", doc, key=doc["order_id"])
        except Duplicate:
            raise ApiError(422, ALREADY_USED, "order_id") from None

    def ensure_order(data, order_id):
        """The order a shipment or label names, created from an inline order;
        None when it names none (seed 001 does not require ``order_id``)."""
        if data.get("order"):
            existing = store.find("order", data["order"]["order_id"])
            return existing or new_order(data["order"])
        return order_by_ref(order_id) if order_id else None

    def advance(order, new_state, when=None):
        """Record a state; the order's state only ever moves forward."""
        order["states_history"].append(
            {"state": new_state, "datetime": when or now_iso()}
        )
        rank = reference.ORDER_STATE_RANK
        if rank.get(new_state, 0) > rank.get(order["state"], 0):
            order["state"] = new_state

    def link_shipment(order, shipment):
        if order is None:
            return
        order["shipments"].append(shipment["id"])
        if reference.ORDER_STATE_RANK.get(order["state"], 0) < 4:
            advance(order, "shipped")
        store.update("order", order)

    def derive_order_state(order):
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

    # -- orders -------------------------------------------------------------

    @api("orders.create", status_code=201, tags=["Order"])
    async def create_order(body: m.OrderIn, _a=Auth):
        return new_order(body.dump())

    @api("orders.list", tags=["Order"])
    async def list_orders(
        request: Request,
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
        found = page(request, "order", filters)
        if after or before:
            found = [
                o
                for o in found
                if (not after or o["order_date"] >= after)
                and (not before or o["order_date"] <= before)
            ]
        return found

    @api("orders.get", tags=["Order"])
    async def get_order(order_id: str, _a=Auth):
        return must_get("order", order_id, "Order")

    @api("orders.update", tags=["Order"])
    async def update_order(order_id: str, body: m.OrderChange, _a=Auth):
        order = must_get("order", order_id, "Order")
        changes = body.dump()
        order.update(changes)
        for key in ("order_url", "order_date"):
            if key in changes:
                order[f"shop_{key}"] = changes[key]
        store.update("order", order)
        derive_order_state(order)
        return order

    @api("orders.delete", status_code=204, tags=["Order"])
    async def delete_order(order_id: str, _a=Auth):
        must_get("order", order_id, "Order")
        store.delete("order", order_id)
        return Response(status_code=204)

    @api("order_states.create", status_code=201, tags=["Order"])
    async def create_order_state(body: m.OrderStateIn, response: Response, _a=Auth):
        data = body.dump()
        order = order_by_ref(data["order_id"])
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

    # -- shipments ----------------------------------------------------------

    @api("shipments.create", status_code=201, tags=["Shipment"])
    async def create_shipment(body: m.ShipmentIn, _a=Auth):
        with store.atomic():
            return _create_shipment(body.dump())

    def _create_shipment(data):
        order = ensure_order(data, data.get("order_id"))
        data.pop("order", None)
        data["order_id"] = order["order_id"] if order else None
        if data.get("reference_number") and store.find(
            "shipment", data["reference_number"]
        ):
            raise ApiError(422, ALREADY_USED, "reference_number")
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
            shipment["carrier_tracking_url"] = (
                f"https://track.sandbox.invalid/{shipment['carrier']['name']}/"
                f"{shipment['tracking_code']}"
            )
            store.update("shipment", shipment)
        link_shipment(order, shipment)
        return shipment

    @api("shipments.list", tags=["Shipment"])
    async def list_shipments(
        request: Request,
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
        return page(request, "shipment", filters)

    @api("shipments.get", tags=["Shipment"])
    async def get_shipment(shipment_id: str, _a=Auth):
        return must_get("shipment", shipment_id, "Shipment")

    @api("shipments.update", tags=["Shipment"])
    async def update_shipment(shipment_id: str, body: m.ShipmentChange, _a=Auth):
        shipment = must_get("shipment", shipment_id, "Shipment")
        shipment.update(body.dump())
        return store.update("shipment", shipment)

    @api("shipments.delete", status_code=204, tags=["Shipment"])
    async def delete_shipment(shipment_id: str, _a=Auth):
        must_get("shipment", shipment_id, "Shipment")
        store.delete("shipment", shipment_id)
        return Response(status_code=204)

    @api("shipment_events.create", status_code=201, tags=["Shipment"])
    async def create_shipment_event(
        body: m.ShipmentEventIn, response: Response, _a=Auth
    ):
        data = body.dump()
        shipment = store.get("shipment", data["id"])
        if shipment is None:
            raise ApiError(422, f"no shipment with id {data['id']}", "id")
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

    # -- carriers -----------------------------------------------------------

    @api("carriers.list", tags=["Carrier"])
    async def list_carriers(_a=Auth):
        by_code = {}
        for country, codes in reference.CARRIERS_BY_COUNTRY.items():
            for code in codes:
                by_code.setdefault(code, []).append(country)
        return [
            {
                "code": code,
                "name": code.replace("_", " ").title(),
                "countries": countries,
                "services": list(reference.CARRIER_SERVICES),
                "tracking_url": f"https://track.sandbox.invalid/{code}/{{tracking_code}}",
            }
            for code, countries in sorted(by_code.items())
        ]

    # -- labels -------------------------------------------------------------

    def make_label(request, data, order, kind):
        shipment = {
            "order_id": order["order_id"],
            "shop_order_id": order["order_id"],
            "reference_number": None,
            "carrier": data["carrier"],
            "carrier_service": data.get("carrier_service", "standard"),
            "return_parcel": kind == "return",
            "pickup_point_selected": bool(data.get("pudo_id")),
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
        shipment["carrier_tracking_url"] = (
            f"https://track.sandbox.invalid/{data['carrier']['name']}/{shipment['tracking_code']}"
        )
        store.update("shipment", shipment)
        link_shipment(order, shipment)
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
        label["label_url"] = str(
            request.url_for("download_label", label_id=label["id"])
        )
        store.update("label", label)
        content, _mime = labels.render({**data, **label, "return_parcel": kind})
        store.put_file(
            "label", label["id"], content, f"label-{label['id']}.{data['format']}"
        )
        return label

    @api("labels.create", status_code=201, tags=["Label"])
    async def create_label(
        request: Request, body: m.LabelIn, response: Response, _a=Auth
    ):
        data = body.dump()
        kinds = (
            ["outbound", "return"]
            if data["return_parcel"] == "both"
            else [data["return_parcel"]]
        )
        existing = [
            store.find("label", f"{data['reference_number']}|{k}") for k in kinds
        ]
        if all(existing):
            ages = [time.time() - store.created("label", lab["id"]) for lab in existing]
            if max(ages) < LABEL_DEDUP_SECONDS:
                response.status_code = 200  # same reference within 48 h: same label
                return existing if len(existing) > 1 else existing[0]
        if any(existing):
            raise ApiError(422, ALREADY_USED, "reference_number")
        with store.atomic():
            order = ensure_order(data, data.get("order_id"))
            made = [make_label(request, data, order, kind) for kind in kinds]
        return made if len(made) > 1 else made[0]

    @api("labels.download", name="download_label", tags=["Label"])
    async def download_label(label_id: str, _a=Auth):
        label = must_get("label", label_id, "Label")
        stored = store.get_file("label", label_id)
        if stored is None:
            raise ApiError(404, f"Label {label_id} has no file.")
        mime = "application/pdf" if label["format"] == "pdf" else "application/zpl"
        return Response(
            stored[1],
            media_type=mime,
            headers={"Content-Disposition": f'attachment; filename="{stored[0]}"'},
        )

    @api("labels.delete", status_code=204, tags=["Label"])
    async def delete_label(label_id: str, _a=Auth):
        label = must_get("label", label_id, "Label")
        shipment = store.get("shipment", label["shipment_id"])
        if shipment:
            shipment["state"] = "cancelled"
            shipment["states_history"].append(
                {"state": "cancelled", "datetime": now_iso()}
            )
            store.update("shipment", shipment)
        store.delete("label", label_id)
        store.delete_file("label", label_id)
        return Response(status_code=204)

    # -- customs ------------------------------------------------------------

    @api("customs_shipments.create", status_code=201, tags=["Customs"])
    async def create_customs_shipment(body: m.CustomsIn, _a=Auth):
        data = body.dump()
        if store.get("shipment", data["shipment_id"]) is None:
            raise ApiError(
                422, f"no shipment with id {data['shipment_id']}", "shipment_id"
            )
        data.update(status="created", manifest_id=None, created_at=now_iso())
        try:
            return store.insert("customs_shipment", data, key=data["shipment_id"])
        except Duplicate:
            raise ApiError(422, ALREADY_USED, "shipment_id") from None

    @api("customs_shipments.list", tags=["Customs"])
    async def list_customs_shipments(
        request: Request,
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
        found = page(request, "customs_shipment", filters)
        if planned_pickup_date:
            day = planned_pickup_date.isoformat()
            found = [c for c in found if c["planned_pickup_datetime"].startswith(day)]
        return found

    def mutable_customs(customs_id):
        customs = must_get("customs_shipment", customs_id, "Customs shipment")
        if customs.get("manifest_id"):
            raise ApiError(
                422,
                f"is in manifest {customs['manifest_id']} and can no longer change",
                "manifest_id",
            )
        return customs

    @api("customs_shipments.get", tags=["Customs"])
    async def get_customs_shipment(customs_id: str, _a=Auth):
        return must_get("customs_shipment", customs_id, "Customs shipment")

    @api("customs_shipments.update", tags=["Customs"])
    async def update_customs_shipment(customs_id: str, body: m.CustomsChange, _a=Auth):
        customs = mutable_customs(customs_id)
        customs.update(body.dump())
        return store.update("customs_shipment", customs)

    @api("customs_shipments.delete", status_code=204, tags=["Customs"])
    async def delete_customs_shipment(customs_id: str, _a=Auth):
        mutable_customs(customs_id)
        store.delete("customs_shipment", customs_id)
        return Response(status_code=204)

    @api("customs_manifests.create", status_code=201, tags=["Customs"])
    async def create_customs_manifest(body: m.ManifestIn, _a=Auth):
        data = body.dump()
        if store.find("customs_manifest", data["manifest_id"]):
            raise ApiError(422, ALREADY_USED, "manifest_id")
        customs = []
        for index, shipment_id in enumerate(data["shipment_ids"]):
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
        data["created_at"] = now_iso()
        with store.atomic():
            manifest = store.insert("customs_manifest", data, key=data["manifest_id"])
            for found in customs:
                found.update(manifest_id=data["manifest_id"], status="manifested")
                store.update("customs_shipment", found)
        return manifest

    # -- products, images, order items -------------------------------------

    @api("products.create", status_code=201, tags=["Product"])
    async def create_product(body: m.ProductIn, _a=Auth):
        data = body.dump()
        try:
            return store.insert("product", data, key=data["sku"])
        except Duplicate:
            raise ApiError(422, ALREADY_USED, "sku") from None

    @api("products.get", tags=["Product"])
    async def get_product(sku: str, _a=Auth):
        product = store.find("product", sku)
        if product is None:
            raise ApiError(404, f"Product {sku} not found.")
        return product

    @api("products.update", tags=["Product"])
    async def update_product(sku: str, body: m.ProductChange, _a=Auth):
        product = store.find("product", sku)
        if product is None:
            raise ApiError(404, f"Product {sku} not found.")
        product.update(body.dump())
        return store.update("product", product)

    @api("product_images.put", tags=["Product"])
    async def put_product_image(body: m.ProductImageIn, _a=Auth):
        try:
            content = base64.b64decode(body.attachment, validate=True)
        except (binascii.Error, ValueError):
            raise ApiError(422, "is not valid base64", "attachment") from None
        product = store.find("product", body.sku)
        if product is None:  # documented: an unknown SKU is created
            product = store.insert("product", {"sku": body.sku}, key=body.sku)
        checksum = hashlib.sha1(content).hexdigest()
        store.put_file("product_image", body.sku, content, body.filename)
        product.update(image_filename=body.filename, image_checksum=checksum)
        store.update("product", product)
        return {
            "sku": body.sku,
            "filename": body.filename,
            "size": len(content),
            "checksum": checksum,
        }

    @api("product_images.delete", status_code=204, tags=["Product"])
    async def delete_product_image(sku: str, _a=Auth):
        if not store.delete_file("product_image", sku):
            raise ApiError(404, f"Product {sku} has no image.")
        return Response(status_code=204)

    def check_shipment_ref(shipment_id):
        if shipment_id and store.get("shipment", shipment_id) is None:
            raise ApiError(422, f"no shipment with id {shipment_id}", "shipment_id")

    @api("order_items.create", status_code=201, tags=["OrderItem"])
    async def create_order_item(body: m.OrderItemIn, _a=Auth):
        data = body.dump()
        order_by_ref(data["order_id"])
        check_shipment_ref(data.get("shipment_id"))
        data["created_at"] = now_iso()
        return store.insert("order_item", data)

    @api("order_items.list", tags=["OrderItem"])
    async def list_order_items(
        request: Request,
        order_id: str | None = None,
        sku: str | None = None,
        shipment_id: str | None = None,
        _a=Auth,
    ):
        filters = {"order_id": order_id, "sku": sku, "shipment_id": shipment_id}
        return page(request, "order_item", filters, default_limit=100)

    @api("order_items.update", tags=["OrderItem"])
    async def update_order_item(item_id: str, body: m.OrderItemChange, _a=Auth):
        item = must_get("order_item", item_id, "Order item")
        data = body.dump()
        check_shipment_ref(data.get("shipment_id"))
        item.update(data)
        return store.update("order_item", item)

    # -- PUDO locator -------------------------------------------------------

    @api("pudo.locations", tags=["PUDO"])
    async def pudo_locations(
        request: Request,
        country: str = Query(..., pattern=r"^[A-Z]{2}$"),
        latitude: float | None = Query(None, ge=-90, le=90),
        longitude: float | None = Query(None, ge=-180, le=180),
        zip: str | None = Query(None, min_length=1, max_length=32),
        city: str | None = Query(None, max_length=255),
        street: str | None = Query(None, max_length=255),
        carrier_name: str | None = Query(None, min_length=1, max_length=64),
        max_distance: int | None = Query(None, ge=1, le=100000),
        max_number_of_results: int | None = Query(
            None, ge=1, le=reference.PUDO_MAX_RESULTS
        ),
        _a=Auth,
    ):
        params = request.query_params
        carrier_names = (
            params.getlist("carrier_names[]") or params.getlist("carrier_names") or None
        )
        days = params.getlist("opening_days[]")
        if any(not d.isdigit() or int(d) > 6 for d in days):
            raise ApiError(422, "must be weekdays 0 (Monday) to 6", "opening_days")
        options = {
            "carrier_names": carrier_names,
            "max_distance": max_distance,
            "max_results": max_number_of_results,
            "opening_days": [int(d) for d in days] or None,
        }
        if latitude is not None or longitude is not None:
            if latitude is None or longitude is None:
                raise ApiError(400, "give both latitude and longitude", "latitude")
            return pudo.search(country, latitude, longitude, **options)
        if zip or city:
            if not zip:
                raise ApiError(400, "is required with city", "zip")
            located = pudo.geocode(country, zip, city)
            if located is None:
                return []
            return pudo.search(country, *located, **options)
        if carrier_name:
            return pudo.all_points(country, carrier_name)
        raise ApiError(
            400,
            "give latitude and longitude, an address (zip, city) or carrier_name",
            "country",
        )

    # -- control endpoints (not part of the emulated API) -------------------

    @app.get("/_sandbox/health", include_in_schema=False)
    async def health():
        return {"status": "ok"}

    @app.post("/_sandbox/reset", include_in_schema=False)
    async def reset():
        store.reset()
        state.faults = FaultConfig()
        state.rate_limited_until = 0.0
        state.reset_stats()
        return {"status": "reset"}

    @app.get("/_sandbox/faults", include_in_schema=False)
    async def get_faults():
        return state.faults

    @app.put("/_sandbox/faults", include_in_schema=False)
    async def set_faults(body: FaultConfig):
        state.faults = body
        state.rate_limited_until = (
            time.time() + body.rate_limit_seconds if body.rate_limit_seconds else 0.0
        )
        return state.faults

    @app.post("/_sandbox/tokens/revoke", include_in_schema=False)
    async def revoke_tokens():
        state.token_generation += 1
        return {"token_generation": state.token_generation}

    class StatusChange(BaseModel):
        status: str
        datetime: str | None = None

    @app.post("/_sandbox/shipments/{shipment_id}/status", include_in_schema=False)
    async def move_shipment(shipment_id: str, body: StatusChange):
        """Move a shipment through carrier statuses (pickup, in_transit,
        out_for_delivery, delivered, returned...), as the carrier's scans would."""
        shipment = must_get("shipment", shipment_id, "Shipment")
        shipment["state"] = body.status
        shipment["states_history"].append(
            {"state": body.status, "datetime": body.datetime or now_iso()}
        )
        store.update("shipment", shipment)
        order = store.find("order", shipment["order_id"])
        if order:
            derive_order_state(order)
        return shipment

    @app.get("/_sandbox/stats", include_in_schema=False)
    async def stats():
        return dict(state.stats, objects=store.counts())

    @app.get("/_sandbox/requests", include_in_schema=False)
    async def requests_log():
        return list(state.request_log)

    @app.get("/_sandbox/objects/{kind}", include_in_schema=False)
    async def objects(kind: str):
        return store.list(kind)

    return AliasMiddleware(FaultMiddleware(app, state), enabled=config.paths == "all")


def sandbox_state(asgi_app):
    """The :class:`SandboxState` behind the (middleware-wrapped) app."""
    inner = asgi_app
    while not hasattr(inner, "state") or not hasattr(inner.state, "sandbox"):
        inner = inner.app
    return inner.state.sandbox
