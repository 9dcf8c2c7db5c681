"""Latency of the self-hosted return pages with 1,000 orders in the database.

Creates 1,000 confirmed orders (50 of them delivered, with another carrier so
that no Seven Senders call is involved) in a transaction it rolls back, then
serves Odoo's own WSGI application in this process (the way Odoo's HTTP tests
do: requests use that transaction) and times, as a customer's browser sends
them:

  lookup  POST /returns with the order number and postal code (match -> token)
  miss    POST /returns with a wrong postal code (the generic answer)
  items   GET /returns/<token> (the returnable items and reasons)
  api     GET /returns/api/<token>/items (the same as JSON)

and prints p50/p95 for each (target: lookup and items p95 <= 150 ms). The
network socket is not in the figures; everything Odoo does for a request is.

    /opt/odoo-venv/bin/python bench/return_pages.py --odoo-bin /opt/odoo/odoo-bin \\
        -c /opt/odoo.conf -d DB [--orders 1000] [--n 200]
"""

import os
import random
import re
import statistics
import time

from _odoo import odoo_parser, open_registry  # bench/ is the script's folder


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))] * 1000


def make_orders(env, count, delivered):
    """``count`` confirmed orders, the first ``delivered`` of them delivered."""
    from odoo.fields import Command  # noqa: PLC0415 - importable once Odoo's path is set

    de = env.ref("base.de")
    product = env["product.product"].create(
        {
            "name": "Bench Shirt",
            "default_code": "BENCH-SHIRT",
            "is_storable": True,
            "list_price": 10.0,
        }
    )
    stock = env.ref("stock.stock_location_stock")
    env["stock.quant"]._update_available_quantity(product, stock, count * 2)
    account = env["sevensenders.account"].search([], limit=1)
    account.write({"return_window_days": 30, "return_self_hosted": True})
    carrier = env["delivery.carrier"].search([("delivery_type", "=", "fixed")], limit=1)
    orders = env["sale.order"]
    for index in range(count):
        partner = env["res.partner"].create(
            {
                "name": f"Bench Customer {index}",
                "email": f"bench{index}@example.com",
                "street": "Invalidenstraße 116",
                "zip": f"{10115 + index % 50}",
                "city": "Berlin",
                "country_id": de.id,
            }
        )
        orders |= env["sale.order"].create(
            {
                "partner_id": partner.id,
                "carrier_id": carrier.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": 2})
                ],
            }
        )
    orders.action_confirm()
    for order in orders[:delivered]:
        picking = order.picking_ids
        picking.action_assign()
        picking.move_ids.quantity = 2
        picking.move_ids.picked = True
        picking.with_context(skip_sms=True).button_validate()
    return orders[:delivered]


def run(odoo, registry, cr, orders, n):
    from werkzeug.test import Client

    client = Client(odoo.http.root)
    # the lookup page's form token (Odoo checks CSRF on POST)
    page = client.get("/returns", headers={"Host": "127.0.0.1"}).get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    series = {"lookup": [], "miss": [], "items": [], "api": []}
    tokens = {}
    rng = random.Random(7)
    for i in range(n):
        order = orders[rng.randrange(len(orders))]
        zip_code = order.partner_shipping_id.zip
        # a fresh client address per try: the rate limit is not what is measured
        environ = {"REMOTE_ADDR": f"10.0.{i // 250}.{i % 250}"}
        started = time.perf_counter()
        response = client.post(
            "/returns",
            data={"csrf_token": csrf, "reference": order.name, "secret": zip_code},
            environ_overrides=environ,
        )
        series["lookup"].append(time.perf_counter() - started)
        assert response.status_code == 303, response.get_data(as_text=True)[:300]
        tokens[order] = response.headers["Location"].rsplit("/", 1)[1]
        started = time.perf_counter()
        response = client.post(
            "/returns",
            data={"csrf_token": csrf, "reference": order.name, "secret": "00000"},
            environ_overrides=environ,
        )
        series["miss"].append(time.perf_counter() - started)
        assert response.status_code == 200
        started = time.perf_counter()
        response = client.get(f"/returns/{tokens[order]}")
        series["items"].append(time.perf_counter() - started)
        assert b"BENCH-SHIRT" in response.get_data(), response.status_code
        started = time.perf_counter()
        response = client.get(f"/returns/api/{tokens[order]}/items")
        series["api"].append(time.perf_counter() - started)
        assert response.status_code == 200
    return series


def main():
    parser = odoo_parser(__doc__)
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--delivered", type=int, default=50)
    parser.add_argument("--n", type=int, default=200, help="customers per series")
    args = parser.parse_args()
    odoo, registry = open_registry(args)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        started = time.perf_counter()
        orders = make_orders(env, args.orders, args.delivered)
        env.flush_all()
        prepared = time.perf_counter() - started
        registry.enter_test_mode(cr)
        try:
            series = run(odoo, registry, cr, orders, args.n)
        finally:
            registry.leave_test_mode()
            cr.rollback()
    print(
        f"machine: {os.cpu_count()} cores; Odoo {odoo.release.version}; "
        f"{args.orders} orders ({args.delivered} delivered, made in {prepared:.0f} s, "
        f"rolled back); {args.n} customers per series"
    )
    print(f"{'series':<10}{'p50 ms':>10}{'p95 ms':>10}{'mean ms':>10}")
    for name, values in series.items():
        print(
            f"{name:<10}{pct(values, 50):>10.2f}{pct(values, 95):>10.2f}"
            f"{statistics.mean(values) * 1000:>10.2f}"
        )
    worst = max(pct(series["lookup"], 95), pct(series["items"], 95))
    print(f"\nlookup and items p95: {worst:.1f} ms at most (target <= 150 ms)")


if __name__ == "__main__":
    main()
