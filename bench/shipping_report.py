"""Answer times of the Seven Senders > Reporting actions with 10,000 parcels.

Makes one done delivery with the ORM, copies it in SQL into ``--pickings``
deliveries (destinations in six countries, two carriers, three months of
dates) and gives them ``--parcels`` parcels with a status history of 3 to 6
lines each and the figures the ORM would store (a fifth without promised date,
a tenth not delivered yet, some stuck); all in a transaction it rolls back.
Then it times what the web client asks when each reporting action opens, as a
stock user (access rules and record rules apply):

  pivot    the pivot's request: carrier x week, every measure (averages,
           90th percentiles, on-time share, counts)
  graph    the graph's request: week x carrier, transit time
  list     the list's first page (80 rows) and its count
  late     the Late parcels action: its list page and count, filter applied

and prints the best and the median of ``--runs`` runs per request (target:
each action <= 1 s). No Seven Senders call is made.

    /opt/odoo-venv/bin/python bench/shipping_report.py --odoo-bin /opt/odoo/odoo-bin \\
        -c /opt/odoo.conf -d DB [--parcels 10000] [--pickings 5000] [--runs 5]
"""

import os
import statistics
import time

from _odoo import odoo_parser, open_registry  # bench/ is the script's folder

REPORT = "sevensenders.shipping.report"


def template_picking(env):
    """One done outgoing delivery, made the user's way (no carrier of ours)."""
    from odoo.fields import Command  # noqa: PLC0415 - importable once Odoo's path is set

    product = env["product.product"].create(
        {"name": "Bench parcel", "is_storable": True, "list_price": 10.0}
    )
    warehouse = env["stock.warehouse"].search([], limit=1)
    moves = env["stock.move"]
    env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 10)
    picking = env["stock.picking"].create(
        {
            "picking_type_id": warehouse.out_type_id.id,
            "partner_id": env["res.partner"].create({"name": "Bench"}).id,
            "location_id": warehouse.lot_stock_id.id,
            "location_dest_id": env.ref("stock.stock_location_customers").id,
            "move_ids": [
                Command.create(
                    {
                        # 19.0's moves have no name of their own
                        **({"name": product.name} if "name" in moves._fields else {}),
                        "product_id": product.id,
                        "product_uom_qty": 1,
                        "location_id": warehouse.lot_stock_id.id,
                        "location_dest_id": env.ref(
                            "stock.stock_location_customers"
                        ).id,
                    }
                )
            ],
        }
    )
    picking.action_confirm()
    picking.move_ids.quantity = 1
    picking.move_ids.picked = True
    picking.button_validate()
    assert picking.state == "done", picking.state
    return picking


def populate(env, parcels, pickings):
    """The deliveries, parcels and histories, in SQL (see the module's doc)."""
    cr = env.cr
    template = template_picking(env)
    account = env["sevensenders.account"].create(
        {"name": "Bench", "environment": "custom", "base_url": "http://127.0.0.1:9/v2"}
    )
    carriers = env["delivery.carrier"].search([], limit=2).ids
    countries = [
        env.ref(f"base.{code}").id for code in ("de", "fr", "at", "nl", "it", "es")
    ]
    partners = [
        env["res.partner"].create({"name": f"Bench {i}", "country_id": c}).id
        for i, c in enumerate(countries)
    ]
    cr.execute(
        """
        INSERT INTO stock_picking (name, state, picking_type_id, location_id,
            location_dest_id, company_id, move_type, partner_id, carrier_id,
            scheduled_date, date_done, create_uid, write_uid, create_date, write_date)
        SELECT 'BENCH/' || i, 'done', t.picking_type_id, t.location_id,
               t.location_dest_id, t.company_id, t.move_type,
               (%(partners)s)[1 + i %% 6], (%(carriers)s)[1 + i %% 2],
               now() - (i %% 90) * interval '1 day',
               now() - (i %% 90) * interval '1 day', 1, 1, now(), now()
          FROM stock_picking t, generate_series(1, %(n)s) i
         WHERE t.id = %(template)s
        RETURNING id
        """,
        {
            "partners": partners,
            "carriers": carriers or [None],
            "n": pickings,
            "template": template.id,
        },
    )
    ids = [row[0] for row in cr.fetchall()]
    cr.execute(
        """
        INSERT INTO sevensenders_parcel (picking_id, company_id, account_id, name,
            shipment_ref, tracking_code, state, is_return, carrier_status,
            delivery_state, status_date, confirmed_date, promised_date,
            handover_date, last_scan_date, delivered_date, dispatch_hours,
            transit_hours, late_hours, punctuality, create_uid, write_uid,
            create_date, write_date)
        SELECT pid, %(company)s, %(account)s, 'P' || i, i::text, 'T' || i, 'active',
               FALSE, CASE WHEN undelivered THEN 'in_transit' ELSE 'delivered' END,
               CASE WHEN undelivered THEN 'in_transit' ELSE 'delivered' END,
               confirmed + interval '1 hour' * (dispatch + transit), confirmed,
               CASE WHEN i %% 5 = 0 THEN NULL
                    ELSE confirmed + interval '1 hour' * 72 END,
               confirmed + interval '1 hour' * dispatch,
               confirmed + interval '1 hour' * (dispatch + transit / 2),
               CASE WHEN undelivered THEN NULL
                    ELSE confirmed + interval '1 hour' * (dispatch + transit) END,
               dispatch, CASE WHEN undelivered THEN 0 ELSE transit END, 0,
               CASE WHEN i %% 5 = 0 THEN 'no_promise'
                    WHEN undelivered THEN 'not_delivered'
                    WHEN dispatch + transit > 72 THEN 'late' ELSE 'on_time' END,
               1, 1, now(), now()
          FROM (SELECT i, (%(ids)s)[1 + i %% %(pickings)s] AS pid,
                       now() - (i %% 90) * interval '1 day' - interval '30 hours'
                           AS confirmed,
                       4 + (i * 7919) %% 44 AS dispatch,
                       12 + (i * 104729) %% 84 AS transit,
                       i %% 10 = 0 AS undelivered
                  -- bigint: i * 104729 overflows an integer past 20,000
                  FROM generate_series(1::bigint, %(n)s) i) s
        """,
        {
            "company": env.company.id,
            "account": account.id,
            "ids": ids,
            "pickings": len(ids),
            "n": parcels,
        },
    )
    cr.execute(
        """
        INSERT INTO sevensenders_parcel_status (parcel_id, picking_id, company_id,
            carrier_status, delivery_state, date, source, is_scan, create_uid,
            write_uid, create_date, write_date)
        SELECT p.id, p.picking_id, p.company_id, s.status, s.state,
               p.confirmed_date + interval '1 hour' * n, 'history', n > 1,
               1, 1, now(), now()
          FROM sevensenders_parcel p
          JOIN (VALUES (1, 'new', 'in_transit'), (2, 'Pickup', 'in_transit'),
                       (3, 'Hub Scan at LMC', 'in_transit'),
                       (4, 'in_transit', 'in_transit'),
                       (5, 'out_for_delivery', 'out_for_delivery'),
                       (6, 'delivered', 'delivered')) s(n, status, state)
            ON s.n <= 3 + p.id %% 4
         WHERE p.account_id = %(account)s
        """,
        {"account": account.id},
    )
    cr.execute("ANALYZE sevensenders_parcel")
    cr.execute("ANALYZE sevensenders_parcel_status")
    cr.execute("ANALYZE stock_picking")
    env.invalidate_all()
    return account


