"""Latency of the checkout's pickup-point call, cold and cached, in a real Odoo 18.

Runs ``sale.order._get_pickup_locations()`` (what the checkout's location selector
calls) for a 7S carrier with pickup points against the sandbox (started here in
its own process), and prints p50/p95 for:

  cold    every call asks Seven Senders (a new area each time: zip or coordinates)
  cached  the same areas again, answered from the connector's cache
  odoo    the same call for a carrier without any remote lookup (Odoo's own cost),
          so that the cache's overhead on the checkout call is visible

Nothing is committed: the database is left as it was.

    /opt/odoo-venv/bin/python bench/pudo_latency.py --odoo-bin /opt/odoo18/odoo-bin \
        -c /opt/odoo.conf -d DB [--n 200]
"""

import os
import statistics
import time
from pathlib import Path

from _odoo import odoo_parser, open_registry  # bench/ is the script's folder
from _sandbox import start_sandbox

ROOT = Path(__file__).resolve().parent.parent


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))] * 1000


def main():
    parser = odoo_parser(__doc__)
    parser.add_argument("--n", type=int, default=200, help="calls per series")
    args = parser.parse_args()
    odoo, registry = open_registry(args)
    proc, url = start_sandbox(args.sandbox_python)
    try:
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            results = run(env, url, args.n)
            cr.rollback()
    finally:
        proc.terminate()
    print(
        f"machine: {os.cpu_count()} cores; Odoo {odoo.release.version}; {args.n} calls per series"
    )
    print(f"{'series':<10}{'p50 ms':>10}{'p95 ms':>10}{'mean ms':>10}")
    for name, values in results.items():
        print(
            f"{name:<10}{pct(values, 50):>10.2f}{pct(values, 95):>10.2f}{statistics.mean(values) * 1000:>10.2f}"
        )
    overhead = pct(results["cached"], 95) - pct(results["odoo"], 95)
    print(
        f"\ncache overhead on the checkout call at p95: {overhead:.2f} ms (target <= 30 ms)"
    )


def run(env, url, n):
    from odoo.addons.delivery_sevensenders.models.pudo_cache import clear_pickup_cache

    de = env.ref("base.de")
    account = env["sevensenders.account"].create(
        {
            "name": "bench",
            "environment": "custom",
            "base_url": url + "/v2",
            "access_key": "sandbox-access-key",
        }
    )
    env["sevensenders.carrier"]._sevensenders_sync(account)
    product = env["product.product"].create({"name": "bench ship", "type": "service"})
    carrier = env["delivery.carrier"].create(
        {
            "name": "bench 7S",
            "delivery_type": "sevensenders",
            "product_id": product.id,
            "sevensenders_account_id": account.id,
            "sevensenders_carrier_id": env["sevensenders.carrier"]
            .search([("code", "=", "dhl")])
            .id,
            "sevensenders_country_id": de.id,
            "sevensenders_use_locations": True,
        }
    )
    plain = env["delivery.carrier"].create(
        {"name": "bench fixed", "delivery_type": "fixed", "product_id": product.id}
    )
    partner = env["res.partner"].create(
        {"name": "Bench", "zip": "10115", "city": "Berlin", "country_id": de.id}
    )
    order = env["sale.order"].create(
        {"partner_id": partner.id, "carrier_id": carrier.id}
    )
    clear_pickup_cache()
    zips = [f"{10115 + i:05d}" for i in range(n)]  # n distinct areas

    def series(carrier_record):
        order.carrier_id = carrier_record
        times = []
        for zip_code in zips:
            start = time.perf_counter()
            order._get_pickup_locations(zip_code=zip_code, country=de)
            times.append(time.perf_counter() - start)
        return times

    series(carrier)  # warm-up: imports, the token, the first connection
    clear_pickup_cache()
    cold = series(carrier)
    cached = series(carrier)
    odoo_only = series(plain)
    return {"cold": cold, "cached": cached, "odoo": odoo_only}


if __name__ == "__main__":
    main()
