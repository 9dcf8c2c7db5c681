# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer's side of the self-hosted return flow: finding the order without
logging in, and the short-lived token that scopes every later step to it.

A lookup gives nothing away: one generic answer whether the reference or the
postal code (or email) was wrong, comparisons in constant time, and failed tries
limited per client address and per order reference (``ATTEMPTS`` per
``WINDOW``); the pages and the JSON API share these rules."""

import datetime as dt
import hmac
import re

from odoo import api, fields, models
from odoo.tools.misc import hash_sign, verify_hash_signed

ATTEMPTS = 10
WINDOW = dt.timedelta(minutes=15)
TOKEN_LIFETIME = dt.timedelta(minutes=30)
SCOPE = "delivery_sevensenders.return"


def _normal_zip(value):
    return re.sub(r"[\s-]+", "", value or "").upper()


class SevenSendersReturnAttempt(models.Model):
    _name = "sevensenders.return.attempt"
    _description = "Seven Senders return lookup failed try"
    _log_access = False

    key = fields.Char(required=True, index=True)
    at = fields.Datetime(required=True, default=fields.Datetime.now, index=True)

    @api.autovacuum
    def _gc_sevensenders_attempts(self):
        self.search([("at", "<", fields.Datetime.now() - WINDOW)]).unlink()


class SevenSendersReturns(models.AbstractModel):
    _name = "sevensenders.returns"
    _description = "Seven Senders self-hosted returns: lookup and tokens"

    @api.model
    def _sevensenders_wait(self, keys):
        """Seconds until ``keys`` may try again (0: now)."""
        since = fields.Datetime.now() - WINDOW
        attempts = self.env["sevensenders.return.attempt"].sudo()
        wait = 0
        for key in keys:
            found = attempts.search(
                [("key", "=", key), ("at", ">=", since)], order="at"
            )
            if len(found) >= ATTEMPTS:
                until = found[-ATTEMPTS].at + WINDOW
                wait = max(
                    wait, int((until - fields.Datetime.now()).total_seconds()) + 1
                )
        return wait

    @api.model
    def _sevensenders_keys(self, reference, client_ip):
        return [
            f"ip:{client_ip or '-'}",
            f"ref:{(reference or '').strip().upper()[:64]}",
        ]

    @api.model
    def _sevensenders_lookup(self, reference, secret, client_ip):
        """``(order, retry_after)``: the order when the reference (order number or
        tracking code) and the secret (delivery postal code or email) match;
        ``retry_after`` > 0 when this client or reference tried too often."""
        Order = self.env["sale.order"].sudo()
        keys = self._sevensenders_keys(reference, client_ip)
        wait = self._sevensenders_wait(keys)
        if wait:
            return Order, wait
        reference = (reference or "").strip()[:64]
        secret = (secret or "").strip()[:254]
        order = Order
        if reference and secret:
            order = Order.search(
                [("name", "=ilike", reference), ("state", "=", "sale")], limit=1
            )
            if not order:
                parcel = (
                    self.env["sevensenders.parcel"]
                    .sudo()
                    .search([("tracking_code", "=", reference)], limit=1)
                )
                order = parcel.picking_id.sale_id.filtered(lambda o: o.state == "sale")
        if order and self._sevensenders_secret_matches(order, secret):
            return order, 0
        attempts = self.env["sevensenders.return.attempt"].sudo()
        attempts.create([{"key": key} for key in keys])
        return Order, 0

    @api.model
    def _sevensenders_secret_matches(self, order, secret):
        """Constant-time: the delivery postal code, or an email of the order."""
        zip_code = _normal_zip(order.partner_shipping_id.zip)
        emails = {
            (p.email or "").strip().lower()
            for p in order.partner_id | order.partner_shipping_id
            if p.email
        }
        given_zip = _normal_zip(secret)
        given_email = secret.lower()
        match = bool(zip_code) & hmac.compare_digest(zip_code, given_zip)
        for email in emails:
            match |= hmac.compare_digest(email, given_email)
        return match

    @api.model
    def _sevensenders_token(self, order):
        return hash_sign(self.env(su=True), SCOPE, {"order": order.id}, TOKEN_LIFETIME)

    @api.model
    def _sevensenders_order_of(self, token):
        """The order a token is for, or an empty recordset (forged, expired,
        garbled, or the order gone)."""
        Order = self.env["sale.order"].sudo()
        try:
            values = verify_hash_signed(self.env(su=True), SCOPE, token or "")
        except (ValueError, TypeError, UnicodeDecodeError):
            return Order
        if not isinstance(values, dict) or not isinstance(values.get("order"), int):
            return Order
        return (
            Order.browse(values["order"]).exists().filtered(lambda o: o.state == "sale")
        )
