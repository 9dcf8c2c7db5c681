"""Screenshots of the back office of the German demo (``make run``).

Logs in to a running demo Odoo in headless Chromium and saves, into
``delivery_sevensenders/static/description/``: the first demo order (synced,
delivered, with its return link), its delivery (7S label per parcel, tracking)
and the account's outbox. The checkout's pickup points are taken by
``tools/screenshot_pickup.py``.

    python tools/screenshot_demo.py --url http://127.0.0.1:8069 --db sevensenders_demo

Needs Debian's chromium and the websocket-client package.
"""

import base64
import json
import time
from pathlib import Path

from screenshot_pickup import Chrome, odoo_parser, rpc

OUT = (
    Path(__file__).resolve().parent.parent / "delivery_sevensenders/static/description"
)


def ids(url, db, login, password):
    call = rpc(url, db, login, password)
    [order] = call(
        "sale.order",
        "search_read",
        [("client_order_ref", "=", "7S-DEMO-4")],
        fields=["picking_ids"],
    )
    return order["id"], order["picking_ids"][0]


def shoot(chrome, url, ready, out, tab=None, script=None, then=None):
    chrome.goto(url)
    chrome.wait(ready, timeout=90)
    if script:
        chrome.js(script)
        chrome.wait(then, timeout=60)
    if tab:  # open a notebook page by its title
        chrome.js(
            "[...document.querySelectorAll('.o_notebook .nav-link')]"
            f".find(a => a.textContent.trim() === {json.dumps(tab)})?.click()"
        )
    time.sleep(1.5)
    png = chrome.send("Page.captureScreenshot", format="png")["data"]
    out.write_bytes(base64.b64decode(png))
    print(f"saved {out}")


def main():
    parser = odoo_parser(__doc__)
    args = parser.parse_args()
    order_id, picking_id = ids(args.url, args.db, args.login, args.password)
    chrome = Chrome(width=1440, height=1000)
    try:
        chrome.login(args.url, args.db, args.login, args.password)
        # the first visit builds the web client's assets: wait for it once
        chrome.goto(f"{args.url}/odoo")
        chrome.wait("!!document.querySelector('.o_main_navbar')", timeout=300)
        form = "!!document.querySelector('.o_form_view .o_field_widget')"
        shoot(
            chrome,
            f"{args.url}/odoo/action-sale.action_orders/{order_id}",
            form,
            OUT / "demo_order.png",
        )
        shoot(
            chrome,
            f"{args.url}/odoo/action-stock.action_picking_tree_all/{picking_id}",
            form,
            OUT / "demo_delivery.png",
            tab="Seven Senders",
        )
        shoot(
            chrome,
            f"{args.url}/odoo/action-delivery_sevensenders.sevensenders_outbox_action",
            "!!document.querySelector('.o_list_view')",
            OUT / "demo_outbox.png",
            # the sent calls too, not only the open ones
            script="document.querySelector('.o_searchview_facet .o_facet_remove')?.click()",
            then="!!document.querySelector('.o_list_view .o_data_row')",
        )
    finally:
        chrome.close()


if __name__ == "__main__":
    main()
