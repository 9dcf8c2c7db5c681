"""Bulk sync in a real Odoo 18: confirm many sale orders, then drain the outbox.

Runs with Odoo's Python, against a database where delivery_sevensenders is
installed, and a sandbox it starts in its own process (the project's .venv):

    /opt/odoo-venv/bin/python bench/bulk_sync.py --odoo-bin /opt/odoo18/odoo-bin \\
        -c /opt/odoo.conf -d DB [--orders 1000] [--latency-ms 50] [--concurrency 8]

The drain runs as the scheduler runs it: it commits the outcomes it records
(``sevensenders_commit``), so the bench works in a copy of the database that it
makes and drops (the database itself is left as it was). ``--one-transaction``:
in the database itself, everything in one transaction that is rolled back, the
drain committing nothing (as a user's *Send now* does; the figures before
2026-12-07 were made so). Printed, separately: Odoo's own confirmation time per
order, what our hooks add to it, the drain's throughput (synced orders/s), SQL
queries per synced order (Odoo's query counter) for a small and the full batch,
and the process's peak memory.
"""

import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from _odoo import odoo_parser, open_registry, throwaway_copy  # noqa: E402
from _sandbox import start_sandbox  # noqa: E402


def parse():
    parser = odoo_parser(__doc__)
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--block", type=int, default=20)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument(
        "--latency-model",
        choices=("added", "response"),
        default="added",
        help="added: the latency comes on top of the sandbox's own work per "
        "call; response: each call is answered LATENCY after it arrived, the "
        "sandbox's work inside it (a remote API's response time)",
    )
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--batch-size", type=int, default=200)
    parser.add_argument(
        "--one-transaction",
        action="store_true",
        help="in the database itself, rolled back: the drain commits nothing",
    )
    return parser.parse_args()


def main():
    args = parse()
    if args.one_transaction:
        bench(args)
    else:
        with throwaway_copy(args):
            bench(args)


def bench(args):
    _odoo, registry = open_registry(args)
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    proc, url = start_sandbox(args.sandbox_python)
    try:
        import requests  # noqa: PLC0415

        if args.latency_ms:
            requests.put(
                url + "/_sandbox/faults",
                json={
                    "latency_ms" if args.latency_model == "added" else "response_ms": (
                        args.latency_ms
                    )
                },
                timeout=10,
            ).raise_for_status()
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            try:
                run(env, args, url)
            finally:
                cr.rollback()
    finally:
        proc.terminate()
        proc.wait(10)


