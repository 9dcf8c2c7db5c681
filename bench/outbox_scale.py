"""What the outbox and the polling crons cost at 20k / 200k / 2M outbox rows.

In one transaction that it rolls back, grows the outbox in SQL to each of
``--sizes`` rows (one account; 97 % sent over the last 60 days, 1 % given up,
1 % cancelled, and always the same 2,000 waiting rows: 1,000 due, 1,000
failed and waiting for their next attempt), with half as many parcels on
deliveries of two parcels each (all delivered but the same 5,000 in transit),
and times at each size, the median of ``--runs`` runs (7):

  claim     the drain's claim of 200 rows (``CLAIM_QUERY``)
  list      the outbox list as it opens: its first page (80 rows) and count
  document  one document's rows (``_sevensenders_rows``)
  dedupe    the dedupe lookup of ``_sevensenders_enqueue``
  cleanup   one batch of the sent rows' cleanup (``GC_BATCH`` rows removed)
  poll      the tracking poll's choice of 50 parcels
  late      the late cron's choice of the late deliveries

then the ratio of each figure at the largest size to the smallest (target for
the claim: <= 2), and with ``--explain`` the plans of the claim and the poll
at the largest size. ``--without-indexes`` drops this addon's partial indexes
in the transaction first (the figures before them). No Seven Senders call is
made; nothing is committed.

    /opt/venv18/bin/python bench/outbox_scale.py --odoo-bin /opt/odoo18/odoo-bin \\
        -c /etc/odoo.conf -d DB [--sizes 20000,200000,2000000] [--runs 5]
"""

import gc
import os
import statistics
import time

from _odoo import odoo_parser, open_registry  # bench/ is the script's folder

WAITING = 2000  # rows waiting (half of them due), whatever the size
OPEN_PARCELS = 5000  # parcels in transit, whatever the size
#: the queries whose plans ``--explain`` shows, by a part of their text
MARKERS = {
    "claim": "sevensenders_outbox o",
    "poll": "status_checked_at",
    "late": "DISTINCT p.picking_id",
}
INDEXES = (
    "sevensenders_outbox_claim_idx",
    "sevensenders_outbox_sent_idx",
    "sevensenders_parcel_polled_idx",
    "stock_picking_sevensenders_late_idx",
)


def grow_outbox(cr, account, start, stop):
    """Outbox rows ``start`` to ``stop`` (numbers, not ids): the first
    ``WAITING`` ones wait, the others are sent, given up or cancelled."""
    cr.execute(
        """
        INSERT INTO sevensenders_outbox (account_id, company_id, operation,
            res_model, res_id, record_name, dedupe_key, state, attempts,
            next_attempt_at, done_at, create_uid, write_uid, create_date,
            write_date)
        SELECT %(account)s, a.company_id, 'order_upsert',
               CASE WHEN i %% 3 = 0 THEN 'stock.picking' ELSE 'sale.order' END,
               i / 2, 'BENCH/' || i, 'bench:' || i,
               CASE WHEN i <= %(waiting)s / 2 THEN 'pending'
                    WHEN i <= %(waiting)s THEN 'retry'
                    WHEN i %% 100 = 0 THEN 'dead'
                    WHEN i %% 100 = 1 THEN 'cancelled'
                    ELSE 'done' END,
               1,
               CASE WHEN i <= %(waiting)s / 2 THEN now() - interval '1 minute'
                    WHEN i <= %(waiting)s THEN now() + interval '1 hour'
                    ELSE now() - (i %% 60) * interval '1 day' END,
               CASE WHEN i > %(waiting)s
                    THEN now() - (i %% 60) * interval '1 day' END,
               1, 1, now(), now()
          FROM sevensenders_account a, generate_series(%(start)s, %(stop)s) i
         WHERE a.id = %(account)s
        """,
        {"account": account, "waiting": WAITING, "start": start, "stop": stop},
    )


