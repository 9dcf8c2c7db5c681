# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer's side of the shop's own returns: finding the order without
logging in, and the short-lived token that scopes every later step to it.

A lookup gives nothing away: one generic answer whether the reference or the
postal code (or email) was wrong, comparisons in constant time, and failed tries
limited per client address (``ATTEMPTS`` per ``WINDOW``) and, from all
addresses together, per order reference (``REFERENCE_CEILING``, as low): a
stranger can lock the lookup of a reference for a window, never the owner,
whose links (the email's, *My orders*) carry a token and skip the lookup. The
secret is the postal code of one of the customer's own addresses (ordering,
invoice, delivery; never a pickup point's, which anyone can look up) or one of
their emails. Orders of an account without *Returns in this shop* are not
found (``_sevensenders_open``). The reference
is compared exactly (trimmed, case-insensitive, no pattern characters), and
the counters are rows taken and counted atomically, so parallel tries cannot
pass the limits. The pages and the JSON API share these rules."""

import contextlib
import datetime as dt
import hmac
import re

from odoo import api, fields, models
from odoo.tools.misc import hash_sign, verify_hash_signed

from ..compat import Constraint, in_test_mode

ATTEMPTS = 10
REFERENCE_CEILING = ATTEMPTS  # the owner's links carry a token
WINDOW = dt.timedelta(minutes=15)
TOKEN_LIFETIME = dt.timedelta(minutes=30)
SCOPE = "delivery_sevensenders.return"
#: what no reference, postal code, email or comment contains (NUL included)
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

_TAKE_TRY = """
    INSERT INTO sevensenders_return_attempt AS a (key, at, tries)
    VALUES (%(key)s, %(now)s, 1)
    ON CONFLICT (key) DO UPDATE SET
        tries = CASE WHEN a.at < %(since)s THEN 1 ELSE a.tries + 1 END,
        at = CASE WHEN a.at < %(since)s THEN %(now)s ELSE a.at END
    WHERE a.at < %(since)s OR a.tries < %(limit)s
    RETURNING tries
"""


def _normal_zip(value):
    return re.sub(r"[\s-]+", "", value or "").upper()


def normal_reference(value):
    """An order or tracking number as it is compared and counted: trimmed,
    inner blanks collapsed, upper case, at most 64 characters."""
    return " ".join((value or "").split()).upper()[:64]


def is_pickup_contact(order, partner):
    """Whether ``partner`` is the contact Odoo made of the order's pickup
    point (a delivery contact under the address it was chosen for)."""
    point = "pickup_location_data" in order._fields and order.pickup_location_data
    return bool(point and partner.parent_id and partner == order.partner_shipping_id)


def _like_literal(value):
    """``value`` for ``=ilike`` as itself: no wildcard, no escape."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class SevenSendersReturnAttempt(models.Model):
    _name = "sevensenders.return.attempt"
    _description = "Seven Senders return lookup tries"
    _log_access = False
    _key_unique = Constraint("unique(key)", "One counter per key.")

    key = fields.Char(required=True, index=True)
    at = fields.Datetime(
        required=True, default=fields.Datetime.now, help="Start of the window."
    )
    tries = fields.Integer(default=1, help="Failed (or running) tries in the window.")

    @api.autovacuum
    def _gc_sevensenders_attempts(self):
        self.search([("at", "<", fields.Datetime.now() - WINDOW)]).unlink()


class SevenSendersReturns(models.AbstractModel):
    _name = "sevensenders.returns"
    _description = "Seven Senders self-hosted returns: lookup and tokens"

    @contextlib.contextmanager
    def _sevensenders_counter_cr(self):
        """The cursor the try counters are counted on: a short transaction of
        its own in READ COMMITTED (a concurrent try waits for the row, then
        counts on its newest value), committed whatever the request does; the
        test cursor in tests (one transaction)."""
        if in_test_mode(self.pool):
            yield self.env.cr
            return
        with self.pool.cursor() as cr:
            cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
            yield cr

    @api.model
    def _sevensenders_take_try(self, limits):
        """Count one try on each key of ``limits`` (``{key: limit}``, in that
        order) unless one is at its limit: then nothing is counted and the
        answer is the seconds to wait (0: the try may go on)."""
        now = fields.Datetime.now()
        since = now - WINDOW
        taken = []
        with self._sevensenders_counter_cr() as cr:
            for key, limit in limits.items():
                cr.execute(
                    _TAKE_TRY, {"key": key, "now": now, "since": since, "limit": limit}
                )
                if cr.fetchone():
                    taken.append(key)
                    continue
                cr.execute(
                    "SELECT at FROM sevensenders_return_attempt WHERE key = %s", (key,)
                )
                until = cr.fetchone()[0] + WINDOW
                self._sevensenders_give_back(taken, cr)
                return max(int((until - now).total_seconds()) + 1, 1)
        return 0

    @api.model
    def _sevensenders_give_back(self, keys, cr=None):
        """A try that found the order does not count as failed."""
        if not keys:
            return
        if cr is None:
            with self._sevensenders_counter_cr() as own:
                return self._sevensenders_give_back(keys, own)
        cr.execute(
            "UPDATE sevensenders_return_attempt SET tries = greatest(tries - 1, 0) "
            "WHERE key = ANY(%s)",
            (list(keys),),
        )

    @api.model
    def _sevensenders_limits(self, reference, client_ip):
        return {
            f"ip:{client_ip or '-'}": ATTEMPTS,
            f"ref:{normal_reference(reference)}": REFERENCE_CEILING,
        }

    @api.model
    def _sevensenders_lookup(self, reference, secret, client_ip):
        """``(order, retry_after)``: the order when the reference (order number or
        tracking code, exactly) and the secret (delivery postal code or email)
        match; ``retry_after`` > 0 when this client or reference tried too often."""
        Order = self.env["sale.order"].sudo()
        limits = self._sevensenders_limits(reference, client_ip)
        wait = self._sevensenders_take_try(limits)
        if wait:
            return Order, wait
        reference = normal_reference(reference)
        secret = (secret or "").strip()[:254]
        order = Order
        if reference and secret and not CONTROL_CHARACTERS.search(reference + secret):
            order = self._sevensenders_find(reference)
        if order and self._sevensenders_secret_matches(order, secret):
            self._sevensenders_give_back(list(limits))
            return order, 0
        return Order, 0

    @api.model
    def _sevensenders_open(self, orders):
        """``orders`` whose account has *Returns in this shop* on: the others
        have no return pages (off means off)."""
        return orders.filtered(
            lambda o: o.state == "sale" and o._sevensenders_account().return_self_hosted
        )

    @api.model
    def _sevensenders_find(self, reference):
        """The confirmed order of this number or tracking code (exact,
        case-insensitive) with returns in this shop, or an empty recordset."""
        Order = self.env["sale.order"].sudo()
        literal = _like_literal(reference)
        order = Order.search(
            [("name", "=ilike", literal), ("state", "=", "sale")], limit=1
        )
        if not order:
            parcel = (
                self.env["sevensenders.parcel"]
                .sudo()
                .search([("tracking_code", "=ilike", literal)], limit=1)
            )
            order = parcel.picking_id.sale_id
        return self._sevensenders_open(order)

    @api.model
    def _sevensenders_own_addresses(self, order):
        """The customer's own addresses: the ordering and invoice partners and
        their companies, and the delivery address unless it is a pickup point
        (then the address it was chosen for)."""
        shipping = order.partner_shipping_id
        if is_pickup_contact(order, shipping):
            shipping = shipping.parent_id
        partners = order.partner_id | order.partner_invoice_id
        return partners | partners.commercial_partner_id | shipping

    @api.model
    def _sevensenders_secret_matches(self, order, secret):
        """Constant-time: a postal code or an email of the customer's own
        addresses (``_sevensenders_own_addresses``)."""
        partners = self._sevensenders_own_addresses(order)
        zip_codes = {_normal_zip(p.zip) for p in partners if _normal_zip(p.zip)}
        emails = {(p.email or "").strip().lower() for p in partners if p.email}
        given_zip = _normal_zip(secret).encode()
        given_email = secret.lower().encode()
        match = False
        for zip_code in sorted(zip_codes):
            match |= hmac.compare_digest(zip_code.encode(), given_zip)
        for email in sorted(emails):
            match |= hmac.compare_digest(email.encode(), given_email)
        return match

    @api.model
    def _sevensenders_token(self, order):
        return hash_sign(self.env(su=True), SCOPE, {"order": order.id}, TOKEN_LIFETIME)

    @api.model
    def _sevensenders_order_of(self, token):
        """The order a token is for, or an empty recordset (forged, expired,
        garbled, or the order gone)."""
        Order = self.env["sale.order"].sudo()
        if not token or CONTROL_CHARACTERS.search(token) or len(token) > 512:
            return Order
        try:
            values = verify_hash_signed(self.env(su=True), SCOPE, token)
        except (ValueError, TypeError, UnicodeDecodeError):
            return Order
        if not isinstance(values, dict) or not isinstance(values.get("order"), int):
            return Order
        return (
            Order.browse(values["order"]).exists().filtered(lambda o: o.state == "sale")
        )