def read_group(model, domain, groupby, aggregates):
    """What the pivot and graph views ask (19.0: ``formatted_read_group``)."""
    if hasattr(model, "formatted_read_group"):
        return model.formatted_read_group(domain, groupby, aggregates)
    specs = [spec for spec in aggregates if spec != "__count"]
    return model.read_group(domain, specs, groupby, lazy=False)


def requests(env, user):
    report = env[REPORT].with_user(user)
    # the list view's columns
    fields_ = [
        "parcel_id",
        "picking_id",
        "sale_id",
        "carrier_id",
        "warehouse_id",
        "country_id",
        "delivery_state",
        "carrier_status",
        "confirmed_date",
        "handover_date",
        "last_scan_date",
        "delivered_date",
        "promised_date",
        "punctuality",
        "dispatch_hours",
        "transit_hours",
        "late_hours",
        "is_late",
    ]
    measures = [
        f"{name}:{field.aggregator}"
        for name, field in report._fields.items()
        if field.type in ("float", "integer") and field.aggregator and name != "id"
    ]
    late = [("is_late", "=", True)]

    def views(modes):
        report.get_views([(False, mode) for mode in modes] + [(False, "search")])

    def pivot():
        views(["pivot", "graph", "list"])
        rows = read_group(
            report, [], ["carrier_id", "confirmed_date:week"], ["__count", *measures]
        )
        read_group(report, [], [], ["__count", *measures])
        return rows

    def graph():
        return read_group(
            report,
            [],
            ["confirmed_date:week", "carrier_id"],
            ["__count", "transit_hours:avg"],
        )

    def page(domain):
        rows = report.search_read(domain, fields_, limit=80)
        return rows, report.search_count(domain)

    def late_page():
        views(["list", "pivot", "graph"])
        return page(late)

    return {
        "pivot": pivot,
        "graph": graph,
        "list": lambda: page([]),
        "late": late_page,
    }


def main():
    parser = odoo_parser(__doc__)
    parser.add_argument("--parcels", type=int, default=10000)
    parser.add_argument("--pickings", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    odoo, registry = open_registry(args)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        started = time.perf_counter()
        populate(env, args.parcels, args.pickings)
        user = env["res.users"].create(
            {
                "name": "Bench stock user",
                "login": "bench_kpi_stock",
                "group_ids"
                if "group_ids" in env["res.users"]._fields
                else "groups_id": [(6, 0, [env.ref("stock.group_stock_user").id])],
            }
        )
        env.flush_all()
        prepared = time.perf_counter() - started
        counts = {
            "parcels": env[REPORT].search_count([]),
            "late": env[REPORT].search_count([("is_late", "=", True)]),
        }
        timings = {}
        for name, call in requests(env, user).items():
            values = []
            for _run in range(args.runs):
                env.invalidate_all()
                started = time.perf_counter()
                call()
                values.append(time.perf_counter() - started)
            timings[name] = values
        cr.rollback()
    print(
        f"machine: {os.cpu_count()} cores; Odoo {odoo.release.version}; "
        f"{counts['parcels']} parcels in the report ({counts['late']} late) on "
        f"{args.pickings} deliveries, made in {prepared:.0f} s, rolled back; "
        f"{args.runs} runs"
    )
    print(f"{'action':<8}{'best ms':>10}{'median ms':>12}")
    for name, values in timings.items():
        print(
            f"{name:<8}{min(values) * 1000:>10.1f}"
            f"{statistics.median(values) * 1000:>12.1f}"
        )
    worst = max(statistics.median(values) for values in timings.values())
    print(f"\nslowest action, median: {worst * 1000:.0f} ms (target <= 1000 ms)")


if __name__ == "__main__":
    main()
