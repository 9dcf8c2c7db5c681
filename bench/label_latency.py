"""Label latency in a real Odoo 18 or 19: *Validate* of 7S deliveries, and the
*Seven Senders: create labels* server action on many deliveries.

Runs with Odoo's Python, against a database where delivery_sevensenders is
installed, and a sandbox it starts in its own process (the project's .venv):

    /opt/odoo-venv/bin/python bench/label_latency.py --odoo-bin /opt/odoo18/odoo-bin \\
        -c /opt/odoo.conf -d DB [--latency-ms 200] [--deliveries 20] [--concurrency 8]

Everything happens in one transaction that is rolled back at the end: the
database is left as it was. Printed: per package count (1, 3, 6), the median
and p95 of *Validate* (the button to done, the labels stored) of ``--deliveries``
deliveries, next to Odoo's own validation of the same deliveries with a
fixed-price carrier; then the server action on ``--action-deliveries``
deliveries of 2 packages (labels/s) and its in-flight bound (Parallel calls /
(2 x latency)).
"""

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from _odoo import odoo_parser, run_rolled_back  # noqa: E402


def parse():
    parser = odoo_parser(__doc__)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--deliveries", type=int, default=20)
    parser.add_argument("--packages", default="1,3,6")
    parser.add_argument("--action-deliveries", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=8)
    return parser.parse_args()


def main():
    run_rolled_back(parse(), run)


def set_latency(url, latency_ms):
    import requests  # noqa: PLC0415

    requests.put(
        url + "/_sandbox/faults", json={"latency_ms": latency_ms}, timeout=10
    ).raise_for_status()


def setup(env, args, url):
    company = env.company
    de = env.ref("base.de")
    company.partner_id.write(
        {"street": "Schleißheimer Str. 506", "zip": "80933", "city": "München"}
    )
    company.partner_id.country_id = de
    env["sevensenders.account"].search([]).active = False
    warehouse = env["stock.warehouse"].search(
        [("company_id", "=", company.id)], limit=1
    )
    account = env["sevensenders.account"].create(
        {
            "name": "Bench",
            "environment": "custom",
            "base_url": url + "/v2",
            "access_key": "sandbox-access-key",
            "shop_url": "https://shop.example.com",
            "outbox_concurrency": args.concurrency,
            "company_id": company.id,
            "warehouse_mapping_ids": [
                (0, 0, {"warehouse_id": warehouse.id, "sevensenders_warehouse": "WH"})
            ],
        }
    )
    env["sevensenders.carrier"]._sevensenders_sync(account)
    dhl = env["sevensenders.carrier"].search([("code", "=", "dhl")], limit=1)
    ship = env["product.product"].create({"name": "Bench shipping", "type": "service"})
    carriers = {
        kind: env["delivery.carrier"].create(
            {
                "name": f"Bench {kind}",
                "delivery_type": kind,
                "product_id": ship.id,
                "fixed_price": 4.9,
                **(
                    {
                        "sevensenders_account_id": account.id,
                        "sevensenders_carrier_id": dhl.id,
                        "sevensenders_country_id": de.id,
                    }
                    if kind == "sevensenders"
                    else {}
                ),
            }
        )
        for kind in ("sevensenders", "fixed")
    }
    products = env["product.product"].create(
        [
            {
                "name": f"Bench item {i}",
                "default_code": f"BENCH-L{i}",
                "is_storable": True,
                "list_price": 10.0,
                "weight": 0.5,
            }
            for i in range(6)
        ]
    )
    for product in products:
        env["stock.quant"]._update_available_quantity(
            product, warehouse.lot_stock_id, 10000
        )
    partner = env["res.partner"].create(
        {
            "name": "Bench Customer",
            "email": "bench@example.com",
            "lang": "en_US",
            "street": "Invalidenstraße 116",
            "zip": "10115",
            "city": "Berlin",
            "country_id": de.id,
        }
    )
    pricelist = env["product.pricelist"].create(
        {"name": "Bench", "currency_id": company.currency_id.id}
    )
    return carriers, products, partner, pricelist


