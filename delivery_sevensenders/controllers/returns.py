# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The shop's own returns (public): find the order, choose the items, follow
the label; as pages (``ReturnPages``) and as JSON (``ReturnsApi``), siblings
on one base. Everything after the lookup is scoped by a short-lived signed
token (``token_scoped``); the rules are the models' (``sevensenders.returns``,
``sevensenders.return.request``).

Every answer is ``no-store``, cannot be framed and sends no referrer off the
site; bodies are capped in size and depth before they are parsed; every bad
input is a 4xx with a message, and nothing is created."""

import functools
import json
import re
import uuid

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

from ..models.sevensenders_return import (
    MAX_ITEMS,
    ReturnKeyReused,
    format_distance,
    format_quantity,
)
from ..models.sevensenders_returns import CONTROL_CHARACTERS, TOKEN_LIFETIME

#: every return page: public, in the shop's layout when website is installed
PAGE = {"type": "http", "auth": "public", "website": True, "sitemap": False}
#: the label download and the JSON API: public, no layout
PLAIN = {"type": "http", "auth": "public", "sitemap": False}
#: on every answer: token pages are never stored, framed or leaked by referrer
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Pragma": "no-cache",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
}
MAX_BODY = 64 * 1024  # 200 items and a long comment fit in a quarter of it
MAX_DEPTH = 8  # the deepest valid body is 3 (object, items, item)
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
#: a form quantity: ASCII digits, an optional decimal part (no sign, no
#: exponent, no "inf", no full-width digits)
_FORM_NUMBER = re.compile(r"\A[0-9]{1,9}(?:\.[0-9]{1,6})?\Z")


class InvalidToken(Exception):
    """The token of the path is forged, expired or for an order gone."""


class BadInput(Exception):
    """A request the flow refuses: ``status`` and a translated ``message``."""

    def __init__(self, message, status=400, code="bad_request"):
        super().__init__(message)
        self.message, self.status, self.code = message, status, code


def token_scoped(method):
    """The route's ``token`` becomes its ``order`` (``_order_of_token``); an
    invalid token is answered by the controller's ``_invalid_token``."""

    @functools.wraps(method)
    def scoped(self, token, **kw):
        try:
            order = self._order_of_token(token)
        except InvalidToken:
            return self._invalid_token()
        if not self._returns()._sevensenders_open(order):
            return self._returns_off()
        return method(self, order, token, **kw)

    return scoped


def too_deep(raw, limit=MAX_DEPTH):
    """Whether a JSON text nests deeper than ``limit`` (strings skipped),
    decided before it is parsed."""
    depth = 0
    for byte in _JSON_STRING.sub(b"", raw):
        if byte in b"[{":
            depth += 1
            if depth > limit:
                return True
        elif byte in b"]}":
            depth -= 1
    return False


def _refuse_constant(name):
    raise ValueError(name)  # NaN, Infinity, -Infinity are not JSON numbers


class ReturnsBase(http.Controller):
    """What the pages and the JSON API share: the models, the token, the
    answers' headers and the checks of the input. No routes."""

    def _returns(self):
        return request.env["sevensenders.returns"].sudo()

    def _requests(self):
        return request.env["sevensenders.return.request"].sudo()

    def _reasons(self):
        return request.env["sevensenders.return.reason"].sudo().search([])

    def _order_of_token(self, token):
        """The order of ``token``; InvalidToken when there is none."""
        order = self._returns()._sevensenders_order_of(token)
        if not order:
            raise InvalidToken()
        return order

    def _invalid_token(self):
        raise NotImplementedError

    def _returns_off(self):
        """The answer where returns in this shop are off: not found."""
        return self._not_found()

    def _any_open(self):
        """Whether any account has *Returns in this shop* on (else the
        lookup does not exist either)."""
        return bool(
            request.env["sevensenders.account"]
            .sudo()
            .search_count([("return_self_hosted", "=", True)], limit=1)
        )

    def _expired_message(self):
        return request.env._("This link has expired. Please look up your order again.")

    def _harden(self, response, headers=None):
        for key, value in {**SECURITY_HEADERS, **(headers or {})}.items():
            response.headers[key] = value
        return response

    def _redirect(self, url):
        return self._harden(request.redirect(url, local=True))

    def _not_found(self):
        return self._harden(request.make_response("", status=404))

    def _text(self, value, limit, multiline=False):
        """A string of the request, stripped, refused with control characters
        (NUL included; line breaks only where ``multiline``)."""
        if value is None:
            return ""
        if not isinstance(value, str):
            raise BadInput(request.env._("Please send text where text is expected."))
        if CONTROL_CHARACTERS.search(value) or (
            not multiline and re.search(r"[\r\n\t]", value)
        ):
            raise BadInput(
                request.env._("Please remove the control characters from your entry.")
            )
        return value.strip()[:limit]

    def _secret_not_in_query(self):
        if "secret" in request.httprequest.args:
            raise BadInput(
                request.env._(
                    "Send the postal code or email in the request's body, "
                    "never in the link."
                )
            )

    def _client_ip(self):
        return request.httprequest.remote_addr

    def _lookup(self, reference, secret):
        """``(order, wait)`` of the models' lookup, the input checked first."""
        self._secret_not_in_query()
        reference = self._text(reference, 64)
        secret = self._text(secret, 254)
        return self._returns()._sevensenders_lookup(
            reference, secret, self._client_ip()
        )

    def _make_request(self, order, items, comment, origin, dropoff, key):
        """The models' request in a savepoint: refused, nothing of it stays."""
        with request.env.cr.savepoint():
            return self._requests()._sevensenders_request(
                order,
                items,
                self._text(comment, 10_000, multiline=True),
                origin=origin,
                dropoff=self._text(dropoff, 128) or None,
                key=self._text(key, 64),
            )


