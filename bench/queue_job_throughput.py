"""Throughput side by side in a real Odoo (18.0 or 19.0): the outbox sent by the
cron alone (one drain thread, as the scheduler runs it) and by the queue_job jobs
of ``delivery_sevensenders_queue_job`` in ``odoo-bin --workers=N`` (N = 1, 2, 4).

Runs with Odoo's Python against a database where delivery_sevensenders_queue_job
is installed (queue_job available to that Odoo). It COMMITS (the workers must see
the orders): give it a copy, e.g. ``createdb -T mydb benchdb``::

    /opt/odoo-venv/bin/python bench/queue_job_throughput.py --odoo-bin \\
        /opt/odoo18/odoo-bin -d benchdb [--orders 400] [--latency-ms 200] \\
        [--workers 1,2,4] [--http-port 8069]

For each run the same number of orders is confirmed (committed, nothing sent
yet), then sent: by the drain loop of the cron in this process, or by the jobs
of a freshly started Odoo server. Printed: synced orders/s per run, from the
first claim (the cron's loop start; the first job's start) to the last row sent,
and each run against the cron.
"""

import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from _odoo import odoo_parser, open_registry  # noqa: E402
from _queue_job import OdooServer, job_stats  # noqa: E402
from _sandbox import start_sandbox  # noqa: E402


def parse():
    parser = odoo_parser(__doc__)
    parser.add_argument("--orders", type=int, default=400)
    parser.add_argument("--latency-ms", type=float, default=200.0)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--shards", type=int, default=8)
    parser.add_argument("--http-port", type=int, default=8069)
    parser.add_argument("--timeout", type=int, default=900)
    return parser.parse_args()


def main():
    args = parse()
    odoo, registry = open_registry(args)
    import requests  # noqa: PLC0415

    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    proc, url = start_sandbox(args.sandbox_python)
    results = []
    try:
        requests.put(
            url + "/_sandbox/faults", json={"latency_ms": args.latency_ms}, timeout=10
        ).raise_for_status()
        with registry.cursor() as cr:
            ids = setup(api.Environment(cr, SUPERUSER_ID, {}), args, url)
        print(
            f"queue_job_throughput: {args.orders} orders per run, sandbox latency "
            f"{args.latency_ms:g} ms, parallel calls {args.concurrency} per drain, "
            f"{args.shards} shards"
        )
        runs = [("cron only (one drain thread)", 0)] + [
            (f"queue_job, {n} worker{'s' if n > 1 else ''}", n)
            for n in (int(w) for w in args.workers.split(","))
        ]
        for label, workers in runs:
            # the server runs and its workers have loaded the registry before
            # the orders are committed: their jobs start at once
            server = start_server(odoo, args, workers) if workers else None
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                order_ids = confirm(env, ids, args.orders)
                # the jobs these orders queued are for the server; the cron's
                # run must not find them afterwards
                if not workers:
                    cr.execute(
                        "DELETE FROM queue_job WHERE channel = 'root.sevensenders'"
                    )
            if workers:
                seconds = run_jobs(registry, server, args, order_ids)
            else:
                seconds = run_cron(registry, order_ids)
            synced = count_synced(registry, order_ids)
            results.append((label, synced, seconds))
            print(
                f"  {label:<30} {synced}/{len(order_ids)} orders synced in "
                f"{seconds:.1f} s = {synced / seconds:.1f} synced orders/s"
            )
    finally:
        proc.terminate()
        proc.wait(10)
    base = results[0][1] / results[0][2]
    for label, synced, seconds in results[1:]:
        print(f"  {label}: {synced / seconds / base:.2f} x the cron")
    return 0


def setup(env, args, url):
    company = env.company
    env["sevensenders.account"].search([]).active = False
    warehouse = env["stock.warehouse"].search(
        [("company_id", "=", company.id)], limit=1
    )
    account = env["sevensenders.account"].create(
        {
            "name": "Throughput",
            "environment": "custom",
            "base_url": url + "/v2",
            "access_key": "sandbox-access-key",
            "shop_url": "https://shop.example.com",
            "outbox_concurrency": args.concurrency,
            "outbox_job_shards": args.shards,
            "company_id": company.id,
            "warehouse_mapping_ids": [
                (0, 0, {"warehouse_id": warehouse.id, "sevensenders_warehouse": "WH"})
            ],
        }
    )
    product = env["product.product"].create(
        {"name": "Bench shirt", "default_code": "BENCH-QJ", "list_price": 10.0}
    )
    partner = env["res.partner"].create(
        {
            "name": "Bench Customer",
            "email": "bench@example.com",
            "lang": "en_US",
            "street": "Invalidenstraße 116",
            "zip": "10115",
            "city": "Berlin",
            "country_id": env.ref("base.de").id,
        }
    )
    pricelist = env["product.pricelist"].create(
        {"name": "Bench", "currency_id": company.currency_id.id}
    )
    return account.id, product.id, partner.id, pricelist.id


