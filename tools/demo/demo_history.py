# `make run`, step 3 of the demo (odoo-bin shell, with the sandbox running on the
# demo account's URL): four weeks of shipping history, so that Seven Senders >
# Reporting shows figures. Thirty orders confirmed over the last 28 days, each
# delivered with its 7S label through the sandbox; then the carrier's scans of
# each shipment are written into the sandbox with dates in the past (most
# delivered, some late against the promised date, a few still on their way, one
# without any scan) and the tracking pull reads them, as its cron would.
# Idempotent: skipped when the history orders exist.
# ruff: noqa: F821  (``env`` is given by odoo-bin shell)
import os
import random
from datetime import datetime, timedelta, timezone

import requests

from odoo import fields

SANDBOX = os.environ.get("SEVENSENDERS_DEMO_SANDBOX", "http://127.0.0.1:8765")
ref = env.ref
rng = random.Random(25)


def api_date(value):
    return value.replace(tzinfo=timezone.utc).isoformat()


def scans(confirmed, index):
    """The statuses of one shipment: ``[(status, datetime)]``."""
    labelled = confirmed + timedelta(hours=rng.randint(2, 20))
    pickup = labelled + timedelta(hours=rng.randint(2, 30))
    history = [("new", labelled)]
    if index % 13 == 5:
        return history  # handed over, never scanned
    history.append(("Pickup", pickup))
    hub = pickup + timedelta(hours=rng.randint(4, 14))
    history.append(("Hub Scan at LMC", hub))
    if index % 9 == 7:
        return history  # still on its way
    out = hub + timedelta(hours=rng.randint(8, 60))
    history += [
        ("out_for_delivery", out),
        ("delivered", out + timedelta(hours=rng.randint(2, 9))),
    ]
    return history


if env["sale.order"].search_count([("client_order_ref", "=like", "7S-HIST-%")]):
    print("DEMO: history exists already")
else:
    carrier = ref("delivery_sevensenders.delivery_carrier_sevensenders_dhl")
    products = [
        ref(f"delivery_sevensenders.product_sevensenders_{name}")
        for name in ("tshirt", "sneaker", "bottle")
    ]
    stock = ref("stock.stock_location_stock")
    for product in products:
        env["stock.quant"]._update_available_quantity(product, stock, 100)
    places = [
        ("Lena Hoffmann", "Karlsplatz 3", "80335", "München", "base.de"),
        ("Paul Wagner", "Domkloster 4", "50667", "Köln", "base.de"),
        ("Daan Janssen", "Coolsingel 40", "3011 AD", "Rotterdam", "base.nl"),
        ("Anna Gruber", "Stephansplatz 1", "1010", "Wien", "base.at"),
    ]
    partners = [
        env["res.partner"].create(
            {
                "name": name,
                "email": name.lower().replace(" ", ".") + "@example.com",
                "street": street,
                "zip": zip_code,
                "city": city,
                "country_id": ref(country).id,
            }
        )
        for name, street, zip_code, city, country in places
    ]
    now = fields.Datetime.now().replace(microsecond=0)
    made = []
    for index in range(30):
        confirmed = now - timedelta(days=28 - index * 27 / 29, hours=rng.randint(0, 8))
        order = env["sale.order"].create(
            {
                "partner_id": partners[index % len(partners)].id,
                "client_order_ref": f"7S-HIST-{index + 1}",
                # two thirds promise a date: three days after the order
                "commitment_date": confirmed + timedelta(days=3)
                if index % 3
                else False,
                "order_line": [
                    fields.Command.create(
                        {"product_id": products[index % 3].id, "product_uom_qty": 1}
                    )
                ],
            }
        )
        order.set_delivery_line(carrier, carrier.fixed_price)
        order.action_confirm()
        picking = order.picking_ids
        picking.action_assign()
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking.button_validate()
        made.append((order, confirmed))
    outbox = env["sevensenders.outbox"]
    while outbox._cron_sevensenders_drain():
        pass
    for index, (order, confirmed) in enumerate(made):
        # the order and its delivery as they happened, weeks ago
        order.date_order = confirmed
        history = scans(confirmed, index)
        order.picking_ids.date_done = history[0][1]
        for parcel in order.picking_ids.sevensenders_parcel_ids:
            requests.put(
                f"{SANDBOX}/_sandbox/shipments/{parcel.shipment_ref}/history",
                json=[{"status": s, "datetime": api_date(d)} for s, d in history],
                timeout=10,
            ).raise_for_status()
    env["sevensenders.parcel"].search([]).status_checked_at = False
    env["stock.picking"]._cron_sevensenders_pull_tracking(batch_size=1000)
    env["stock.picking"]._cron_sevensenders_late_parcels()
    env.cr.commit()
    report = env["sevensenders.shipping.report"]
    print(
        "DEMO: history of",
        len(made),
        "orders;",
        report.search_count([("delivered_date", "!=", False)]),
        "parcels delivered,",
        report.search_count([("is_late", "=", True)]),
        "late",
        datetime.now(timezone.utc).isoformat(timespec="seconds"),
    )
