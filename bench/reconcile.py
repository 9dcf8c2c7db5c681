"""The read-back's cost: Seven Senders' copy of ``--orders`` orders read and
compared with what Odoo would send now (``sevensenders.account._sevensenders_reconcile``).

Makes one order with the ORM and copies it in SQL into ``--orders`` confirmed,
synced orders (all in a transaction it rolls back); creates each in a sandbox
it starts (the project's .venv), changes ``--drift`` of them there behind
Odoo's back, then times the read-back of all of them with the account's
*Parallel calls* (``--concurrency``) and the sandbox answering after
``--latency-ms``. Prints the calls made, the seconds, the orders compared per
second, the share of the bound (orders x latency / parallel calls), the
differences found and the repairs queued; then the selection of the orders
due (changed since the last run + the rolling sample) on the same data.

    /opt/odoo-venv/bin/python bench/reconcile.py --odoo-bin /opt/odoo/odoo-bin \\
        -c /opt/odoo.conf -d DB [--orders 10000] [--latency-ms 50] [--concurrency 8]
"""

import time
from concurrent.futures import ThreadPoolExecutor

import requests
from _odoo import odoo_parser, run_rolled_back  # bench/ is the script's folder
from bulk_sync import make_orders, setup


def parse():
    parser = odoo_parser(__doc__)
    parser.add_argument("--orders", type=int, default=10000)
    parser.add_argument("--drift", type=float, default=0.01)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--concurrency", type=int, default=8)
    return parser.parse_args()


def copies(env, template, count):
    """``count`` copies of ``template`` (a confirmed order) in SQL."""
    cr = env.cr
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = 'sale_order' AND column_name NOT IN ('id', 'name')"
    )
    columns = ", ".join(f'"{row[0]}"' for row in cr.fetchall())
    cr.execute(
        f"INSERT INTO sale_order (name, {columns}) "  # noqa: S608 - column names
        f"SELECT 'BENCH-' || n, {columns} FROM sale_order, generate_series(1, %s) n "
        "WHERE id = %s RETURNING id",
        [count, template.id],
    )
    return env["sale.order"].browse([row[0] for row in cr.fetchall()])


def create_remote(env, account, orders, url):
    """Each order created in the sandbox (8 threads); its id written in SQL."""
    bodies = [(o.id, o._sevensenders_prepare_order_vals(account)) for o in orders]
    client = account._sevensenders_client()

    def create(item):
        return item[0], str(client.create_order(item[1]).id)

    with ThreadPoolExecutor(8) as pool:
        refs = list(pool.map(create, bodies))
    _update_refs(env, refs)
    env.invalidate_all()
    return dict(refs)


def _update_refs(env, refs):
    from psycopg2.extras import execute_values  # noqa: PLC0415

    execute_values(
        env.cr._obj,
        "UPDATE sale_order o SET sevensenders_order_ref = v.ref, "
        "sevensenders_sync_state = 'synced' FROM (VALUES %s) AS v(id, ref) "
        "WHERE o.id = v.id",
        refs,
    )


def run(env, args, url):
    account, product, partner, pricelist = setup(env, args, url)
    template = make_orders(env, 1, product, partner, pricelist)
    env.flush_all()
    env.cr.execute("UPDATE sale_order SET state = 'sale' WHERE id = %s", [template.id])
    started = time.perf_counter()
    orders = copies(env, template, args.orders)
    refs = create_remote(env, account, orders, url)
    print(
        f"setup: {args.orders} orders copied and created in the sandbox in "
        f"{time.perf_counter() - started:.1f} s"
    )
    drifted = list(refs.values())[:: max(int(1 / args.drift), 1)] if args.drift else []
    for ref in drifted:
        requests.patch(
            f"{url}/_sandbox/objects/order/{ref}", json={"language": ["fr"]}, timeout=10
        ).raise_for_status()
    if args.latency_ms:
        requests.put(
            url + "/_sandbox/faults", json={"response_ms": args.latency_ms}, timeout=10
        ).raise_for_status()
    before = requests.get(url + "/_sandbox/stats", timeout=10).json()
    started = time.perf_counter()
    result = account._sevensenders_reconcile(orders)
    seconds = time.perf_counter() - started
    after = requests.get(url + "/_sandbox/stats", timeout=10).json()
    calls = sum(after["requests"].values()) - sum(before["requests"].values())
    bound = args.orders * args.latency_ms / 1000 / max(account.outbox_concurrency, 1)
    queued = env["sevensenders.outbox"].search_count(
        [("operation", "=", "order_update"), ("res_id", "in", orders.ids)]
    )
    print(
        f"read-back: {result['checked']} orders, {calls} calls, {seconds:.1f} s, "
        f"{result['checked'] / seconds:.0f} orders compared/s, "
        f"{100 * bound / seconds if bound else 0:.0f} % of the bound "
        f"({args.latency_ms:g} ms x {args.orders} / {account.outbox_concurrency}); "
        f"{result['found']} differences found ({len(drifted)} made), "
        f"{queued} repairs queued"
    )
    account.reconcile_checked_at = False
    account.reconcile_sample_from = 0
    started = time.perf_counter()
    due = account._sevensenders_reconcile_due()
    print(
        f"selection of the orders due: {len(due)} orders in "
        f"{1000 * (time.perf_counter() - started):.0f} ms"
    )


def main():
    run_rolled_back(parse(), run)


if __name__ == "__main__":
    main()
