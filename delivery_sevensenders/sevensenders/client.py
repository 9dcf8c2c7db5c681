"""The Seven Senders API client.

One keep-alive ``requests.Session`` per client and one chokepoint,
:meth:`SevenSendersClient._request`: timeout always set, bearer token (cached,
renewed before expiry and once on 401), retries with exponential backoff and
jitter on connection errors, 429 (``Retry-After`` honoured up to a cap) and 5xx
for idempotent calls only, one exception class per status, secrets redacted from
everything that leaves it. Resource methods are thin and typed.

The chokepoint is a loop over two steps: :meth:`~SevenSendersClient._send`, one
HTTP exchange mapped to an outcome, and :meth:`~SevenSendersClient._decide`, the
policy that answers what a failed one calls for (the other path spelling, a new
token, resolved by an earlier attempt, a retry after some seconds, or raise).
"""

import base64
import enum
import json as jsonlib
import logging
import os
import random
import time
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

import requests
from urllib3.exceptions import NewConnectionError

from . import schemas as s
from .auth import Redactor, TokenManager
from .endpoints import ALTERNATIVES, ENDPOINTS, PRODUCTION_URL, check_path
from .errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    ConflictError,
    NotFoundError,
    RateLimitError,
    ResponseValidationError,
    ServerError,
    SevenSendersError,
    error_class_for,
    says_exists,
)

_logger = logging.getLogger("sevensenders")

DEFAULT_TIMEOUT = (5.0, 30.0)  # (connect, read) seconds
USER_AGENT = "delivery_sevensenders/18.0.1.0.0 (+python-requests)"
_MAX_LOGGED_BODY = 2000
_HEADERS = {
    "Accept": "application/json",
    "Content-Type": "application/json",
    "User-Agent": USER_AGENT,
}


class _Action(enum.Enum):
    """What :meth:`SevenSendersClient._decide` answers after a failed exchange."""

    OTHER_SPELLING = "other spelling"  # send again at once, at the path ``value``
    REAUTHENTICATE = "reauthenticate"  # renew the token, send again at once
    RESOLVED = "resolved"  # an earlier attempt had landed: answer ``value``
    RETRY = "retry"  # wait ``delay`` seconds (looking up first if ``look_up``)
    RAISE = "raise"  # give up with ``error``


@dataclass(slots=True, eq=False)
class _Outcome:
    """One HTTP exchange: ``error`` is None on success, ``status`` None for a
    connection error; ``token`` is the one it was sent with."""

    error: SevenSendersError | None
    status: int | None = None
    response: requests.Response | None = None
    token: str | None = field(default=None, repr=False)


@dataclass(slots=True, eq=False)
class _Decision:
    """``delay`` is not None when the call is sent again (0: at once)."""

    action: _Action
    error: SevenSendersError
    delay: float | None = None
    value: object = None
    look_up: bool = False


@dataclass(slots=True, eq=False)
class _Call:
    """One API call across its attempts: where it goes and what happened."""

    op: str
    method: str
    default_path: str
    quoted: dict
    template: str
    path: str
    tried: list
    auth: bool
    retryable: bool
    recover: object = None
    strict_recover: bool = False
    adopt: bool = False
    attempt: int = 0
    reauthenticated: bool = False

    def use(self, template):
        """Send the next attempt to the path spelled ``template``."""
        self.tried.append(template)
        self.template = template
        self.path = template.format(**self.quoted)


