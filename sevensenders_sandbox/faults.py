"""Fault injection and the ``.json`` suffix, as plain ASGI middleware.

Faults apply to the emulated API (``/v2/...``), never to the control endpoints
(``/_sandbox/...``). They are set at start (``--fault-*`` options) or at run time
(``PUT /_sandbox/faults``).
"""

import asyncio
import json
import math
import random
import time

from pydantic import BaseModel, ConfigDict, Field


class FaultConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    error_rate: float = Field(
        0.0, ge=0, le=1, description="share of calls answered 5xx"
    )
    error_status: int = Field(
        503, ge=400, le=599, description="status of injected errors"
    )
    endpoint_error_rates: dict[str, float] = Field(
        default_factory=dict,
        description="per path prefix, e.g. {'/v2/orders': 0.3}; overrides error_rate",
    )
    body_errors: list[str] = Field(
        default_factory=list,
        description="a call whose body holds one of these texts is answered "
        "error_status, every time (one label of several: its reference)",
    )
    latency_ms: float = Field(0.0, ge=0, le=60000, description="added to every call")
    response_ms: float = Field(
        0.0,
        ge=0,
        le=60000,
        description="every call is answered no sooner than this after it arrived "
        "(a remote API's response time: the sandbox's own work is inside it, "
        "where latency_ms comes on top of it)",
    )
    rate_limit_burst: int = Field(0, ge=0, description="the next N calls answer 429")
    rate_limit_seconds: float = Field(
        0.0,
        ge=0,
        le=3600,
        description="every call answers 429 for this long from now, with the "
        "time left as Retry-After (a rate limiter's window)",
    )
    retry_after: float = Field(
        1.0, ge=0, le=3600, description="Retry-After of those 429"
    )
    drop_rate: float = Field(
        0.0, ge=0, le=1, description="connection closed before processing"
    )
    drop_after_rate: float = Field(
        0.0,
        ge=0,
        le=1,
        description="processed and stored, then closed without an answer",
    )
    drop_after_count: int = Field(
        0, ge=0, description="the next N calls are processed, then their answer is lost"
    )
    token_ttl: int | None = Field(
        None, ge=1, description="lifetime of tokens issued from now on (seconds)"
    )
    omit_ids: bool = Field(
        False,
        description="answers of creates (POST) carry no id: no guide promises one "
        "for a label, an order item or a customs shipment",
    )
    inline_labels: bool = Field(
        False,
        description="answers of label creates carry the file itself "
        "(label_data, base64): nothing to download",
    )
    seed: int | None = None


class AliasMiddleware:
    """Accepts the legacy ``.json`` suffix of the old API docs (``/v2/orders.json``)
    when every spelling is answered (``--paths all``)."""

    def __init__(self, app, enabled=True):
        self.app = app
        self.enabled = enabled

    async def __call__(self, scope, receive, send):
        path = scope.get("path", "")
        if self.enabled and scope["type"] == "http" and path.startswith("/v2/"):
            if path.endswith(".json"):
                path = path[: -len(".json")]
                scope = dict(scope, path=path, raw_path=path.encode())
        await self.app(scope, receive, send)


async def _buffered(receive):
    """``(receive, body)``: the request's body read, and a ``receive`` that
    hands it on again. (The connection can no longer be dropped.)"""
    messages, body = [], b""
    while True:
        message = await receive()
        messages.append(message)
        body += message.get("body", b"")
        if message["type"] != "http.request" or not message.get("more_body"):
            break

    async def replay():
        return messages.pop(0) if messages else await receive()

    return replay, body


def _can_drop(receive):
    cycle = getattr(receive, "__self__", None)
    return getattr(cycle, "transport", None) is not None


def _drop(receive):
    """Close the client's connection without an answer."""
    if not _can_drop(receive):
        return False
    cycle = receive.__self__
    transport = cycle.transport
    cycle.disconnected = True  # tell uvicorn not to answer
    transport.close()
    return True


def _answered_at(send, due):
    """``send``, holding the answer back until ``due`` (``time.monotonic``)."""

    async def send_when_due(message):
        if message["type"] == "http.response.start":
            wait = due - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
        await send(message)

    return send_when_due


async def _json(send, status, payload, headers=()):
    body = json.dumps(payload).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), *headers],
        }
    )
    await send({"type": "http.response.body", "body": body})


