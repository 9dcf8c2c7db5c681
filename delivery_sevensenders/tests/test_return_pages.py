# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The shop's return pages, over HTTP as a customer's browser uses them."""

import datetime as dt
import json
import re

from odoo.tests import HttpCase, tagged
from odoo.tools.misc import hash_sign

from ..models.sevensenders_returns import ATTEMPTS, SCOPE
from .common import SevenSendersCase


@tagged("post_install", "-at_install")
class TestReturnPages(HttpCase, SevenSendersCase):
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

    def csrf(self, url):
        page = self.url_open(url).text
        return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    def lookup(self, reference, secret, status=None):
        response = self.url_open(
            "/returns",
            data={
                "csrf_token": self.csrf("/returns"),
                "reference": reference,
                "secret": secret,
            },
            allow_redirects=False,
        )
        if status:
            self.assertEqual(response.status_code, status, response.text[:300])
        return response

    def token_of(self, response):
        self.assertEqual(response.status_code, 303, response.text[:300])
        location = response.headers["Location"]
        return re.search(r"/returns/([^/?#]+)$", location).group(1)

    def test_a_whole_return_from_lookup_to_label(self):
        order = self.delivered()
        line = order.order_line.filtered(lambda sl: sl.product_id == self.shirt)
        # a wrong postal code: one generic answer, nothing about the order
        miss = self.lookup(order.name, "99999", status=200)
        self.assertIn("could not find an order", miss.text)
        self.assertNotIn(self.shirt.display_name, miss.text)
        token = self.token_of(self.lookup(order.name.lower(), " 10115 "))
        items = self.url_open(f"/returns/{token}")
        self.assertEqual(items.status_code, 200)
        self.assertIn(self.shirt.display_name, items.text)
        self.assertIn(f'name="qty_{line.id}"', items.text)
        created = self.url_open(
            f"/returns/{token}",
            data={
                "csrf_token": self.csrf(f"/returns/{token}"),
                f"qty_{line.id}": "1",
                f"reason_{line.id}": str(self.too_small.id),
                "comment": "<script>alert('x')</script>",
            },
            allow_redirects=False,
        )
        self.assertEqual(created.status_code, 303, created.text[:300])
        request = self.env["sevensenders.return.request"].search(
            [("order_id", "=", order.id)]
        )
        self.assertEqual(request.origin, "portal")
        self.assertEqual(request.line_ids.quantity, 1)
        status_url = f"/returns/{token}/{request.id}"
        self.assertTrue(created.headers["Location"].endswith(status_url))
        pending = self.url_open(status_url).text
        self.assertIn("being prepared", pending)
        self.assertIn('http-equiv="refresh"', pending)
        self.assertNotIn("<script>alert", pending)
        self.assertIn("&lt;script&gt;", pending)
        self.drain()
        ready = self.url_open(status_url).text
        self.assertIn("Download the label", ready)
        label = request.label_attachment_ids
        pdf = self.url_open(f"{status_url}/label/{label.id}")
        self.assertEqual(pdf.status_code, 200)
        self.assertTrue(pdf.content.startswith(b"%PDF"))
        # the sandbox received the return label
        self.assertEqual(
            [lab["return_parcel"] for lab in self.sandbox.objects("label")],
            ["outbound", "return"],
        )

    def test_the_customers_links_lead_here(self):
        """The email's link carries the order's access token: straight to the
        items, no lookup (so never locked out by strangers' tries)."""
        order = self.delivered()
        order.invalidate_recordset(["sevensenders_return_url"])
        base = order.get_base_url()
        self.assertEqual(
            order.sevensenders_return_url,
            f"{base}/my/orders/{order.id}/returns?access_token={order.access_token}",
        )
        entry = self.url_open(order.sevensenders_return_url, allow_redirects=False)
        self.assertEqual(entry.status_code, 303, entry.text[:300])
        items = self.url_open(entry.headers["Location"])
        self.assertIn(self.shirt.display_name, items.text)
        # the lookup page still takes a reference from a link
        page = self.url_open(f"/returns?reference={order.name}").text
        self.assertIn(f'value="{order.name}"', page)

    def test_by_tracking_code_and_email(self):
        order = self.delivered()
        code = order.picking_ids.sevensenders_parcel_ids.tracking_code
        self.token_of(self.lookup(code, "ERIKA@example.com"))

    def test_failed_tries_are_limited(self):
        order = self.delivered()
        for _i in range(ATTEMPTS):
            self.lookup(order.name, "00000", status=200)
        blocked = self.lookup(order.name, "10115", status=429)
        self.assertGreater(int(blocked.headers["Retry-After"]), 0)
        self.assertNotIn(self.shirt.display_name, blocked.text)

    def test_bad_tokens_and_other_orders(self):
        order = self.delivered()
        other = self.delivered()
        for token in ("garbage", "AQ" * 30, "", "%00"):
            response = self.url_open(f"/returns/{token or 'x'}")
            self.assertEqual(response.status_code, 403, token)
        expired = hash_sign(
            self.env(su=True),
            SCOPE,
            {"order": order.id},
            dt.datetime.now() - dt.timedelta(minutes=1),
        )
        self.assertEqual(self.url_open(f"/returns/{expired}").status_code, 403)
        request = self.env["sevensenders.return.request"]._sevensenders_request(
            order, [(order.order_line[:1], 1, self.too_small)]
        )
        other_token = self.token_of(self.lookup(other.name, "10115"))
        response = self.url_open(f"/returns/{other_token}/{request.id}")
        self.assertEqual(response.status_code, 404)

    def test_a_post_without_csrf_or_above_the_returnable_changes_nothing(self):
        order = self.delivered()
        line = order.order_line.filtered(lambda sl: sl.product_id == self.shirt)
        token = self.token_of(self.lookup(order.name, "10115"))
        no_csrf = self.url_open(
            f"/returns/{token}",
            data={f"qty_{line.id}": "1", f"reason_{line.id}": str(self.too_small.id)},
            allow_redirects=False,
        )
        self.assertEqual(no_csrf.status_code, 400)
        too_many = self.url_open(
            f"/returns/{token}",
            data={
                "csrf_token": self.csrf(f"/returns/{token}"),
                f"qty_{line.id}": "3",
                f"reason_{line.id}": str(self.too_small.id),
            },
            allow_redirects=False,
        )
        self.assertEqual(too_many.status_code, 400)
        self.assertIn("cannot be returned in this quantity", too_many.text)
        self.assertFalse(
            self.env["sevensenders.return.request"].search(
                [("order_id", "=", order.id)]
            )
        )

    # -- the JSON API: the same flow for a shop's own frontend ---------------

    def api(self, path, payload=None):
        return self.url_open(
            f"/returns/api/{path}",
            data=json.dumps(payload) if payload is not None else None,
            headers={"Content-Type": "application/json"},
            allow_redirects=False,
        )

    def test_the_json_api_mirrors_the_pages(self):
        order = self.delivered()
        self.assertEqual(
            self.api("lookup", {"reference": order.name, "secret": "1"}).status_code,
            404,
        )
        self.assertEqual(self.api("lookup", ["not", "an", "object"]).status_code, 400)
        found = self.api("lookup", {"reference": order.name, "secret": "10115"})
        self.assertEqual(found.status_code, 200, found.text)
        token = found.json()["token"]
        self.assertEqual(found.json()["expires_in"], 1800)
        items = self.api(f"{token}/items").json()
        [shirt] = items["items"]
        self.assertEqual((shirt["sku"], shirt["returnable"]), ("7S-TSHIRT", 2.0))
        self.assertIn("too_small", [r["code"] for r in items["reasons"]])
        refused = self.api(
            f"{token}/returns",
            {
                "items": [
                    {"line_id": shirt["line_id"], "quantity": 5, "reason": "too_small"}
                ]
            },
        )
        self.assertEqual(refused.status_code, 422)
        self.assertEqual(self.api(f"{token}/returns", {"items": "x"}).status_code, 400)
        created = self.api(
            f"{token}/returns",
            {
                "items": [
                    {"line_id": shirt["line_id"], "quantity": 1, "reason": "too_small"}
                ],
                "comment": "via the API",
            },
        )
        self.assertEqual(created.status_code, 201, created.text)
        body = created.json()
        self.assertEqual(body["state"], "approved")
        self.assertEqual(body["labels"], [])
        self.drain()
        status = self.api(f"{token}/returns/{body['id']}").json()
        self.assertEqual(status["state"], "label_ready")
        pdf = self.url_open(status["labels"][0])
        self.assertTrue(pdf.content.startswith(b"%PDF"))
        self.assertEqual(self.api("forged/items").status_code, 403)

    def test_the_json_api_shares_the_limit(self):
        order = self.delivered()
        for _i in range(ATTEMPTS):
            self.api("lookup", {"reference": order.name, "secret": "0"})
        blocked = self.api("lookup", {"reference": order.name, "secret": "10115"})
        self.assertEqual(blocked.status_code, 429)
        self.assertIn("Retry-After", blocked.headers)

    def test_the_customer_chooses_where_to_hand_it_in(self):
        order = self.delivered()
        line = order.order_line.filtered(lambda sl: sl.product_id == self.shirt)
        token = self.token_of(self.lookup(order.name, "10115"))
        page = self.url_open(f"/returns/{token}").text
        points = re.findall(r'name="dropoff" id="dropoff_\d+" value="([^"]+)"', page)
        self.assertTrue(points, "the nearest Seven Senders points are offered")
        self.assertIn("Any drop-off point", page)
        self.assertIn("o_sevensenders_dropoff_hours", page)
        self.assertRegex(page, r"Mon [0-9]{2}:[0-9]{2} - [0-9]{2}:[0-9]{2}")

        def create(dropoff):
            return self.url_open(
                f"/returns/{token}",
                data={
                    "csrf_token": self.csrf(f"/returns/{token}"),
                    f"qty_{line.id}": "1",
                    f"reason_{line.id}": str(self.too_small.id),
                    "dropoff": dropoff,
                },
                allow_redirects=False,
            )

        self.assertEqual(create("not-a-listed-point").status_code, 400)
        self.assertEqual(create(points[0]).status_code, 303)
        request = self.env["sevensenders.return.request"].search(
            [("order_id", "=", order.id)]
        )
        self.assertEqual(request.dropoff_point_ref, points[0])
        self.assertIn("10115 Berlin", request.dropoff_point)
        status = self.url_open(f"/returns/{token}/{request.id}").text
        self.assertIn("Drop-off point:", status)
        # the API lists the same points
        listed = self.api(f"{token}/dropoff-points").json()
        self.assertTrue(listed["available"])
        self.assertEqual(listed["points"][0]["id"], points[0])

    def test_a_form_sent_twice_makes_one_request(self):
        order = self.delivered()
        line = order.order_line.filtered(lambda sl: sl.product_id == self.shirt)
        token = self.token_of(self.lookup(order.name, "10115"))
        page = self.url_open(f"/returns/{token}").text
        submission = re.search(r'name="submission" value="([^"]+)"', page).group(1)
        form = {
            "csrf_token": self.csrf(f"/returns/{token}"),
            "submission": submission,
            f"qty_{line.id}": "1",
            f"reason_{line.id}": str(self.too_small.id),
        }
        first = self.url_open(f"/returns/{token}", data=form, allow_redirects=False)
        again = self.url_open(f"/returns/{token}", data=form, allow_redirects=False)
        self.assertEqual(first.headers["Location"], again.headers["Location"])
        requests = self.env["sevensenders.return.request"].search(
            [("order_id", "=", order.id)]
        )
        self.assertEqual(len(requests), 1)
        self.assertEqual(len(requests.return_picking_ids), 1)
        # the API: the same idempotency key answers the same request
        api_token = self.api("lookup", {"reference": order.name, "secret": "10115"})
        api_token = api_token.json()["token"]
        body = {
            "items": [{"line_id": line.id, "quantity": 1, "reason": "too_small"}],
            "idempotency_key": "k-1",
        }
        one = self.api(f"{api_token}/returns", body).json()
        two = self.api(f"{api_token}/returns", body).json()
        self.assertEqual(one["id"], two["id"])
