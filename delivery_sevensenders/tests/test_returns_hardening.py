# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The shop's own returns attacked over HTTP (issue #22): exact lookups, the
limits and who they lock out, strict numbers and shapes, capped bodies,
control characters, the answers' headers, the owner's direct entry."""

import json
import re
from urllib.parse import urlparse

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import config

from ..models.sevensenders_returns import ATTEMPTS, REFERENCE_CEILING
from .common import SevenSendersCase

HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "Referrer-Policy": "same-origin",
}


@tagged("post_install", "-at_install")
class TestReturnsHardening(HttpCase, SevenSendersCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account.write(
            {
                "return_window_days": 30,
                "return_opens": "shipping",
                "return_self_hosted": True,
            }
        )
        cls.too_small = cls.env.ref("delivery_sevensenders.return_reason_too_small")
        cls.Request = cls.env["sevensenders.return.request"]

    def setUp(self):
        super().setUp()
        # distinct client addresses through X-Forwarded-For, as behind a proxy
        old = config["proxy_mode"]
        config["proxy_mode"] = True
        self.addCleanup(config.__setitem__, "proxy_mode", old)
        self.host = urlparse(self.base_url()).netloc
        self.address = 1

    def client(self, address=None):
        """Headers of a client at its own address (a new one by default)."""
        if address is None:
            self.address += 1
            address = f"203.0.113.{self.address}"
        return {"X-Forwarded-For": address, "X-Forwarded-Host": self.host}

    def api(self, path, payload=None, raw=None, headers=None):
        data = (raw if raw is not None else json.dumps(payload)).encode()
        return self.url_open(
            f"/returns/api/{path}",
            data=data if (payload is not None or raw is not None) else None,
            headers={
                "Content-Type": "application/json",
                **(headers if headers is not None else self.client()),
            },
            allow_redirects=False,
        )

    def csrf(self, url, headers=None):
        page = self.url_open(url, headers=headers).text
        return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    def page_lookup(self, reference, secret, headers=None):
        headers = headers or self.client()
        return self.url_open(
            "/returns",
            data={
                "csrf_token": self.csrf("/returns", headers),
                "reference": reference,
                "secret": secret,
            },
            headers=headers,
            allow_redirects=False,
        )

    def token(self, order, headers=None):
        found = self.api(
            "lookup", {"reference": order.name, "secret": "10115"}, headers=headers
        )
        self.assertEqual(found.status_code, 200, found.text)
        return found.json()["token"]

    def requests_of(self, order):
        return self.Request.search([("order_id", "=", order.id)])

    def assertRefused(self, response, statuses=(400, 413, 422)):
        self.assertIn(response.status_code, statuses, response.text[:300])
        if response.headers.get("Content-Type", "").startswith("application/json"):
            self.assertTrue(response.json().get("message"), response.text[:300])

    # -- the lookup ------------------------------------------------------------

    def test_the_lookup_is_exact(self):
        order = self.delivered()
        name = order.name
        spellings = [
            f"{name}%",
            f"%{name}",
            f"{name[:2]}_{name[3:]}%",
            f"{name[:3]}%{name[-3:]}",
            f"{name}\\",
            f"\\{name}",
            "%",
            "_" * len(name),
            name[:-1],
        ]
        for spelling in spellings:
            miss = self.api("lookup", {"reference": spelling, "secret": "10115"})
            self.assertEqual(miss.status_code, 404, spelling)
            page = self.page_lookup(spelling, "10115")
            self.assertEqual(page.status_code, 200, spelling)
            self.assertIn("could not find an order", page.text)
        code = order.picking_ids.sevensenders_parcel_ids.tracking_code
        for spelling in (f"{code[:-2]}%", f"{code[:-1]}_"):
            miss = self.api("lookup", {"reference": spelling, "secret": "10115"})
            self.assertEqual(miss.status_code, 404, spelling)
        # trimmed and case-insensitive equality finds it
        self.assertEqual(
            self.page_lookup(f"  {name.lower()} ", "10115").status_code, 303
        )
        self.token(order, self.client())

    def test_one_counter_per_normalised_reference(self):
        order = self.delivered()
        for spelling in (order.name, order.name.lower(), f" {order.name} "):
            self.api(
                "lookup", {"reference": spelling, "secret": "0"}, headers=self.client()
            )
        counters = self.env["sevensenders.return.attempt"].search(
            [("key", "like", "ref:%")]
        )
        self.assertEqual(counters.mapped("key"), [f"ref:{order.name}"])
        self.assertEqual(counters.tries, 3)

    def test_a_stranger_locks_the_lookup_never_the_owners_link(self):
        """Issue #32 item 18: the reference's ceiling is the per-address
        limit; the owner's links carry a token and skip the lookup."""
        self.assertEqual(REFERENCE_CEILING, ATTEMPTS)
        order = self.delivered()
        stranger = self.client()
        for _i in range(ATTEMPTS):
            miss = self.api(
                "lookup", {"reference": order.name, "secret": "0"}, headers=stranger
            )
            self.assertEqual(miss.status_code, 404)
        blocked = self.api(
            "lookup", {"reference": order.name, "secret": "10115"}, headers=stranger
        )
        self.assertEqual(blocked.status_code, 429)
        self.assertGreater(int(blocked.headers["Retry-After"]), 0)
        # elsewhere, the lookup of this reference waits for the window too
        elsewhere = self.api(
            "lookup",
            {"reference": order.name, "secret": "10115"},
            headers=self.client(),
        )
        self.assertEqual(elsewhere.status_code, 429)
        self.assertEqual(self.page_lookup(order.name, "10115").status_code, 429)
        # a blocked reference counts nothing more
        counter = self.env["sevensenders.return.attempt"].search(
            [("key", "=", f"ref:{order.name}")]
        )
        self.assertEqual(counter.tries, REFERENCE_CEILING)
        # the owner's link (the email's, My orders') still opens the items
        order.invalidate_recordset(["sevensenders_return_url"])
        entry = self.url_open(
            order.sevensenders_return_url,
            headers=self.client(),
            allow_redirects=False,
        )
        self.assertEqual(entry.status_code, 303, entry.text[:300])
        items = self.url_open(entry.headers["Location"], headers=self.client())
        self.assertIn(self.shirt.display_name, items.text)

    def test_other_references_are_not_locked(self):
        order = self.delivered()
        other = self.delivered()
        for _i in range(REFERENCE_CEILING):
            self.api(
                "lookup",
                {"reference": order.name, "secret": "0"},
                headers=self.client(),
            )
        self.token(other, self.client())

    def test_the_secret_only_from_the_body(self):
        order = self.delivered()
        leaked = self.url_open(
            "/returns/api/lookup?secret=10115",
            data=json.dumps({"reference": order.name, "secret": "10115"}),
            headers={"Content-Type": "application/json", **self.client()},
        )
        self.assertRefused(leaked, (400,))
        headers = self.client()
        page = self.url_open(
            "/returns?secret=10115",
            data={
                "csrf_token": self.csrf("/returns", headers),
                "reference": order.name,
            },
            headers=headers,
            allow_redirects=False,
        )
        self.assertEqual(page.status_code, 400)

    def test_nul_and_control_characters(self):
        order = self.delivered()
        for reference, secret in (
            (f"{order.name}\x00", "10115"),
            (order.name, "10115\x00"),
            (f"{order.name}\x1b", "10115"),
        ):
            api = self.api("lookup", {"reference": reference, "secret": secret})
            self.assertRefused(api, (400,))
            page = self.page_lookup(reference, secret)
            self.assertEqual(page.status_code, 400)
        token = self.token(order, self.client())
        line = order.order_line.filtered(lambda sl: sl.product_id == self.shirt)
        item = {"line_id": line.id, "quantity": 1, "reason": "too_small"}
        for extra in (
            {"comment": "a\x00b"},
            {"idempotency_key": "k\x00"},
            {"dropoff_point": "\x00"},
        ):
            refused = self.api(f"{token}/returns", {"items": [item], **extra})
            self.assertRefused(refused, (400,))
        self.assertEqual(self.url_open("/returns/%00").status_code, 403)
        self.assertFalse(self.requests_of(order))

    # -- the items ---------------------------------------------------------------

    def test_bad_numbers_are_refused_and_create_nothing(self):
        order = self.delivered()
        line = order.order_line.filtered(lambda sl: sl.product_id == self.shirt)
        token = self.token(order, self.client())
        for quantity in (
            "1e309",
            "-1e309",
            "1e308",
            "Infinity",
            "-Infinity",
            "NaN",
            '"inf"',
            '"1"',
            '"\uff11"',
            "true",
            "false",
            "null",
            "[1]",
            '{"q": 1}',
            "0.001",
            "0.5",
            "-1",
            "0",
            "10000000000000000000000000000000000000000",
        ):
            raw = (
                '{"items": [{"line_id": %d, "quantity": %s, "reason": "too_small"}]}'
                % (line.id, quantity)
            )
            refused = self.api(f"{token}/returns", raw=raw)
            self.assertRefused(refused)
        for line_id in ('"%d"' % line.id, "true", "%d.0" % line.id, "null"):
            raw = (
                '{"items": [{"line_id": %s, "quantity": 1, "reason": "too_small"}]}'
                % line_id
            )
            self.assertRefused(self.api(f"{token}/returns", raw=raw))
        for quantity in (
            "1e309",
            "inf",
            "Infinity",
            "1e308",
            "NaN",
            "-1",
            "0.5",
            "0.001",
            "\uff11",
            "1,5",
            "1 x",
            "0x1",
        ):
            form = {
                "csrf_token": self.csrf(f"/returns/{token}"),
                f"qty_{line.id}": quantity,
                f"reason_{line.id}": str(self.too_small.id),
            }
            refused = self.url_open(
                f"/returns/{token}", data=form, allow_redirects=False
            )
            self.assertEqual(refused.status_code, 400, quantity)
        self.assertFalse(self.requests_of(order))

    def test_shapes_depth_and_size(self):
        order = self.delivered()
        token = self.token(order, self.client())
        line = order.order_line.filtered(lambda sl: sl.product_id == self.shirt)
        deep = "[" * 100_000 + "]" * 100_000
        deep_object = '{"a":' * 50_000 + "1" + "}" * 50_000
        for raw in (deep, deep_object, "not json", '["a"]', '"text"', " ", "\x00"):
            self.assertRefused(self.api("lookup", raw=raw, headers=self.client()))
            self.assertRefused(self.api(f"{token}/returns", raw=raw))
        nested_items = json.dumps({"items": [[[[[[[[[[1]]]]]]]]]]})
        self.assertRefused(self.api(f"{token}/returns", raw=nested_items))
        big = json.dumps({"items": [], "comment": "x" * 200_000})
        self.assertEqual(self.api(f"{token}/returns", raw=big).status_code, 413)
        many = {
            "items": [
                {"line_id": line.id, "quantity": 1, "reason": "too_small"}
                for _i in range(201)
            ]
        }
        too_many = self.api(f"{token}/returns", many)
        self.assertEqual(too_many.status_code, 413, too_many.text)
        self.assertIn("At most 200", too_many.json()["message"])
        for items in ("x", {}, [], ["x"], [{"line_id": 0, "quantity": 1}]):
            self.assertRefused(self.api(f"{token}/returns", {"items": items}))
        self.assertFalse(self.requests_of(order))

    def test_approval_holds_the_units_over_http(self):
        self.account.return_approval = True
        order = self.delivered()
        line = order.order_line.filtered(lambda sl: sl.product_id == self.shirt)
        token = self.token(order, self.client())
        item = {"line_id": line.id, "quantity": 2, "reason": "too_small"}
        first = self.api(f"{token}/returns", {"items": [item]})
        self.assertEqual(first.status_code, 201, first.text)
        self.assertEqual(first.json()["state"], "to_approve")
        again = self.api(f"{token}/returns", {"items": [{**item, "quantity": 1}]})
        self.assertEqual(again.status_code, 422, again.text)
        self.assertEqual(len(self.requests_of(order)), 1)

    def test_the_same_key_with_other_items_is_a_conflict(self):
        order = self.delivered()
        line = order.order_line.filtered(lambda sl: sl.product_id == self.shirt)
        token = self.token(order, self.client())
        item = {"line_id": line.id, "quantity": 1, "reason": "too_small"}
        body = {"items": [item], "idempotency_key": "k-22"}
        first = self.api(f"{token}/returns", body)
        self.assertEqual(first.status_code, 201, first.text)
        same = self.api(f"{token}/returns", body)
        self.assertEqual(same.json()["id"], first.json()["id"])
        other = self.api(
            f"{token}/returns", {**body, "items": [{**item, "quantity": 2}]}
        )
        self.assertEqual(other.status_code, 409, other.text)
        self.assertIn("used for another return request", other.json()["message"])
        # the form: the same submission with other quantities
        page = self.url_open(f"/returns/{token}").text
        submission = re.search(r'name="submission" value="([^"]+)"', page).group(1)
        form = {
            "csrf_token": self.csrf(f"/returns/{token}"),
            "submission": submission,
            f"qty_{line.id}": "1",
            f"reason_{line.id}": str(self.too_small.id),
        }
        made = self.url_open(f"/returns/{token}", data=form, allow_redirects=False)
        self.assertEqual(made.status_code, 303, made.text[:300])
        form[f"qty_{line.id}"] = "2"
        reused = self.url_open(f"/returns/{token}", data=form, allow_redirects=False)
        self.assertEqual(reused.status_code, 409, reused.text[:300])
        self.assertIn("used for another return request", reused.text)
        self.assertEqual(len(self.requests_of(order)), 2)

    # -- the answers -------------------------------------------------------------

    def assertHardened(self, response):
        for key, value in HEADERS.items():
            self.assertIn(value, response.headers.get(key, ""), (response.url, key))

    def test_every_answer_is_hardened(self):
        order = self.delivered()
        line = order.order_line.filtered(lambda sl: sl.product_id == self.shirt)
        headers = self.client()
        token = self.token(order, headers)
        created = self.api(
            f"{token}/returns",
            {"items": [{"line_id": line.id, "quantity": 1, "reason": "too_small"}]},
        )
        request_id = created.json()["id"]
        self.drain()
        label = self.Request.browse(request_id).label_attachment_ids
        for response in (
            created,
            self.url_open("/returns"),
            self.page_lookup(order.name, "10115"),
            self.page_lookup(order.name, "0"),
            self.url_open(f"/returns/{token}"),
            self.url_open(f"/returns/{token}/{request_id}"),
            self.url_open(f"/returns/{token}/{request_id}/label/{label.id}"),
            self.url_open(f"/returns/{token}/{request_id + 1000}"),
            self.url_open("/returns/forged"),
            self.api("lookup", {"reference": order.name, "secret": "10115"}),
            self.api("lookup", raw="[" * 10_000),
            self.api(f"{token}/items"),
            self.api(f"{token}/dropoff-points"),
            self.api(f"{token}/returns/{request_id}"),
            self.api("forged/items"),
        ):
            self.assertHardened(response)

    def test_a_status_without_a_dropoff_point(self):
        order = self.delivered()
        line = order.order_line.filtered(lambda sl: sl.product_id == self.shirt)
        token = self.token(order, self.client())
        created = self.api(
            f"{token}/returns",
            {"items": [{"line_id": line.id, "quantity": 1, "reason": "too_small"}]},
        ).json()
        self.assertIsNone(created["dropoff_point"])
        page = self.url_open(f"/returns/{token}/{created['id']}").text
        self.assertNotIn("Drop-off point:", page)
        self.assertNotIn("{}", page)

    # -- the owner ---------------------------------------------------------------

    def test_the_owner_goes_straight_to_the_items(self):
        self.account.return_self_hosted = True
        new_test_user(
            self.env,
            login="erika",
            password="erika-portal-pw",
            groups="base.group_portal",
            partner_id=self.partner.id,
        )
        order = self.delivered()
        other = self.delivered(
            partner=self.partner.copy({"name": "Max", "email": "max@example.com"})
        )
        self.authenticate("erika", "erika-portal-pw")
        portal = self.url_open(f"/my/orders/{order.id}").text
        self.assertIn(f"/my/orders/{order.id}/returns?access_token=", portal)
        entry = self.url_open(f"/my/orders/{order.id}/returns", allow_redirects=False)
        self.assertEqual(entry.status_code, 303, entry.text[:300])
        self.assertRegex(entry.headers["Location"], r"/returns/[^/]+$")
        items = self.url_open(entry.headers["Location"])
        self.assertIn(self.shirt.display_name, items.text)
        self.assertHardened(entry)
        # not someone else's order
        refused = self.url_open(f"/my/orders/{other.id}/returns", allow_redirects=False)
        self.assertTrue(refused.headers["Location"].endswith("/returns"))
        # a visitor with the order's portal link goes in too, a guess does not
        self.logout()
        link = self.url_open(
            f"/my/orders/{order.id}/returns?access_token={order._portal_ensure_token()}",
            allow_redirects=False,
        )
        self.assertRegex(link.headers["Location"], r"/returns/[^/]+$")
        for guess in ("guess", "\uff11", ""):
            guessed = self.url_open(
                f"/my/orders/{order.id}/returns?access_token={guess}",
                allow_redirects=False,
            )
            self.assertEqual(guessed.status_code, 303)
            self.assertTrue(guessed.headers["Location"].endswith("/returns"))
