"""Screenshot of the checkout's pickup-point selector with Seven Senders points.

Runs the tour ``sevensenders_pickup_selector`` (the first half of the checkout
tour, ending with the selector open) in headless Chromium against a running Odoo
with website_sale, delivery_sevensenders and its demo data, and a sandbox on the
demo account's URL (``make sandbox``). It prepares the demo database for it
(publishes the demo 7S method with pickup points, a free demo product and the
admin's address) over XML-RPC, then saves a PNG.

    python tools/screenshot_pickup.py --url http://127.0.0.1:8069 --db DB \
        --out delivery_sevensenders/static/description/pickup_selector.png

Needs Debian's chromium and the websocket-client package.
"""

import argparse
import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
import xmlrpc.client

import websocket


def odoo_parser(doc):
    """The options every screenshot tool takes: where the Odoo is, as whom."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--db", required=True)
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    return parser


def rpc(url, db, login, password):
    """``call(model, method, *args, **kw)`` over XML-RPC as ``login`` (the
    screenshot tools share it)."""
    uid = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common").authenticate(
        db, login, password, {}
    )
    models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)

    def call(model, method, *args, **kw):
        return models.execute_kw(db, uid, password, model, method, list(args), kw)

    return call


def prepare(url, db, login, password):
    call = rpc(url, db, login, password)
    carrier = call(
        "ir.model.data",
        "check_object_reference",
        "delivery_sevensenders",
        "delivery_carrier_sevensenders_dhl",
    )[1]
    call(
        "delivery.carrier",
        "write",
        [carrier],
        {
            "name": "Seven Senders Pickup",
            "sevensenders_use_locations": True,
            "is_published": True,
            "fixed_price": 0.0,
        },
    )
    product = call(
        "ir.model.data",
        "check_object_reference",
        "delivery_sevensenders",
        "product_sevensenders_tshirt",
    )[1]
    call(
        "product.product",
        "write",
        [product],
        {"name": "7S Tour Shirt", "is_published": True, "list_price": 0.0},
    )
    de = call("res.country", "search", [("code", "=", "DE")])[0]
    [user] = call(
        "res.users", "search_read", [("login", "=", login)], fields=["partner_id"]
    )
    admin = user["partner_id"][0]
    call(
        "res.partner",
        "write",
        [admin],
        {
            "street": "Invalidenstraße 116",
            "zip": "10115",
            "city": "Berlin",
            "country_id": de,
            "email": "admin@example.com",
            "phone": "+49 30 1234567",
        },
    )


class Chrome:
    def __init__(self, width=1366, height=900, port=None):
        self.profile = tempfile.mkdtemp()
        # the DevTools port: SCREENSHOT_CHROME_PORT when several run side by side
        port = port or int(os.environ.get("SCREENSHOT_CHROME_PORT", "9333"))
        self.proc = subprocess.Popen(
            [
                shutil.which("chromium") or "chromium",
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={self.profile}",
                f"--window-size={width},{height}",
                f"--remote-debugging-port={port}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                pages = json.load(
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/json")
                )
                break
            except OSError:
                time.sleep(0.1)
        ws_url = next(p for p in pages if p["type"] == "page")["webSocketDebuggerUrl"]
        # newer Chromium refuses a DevTools client that sends an Origin header
        self.ws = websocket.create_connection(ws_url, timeout=60, suppress_origin=True)
        self.seq = 0

    def send(self, method, **params):
        self.seq += 1
        self.ws.send(json.dumps({"id": self.seq, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.seq:
                return message.get("result", {})

    def js(self, expression):
        result = self.send(
            "Runtime.evaluate",
            expression=expression,
            awaitPromise=True,
            returnByValue=True,
        )
        return result.get("result", {}).get("value")

    def goto(self, url):
        self.send("Page.navigate", url=url)
        time.sleep(2)

    def wait(self, expression, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.js(expression):
                return True
            time.sleep(0.3)
        raise SystemExit(f"timed out waiting for: {expression}")

    def login(self, url, db, login, password):
        """Sign in through Odoo's login form."""
        self.goto(f"{url}/web/login?db={db}")
        self.js(
            f"document.querySelector('input[name=login]').value={json.dumps(login)};"
            f"document.querySelector('input[name=password]').value={json.dumps(password)};"
            "document.querySelector('form.oe_login_form').submit();"
        )
        time.sleep(3)

    def close(self):
        self.proc.terminate()
        shutil.rmtree(self.profile, ignore_errors=True)


def main():
    parser = odoo_parser(__doc__)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    prepare(args.url, args.db, args.login, args.password)
    chrome = Chrome()
    try:
        chrome.login(args.url, args.db, args.login, args.password)
        chrome.goto(f"{args.url}/shop?debug=tests")
        chrome.wait("typeof odoo !== 'undefined' && !!odoo.startTour")
        chrome.js(
            "odoo.startTour('sevensenders_pickup_selector', {mode: 'auto', stepDelay: 200})"
        )
        chrome.wait(
            "!!document.querySelector('.modal #o_location_selector_list_view button.list-group-item')",
            timeout=120,
        )
        chrome.js(
            "document.querySelector('.modal #o_location_selector_list_view button.list-group-item').click()"
        )
        time.sleep(2)  # the map tiles and the schedule
        png = chrome.send("Page.captureScreenshot", format="png")["data"]
        with open(args.out, "wb") as out:
            out.write(base64.b64decode(png))
        print(f"saved {args.out}")
    finally:
        chrome.close()


if __name__ == "__main__":
    main()