class FaultMiddleware:
    def __init__(self, app, state):
        self.app = app
        self.state = state

    def _rng(self):
        faults = self.state.faults
        if self.state.rng_seed != faults.seed:
            self.state.rng = random.Random(faults.seed)
            self.state.rng_seed = faults.seed
        return self.state.rng

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not scope["path"].startswith("/v2/"):
            await self.app(scope, receive, send)
            return
        # read once: a reset during the latency below must not split this call
        faults, stats = self.state.faults, self.state.stats
        send = self._logged(scope, send, stats)
        if faults.response_ms:
            send = _answered_at(send, time.monotonic() + faults.response_ms / 1000)
        rng = self._rng()
        if faults.latency_ms:
            await asyncio.sleep(faults.latency_ms / 1000)
        if faults.drop_rate and rng.random() < faults.drop_rate and _drop(receive):
            stats["faults"]["dropped"] += 1
            return
        if await self._rate_limited(faults, stats, send):
            return
        if await self._injected_error(faults, stats, scope, send, rng):
            return
        if faults.body_errors:
            receive, body = await _buffered(receive)
            if any(text.encode() in body for text in faults.body_errors):
                await self._error(faults, stats, send)
                return
        if self._drop_after(faults, receive, rng):
            await self._answer_lost(stats, scope, receive)
            return
        if (
            faults.omit_ids
            and scope["method"] == "POST"
            and scope["path"] != "/v2/token"
        ):
            send = _without_ids(send)
        await self.app(scope, receive, send)

    def _logged(self, scope, send, stats):
        """Log and count the call; the ``send`` returned records its status."""
        entry = {
            "method": scope["method"],
            "path": scope["path"],
            "status": None,
            "started": time.time(),  # arrival and answer: overlapping calls show
            "ended": None,
        }
        self.state.request_log.append(entry)

        async def logged_send(message):
            if message["type"] == "http.response.start":
                entry["status"] = message["status"]
                entry["ended"] = time.time()
                status = str(message["status"])
                stats["responses"][status] = stats["responses"].get(status, 0) + 1
            await send(message)

        key = f"{scope['method']} {scope['path']}"
        stats["requests"][key] = stats["requests"].get(key, 0) + 1
        return logged_send

    async def _rate_limited(self, faults, stats, send):
        """Answer 429 during a burst or a rate limiter's window."""
        window = self.state.rate_limited_until - time.time()
        if faults.rate_limit_burst <= 0 and window <= 0:
            return False
        if window > 0:
            retry_after = math.ceil(window * 10) / 10
        else:
            faults.rate_limit_burst -= 1
            retry_after = faults.retry_after
        stats["faults"]["rate_limited"] += 1
        await _json(
            send,
            429,
            {
                "title": "Too Many Requests",
                "status": 429,
                "detail": "Rate limit exceeded.",
            },
            [(b"retry-after", f"{retry_after:g}".encode())],
        )
        return True

    async def _injected_error(self, faults, stats, scope, send, rng):
        """Answer an injected 5xx (per path prefix, else the global rate)."""
        rate = faults.error_rate
        for prefix, prefix_rate in faults.endpoint_error_rates.items():
            if scope["path"].startswith(prefix):
                rate = prefix_rate
        if not (rate and rng.random() < rate):
            return False
        await self._error(faults, stats, send)
        return True

    @staticmethod
    async def _error(faults, stats, send):
        stats["faults"]["errors"] += 1
        await _json(
            send,
            faults.error_status,
            {
                "title": "Service Unavailable",
                "status": faults.error_status,
                "detail": "Injected fault: the service is temporarily unavailable.",
            },
        )

    def _drop_after(self, faults, receive, rng):
        """Whether this call is processed and then loses its answer."""
        drop_after = faults.drop_after_count > 0 or (
            faults.drop_after_rate and rng.random() < faults.drop_after_rate
        )
        if not (drop_after and _can_drop(receive)):
            return False
        if faults.drop_after_count > 0:
            faults.drop_after_count -= 1
        return True

    async def _answer_lost(self, stats, scope, receive):
        """Process the call (it is stored), then close without an answer."""

        async def swallow(message):
            return None

        await self.app(scope, receive, swallow)
        _drop(receive)
        stats["faults"]["dropped_after"] += 1


def _without_ids(send):
    """Wrap ``send`` so that a JSON answer loses its objects' ``id`` keys."""
    held = {}

    async def wrapped(message):
        if message["type"] == "http.response.start":
            held["start"] = message
            return
        if message["type"] == "http.response.body":
            held["body"] = held.get("body", b"") + message.get("body", b"")
            if message.get("more_body"):
                return
            body = held["body"]
            try:
                data = json.loads(body)
            except ValueError:
                data = None
            if isinstance(data, dict | list):
                for item in data if isinstance(data, list) else [data]:
                    if isinstance(item, dict):
                        item.pop("id", None)
                body = json.dumps(data).encode()
            start = held["start"]
            headers = [
                (k, v) for k, v in start.get("headers", []) if k != b"content-length"
            ]
            headers.append((b"content-length", str(len(body)).encode()))
            await send(dict(start, headers=headers))
            await send({"type": "http.response.body", "body": body})
            return
        await send(message)

    return wrapped