def grow_parcels(cr, account, template, start, stop):
    """Parcels ``start`` to ``stop`` on deliveries of two parcels each: the
    first ``OPEN_PARCELS`` in transit, the others delivered (their history
    read, polled when they were delivered)."""
    cr.execute(
        """
        WITH pickings AS (
            INSERT INTO stock_picking (name, state, picking_type_id,
                location_id, location_dest_id, company_id, move_type,
                partner_id, scheduled_date, date_done, create_uid, write_uid,
                create_date, write_date)
            SELECT 'BENCH/' || j, 'done', t.picking_type_id, t.location_id,
                   t.location_dest_id, t.company_id, t.move_type, t.partner_id,
                   now() - (j %% 360) * interval '1 day',
                   now() - (j %% 360) * interval '1 day', 1, 1, now(), now()
              FROM stock_picking t,
                   generate_series((%(start)s + 1) / 2, %(stop)s / 2) j
             WHERE t.id = %(template)s
            RETURNING id
        )
        INSERT INTO sevensenders_parcel (picking_id, company_id, account_id,
            name, shipment_ref, tracking_code, state, is_return, carrier_status,
            delivery_state, status_history_read, status_checked_at,
            last_scan_date, create_uid, write_uid, create_date, write_date)
        SELECT p.id, a.company_id, a.id, 'P' || p.id || '-' || k,
               p.id || '-' || k, 'T' || p.id || '-' || k, 'active', FALSE,
               CASE WHEN n <= %(open)s THEN 'in_transit' ELSE 'delivered' END,
               CASE WHEN n <= %(open)s THEN 'in_transit' ELSE 'delivered' END,
               TRUE,
               CASE WHEN n %% 2 = 0 THEN now() - interval '2 hours'
                    ELSE now() - (n %% 360) * interval '1 day' END,
               now() - (n %% 20) * interval '1 day',
               1, 1, now(), now()
          FROM (SELECT id, 2 * (row_number() OVER (ORDER BY id))
                           + %(start)s - 2 AS n0 FROM pickings) p
          CROSS JOIN LATERAL (VALUES (0), (1)) v(k)
          CROSS JOIN LATERAL (SELECT p.n0 + k AS n) nn
          JOIN sevensenders_account a ON a.id = %(account)s
        """,
        {
            "account": account,
            "template": template,
            "start": start,
            "stop": stop,
            "open": OPEN_PARCELS,
        },
    )


def timed(call, runs, env):
    values = []
    for _run in range(runs):
        env.invalidate_all()
        gc.collect()  # a collection is not the figure's (spikes of 0.2 s)
        started = time.perf_counter()
        call()
        values.append(time.perf_counter() - started)
    return values


def requests(env, account):
    """The calls timed, each made the way the addon makes it."""
    outbox = env["sevensenders.outbox"]
    parcel = env["sevensenders.parcel"]
    from odoo.tools import SQL  # noqa: PLC0415

    from odoo.addons.delivery_sevensenders.models import (  # noqa: PLC0415
        sevensenders_outbox as outbox_module,
    )
    from odoo.addons.delivery_sevensenders.models.sevensenders_parcel import (  # noqa: PLC0415
        POLLED,
    )

    list_fields = ["operation", "record_name", "state", "attempts", "next_attempt_at"]
    cr = env.cr

    def claim():
        rows = outbox._sevensenders_claim(200)
        assert len(rows) == 200, len(rows)

    def listing():
        outbox.search_read([], list_fields, limit=80, order="id desc")
        outbox.search_count([], limit=10001)

    def document():
        order = env["sale.order"].browse(5000)
        outbox._sevensenders_rows(order, ("pending", "retry", "done", "dead"))

    def dedupe():
        outbox.search(
            [
                ("dedupe_key", "=", "bench:10001"),
                ("state", "in", ("pending", "retry", "done", "dead")),
            ],
            limit=1,
        )

    def cleanup():
        cr.execute("SAVEPOINT bench_cleanup")
        before = outbox_module.fields.Datetime.now() - outbox_module.timedelta(days=30)
        removed = outbox._sevensenders_gc_batch(account, before, outbox_module.GC_BATCH)
        assert removed == outbox_module.GC_BATCH, removed
        cr.execute("ROLLBACK TO SAVEPOINT bench_cleanup")
        env.invalidate_all()

    def poll():
        parcel._sevensenders_claim_open(
            SQL(
                "%s AND picking_id IN "
                "(SELECT id FROM stock_picking WHERE state = 'done')",
                SQL(POLLED),
            ),
            "status_checked_at",
            50,
        )

    def late():
        env["stock.picking"]._sevensenders_late_ids()

    return {
        "claim": claim,
        "list": listing,
        "document": document,
        "dedupe": dedupe,
        "cleanup": cleanup,
        "poll": poll,
        "late": late,
    }