def packed_deliveries(env, count, packages, carrier, products, partner, pricelist):
    """``count`` confirmed, reserved deliveries of ``carrier``, each in
    ``packages`` packages (one product per package), ready to validate."""
    from odoo.addons.delivery_sevensenders.compat import (  # noqa: PLC0415
        package_model,
    )

    orders = env["sale.order"].create(
        [
            {
                "partner_id": partner.id,
                "pricelist_id": pricelist.id,
                "order_line": [
                    (0, 0, {"product_id": p.id, "product_uom_qty": 1})
                    for p in products[:packages]
                ],
            }
            for _i in range(count)
        ]
    )
    for order in orders:
        order.set_delivery_line(carrier, carrier.fixed_price)
        order.action_confirm()
    pickings = orders.picking_ids
    pickings.action_assign()
    for picking in pickings:
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        for line in picking.move_line_ids:
            line.result_package_id = package_model(env).create({})
    env.flush_all()
    return pickings


def validate_each(pickings):
    """Seconds of each *Validate*, the button to done (labels stored)."""
    times = []
    for picking in pickings:
        started = time.perf_counter()
        picking.button_validate()
        picking.env.flush_all()
        times.append(time.perf_counter() - started)
        assert picking.state == "done", picking.name
    return times


def p95(values):
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def run(env, args, url):
    carriers, products, partner, pricelist = setup(env, args, url)
    set_latency(url, args.latency_ms)
    print(
        f"label_latency: sandbox latency {args.latency_ms:g} ms, parallel calls "
        f"{args.concurrency}, {args.deliveries} deliveries per package count"
    )
    data = products, partner, pricelist
    # warm up both paths (caches, the token)
    for kind in ("fixed", "sevensenders"):
        validate_each(packed_deliveries(env, 2, 1, carriers[kind], *data))
    round_trip = args.latency_ms / 1000
    for packages in [int(n) for n in args.packages.split(",")]:
        figures = {}
        for kind in ("fixed", "sevensenders"):
            pickings = packed_deliveries(
                env, args.deliveries, packages, carriers[kind], *data
            )
            times = validate_each(pickings)
            if kind == "sevensenders":
                labels = len(pickings.sevensenders_parcel_ids)
                assert labels == packages * len(pickings), labels
            figures[kind] = (statistics.median(times), p95(times))
        own, ours = figures["fixed"], figures["sevensenders"]
        added = ours[0] - own[0]
        trips = f" = {added / round_trip:.1f} round trips" if round_trip else ""
        print(
            f"  {packages} package(s): Validate p50 {ours[0] * 1000:.0f} ms, p95 "
            f"{ours[1] * 1000:.0f} ms; Odoo's own p50 {own[0] * 1000:.0f} ms, p95 "
            f"{own[1] * 1000:.0f} ms; added p50 {added * 1000:.0f} ms{trips}"
        )
    server_action(env, args, carriers, data)


def server_action(env, args, carriers, data):
    """*Seven Senders: create labels* on deliveries validated without a label."""
    pickings = packed_deliveries(
        env, args.action_deliveries, 2, carriers["fixed"], *data
    )
    validate_each(pickings)
    pickings.write({"carrier_id": carriers["sevensenders"].id})
    pickings.carrier_tracking_ref = False
    env.flush_all()
    started = time.perf_counter()
    pickings.action_sevensenders_create_label()
    env.flush_all()
    seconds = time.perf_counter() - started
    labels = len(pickings.sevensenders_parcel_ids)
    rate = labels / seconds
    line = (
        f"  server action: {len(pickings)} deliveries, {labels} labels in "
        f"{seconds:.2f} s = {rate:.1f} labels/s"
    )
    if args.latency_ms:
        bound = args.concurrency / (2 * args.latency_ms / 1000)
        line += f"; in-flight bound {bound:.0f} labels/s: {rate / bound * 100:.0f} %"
    print(line)


if __name__ == "__main__":
    main()
