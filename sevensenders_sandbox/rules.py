"""The rules every route of the emulated API shares.

- errors: API-Platform-style JSON bodies naming the offending field
  (``violations[].propertyPath``), with the statuses the guides list: 400 for
  malformed JSON, a missing mandatory field or a page out of bounds, 401, 404
  for an unknown id or route, 422 for an invalid value or a reference that is
  already used;
- text: no control character anywhere, no line break in a reference or a
  one-line field (the request models apply these);
- the bearer token check (:data:`Auth`), lookups by id and by reference,
  reference uniqueness, and pagination bounds.
"""

import datetime as dt
import re
import time

from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import jwt
from .state import StateDep
from .store import Duplicate

MAX_LIMIT = 1000
#: the message of API-Platform's unique-value constraint (a 422 violation)
ALREADY_USED = "This value is already used."

# -- error bodies -----------------------------------------------------------


class ApiError(Exception):
    """An error answer; ``field`` becomes its violation's ``propertyPath``."""

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


def error_pairs(errors):
    """``(field, message)`` pairs of pydantic's errors, API-Platform style."""
    pairs = []
    for err in errors:
        loc = [str(p) for p in err["loc"]]
        if loc[:1] in (["body"], ["query"], ["path"]):
            loc = loc[1:]
        loc = [
            p
            for p in loc
            if not p.startswith(("function-", "union[", "json-or-python"))
        ]
        message = err["msg"]
        for prefix in ("Value error, ", "Assertion failed, "):
            if message.startswith(prefix):
                message = message[len(prefix) :]
        head, sep, tail = message.partition(": ")
        if sep and re.fullmatch(r"[a-z_][a-z0-9_.]*", head):
            loc.append(head)
            message = tail
        pairs.append((".".join(loc) or "(body)", message))
    return pairs


async def api_error(request, exc):
    violations = [(exc.field, exc.detail)] if exc.field else []
    detail = f"{exc.field}: {exc.detail}" if exc.field else exc.detail
    return problem(exc.status, detail, violations, **exc.extra)


async def no_route(request, exc):
    if exc.status_code in (404, 405):
        # API-Platform (Symfony) words an unknown path this way; a client
        # tells it from an unknown object ("Order 5 not found.") by it
        return problem(404, f'No route found for "{request.method} {request.url.path}"')
    return problem(exc.status_code, str(exc.detail))


async def invalid_request(request, exc):
    errors = exc.errors()
    pairs = error_pairs(errors)
    status = (
        400 if any(e["type"] in ("missing", "json_invalid") for e in errors) else 422
    )
    detail = "; ".join(f"{f}: {m}" for f, m in pairs)
    return problem(status, detail, pairs)


#: ``FastAPI(exception_handlers=ERROR_HANDLERS)``
ERROR_HANDLERS = {
    ApiError: api_error,
    StarletteHTTPException: no_route,
    RequestValidationError: invalid_request,
}

# -- text -------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BREAKS = re.compile(r"[\r\n\t]")


def no_control(value):
    if _CONTROL.search(value):
        raise ValueError("contains a control character")
    return value


def no_control_or_break(value):
    """A reference (order_id, reference_number, sku...)."""
    if _CONTROL.search(value) or _BREAKS.search(value):
        raise ValueError("contains a control character or a line break")
    return value


def one_line(value):
    if _BREAKS.search(value):
        raise ValueError("must not contain line breaks")
    return no_control(value)


def now_iso():
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+00:00")


# -- authentication ---------------------------------------------------------


async def authenticated(request: Request, state: StateDep):
    """The claims of the call's bearer token (a FastAPI dependency; a
    coroutine, so that it runs on the event loop, not in a thread)."""
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


#: a route's last parameter, ``_a=Auth``: the call needs a valid token
Auth = Depends(authenticated)

# -- lookups, uniqueness, pages ---------------------------------------------


def must_get(store, kind, obj_id, label):
    """The object of a path's id, or 404 ``"<label> <id> not found."``."""
    obj = store.get(kind, obj_id)
    if obj is None:
        raise ApiError(404, f"{label} {obj_id} not found.")
    return obj


def order_by_ref(store, order_id, field_name="order_id"):
    """The order a body names by its ``order_id``, or 422 on ``field_name``."""
    order = store.find("order", order_id)
    if order is None:
        raise ApiError(
            422,
            f"no order with order_id {order_id!r}; create the order first",
            field_name,
        )
    return order


def shipment_by_id(store, shipment_id, field_name="shipment_id"):
    """The shipment a body names by its id, or 422 on ``field_name``."""
    shipment = store.get("shipment", shipment_id)
    if shipment is None:
        raise ApiError(422, f"no shipment with id {shipment_id}", field_name)
    return shipment


def refuse_taken(store, kind, key, field_name):
    """422 "This value is already used." when ``key`` is taken."""
    if store.find(kind, key):
        raise ApiError(422, ALREADY_USED, field_name)


def insert_unique(store, kind, data, key, field_name):
    """Store a new object under a reference no other object has."""
    try:
        return store.insert(kind, data, key=key)
    except Duplicate:
        raise ApiError(422, ALREADY_USED, field_name) from None


def page(request, store, kind, filters, default_limit=20):
    """One page of a list: ``limit`` 1 to :data:`MAX_LIMIT`, ``offset`` >= 0."""
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