def explain(cr, query, params=None):
    cr.execute(b"EXPLAIN (ANALYZE) " + query, params)
    return "\n".join(row[0] for row in cr.fetchall())


def plans(env, account):
    """The plans of the claim and the poll's choice, as the addon sends them."""
    outbox = env["sevensenders.outbox"]
    cr = env.cr
    queries = {}
    execute = cr.execute

    def capture(query, params=None, log_exceptions=True):
        code = getattr(query, "code", query)
        for name, marker in MARKERS.items():
            if marker in code:
                queries.setdefault(name, cr.mogrify(query, params))
        return execute(query, params, log_exceptions)

    cr.execute = capture
    try:
        outbox._sevensenders_claim(200)
        calls = requests(env, account)
        calls["poll"]()
        calls["late"]()
    finally:
        del cr.execute
    return {name: explain(cr, query) for name, query in queries.items()}


def populate_step(env, account, template, done, size):
    cr = env.cr
    grow_outbox(cr, account.id, done + 1, size)
    grow_parcels(cr, account.id, template.id, done // 2 + 1, size // 2)
    for table in ("sevensenders_outbox", "sevensenders_parcel", "stock_picking"):
        cr.execute(f"ANALYZE {table}")  # noqa: S608 - table names of this bench
    env.invalidate_all()


def main():
    parser = odoo_parser(__doc__)
    parser.add_argument("--sizes", default="20000,200000,2000000")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--without-indexes", action="store_true")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    odoo, registry = open_registry(args)
    from shipping_report import template_picking  # noqa: PLC0415

    results, made = {}, {}
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        if args.without_indexes:
            for index in INDEXES:
                cr.execute(f"DROP INDEX IF EXISTS {index}")  # noqa: S608
        template = template_picking(env)
        account = env["sevensenders.account"].create(
            {
                "name": "Bench",
                "environment": "custom",
                "base_url": "http://127.0.0.1:9/v2",
                "outbox_keep_days": 30,
            }
        )
        env.flush_all()
        done = 0
        explained = {}
        for size in sizes:
            started = time.perf_counter()
            populate_step(env, account, template, done, size)
            made[size] = time.perf_counter() - started
            done = size
            results[size] = {
                name: timed(call, args.runs, env)
                for name, call in requests(env, account).items()
            }
            if args.explain and size == sizes[-1]:
                explained = plans(env, account)
        cr.rollback()
    report(odoo, sizes, made, results, args)
    for name, plan in explained.items():
        print(f"\nEXPLAIN ANALYZE {name} at {sizes[-1]:,} rows:\n{plan}")


def report(odoo, sizes, made, results, args):
    print(
        f"machine: {os.cpu_count()} cores; Odoo {odoo.release.version}; outbox rows "
        f"{', '.join(f'{s:,}' for s in sizes)} ({WAITING:,} waiting, half due), "
        f"parcels half as many ({OPEN_PARCELS:,} in transit); made in "
        f"{sum(made.values()):.0f} s, rolled back; median of {args.runs} runs, ms"
        + ("; WITHOUT the partial indexes" if args.without_indexes else "")
    )
    head = "".join(f"{s:>12,}" for s in sizes)
    print(f"{'':<10}{head}{'ratio':>8}")
    for name in results[sizes[0]]:
        medians = [statistics.median(results[s][name]) * 1000 for s in sizes]
        cells = "".join(f"{m:>12.1f}" for m in medians)
        print(f"{name:<10}{cells}{medians[-1] / medians[0]:>8.1f}")


if __name__ == "__main__":
    main()