def setup(env, args, url):
    company = env.company
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
    product = env["product.product"].create(
        {"name": "Bench shirt", "default_code": "BENCH-1", "list_price": 10.0}
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
    return account, product, partner, pricelist


def make_orders(env, count, product, partner, pricelist):
    return env["sale.order"].create(
        [
            {
                "partner_id": partner.id,
                "pricelist_id": pricelist.id,
                "order_line": [
                    (0, 0, {"product_id": product.id, "product_uom_qty": 1})
                ],
            }
            for _i in range(count)
        ]
    )


def confirm(orders):
    """Seconds per order, each confirmed on its own as a shop does."""
    orders.env.flush_all()
    started = time.perf_counter()
    for order in orders:
        order.action_confirm()
    orders.env.flush_all()
    return (time.perf_counter() - started) / len(orders)


def hook_overhead(env, args, account, product, partner, pricelist):
    """Median seconds per confirmation without and with our hooks.

    Blocks with the account switched off and on alternate (ABBA...), so that
    both see the same history: Odoo's own confirmation slows down as a
    product's moves pile up in the transaction, which would otherwise be
    counted as ours."""
    warm = make_orders(env, args.block, product, partner, pricelist)
    confirm(warm)
    times = {False: [], True: []}
    for index in range(args.rounds):
        order = (False, True) if index % 2 == 0 else (True, False)
        for enabled in order:
            account.sync_orders = enabled
            orders = make_orders(env, args.block, product, partner, pricelist)
            times[enabled].append(confirm(orders))
    account.sync_orders = True
    return statistics.median(times[False]), statistics.median(times[True])


def drain(env, args):
    # committing each outcome as the scheduler does (sevensenders_commit), or
    # nothing, in the bench's one transaction
    outbox = env["sevensenders.outbox"].with_context(
        sevensenders_commit=not args.one_transaction
    )
    cr = env.cr
    env.flush_all()
    queries = cr.sql_log_count
    started = time.perf_counter()
    while outbox._cron_sevensenders_drain(batch_size=args.batch_size):
        pass
    env.flush_all()
    return time.perf_counter() - started, cr.sql_log_count - queries


def run(env, args, url):
    account, product, partner, pricelist = setup(env, args, url)
    print(
        f"bulk_sync: {args.orders} orders, sandbox {url} latency {args.latency_ms:g} ms "
        f"({args.latency_model}), "
        f"concurrency {args.concurrency}, batch {args.batch_size}, "
        + ("one transaction" if args.one_transaction else "committing as the cron")
    )
    odoo_own, with_hooks = hook_overhead(
        env, args, account, product, partner, pricelist
    )
    drain(env, args)

    results = {}
    for size in (args.small, args.orders):
        orders = make_orders(env, size, product, partner, pricelist)
        per_order = confirm(orders)
        rows = env["sevensenders.outbox"].search(
            [("res_model", "=", "sale.order"), ("res_id", "in", orders.ids)]
        )
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        seconds, queries = drain(env, args)
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        synced = len(orders.filtered("sevensenders_order_ref"))
        done = len(rows.filtered(lambda r: r.state == "done"))
        results[size] = (per_order, seconds, queries, synced, done, len(rows))
        print(
            f"  {size:>5} orders: confirm {per_order * 1000:.1f} ms/order; drain "
            f"{seconds:.2f} s = {synced / seconds:.0f} synced orders/s "
            f"({done}/{len(rows)} calls done), {queries / synced:.1f} queries/order, "
            f"peak RSS {rss_after / 1024:.0f} MB (+{(rss_after - rss_before) / 1024:.0f})"
        )
    per_order, seconds, queries, synced, _done, rows = results[args.orders]
    small = results[args.small]
    print(
        f"Odoo's own confirmation: {odoo_own * 1000:.1f} ms/order (median of "
        f"{args.rounds} blocks of {args.block} orders, our account switched off)"
    )
    print(
        f"our hooks add: {(with_hooks - odoo_own) * 1000:.2f} ms/order = "
        f"{(with_hooks - odoo_own) / odoo_own * 100:.1f} % (target <= 10 %; "
        f"{with_hooks * 1000:.1f} ms/order with them, blocks interleaved)"
    )
    target = 50 if args.latency_ms >= 50 else 100
    if args.latency_ms:
        # each order is rows / synced calls, each one round trip at the latency
        bound = args.concurrency / (rows / synced * args.latency_ms / 1000)
        print(
            f"drain: {synced / seconds / bound * 100:.0f} % of the in-flight bound "
            f"({args.concurrency} calls in flight / ({rows / synced:g} calls x "
            f"{args.latency_ms:g} ms) = {bound:.0f} orders/s; target >= 90 %)"
        )
    print(
        f"drain: {synced / seconds:.0f} synced orders/s (target >= {target}); "
        f"queries/order {small[2] / small[3]:.1f} at {args.small} vs "
        f"{queries / synced:.1f} at {args.orders} (constant = no N+1)"
    )
    stats = requests_stats(url)
    print(f"sandbox: {stats}")


def requests_stats(url):
    import requests  # noqa: PLC0415

    stats = requests.get(url + "/_sandbox/stats", timeout=10).json()
    calls = sum(stats["requests"].values())
    return f"{calls} calls, faults {stats['faults']}, tokens {stats['tokens_issued']}"


if __name__ == "__main__":
    main()
