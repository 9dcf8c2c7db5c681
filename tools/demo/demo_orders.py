# `make run`, step 2 of the demo (odoo-bin shell, with the sandbox running on the
# demo account's URL): customers in Germany, the Netherlands and the UK, orders
# confirmed, delivered with 7S labels, synced, one of them delivered, so that the
# back office shows every state. Idempotent: skipped when the demo orders exist.
# ruff: noqa: F821  (``env`` is given by odoo-bin shell)
import requests

from odoo import fields

SANDBOX = "http://127.0.0.1:8765"
ref = env.ref
# the stock app's demo data renames the main company: the merchant's name again
ref("base.main_company").name = "Bergfreunde Outdoor GmbH"
if env["sale.order"].search_count([("client_order_ref", "=like", "7S-DEMO-%")]):
    print("DEMO: orders exist already")
else:
    carrier = ref("delivery_sevensenders.delivery_carrier_sevensenders_dhl")
    carrier.write({"sevensenders_use_locations": True, "is_published": True})
    stock = ref("stock.stock_location_stock")
    products = [
        ref(f"delivery_sevensenders.product_sevensenders_{name}")
        for name in ("tshirt", "sneaker", "bottle")
    ]
    for product in products:
        product.product_tmpl_id.write(
            {"country_of_origin": ref("base.pt").id, "is_published": True}
        )
        env["stock.quant"]._update_available_quantity(product, stock, 100)
    customers = [
        ("Erika Mustermann", "Invalidenstraße 116", "10115", "Berlin", "base.de"),
        ("Jonas Becker", "Zeil 12", "60313", "Frankfurt am Main", "base.de"),
        ("Sanne de Vries", "Damrak 1", "1012 LG", "Amsterdam", "base.nl"),
        ("Oliver Smith", "221B Baker Street", "NW1 6XE", "London", "base.uk"),
    ]
    for index, (name, street, zip_code, city, country) in enumerate(customers, 1):
        partner = env["res.partner"].create(
            {
                "name": name,
                "email": name.lower().replace(" ", ".") + "@example.com",
                "street": street,
                "zip": zip_code,
                "city": city,
                "country_id": ref(country).id,
            }
        )
        order = env["sale.order"].create(
            {
                "partner_id": partner.id,
                "client_order_ref": f"7S-DEMO-{index}",
                "order_line": [
                    fields.Command.create({"product_id": p.id, "product_uom_qty": 1})
                    for p in products[: 1 + index % 3]
                ],
            }
        )
        order.set_delivery_line(carrier, carrier.fixed_price)
        order.action_confirm()
        if index == len(customers):
            order._create_invoices().action_post()  # the UK order's customs papers
        if index == 2:
            continue  # one order stays to be delivered
        picking = order.picking_ids
        picking.action_assign()
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking.button_validate()
    outbox = env["sevensenders.outbox"]
    while outbox._cron_sevensenders_drain():
        pass
    # the first parcel arrives: the carrier's scans, then the status poll
    first = env["sale.order"].search([("client_order_ref", "=", "7S-DEMO-1")])
    for parcel in first.picking_ids.sevensenders_parcel_ids:
        requests.post(
            f"{SANDBOX}/_sandbox/shipments/{parcel.shipment_ref}/status",
            json={"status": "delivered"},
            timeout=10,
        ).raise_for_status()
    env["sevensenders.parcel"]._cron_sevensenders_pull_tracking()
    env.cr.commit()
    print(
        "DEMO: orders",
        env["sale.order"]
        .search([("client_order_ref", "=like", "7S-DEMO-%")])
        .mapped("name"),
    )
