# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The shop's return pages (public): find the order, choose the items, follow
the label. Everything after the lookup is scoped by a short-lived signed token;
the rules are the models' (``sevensenders.returns``,
``sevensenders.return.request``)."""

import json
import uuid

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request
from odoo.tools import float_round

from ..compat import sale_line_uom
from ..models.sevensenders_returns import TOKEN_LIFETIME

#: every return page: public, in the shop's layout when website is installed
PAGE = {"type": "http", "auth": "public", "website": True, "sitemap": False}
#: the label download and the JSON API: public, no layout
PLAIN = {"type": "http", "auth": "public", "sitemap": False}


class SevenSendersReturns(http.Controller):
    def _portal(self):
        return request.env["sevensenders.returns"].sudo()

    def _render(self, template, values=None, status=200, headers=None):
        response = request.render(
            f"delivery_sevensenders.{template}", values or {}, status=status
        )
        for key, value in (headers or {}).items():
            response.headers[key] = value
        return response

    def _order_or_expired(self, token):
        order = self._portal()._sevensenders_order_of(token)
        if not order:
            return None, self._render(
                "return_lookup",
                {
                    "error": request.env._(
                        "This link has expired. Please look up your order again."
                    )
                },
                status=403,
            )
        return order, None

    @http.route("/returns", methods=["GET"], **PAGE)
    def returns_lookup(self, reference="", **kw):
        return self._render("return_lookup", {"reference": reference[:64]})

    @http.route("/returns", methods=["POST"], **PAGE)
    def returns_lookup_post(self, reference="", secret="", **kw):
        order, wait = self._portal()._sevensenders_lookup(
            reference, secret, request.httprequest.remote_addr
        )
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
        token = self._portal()._sevensenders_token(order)
        return request.redirect(f"/returns/{token}", local=True)

    @http.route("/returns/<string:token>", methods=["GET"], **PAGE)
    def returns_items(self, token, **kw):
        order, expired = self._order_or_expired(token)
        if expired:
            return expired
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
        Requests = request.env["sevensenders.return.request"].sudo()
        returnable = Requests._sevensenders_returnable(order)
        reasons = request.env["sevensenders.return.reason"].sudo().search([])
        return self._render(
            "return_items",
            {
                "order": order,
                "token": token,
                "points": Requests._sevensenders_dropoff_points(order)
                if returnable
                else [],
                "day_names": self._day_names(),
                "lines": list(returnable.items()),
                "reasons": reasons,
                "error": error,
                "requests": Requests.search([("order_id", "=", order.id)]),
                "submission": uuid.uuid4().hex,
            },
            status=status,
        )

    @http.route("/returns/<string:token>", methods=["POST"], **PAGE)
    def returns_create(self, token, comment="", dropoff="", submission="", **post):
        order, expired = self._order_or_expired(token)
        if expired:
            return expired
        Requests = request.env["sevensenders.return.request"].sudo()
        items = []
        try:
            for line in order.order_line:
                raw = post.get(f"qty_{line.id}") or "0"
                quantity = float_round(
                    float(raw), precision_rounding=sale_line_uom(line).rounding
                )
                if quantity:
                    reason = (
                        request.env["sevensenders.return.reason"]
                        .sudo()
                        .browse(int(post.get(f"reason_{line.id}") or 0))
                    )
                    items.append((line, quantity, reason))
            created = Requests._sevensenders_request(
                order,
                items,
                comment,
                origin="portal",
                dropoff=dropoff if dropoff not in ("", "any") else None,
                key=submission,
            )
        except (UserError, ValueError) as exc:
            message = (
                exc.args[0]
                if isinstance(exc, UserError)
                else request.env._("Please enter the quantities as numbers.")
            )
            request.env.cr.rollback()
            return self._items_page(order, token, error=message, status=400)
        return request.redirect(f"/returns/{token}/{created.id}", local=True)

    def _request_of(self, order, request_id):
        return (
            request.env["sevensenders.return.request"]
            .sudo()
            .search([("id", "=", request_id), ("order_id", "=", order.id)])
        )

    @http.route("/returns/<string:token>/<int:request_id>", methods=["GET"], **PAGE)
    def returns_status(self, token, request_id, **kw):
        order, expired = self._order_or_expired(token)
        if expired:
            return expired
        found = self._request_of(order, request_id)
        if not found:
            return request.not_found()
        return self._render(
            "return_status", {"order": order, "token": token, "return_request": found}
        )

    @http.route(
        "/returns/<string:token>/<int:request_id>/label/<int:attachment_id>",
        methods=["GET"],
        **PLAIN,
    )
    def returns_label(self, token, request_id, attachment_id, **kw):
        order = self._portal()._sevensenders_order_of(token)
        found = self._request_of(order, request_id) if order else None
        attachment = found and found.label_attachment_ids.filtered(
            lambda a: a.id == attachment_id
        )
        if not attachment:
            return request.not_found()
        return request.make_response(
            attachment.raw,
            headers=[
                ("Content-Type", attachment.mimetype or "application/pdf"),
                ("Content-Disposition", http.content_disposition(attachment.name)),
            ],
        )


class SevenSendersReturnsApi(SevenSendersReturns):
    """The same flow for shops with their own frontend, as JSON (the token in
    the path is the credential: no session, no CSRF)."""

    def _json(self, payload, status=200, headers=None):
        response = request.make_json_response(payload, status=status)
        for key, value in (headers or {}).items():
            response.headers[key] = value
        return response

    def _body(self):
        try:
            data = json.loads(request.httprequest.get_data(as_text=True) or "{}")
        except ValueError:
            return None
        return data if isinstance(data, dict) else None

    def _api_order(self, token):
        order = self._portal()._sevensenders_order_of(token)
        if not order:
            return None, self._json(
                {
                    "error": "invalid_token",
                    "message": request.env._(
                        "This link has expired. Please look up your order again."
                    ),
                },
                status=403,
            )
        return order, None

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
        data = self._body()
        if data is None:
            return self._json({"error": "bad_request"}, status=400)
        order, wait = self._portal()._sevensenders_lookup(
            str(data.get("reference") or ""),
            str(data.get("secret") or ""),
            request.httprequest.remote_addr,
        )
        if wait:
            return self._json(
                {"error": "too_many_tries"},
                status=429,
                headers={"Retry-After": str(wait)},
            )
        if not order:
            return self._json({"error": "not_found"}, status=404)
        return self._json(
            {
                "token": self._portal()._sevensenders_token(order),
                "expires_in": int(TOKEN_LIFETIME.total_seconds()),
                "order": order.name,
            }
        )

    @http.route("/returns/api/<string:token>/items", methods=["GET"], **PLAIN)
    def api_items(self, token, **kw):
        order, error = self._api_order(token)
        if error:
            return error
        returnable = (
            request.env["sevensenders.return.request"]
            .sudo()
            ._sevensenders_returnable(order)
        )
        reasons = request.env["sevensenders.return.reason"].sudo().search([])
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
                    for reason in reasons
                ],
            }
        )

    @http.route("/returns/api/<string:token>/dropoff-points", methods=["GET"], **PLAIN)
    def api_dropoff_points(self, token, **kw):
        order, error = self._api_order(token)
        if error:
            return error
        points = (
            request.env["sevensenders.return.request"]
            .sudo()
            ._sevensenders_dropoff_points(order)
        )
        return self._json({"available": points is not None, "points": points or []})

    @http.route(
        "/returns/api/<string:token>/returns", methods=["POST"], csrf=False, **PLAIN
    )
    def api_create(self, token, **kw):
        order, error = self._api_order(token)
        if error:
            return error
        data = self._body()
        if data is None or not isinstance(data.get("items"), list):
            return self._json({"error": "bad_request"}, status=400)
        reasons = request.env["sevensenders.return.reason"].sudo()
        lines = {line.id: line for line in order.order_line}
        items = []
        try:
            for item in data["items"]:
                line = lines.get(int(item["line_id"]))
                if line is None:
                    raise UserError(
                        request.env._("Choose at least one item to return.")
                    )
                reason = reasons.search(
                    [("code", "=", str(item.get("reason")))], limit=1
                )
                items.append((line, float(item["quantity"]), reason))
            created = (
                request.env["sevensenders.return.request"]
                .sudo()
                ._sevensenders_request(
                    order,
                    items,
                    str(data.get("comment") or ""),
                    origin="api",
                    dropoff=data.get("dropoff_point") or None,
                    key=str(data.get("idempotency_key") or ""),
                )
            )
        except (KeyError, TypeError, ValueError):
            return self._json({"error": "bad_request"}, status=400)
        except UserError as exc:
            request.env.cr.rollback()
            return self._json(
                {"error": "not_returnable", "message": exc.args[0]}, status=422
            )
        return self._json(self._request_json(token, created), status=201)

    @http.route(
        "/returns/api/<string:token>/returns/<int:request_id>", methods=["GET"], **PLAIN
    )
    def api_status(self, token, request_id, **kw):
        order, error = self._api_order(token)
        if error:
            return error
        found = self._request_of(order, request_id)
        if not found:
            return self._json({"error": "not_found"}, status=404)
        return self._json(self._request_json(token, found))