def confirm(env, ids, count):
    _account, product, partner, pricelist = ids
    orders = env["sale.order"].create(
        [
            {
                "partner_id": partner,
                "pricelist_id": pricelist,
                "order_line": [(0, 0, {"product_id": product, "product_uom_qty": 1})],
            }
            for _i in range(count)
        ]
    )
    for order in orders:
        order.action_confirm()
    return orders.ids


def open_rows(cr, order_ids):
    cr.execute(
        "SELECT count(*) FROM sevensenders_outbox WHERE res_model = 'sale.order' "
        "AND res_id = ANY(%s) AND state IN ('pending', 'retry')",
        (order_ids,),
    )
    return cr.fetchone()[0]


def count_synced(registry, order_ids):
    with registry.cursor() as cr:
        cr.execute(
            "SELECT count(*) FROM sale_order WHERE id = ANY(%s) "
            "AND sevensenders_order_ref IS NOT NULL",
            (order_ids,),
        )
        return cr.fetchone()[0]


def run_cron(registry, order_ids):
    """The drain as the scheduler runs it (each outcome committed), in a loop
    until nothing is left: one drain thread, the cron's whole capacity."""
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    started = time.perf_counter()
    while True:
        with registry.cursor() as cr:
            outbox = api.Environment(cr, SUPERUSER_ID, {})["sevensenders.outbox"]
            if not outbox.with_context(
                sevensenders_commit=True
            )._cron_sevensenders_drain():
                break
    seconds = time.perf_counter() - started
    with registry.cursor() as cr:
        left = open_rows(cr, order_ids)
    if left:
        print(f"  (cron: {left} rows not sent)")
    return seconds


def start_server(odoo, args, workers):
    """The server, started, each of its workers with the registry loaded."""
    import requests  # noqa: PLC0415

    server = OdooServer(
        args.odoo_bin,
        args.database,
        odoo.tools.config["addons_path"],
        args.http_port,
        workers,
    ).start()
    url = f"http://127.0.0.1:{args.http_port}/web/login?db={args.database}"
    for _round in range(3):
        with ThreadPoolExecutor(2 * workers) as pool:
            list(
                pool.map(lambda _i: requests.get(url, timeout=120), range(2 * workers))
            )
    return server


def run_jobs(registry, server, args, order_ids):
    """Wait until every row is sent; seconds from the first job's start to the
    last row's; then stop the server."""
    try:
        deadline = time.monotonic() + args.timeout
        while time.monotonic() < deadline:
            with registry.cursor() as cr:
                if not open_rows(cr, order_ids):
                    break
            time.sleep(0.2)
        with registry.cursor() as cr:
            cr.execute(
                "SELECT min(date_started) FROM queue_job WHERE channel = %s "
                "AND state = 'done'",
                ("root.sevensenders",),
            )
            first = cr.fetchone()[0]
            cr.execute(
                "SELECT max(write_date) FROM sevensenders_outbox "
                "WHERE res_model = 'sale.order' AND res_id = ANY(%s)",
                (order_ids,),
            )
            last = cr.fetchone()[0]
            states, claimed = job_stats(cr)
            left = open_rows(cr, order_ids)
    finally:
        server.stop()
    errors, _retried = server.errors()
    print(
        f"    jobs {states}, {claimed} rows claimed by jobs, {left} rows left, "
        f"{len(errors)} ERROR lines (log {server.log})"
    )
    for line in errors[:5]:
        print("      " + line[:300])
    with registry.cursor() as cr:
        cr.execute("DELETE FROM queue_job WHERE channel = 'root.sevensenders'")
    return max((last - first).total_seconds(), 0.001)


if __name__ == "__main__":
    sys.exit(main())