class SevenSendersClient:
    """Client of the Seven Senders API v2.

    :param access_key: the permanent access key (one per environment).
    :param base_url: API root, e.g. ``endpoints.TEST_URL`` or the sandbox's.
    :param timeout: ``(connect, read)`` seconds, or one number for both.
    :param max_retries: retries after the first attempt.
    :param max_retry_after: longest ``Retry-After`` the client waits for; a longer
        one raises :class:`RateLimitError` (with ``retry_after``) at once, so a
        caller such as a queue can schedule the call instead of blocking.
    :param session: a ``requests.Session`` to use (the test seam).
    :param token_store: where the token is cached (``load/save/clear``).
    :param hooks: callables receiving one dict per request and per response,
        with secrets already redacted (for debug logging).
    :param carriers: the live ``{country: [carrier, ...]}`` table from
        ``GET /carriers``; the guides' table is used when it is not given.
    :param limiter: an :class:`~.limiter.AdaptiveLimiter` shared by the clients
        of several threads: a common bound on calls in flight that backs off
        on 429.
    :param on_failure: called with one dict per failed exchange (connection
        error or error status, retried or not, the 401 that renews the token
        included): ``method``, ``path``, ``status`` (None for a connection error),
        ``error`` (redacted text), ``retry`` (whether it is sent again) and
        ``resolved`` (a 409 or 404 showing that an earlier attempt had landed).
        A queue uses it to show every retry on the row that caused it.
    :param paths: ``{operation: path}`` learned earlier (e.g. ``{"order_states.create":
        "/order-states"}``); still open to discovery.
    :param path_overrides: ``{operation: path}`` set by an integrator: used as
        given, never replaced by discovery.
    :param on_path_learned: called with ``(operation, path)`` when a documented
        alternative spelling answered where the configured one had no route
        (a 404 that names no object). The client keeps using it; the caller
        may store it (the Odoo account does, per account).
    """

    def __init__(
        self,
        access_key,
        *,
        base_url=PRODUCTION_URL,
        timeout=DEFAULT_TIMEOUT,
        max_retries=2,
        backoff_base=0.5,
        backoff_max=8.0,
        max_retry_after=10.0,
        session=None,
        token_store=None,
        hooks=(),
        carriers=None,
        sleep=time.sleep,
        limiter=None,
        on_failure=None,
        paths=None,
        path_overrides=None,
        on_path_learned=None,
    ):
        if not access_key:
            raise ValueError("An access key is required.")
        if not timeout:
            raise ValueError("A timeout is required.")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.max_retry_after = max_retry_after
        self.hooks = list(hooks)
        self.carriers = carriers
        self.limiter = limiter
        self.on_failure = on_failure
        self.paths, self._fixed_paths = _configured_paths(paths, path_overrides)
        self.on_path_learned = on_path_learned
        self._sleep = sleep
        self._access_key = access_key
        self._redact = Redactor(access_key)
        self._owns_session = session is None
        self.session = session or self._new_session(self.base_url)
        self.session.headers.update(_HEADERS)
        self._auth = TokenManager(self._fetch_token, token_store)

    @staticmethod
    def _new_session(base_url):
        """A session that reads the environment (proxies, CA bundle) once.

        requests otherwise re-reads every environment variable on every call.
        """
        session = requests.Session()
        session.trust_env = False
        session.proxies.update(requests.utils.get_environ_proxies(base_url))
        bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get(
            "CURL_CA_BUNDLE"
        )
        if bundle:
            session.verify = bundle
        return session

    def __repr__(self):
        return f"<SevenSendersClient {self.base_url}>"

    def close(self):
        if self._owns_session:
            self.session.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # ------------------------------------------------------------------
    # Authentication
    # ------------------------------------------------------------------

    def _fetch_token(self):
        data = self._request("token", json={"access_key": self._access_key}, auth=False)
        token = s.parse(s.Token, data)
        self._redact.add(token.token)
        self.account_flags = {
            k: v
            for k, v in token.model_dump().items()
            if k != "token" and isinstance(v, bool)
        }
        return token.token

    def authenticate(self):
        """Fetch a new token now (e.g. for a "Test connection" button)."""
        self._auth.invalidate()
        return self._auth.get() is not None

    # ------------------------------------------------------------------
    # The chokepoint
    # ------------------------------------------------------------------

    def _request(
        self,
        op,
        *,
        ids=None,
        json=None,
        params=None,
        auth=True,
        raw=False,
        recover=None,
        strict_recover=False,
        adopt=False,
    ):
        """Send one API call and return its decoded body.

        ``recover`` (for non-idempotent creates) is called after an ambiguous
        failure, before the call is sent again: it looks the object up by our
        own reference and returns it if the first attempt did land. With
        ``strict_recover`` a failed lookup raises instead of sending again.
        With ``adopt``, an object that exists already (a 409, or a 4xx that
        says so) is looked up and returned even on the first attempt.
        """
        call = self._start(op, ids, auth, recover, strict_recover, adopt)
        body = _encode(json)
        while True:
            outcome = self._send(call, body, params, raw)
            if outcome.error is None:
                return self._answer(call, outcome.response, raw)
            decision = self._decide(outcome, call)
            action = decision.action
            self._failed(call, outcome.status, decision)
            if action is _Action.RAISE:
                decision.error.attempts = call.attempt + 1
                raise decision.error
            if action is _Action.RESOLVED:
                return decision.value
            if action is _Action.OTHER_SPELLING:
                call.use(decision.value)
            elif action is _Action.REAUTHENTICATE:
                call.reauthenticated = True
                self._auth.invalidate(outcome.token)  # unless another thread renewed it
            else:  # retry, unless a lookup finds what an earlier attempt made
                if decision.look_up:
                    found = self._recover(call.recover, call.strict_recover)
                    if found is not None:
                        return found
                self._wait(call, decision)

    def _start(
        self, op, ids=None, auth=True, recover=None, strict_recover=False, adopt=False
    ):
        """The state of a new call of ``op``, at its configured path."""
        ep = ENDPOINTS[op]
        quoted = {k: quote(str(v), safe="") for k, v in (ids or {}).items()}
        template = self.paths.get(op, ep.path)
        return _Call(
            op=op,
            method=ep.method,
            default_path=ep.path,
            quoted=quoted,
            template=template,
            path=template.format(**quoted),
            tried=[template],
            auth=auth,
            retryable=ep.idempotent or recover is not None,
            recover=recover,
            strict_recover=strict_recover,
            adopt=adopt,
        )

    def _send(self, call, body, params, raw):
        """One HTTP exchange of ``call``: its outcome, a failure included (as
        the typed error, not raised). Feeds the limiter, the hooks and the log."""
        token = self._auth.get() if call.auth else None
        headers = {"Authorization": "Bearer " + token} if call.auth else None
        url = self.base_url + call.path
        if self.hooks or _logger.isEnabledFor(logging.DEBUG):
            self._emit(
                "request", method=call.method, url=url, body=body, attempt=call.attempt
            )
        started = time.monotonic()
        limiter = self.limiter
        if limiter:
            limiter.acquire()
        try:
            response = self.session.request(
                call.method,
                url,
                data=body,
                params=params,
                headers=headers,
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            if limiter:
                limiter.release(ok=False)
            error = self._connection_error(exc, call.method, call.path)
            return _Outcome(error, token=token)
        except BaseException:
            # anything else (a bug, an interrupt) propagates, but never keeps
            # a slot of the shared limiter: the other threads go on
            if limiter:
                limiter.release(ok=False)
            raise
        status = response.status_code
        if limiter:
            limiter.release(ok=status != 429)
            if status == 429:
                limiter.throttle(_retry_after(response.headers.get("Retry-After")))
        if self.hooks or _logger.isEnabledFor(logging.DEBUG):
            self._emit(
                "response",
                method=call.method,
                url=url,
                status=status,
                elapsed=time.monotonic() - started,
                body=response.text if not raw else f"<{len(response.content)} bytes>",
            )
        if status < 400:
            return _Outcome(None, status, response, token)
        error = self._status_error(response, call.method, call.path)
        return _Outcome(error, status, response, token)

    def _decide(self, outcome, call):
        """The policy after a failed exchange: a :class:`_Decision`.

        Only reads the outcome and the call's state (and, for a conflict that
        may be ours, asks ``call.recover``); the caller acts on the answer.
        """
        error = outcome.error
        status = outcome.status
        if status == 404 and _route_missing(call.template, error):
            spelling = self._other_spelling(call.op, call.tried)
            if spelling is not None:
                return _Decision(_Action.OTHER_SPELLING, error, 0, spelling)
            error = self._no_route(error, call)
        if status == 401 and call.auth and not call.reauthenticated:
            return _Decision(_Action.REAUTHENTICATE, error, 0)
        if (
            call.attempt
            and call.method == "DELETE"
            and isinstance(error, NotFoundError)
            and not getattr(error, "route_missing", False)
        ):
            return _Decision(_Action.RESOLVED, error)  # an earlier attempt deleted it
        if (
            (call.attempt or call.adopt)
            and call.recover
            and isinstance(error, ConflictError)
        ):
            found = self._recover(call.recover, call.strict_recover)
            if found is not None:
                return _Decision(_Action.RESOLVED, error, value=found)
        delay = self._delay(call.attempt, error, call.retryable)
        if delay is None:
            return _Decision(_Action.RAISE, error)
        look_up = (
            call.recover is not None
            and not isinstance(error, RateLimitError)
            and getattr(error, "sent", True)
        )
        return _Decision(_Action.RETRY, error, delay, look_up=look_up)

    @staticmethod
    def _no_route(error, call):
        """The 404 of a route that none of the tried spellings has."""
        error = NotFoundError(
            f"{error}; the API has no route {call.method} "
            f"{' or '.join(call.tried)}: set this call's path on the "
            f"Seven Senders account ({call.op}).",
            status_code=404,
            method=call.method,
            path=call.path,
            body=error.body,
        )
        error.route_missing = True
        return error

    def _answer(self, call, response, raw):
        """The decoded body of a success; a path that answered is learned."""
        if call.template != self.paths.get(call.op, call.default_path):
            self._learn(call.op, call.template)
        return self._decode(response, raw)

    def _wait(self, call, decision):
        _logger.info(
            "Seven Senders %s %s failed (%s), retry %d in %.2fs",
            call.method,
            call.path,
            decision.error,
            call.attempt + 1,
            decision.delay,
        )
        self._sleep(decision.delay)
        call.attempt += 1

    def _other_spelling(self, op, tried):
        """The next documented spelling of ``op`` not tried yet, or None."""
        if op in self._fixed_paths:
            return None
        for candidate in (ENDPOINTS[op].path, *ALTERNATIVES.get(op, ())):
            if candidate not in tried:
                return candidate
        return None

    def _learn(self, op, template):
        self.paths[op] = template
        _logger.info("Seven Senders: %s answers at %s", op, template)
        if self.on_path_learned is not None:
            self.on_path_learned(op, template)

    def _failed(self, call, status, decision):
        if self.on_failure is not None:
            self.on_failure(
                {
                    "method": call.method,
                    "path": call.path,
                    "status": status,
                    "error": str(decision.error),
                    "retry": decision.delay is not None,
                    # an earlier attempt had done it
                    "resolved": decision.action is _Action.RESOLVED,
                }
            )

    def _recover(self, recover, strict=False):
        try:
            return recover()
        except (APIConnectionError, APIStatusError):
            if strict:
                raise
            return None

    def _delay(self, attempt, error, retryable):
        """Seconds to wait before the next attempt, or None to give up."""
        if attempt >= self.max_retries:
            return None
        backoff = min(self.backoff_max, self.backoff_base * 2**attempt)
        backoff *= 1 - 0.25 * random.random()  # jitter
        if isinstance(error, RateLimitError):
            # a 429 was not processed: safe to repeat whatever the method
            if error.retry_after is None:
                return backoff
            if error.retry_after > self.max_retry_after:
                return None
            return error.retry_after
        if isinstance(error, APIConnectionError):
            if not error.sent or retryable:
                return backoff
            return None
        if isinstance(error, ServerError) or error.status_code == 408:
            return backoff if retryable else None
        return None

    def _connection_error(self, exc, method, path):
        where = f"{method} {path}"
        if isinstance(exc, requests.ConnectTimeout):
            return APITimeoutError(
                f"Seven Senders API: connection timed out ({where})",
                method=method,
                path=path,
                sent=False,
            )
        if isinstance(exc, requests.Timeout):
            return APITimeoutError(
                f"Seven Senders API: no answer within {self.timeout}s ({where})",
                method=method,
                path=path,
            )
        reason = getattr(exc.args[0], "reason", None) if exc.args else None
        if isinstance(reason, NewConnectionError):
            return APIConnectionError(
                f"Seven Senders API unreachable at {self.base_url} ({where})",
                method=method,
                path=path,
                sent=False,
            )
        return APIConnectionError(
            f"Seven Senders API: connection broken ({where}): {self._redact(exc.__class__.__name__)}",
            method=method,
            path=path,
        )

    def _status_error(self, response, method, path):
        status = response.status_code
        body = None
        message = None
        violations = []
        try:
            body = response.json()
        except ValueError:
            message = response.text[:500].strip() or None
        if isinstance(body, dict):
            for key in ("detail", "message", "hydra:description", "title", "error"):
                if isinstance(body.get(key), str) and body[key]:
                    message = body[key]
                    break
            for item in body.get("violations") or []:
                if isinstance(item, dict):
                    violations.append(
                        (
                            str(item.get("propertyPath") or item.get("field") or ""),
                            self._redact(str(item.get("message") or "")),
                        )
                    )
            body = jsonlib.loads(self._redact(jsonlib.dumps(body)))
        message = self._redact(message or response.reason or "error")
        text = f"Seven Senders API error {status} on {method} {path}: {message}"
        if violations and not any(
            field and field in message for field, _m in violations
        ):
            text += " (" + "; ".join(f"{f}: {m}" for f, m in violations) + ")"
        cls = error_class_for(status)
        if says_exists(status, [message, *(m for _f, m in violations)]):
            cls = ConflictError
        kw = {
            "status_code": status,
            "method": method,
            "path": path,
            "body": body,
            "violations": violations,
        }
        if cls is RateLimitError:
            kw["retry_after"] = _retry_after(response.headers.get("Retry-After"))
        return cls(text, **kw)

    def _decode(self, response, raw):
        if raw:
            return response.content
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise ResponseValidationError(
                f"Seven Senders API answered {response.status_code} with a body that is "
                "not JSON"
            ) from None

    def _emit(self, kind, **info):
        info["kind"] = kind
        info["url"] = self._redact(info["url"])
        body = info.get("body")
        if body is not None:
            if isinstance(body, bytes):
                body = body[:_MAX_LOGGED_BODY].decode("utf-8", "replace")
            info["body"] = self._redact(body[:_MAX_LOGGED_BODY])
        _logger.debug("Seven Senders %s %s", kind, info)
        for hook in self.hooks:
            hook(info)

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _created(self, model, data, lookup):
        """The object a create answered; when the answer names no id (no guide
        promises one for every object), the object as found by our reference.
        Nothing is sent again here: a retry would buy a second object."""
        found = data if isinstance(data, model) else s.parse(model, data)
        if found.id is not None:
            return found
        again = self._recover(lookup)
        if again is not None and again.id is not None:
            return again
        raise ResponseValidationError(
            f"Seven Senders accepted the {model.__name__} but its answer names no "
            "id, and no object with our reference was found; it was not sent again."
        )

    def _body(self, model, data):
        """The validated request as a model and as JSON bytes."""
        validated = s.validate(model, data, carriers=self.carriers)
        return validated, validated.dump_json()

    @staticmethod
    def _params(filters):
        """``order_date__after`` becomes ``order_date[after]``; lists get ``[]``."""
        params = {}
        for key, value in filters.items():
            if value is None:
                continue
            if "__" in key:
                head, _sep, tail = key.partition("__")
                key = f"{head}[{tail}]"
            if isinstance(value, list | tuple):
                key = key if key.endswith("]") else key + "[]"
                value = list(value)
            elif isinstance(value, bool):
                value = "true" if value else "false"
            params[key] = value
        return params

    def _list(self, op, model, limit, offset, filters):
        params = self._params({"limit": limit, "offset": offset, **filters})
        return s.parse(model, self._request(op, params=params) or [])

    def _iterate(self, list_method, page_size, filters):
        offset = 0
        while True:
            page = list_method(limit=page_size, offset=offset, **filters)
            yield from page
            if len(page) < page_size:
                return
            offset += page_size

    # ------------------------------------------------------------------
    # Orders and order states
    # ------------------------------------------------------------------

    def create_order(self, order):
        req, body = self._body(s.OrderCreate, order)
        lookup = lambda: self.find_order(req.order_id)  # noqa: E731
        data = self._request("orders.create", json=body, recover=lookup)
        return self._created(s.Order, data, lookup)

    def get_order(self, order_id):
        """Read an order by its Seven Senders id."""
        return s.parse(s.Order, self._request("orders.get", ids={"id": order_id}))

    def list_orders(self, *, limit=20, offset=0, **filters):
        """``filters``: ``order_id``, ``state``, ``order_date__after``, ..."""
        return self._list("orders.list", s.Order, limit, offset, filters)

    def iter_orders(self, *, page_size=100, **filters):
        return self._iterate(self.list_orders, page_size, filters)

    def find_order(self, order_id):
        """The order with our reference ``order_id``, or None."""
        found = self.list_orders(limit=2, order_id=order_id)
        return next((o for o in found if o.order_id == order_id), None)

    def update_order(self, order_id, changes):
        req, body = self._body(s.OrderUpdate, changes)
        return s.parse(
            s.Order, self._request("orders.update", ids={"id": order_id}, json=body)
        )

    def delete_order(self, order_id):
        self._request("orders.delete", ids={"id": order_id})

    def set_order_state(self, state):
        req, body = self._body(s.OrderStateCreate, state)
        return self._request("order_states.create", json=body)

    # ------------------------------------------------------------------
    # Shipments and shipment events
    # ------------------------------------------------------------------

    def create_shipment(self, shipment):
        req, body = self._body(s.ShipmentCreate, shipment)

        def lookup():
            return self.find_shipment(
                reference_number=req.reference_number,
                tracking_code=req.tracking_code,
                order_id=req.order_id or req.order.order_id,
            )

        data = self._request("shipments.create", json=body, recover=lookup, adopt=True)
        return self._created(s.Shipment, data, lookup)

    def get_shipment(self, shipment_id):
        return s.parse(
            s.Shipment, self._request("shipments.get", ids={"id": shipment_id})
        )

    def list_shipments(self, *, limit=20, offset=0, **filters):
        """``filters``: ``order_id``, ``reference_number``, ``tracking_code``, ..."""
        return self._list("shipments.list", s.Shipment, limit, offset, filters)

    def iter_shipments(self, *, page_size=100, **filters):
        return self._iterate(self.list_shipments, page_size, filters)

    def find_shipment(
        self, *, reference_number=None, tracking_code=None, order_id=None
    ):
        """The shipment with our reference (or tracking code within an order)."""
        if reference_number:
            filters = {"reference_number": reference_number}
        elif tracking_code:
            filters = {"tracking_code": tracking_code, "order_id": order_id}
        else:
            raise ValueError("a reference_number or a tracking_code is required")
        for shipment in self.list_shipments(limit=2, **filters):
            if reference_number and shipment.reference_number == reference_number:
                return shipment
            if not reference_number and shipment.tracking_code == tracking_code:
                return shipment
        return None

    def update_shipment(self, shipment_id, changes):
        req, body = self._body(s.ShipmentUpdate, changes)
        return s.parse(
            s.Shipment,
            self._request("shipments.update", ids={"id": shipment_id}, json=body),
        )

    def delete_shipment(self, shipment_id):
        self._request("shipments.delete", ids={"id": shipment_id})

    def add_shipment_event(self, event):
        """Push ``Refunded`` or ``Returned to warehouse`` for a shipment."""
        req, body = self._body(s.ShipmentEventCreate, event)
        return self._request("shipment_events.create", json=body)

    # ------------------------------------------------------------------
    # Carriers
    # ------------------------------------------------------------------

    def list_carriers(self):
        return s.parse(s.Carrier, self._request("carriers.list") or [])

    def carriers_table(self):
        """``{country: (carrier, ...)}`` from ``GET /carriers``, for validation."""
        table = {}
        for carrier in self.list_carriers():
            for country in carrier.countries:
                table.setdefault(country, [])
                if carrier.code and carrier.code.lower() not in table[country]:
                    table[country].append(carrier.code.lower())
        return {country: tuple(codes) for country, codes in table.items()}

    # ------------------------------------------------------------------
    # Labels
    # ------------------------------------------------------------------

    def create_label(self, label):
        """Create a label; answers a list (two labels for ``return_parcel="both"``).

        The API answers the same label again for a ``reference_number`` reused
        within 48 h: use a new reference per attempt and per package.
        """
        req, body = self._body(s.LabelCreate, label)
        data = self._request("labels.create", json=body)
        return s.parse(s.Label, data if isinstance(data, list) else [data])

    def download_label(self, label_id):
        """The label file: PDF bytes, or ZPL text as bytes."""
        return self._request("labels.download", ids={"id": label_id}, raw=True)

    def label_content(self, label):
        """The file of a :class:`~.schemas.Label`: the one its answer carries
        (``label_data``: no call), else by its id, else by the URL in its
        answer (no guide promises a label id). The token goes only to the
        API's own host."""
        if label.label_data:
            try:
                return base64.b64decode(label.label_data, validate=True)
            except ValueError:
                raise ResponseValidationError(
                    "Seven Senders answered a label file that is not base64."
                ) from None
        if label.id is not None:
            return self.download_label(label.id)
        if not label.label_url:
            raise ResponseValidationError(
                "Seven Senders answered a label without an id or a label URL."
            )
        own = urlsplit(label.label_url).netloc == urlsplit(self.base_url).netloc
        headers = {"Authorization": "Bearer " + self._auth.get()} if own else None
        try:
            response = self.session.get(
                label.label_url, headers=headers, timeout=self.timeout
            )
        except requests.RequestException as exc:
            raise self._connection_error(exc, "GET", "label_url") from None
        if response.status_code >= 400:
            raise self._status_error(response, "GET", "label_url")
        return response.content

    def delete_label(self, label_id):
        self._request("labels.delete", ids={"id": label_id})

    # ------------------------------------------------------------------
    # Customs
    # ------------------------------------------------------------------

    def create_customs_shipment(self, customs_shipment):
        req, body = self._body(s.CustomsShipmentCreate, customs_shipment)
        lookup = lambda: self.find_customs_shipment(req.shipment_id)  # noqa: E731
        data = self._request(
            "customs_shipments.create", json=body, recover=lookup, adopt=True
        )
        return self._created(s.CustomsShipment, data, lookup)

    def get_customs_shipment(self, customs_id):
        return s.parse(
            s.CustomsShipment,
            self._request("customs_shipments.get", ids={"id": customs_id}),
        )

    def list_customs_shipments(self, *, limit=20, offset=0, **filters):
        """``filters``: ``manifest_id``, ``shipment_id``, ``order_id``, ``types``..."""
        return self._list(
            "customs_shipments.list", s.CustomsShipment, limit, offset, filters
        )

    def find_customs_shipment(self, shipment_id):
        found = self.list_customs_shipments(limit=2, shipment_id=shipment_id)
        return next((c for c in found if str(c.shipment_id) == str(shipment_id)), None)

    def update_customs_shipment(self, customs_id, changes):
        req, body = self._body(s.CustomsShipmentUpdate, changes)
        return s.parse(
            s.CustomsShipment,
            self._request(
                "customs_shipments.update", ids={"id": customs_id}, json=body
            ),
        )

    def delete_customs_shipment(self, customs_id):
        self._request("customs_shipments.delete", ids={"id": customs_id})

    def create_customs_manifest(self, manifest):
        """Create a manifest; it is immutable once created.

        After an ambiguous failure the call is sent again; if that retry meets
        409 (the ``manifest_id`` exists) the first attempt landed.
        """
        req, body = self._body(s.CustomsManifestCreate, manifest)
        try:
            data = self._request(
                "customs_manifests.create", json=body, recover=_no_lookup
            )
        except ConflictError as exc:
            if exc.attempts < 2:
                raise
            data = req.dump()
        return s.parse(s.CustomsManifest, data)

    # ------------------------------------------------------------------
    # Product library, images, order items
    # ------------------------------------------------------------------

    def create_product(self, product):
        req, body = self._body(s.ProductCreate, product)
        data = self._request(
            "products.create", json=body, recover=lambda: self.get_product(req.sku)
        )
        return data if isinstance(data, s.Product) else s.parse(s.Product, data)

    def get_product(self, sku):
        return s.parse(s.Product, self._request("products.get", ids={"sku": sku}))

    def update_product(self, sku, changes):
        req, body = self._body(s.ProductUpdate, changes)
        return s.parse(
            s.Product, self._request("products.update", ids={"sku": sku}, json=body)
        )

    def put_product_image(self, image):
        req, body = self._body(s.ProductImage, image)
        return self._request("product_images.put", json=body)

    def delete_product_image(self, sku):
        self._request("product_images.delete", ids={"sku": sku})

    def create_order_item(self, item, known_ids=()):
        """Create one order item (the API has one item per unit, no reference).

        ``known_ids``: the ids of the order's items the caller already accounts
        for. After an ambiguous failure only an item outside them counts as the
        one this call made, so identical units of one SKU are never mistaken
        for each other; if that lookup fails too, the call is not sent again
        (it raises) rather than risk a duplicate.
        """
        req, body = self._body(s.OrderItemCreate, item)
        known = {str(i) for i in known_ids}
        lookup = lambda: self._find_order_item(req.dump(), known)  # noqa: E731
        data = self._request(
            "order_items.create", json=body, recover=lookup, strict_recover=True
        )
        return self._created(s.OrderItem, data, lookup)

    def list_order_items(self, *, limit=100, offset=0, **filters):
        """``filters``: ``order_id``, ``sku``, ``shipment_id``."""
        return self._list("order_items.list", s.OrderItem, limit, offset, filters)

    def _find_order_item(self, body, known=()):
        for item in self.list_order_items(order_id=body["order_id"], sku=body["sku"]):
            if str(item.id) in known:
                continue
            extra = item.model_extra or {}
            if all(
                str(extra.get(k, getattr(item, k, None))) == str(v)
                for k, v in body.items()
                if k not in ("sales_price", "weight")
            ):
                return item
        return None

    def update_order_item(self, item_id, changes):
        req, body = self._body(s.OrderItemUpdate, changes)
        return s.parse(
            s.OrderItem,
            self._request("order_items.update", ids={"id": item_id}, json=body),
        )

    # ------------------------------------------------------------------
    # PUDO locator
    # ------------------------------------------------------------------

    def _pudo(self, model, query):
        params = self._params(s.validate(model, query).dump())
        return s.parse(
            s.PudoLocation, self._request("pudo.locations", params=params) or []
        )

    def pudo_by_coordinates(self, **query):
        """Pickup points nearest to ``latitude``/``longitude`` (air distance)."""
        return self._pudo(s.PudoByCoordinates, query)

    def pudo_by_address(self, **query):
        """Pickup points nearest to an address (``country``, ``zip``, ``city``...)."""
        return self._pudo(s.PudoByAddress, query)

    def pudo_all(self, carrier_name, country):
        """Every pickup point of one carrier in one country (bulk)."""
        query = s.validate(
            s.PudoQuery, {"country": country, "carrier_names": [carrier_name]}
        )
        params = {"carrier_name": carrier_name, "country": query.country}
        return s.parse(
            s.PudoLocation, self._request("pudo.locations", params=params) or []
        )


def _configured_paths(paths, overrides):
    """``paths`` with the integrator's ``overrides`` on top (each checked), and
    the operations that the overrides fix (never replaced by discovery)."""
    fixed = {op: check_path(op, p) for op, p in (overrides or {}).items()}
    merged = {op: check_path(op, p) for op, p in (paths or {}).items()}
    merged.update(fixed)
    return merged, frozenset(fixed)


def _encode(json):
    """The request body: bytes as given, anything else as compact JSON."""
    if json is None or isinstance(json, bytes):
        return json
    return jsonlib.dumps(json, separators=(",", ":")).encode()


def _no_lookup():
    return None


def _route_missing(template, error):
    """Whether a 404 says *no such route* rather than *no such object*.

    Symfony/API-Platform words it "No route found for ..."; a proxy answers a
    page that is not JSON; and a collection path (no ``{id}``) has no object
    to miss, so a bare "Not Found" there is the route.
    """
    body = error.body
    if not isinstance(body, dict):
        return True
    text = " ".join(
        str(body.get(key) or "")
        for key in ("detail", "message", "hydra:description", "title", "error")
    ).lower()
    if "no route" in text:
        return True
    if "{" in template:
        return False
    return all(word in ("", "not", "found") for word in text.replace(".", " ").split())


def _retry_after(value):
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None
