"""Screenshots of the self-hosted return flow, one per step, from the demo.

Against a running ``make run`` demo (with the sandbox): turns on *Returns in
this shop* on the demo account, then walks a return of the first demo order in
headless Chromium as its customer would, saving into
``delivery_sevensenders/static/description/``: ``return_1_lookup.png``,
``return_2_items.png``, ``return_3_pending.png`` and ``return_4_label.png``.

    python tools/screenshot_returns.py --url http://127.0.0.1:8069 --db sevensenders_demo

Needs Debian's chromium and the websocket-client package.
"""

import base64
import time

from screenshot_demo import OUT
from screenshot_pickup import Chrome, odoo_parser, rpc


def prepare(call):
    """The demo set up for the return pages: ``(order, the outbox cron's id)``."""
    account = call(
        "ir.model.data",
        "check_object_reference",
        "delivery_sevensenders",
        "sevensenders_account_demo",
    )[1]
    call("sevensenders.account", "write", [account], {"return_self_hosted": True})
    shirt = call(
        "ir.model.data",
        "check_object_reference",
        "delivery_sevensenders",
        "product_sevensenders_tshirt",
    )[1]
    # (tools/screenshot_pickup.py renames it for its tour)
    call("product.product", "write", [shirt], {"name": "Organic Cotton T-Shirt"})
    [order] = call(
        "sale.order",
        "search_read",
        [("client_order_ref", "=", "7S-DEMO-1")],
        fields=["name"],
    )
    cron = call(
        "ir.model.data",
        "check_object_reference",
        "delivery_sevensenders",
        "ir_cron_sevensenders_outbox",
    )[1]
    return order, cron


def main():
    parser = odoo_parser(__doc__)
    args = parser.parse_args()
    call = rpc(args.url, args.db, args.login, args.password)
    order, cron = prepare(call)
    chrome = Chrome(width=1100, height=760)

    def shot(name):
        time.sleep(1)
        data = chrome.send("Page.captureScreenshot", format="png")["data"]
        (OUT / name).write_bytes(base64.b64decode(data))
        print(f"saved {OUT / name}")

    try:
        chrome.goto(f"{args.url}/returns?reference={order['name']}")
        chrome.wait("!!document.querySelector('input[name=secret]')")
        chrome.js("document.querySelector('input[name=secret]').value = '10115'")
        shot("return_1_lookup.png")
        chrome.js("document.querySelector('form[action=\"/returns\"]').submit()")
        chrome.wait("!!document.querySelector('tr.o_sevensenders_return_line')")
        chrome.js(
            "const row = document.querySelector('tr.o_sevensenders_return_line');"
            "row.querySelector('input').value = '1';"
            "row.querySelector('select').selectedIndex = 0;"
            "document.querySelector('textarea[name=comment]').value = "
            "'A size bigger next time, please.';"
        )
        shot("return_2_items.png")
        chrome.js("document.querySelector('form[action^=\"/returns/\"]').submit()")
        chrome.wait("!!document.querySelector('.o_sevensenders_label_pending')")
        shot("return_3_pending.png")
        call("ir.cron", "method_direct_trigger", [cron])
        chrome.wait(
            "!!document.querySelector('a.o_sevensenders_label_download')", timeout=60
        )
        shot("return_4_label.png")
    finally:
        chrome.close()


if __name__ == "__main__":
    main()