class ReturnPages(ReturnsBase):
    """The pages: lookup, items and reasons, status, label."""

    def _render(self, template, values=None, status=200, headers=None):
        response = request.render(
            f"delivery_sevensenders.{template}", values or {}, status=status
        )
        return self._harden(response, headers)

    def _invalid_token(self):
        return self._render(
            "return_lookup", {"error": self._expired_message()}, status=403
        )

    @http.route("/returns", methods=["GET"], **PAGE)
    def returns_lookup(self, reference="", **kw):
        if not self._any_open():
            return self._returns_off()
        return self._render("return_lookup", {"reference": str(reference)[:64]})

    @http.route("/returns", methods=["POST"], **PAGE)
    def returns_lookup_post(self, **kw):
        if not self._any_open():
            return self._returns_off()
        form = request.httprequest.form
        reference = form.get("reference", "")
        try:
            order, wait = self._lookup(reference, form.get("secret", ""))
        except BadInput as exc:
            return self._render("return_lookup", {"error": exc.message}, status=400)
        if wait:
            return self._render(
                "return_lookup",
                {"error": request.env._("Too many tries. Please wait a few minutes.")},
                status=429,
                headers={"Retry-After": str(wait)},
            )
        if not order:
            return self._render(
                "return_lookup",
                {
                    "error": request.env._(
                        "We could not find an order with these details."
                    ),
                    "reference": reference[:64],
                },
            )
        return self._redirect(f"/returns/{self._returns()._sevensenders_token(order)}")

    @http.route("/my/orders/<int:order_id>/returns", methods=["GET"], **PAGE)
    def returns_from_portal(self, order_id, access_token=None, **kw):
        """The signed-in owner (or the holder of the order's portal link)
        goes straight to the items: no lookup, no postal code."""
        if not isinstance(access_token, str) or not access_token.isascii():
            access_token = None
        try:
            order = CustomerPortal()._document_check_access(
                "sale.order", order_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return self._redirect("/returns")
        if order.state != "sale":
            return self._redirect("/returns")
        if not self._returns()._sevensenders_open(order.sudo()):
            return self._returns_off()
        return self._redirect(f"/returns/{self._returns()._sevensenders_token(order)}")

    @http.route("/returns/<string:token>", methods=["GET"], **PAGE)
    @token_scoped
    def returns_items(self, order, token, **kw):
        return self._items_page(order, token)

    def _day_names(self):
        """Short weekday names, Monday first (the opening hours' keys 0-6)."""
        env = request.env
        return [
            env._("Mon"),
            env._("Tue"),
            env._("Wed"),
            env._("Thu"),
            env._("Fri"),
            env._("Sat"),
            env._("Sun"),
        ]

    def _items_page(self, order, token, error=None, status=200):
        Requests = self._requests()
        returnable = Requests._sevensenders_returnable(order)
        return self._render(
            "return_items",
            {
                "order": order,
                "token": token,
                "points": Requests._sevensenders_dropoff_points(order)
                if returnable
                else [],
                "day_names": self._day_names(),
                "format_quantity": functools.partial(format_quantity, request.env),
                "format_distance": functools.partial(format_distance, request.env),
                "lines": list(returnable.items()),
                "reasons": self._reasons(),
                "error": error,
                "requests": Requests.search([("order_id", "=", order.id)]),
                "submission": uuid.uuid4().hex,
            },
            status=status,
        )

    def _form_items(self, order):
        """``[(sale line, quantity, reason)]`` of the form, strictly read."""
        form = request.httprequest.form
        reasons = {reason.id: reason for reason in self._reasons()}
        items = []
        for line in order.order_line:
            raw = self._text(form.get(f"qty_{line.id}"), 32) or "0"
            if not _FORM_NUMBER.match(raw):
                raise BadInput(request.env._("Please enter the quantities as numbers."))
            quantity = float(raw)
            if quantity:
                reason_id = self._text(form.get(f"reason_{line.id}"), 12)
                reason = reasons.get(int(reason_id)) if reason_id.isdecimal() else None
                items.append((line, quantity, reason))
        return items

    @http.route("/returns/<string:token>", methods=["POST"], **PAGE)
    @token_scoped
    def returns_create(self, order, token, **kw):
        form = request.httprequest.form
        try:
            created = self._make_request(
                order,
                self._form_items(order),
                form.get("comment", ""),
                "portal",
                form.get("dropoff", "") if form.get("dropoff") != "any" else "",
                form.get("submission", ""),
            )
        except BadInput as exc:
            return self._items_page(order, token, error=exc.message, status=400)
        except ReturnKeyReused as exc:
            return self._items_page(order, token, error=exc.args[0], status=409)
        except UserError as exc:
            return self._items_page(order, token, error=exc.args[0], status=400)
        return self._redirect(f"/returns/{token}/{created.id}")

    def _request_of(self, order, request_id):
        return self._requests().search(
            [("id", "=", request_id), ("order_id", "=", order.id)]
        )

    @http.route("/returns/<string:token>/<int:request_id>", methods=["GET"], **PAGE)
    @token_scoped
    def returns_status(self, order, token, request_id, **kw):
        found = self._request_of(order, request_id)
        if not found:
            return self._not_found()
        return self._render(
            "return_status",
            {
                "order": order,
                "token": token,
                "return_request": found,
                "format_quantity": functools.partial(format_quantity, request.env),
            },
        )

    @http.route(
        "/returns/<string:token>/<int:request_id>/label/<int:attachment_id>",
        methods=["GET"],
        **PLAIN,
    )
    @token_scoped
    def returns_label(self, order, token, request_id, attachment_id, **kw):
        found = self._request_of(order, request_id)
        attachment = found.label_attachment_ids.filtered(
            lambda a: a.id == attachment_id
        )
        if not attachment:
            return self._not_found()
        return self._harden(
            request.make_response(
                attachment.raw,
                headers=[
                    ("Content-Type", attachment.mimetype or "application/pdf"),
                    ("Content-Disposition", http.content_disposition(attachment.name)),
                ],
            )
        )


class ReturnsApi(ReturnsBase):
    """The same flow for shops with their own frontend, as JSON (the token in
    the path is the credential: no session, no CSRF)."""

    def _json(self, payload, status=200, headers=None):
        return self._harden(request.make_json_response(payload, status=status), headers)

    def _error(self, exc):
        return self._json(
            {"error": exc.code, "message": exc.message}, status=exc.status
        )

    def _invalid_token(self):
        return self._json(
            {"error": "invalid_token", "message": self._expired_message()},
            status=403,
        )

    def _returns_off(self):
        return self._json({"error": "not_found"}, status=404)

    def _body(self):
        """The JSON object of the body: capped in size and depth before it
        is parsed; BadInput otherwise."""
        http_request = request.httprequest
        length = http_request.content_length
        if length is not None and length > MAX_BODY:
            raise BadInput(request.env._("The request is too large."), 413, "too_large")
        raw = http_request.get_data()  # bounded: the length is checked
        if len(raw) > MAX_BODY:
            raise BadInput(request.env._("The request is too large."), 413, "too_large")
        if too_deep(raw):
            raise BadInput(request.env._("The request is not a JSON object."))
        try:
            data = json.loads(raw, parse_constant=_refuse_constant) if raw else None
        except (ValueError, RecursionError):
            data = None
        if not isinstance(data, dict):
            raise BadInput(request.env._("The request is not a JSON object."))
        return data

    def _request_json(self, token, found):
        base = f"/returns/api/{token}/returns/{found.id}"
        return {
            "id": found.id,
            "name": found.name,
            "state": found.state,
            "status_url": base,
            "dropoff_point": found.dropoff_point or None,
            "labels": [
                f"/returns/{token}/{found.id}/label/{label.id}"
                for label in found.label_attachment_ids
            ],
            "items": [
                {
                    "line_id": item.sale_line_id.id,
                    "quantity": item.quantity,
                    "reason": item.reason_id.code,
                }
                for item in found.line_ids
            ],
        }

    @http.route("/returns/api/lookup", methods=["POST"], csrf=False, **PLAIN)
    def api_lookup(self, **kw):
        if not self._any_open():
            return self._returns_off()
        try:
            data = self._body()
            order, wait = self._lookup(data.get("reference"), data.get("secret"))
        except BadInput as exc:
            return self._error(exc)
        if wait:
            return self._json(
                {
                    "error": "too_many_tries",
                    "message": request.env._(
                        "Too many tries. Please wait a few minutes."
                    ),
                },
                status=429,
                headers={"Retry-After": str(wait)},
            )
        if not order:
            return self._json({"error": "not_found"}, status=404)
        return self._json(
            {
                "token": self._returns()._sevensenders_token(order),
                "expires_in": int(TOKEN_LIFETIME.total_seconds()),
                "order": order.name,
            }
        )

    def _api_lang(self, order):
        """The language of the answer: ``?lang=`` when it is active, else the
        customer's (as their emails)."""
        active = {code for code, _name in request.env["res.lang"].get_installed()}
        asked = request.httprequest.args.get("lang")
        return asked if asked in active else order.partner_id.lang or "en_US"

    @http.route("/returns/api/<string:token>/items", methods=["GET"], **PLAIN)
    @token_scoped
    def api_items(self, order, token, **kw):
        request.update_context(lang=self._api_lang(order))
        returnable = self._requests()._sevensenders_returnable(order)
        return self._json(
            {
                "order": order.name,
                "items": [
                    {
                        "line_id": line.id,
                        "product": line.product_id.display_name,
                        "sku": line.product_id.default_code or None,
                        "returnable": quantity,
                    }
                    for line, quantity in returnable.items()
                ],
                "reasons": [
                    {
                        "code": reason.code,
                        "name": reason.name,
                        "comment_required": reason.comment_required,
                    }
                    for reason in self._reasons()
                ],
            }
        )

    @http.route("/returns/api/<string:token>/dropoff-points", methods=["GET"], **PLAIN)
    @token_scoped
    def api_dropoff_points(self, order, token, **kw):
        points = self._requests()._sevensenders_dropoff_points(order)
        return self._json({"available": points is not None, "points": points or []})

    def _api_items(self, order, data):
        """``[(sale line, quantity, reason)]`` of the body: at most
        ``MAX_ITEMS``, each an object with an integer ``line_id`` of the order,
        a number ``quantity`` and a ``reason`` code; BadInput otherwise."""
        raw_items = data.get("items")
        if not isinstance(raw_items, list) or not raw_items:
            raise BadInput(request.env._("Choose at least one item to return."))
        if len(raw_items) > MAX_ITEMS:
            raise BadInput(
                request.env._(
                    "At most %(max)s items can be returned at once.", max=MAX_ITEMS
                ),
                413,
                "too_many_items",
            )
        lines = {line.id: line for line in order.order_line}
        reasons = {reason.code: reason for reason in self._reasons()}
        items = []
        for item in raw_items:
            if not isinstance(item, dict):
                raise BadInput(request.env._("The request is not a JSON object."))
            line_id, quantity = item.get("line_id"), item.get("quantity")
            if isinstance(line_id, bool) or not isinstance(line_id, int):
                raise BadInput(request.env._("Choose at least one item to return."))
            if line_id not in lines:
                raise BadInput(
                    request.env._("Choose at least one item to return."),
                    422,
                    "not_returnable",
                )
            if isinstance(quantity, bool) or not isinstance(quantity, (int, float)):
                raise BadInput(request.env._("Please enter the quantities as numbers."))
            reason = reasons.get(self._text(item.get("reason"), 64))
            items.append((lines[line_id], quantity, reason))
        return items

    def _dropoff_of(self, data):
        point = data.get("dropoff_point")
        if isinstance(point, int) and not isinstance(point, bool):
            return str(point)
        return point

    @http.route(
        "/returns/api/<string:token>/returns", methods=["POST"], csrf=False, **PLAIN
    )
    @token_scoped
    def api_create(self, order, token, **kw):
        try:
            data = self._body()
            created = self._make_request(
                order,
                self._api_items(order, data),
                data.get("comment"),
                "api",
                self._dropoff_of(data),
                data.get("idempotency_key"),
            )
        except BadInput as exc:
            return self._error(exc)
        except ReturnKeyReused as exc:
            return self._json(
                {"error": "idempotency_key_reused", "message": exc.args[0]},
                status=409,
            )
        except UserError as exc:
            return self._json(
                {"error": "not_returnable", "message": exc.args[0]}, status=422
            )
        return self._json(self._request_json(token, created), status=201)

    @http.route(
        "/returns/api/<string:token>/returns/<int:request_id>", methods=["GET"], **PLAIN
    )
    @token_scoped
    def api_status(self, order, token, request_id, **kw):
        found = self._requests().search(
            [("id", "=", request_id), ("order_id", "=", order.id)]
        )
        if not found:
            return self._json({"error": "not_found"}, status=404)
        return self._json(self._request_json(token, found))
