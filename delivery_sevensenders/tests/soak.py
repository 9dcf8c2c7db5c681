# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The fault soak, shared by ``test_soak.py`` and ``bench/fault_soak.py``.

Many sale orders are confirmed and their deliveries validated (one or two
parcels each, with a carrier Seven Senders tracks), while several cron workers
drain the outbox at once, each on its own database cursor and committing as the
scheduler does, and the sandbox fails: a share of 5xx, bursts of 429 with
Retry-After, connections dropped before and after the request is processed,
short-lived tokens and a revocation. Time is sped up: rows waiting for their
back-off are made due when nothing else is left.

Everything is committed (that is the point: real workers see each other's
rows). The soak uses its own account, customer, product and carrier; the other
accounts of the company are switched off for the run and back on afterwards.
Run it in a database you can throw away.
"""

import json
import logging
import os
import tempfile
import threading
import time
from collections import Counter
from functools import partial

from psycopg2 import OperationalError

from odoo import SUPERUSER_ID, api, fields
from odoo.service.model import PG_CONCURRENCY_ERRORS_TO_RETRY, retrying

from ..compat import transaction_class

_logger = logging.getLogger(__name__)

DEFAULT_FAULTS = {
    "error_rate": 0.3,
    "error_status": 503,
    "drop_rate": 0.02,
    "drop_after_rate": 0.03,
    "retry_after": 1,
    "token_ttl": 15,
}
OPEN = ("pending", "retry")


class Soak:
    def __init__(
        self,
        registry,
        sandbox,
        orders=1000,
        workers=2,
        batch_size=50,
        faults=None,
        burst_every=5.0,
        burst_seconds=1.0,
        two_parcels_every=4,
        chunk=50,
        deadline=1800,
        spawn=None,
    ):
        """``spawn(number, stop_file)``: with it, each worker is a separate
        process (a ``subprocess.Popen`` running :func:`process_worker`, as a
        second Odoo server's cron would), not a thread of this one."""
        self.registry = registry
        self.sandbox = sandbox
        self.orders = orders
        self.workers = workers
        self.batch_size = batch_size
        self.faults = dict(DEFAULT_FAULTS if faults is None else faults)
        self.burst_every = burst_every
        self.burst_seconds = burst_seconds
        self.two_parcels_every = two_parcels_every
        self.chunk = chunk
        self.deadline = deadline
        self.spawn = spawn
        self.errors = []  # exceptions raised in worker threads
        self.producing = threading.Event()
        self.stop = threading.Event()
        self.drains = Counter()
        self.fast_forwards = 0
        self.revocations = 0
        self.bursts = 0

    # -- set-up ----------------------------------------------------------------

    def env(self, cr):
        if cr.transaction is None:
            # not Registry(dbname): the test runner holds the registry lock
            cr.transaction = transaction_class()(self.registry)
        return api.Environment(cr, SUPERUSER_ID, {})

    def setup(self):
        with self.registry.cursor() as cr:
            env = self.env(cr)
            company = env.ref("base.main_company")
            accounts = env["sevensenders.account"].search(
                [("company_id", "=", company.id)]
            )
            self.switched_off = accounts.ids
            accounts.active = False
            warehouse = env["stock.warehouse"].search(
                [("company_id", "=", company.id)], limit=1
            )
            germany = env.ref("base.de")
            # a German merchant shipping in Germany: no customs papers
            address = warehouse.partner_id
            self.address = (address.id, address.country_id.id)
            address.country_id = germany
            account = env["sevensenders.account"].create(
                {
                    "name": "Soak",
                    "environment": "custom",
                    "base_url": self.sandbox.base_url,
                    "access_key": "sandbox-access-key",
                    "shop_url": "https://shop.example.com",
                    "company_id": company.id,
                    "sync_tracking_shipments": True,
                    "outbox_max_attempts": 1000,  # the soak gives up on nothing
                    "warehouse_mapping_ids": [
                        fields.Command.create(
                            {
                                "warehouse_id": warehouse.id,
                                "sevensenders_warehouse": "Soak Warehouse",
                                "warehouse_address": "Schleißheimer Str. 506, "
                                "80933 München, DE",
                            }
                        )
                    ],
                }
            )
            env["sevensenders.carrier"]._sevensenders_sync(account)
            dpd = env["sevensenders.carrier"].search([("code", "=", "dpd")], limit=1)
            courier = env["delivery.carrier"].create(
                {
                    "name": "Soak courier",
                    "delivery_type": "fixed",
                    "fixed_price": 0.0,
                    "company_id": company.id,
                    "product_id": env["product.product"]
                    .create({"name": "Soak courier", "type": "service"})
                    .id,
                }
            )
            account.carrier_mapping_ids = [
                fields.Command.create(
                    {
                        "carrier_id": courier.id,
                        "sevensenders_carrier_id": dpd.id,
                        "country_id": germany.id,
                    }
                )
            ]
            self.product_id = (
                env["product.product"]
                .create(
                    {
                        "name": "Soak mug",
                        "default_code": "SOAK-MUG",
                        "type": "consu",
                        "list_price": 12.0,
                        "weight": 0.4,
                    }
                )
                .id
            )
            self.partner_id = (
                env["res.partner"]
                .create(
                    {
                        "name": "Soak Customer",
                        "email": "soak@example.com",
                        "street": "Invalidenstraße 116",
                        "zip": "10115",
                        "city": "Berlin",
                        "country_id": germany.id,
                        "lang": "en_US",
                    }
                )
                .id
            )
            self.pricelist_id = (
                env["product.pricelist"]
                .create({"name": "Soak", "currency_id": company.currency_id.id})
                .id
            )
            self.company_id = company.id
            self.account_id = account.id
            self.carrier_id = courier.id
        self.order_ids = []
        self.picking_codes = {}  # picking id -> tracking codes

    def cleanup(self):
        with self.registry.cursor() as cr:
            env = self.env(cr)
            env["sevensenders.account"].browse(self.account_id).active = False
            env["sevensenders.account"].browse(self.switched_off).active = True
            partner_id, country_id = self.address
            env["res.partner"].browse(partner_id).country_id = country_id

    # -- the business side: orders and deliveries, committed in chunks ----------

    def confirm_orders(self):
        for start in range(0, self.orders, self.chunk):
            with self.registry.cursor() as cr:
                env = self.env(cr)
                orders = env["sale.order"].create(
                    [
                        {
                            "partner_id": self.partner_id,
                            "pricelist_id": self.pricelist_id,
                            "company_id": self.company_id,
                            "carrier_id": self.carrier_id,
                            "order_line": [
                                fields.Command.create(
                                    {
                                        "product_id": self.product_id,
                                        "product_uom_qty": 2,
                                    }
                                )
                            ],
                        }
                        for _i in range(min(self.chunk, self.orders - start))
                    ]
                )
                for order in orders:
                    order.action_confirm()
                self.order_ids += orders.ids

    def ship_orders(self):
        """Each delivery validated in its own transaction, retried on a
        concurrent update as Odoo's HTTP layer retries a user's request."""
        with self.registry.cursor() as cr:
            env = self.env(cr)
            picking_ids = env["sale.order"].browse(self.order_ids).picking_ids.ids
        for index, picking_id in enumerate(picking_ids):
            with self.registry.cursor() as cr:
                env = self.env(cr)
                retrying(partial(self.ship, env, picking_id, index), env)

    def ship(self, env, picking_id, index):
        picking = env["stock.picking"].browse(picking_id)
        codes = [f"SOAK{picking.id}A"]
        if self.two_parcels_every and index % self.two_parcels_every == 0:
            codes.append(f"SOAK{picking.id}B")
        picking.carrier_tracking_ref = ",".join(codes)
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking.with_context(skip_backorder=True, skip_sms=True).button_validate()
        self.picking_codes[picking.id] = codes

    # -- the cron workers and the chaos -------------------------------------------

    def open_rows(self, cr):
        cr.execute(
            "SELECT count(*) FROM sevensenders_outbox WHERE account_id = %s "
            "AND state IN %s",
            (self.account_id, OPEN),
        )
        return cr.fetchone()[0]

    def fast_forward(self, cr):
        """Time passes: rows waiting for their back-off become due. A worker
        committing one of these rows at that moment makes PostgreSQL refuse
        the update: time passes on the next try then."""
        try:
            with cr.savepoint(flush=False):
                return self._fast_forward(cr)
        except OperationalError as exc:
            if exc.pgcode not in PG_CONCURRENCY_ERRORS_TO_RETRY:
                raise
            return 0

    def _fast_forward(self, cr):
        cr.execute(
            "UPDATE sevensenders_outbox SET next_attempt_at = now() at time zone 'UTC' "
            "- interval '1 second' WHERE account_id = %s AND state IN %s "
            "AND next_attempt_at > now() at time zone 'UTC'",
            (self.account_id, OPEN),
        )
        return cr.rowcount

    def worker(self, number):
        try:
            idle = 0
            while not self.stop.is_set():
                with self.registry.cursor() as cr:
                    env = self.env(cr)
                    # as the scheduler runs it: each row's outcome is committed
                    outbox = env["sevensenders.outbox"].with_context(
                        sevensenders_commit=True
                    )
                    done = outbox._cron_sevensenders_drain(batch_size=self.batch_size)
                self.drains[number] += done
                if done:
                    idle = 0
                    continue
                with self.registry.cursor() as cr:
                    left = self.open_rows(cr)
                    if not left and not self.producing.is_set():
                        return
                    idle += 1
                    if left and idle >= 2 and self.fast_forward(cr):
                        self.fast_forwards += 1
                time.sleep(0.2)
        except Exception as exc:  # noqa: BLE001 - reported by run()
            _logger.exception("soak worker %s", number)
            self.errors.append(exc)
            self.stop.set()

    def watch(self, processes, stop_file):
        """Worker processes: make back-offs due when they idle, stop them
        when everything is sent and no delivery is coming any more."""
        last = None
        idle = 0
        while not self.stop.is_set():
            time.sleep(0.3)
            if any(proc.poll() is not None for proc in processes):
                self.errors.append(RuntimeError("a soak worker process ended early"))
                break
            with self.registry.cursor() as cr:
                left = self.open_rows(cr)
                if not left and not self.producing.is_set():
                    break
                idle = idle + 1 if left == last else 0
                last = left
                if left and idle >= 3 and self.fast_forward(cr):
                    self.fast_forwards += 1
                    idle = 0
        with open(stop_file, "w", encoding="utf-8") as handle:
            handle.write("stop")
        for number, proc in enumerate(processes):
            out, _err = proc.communicate(timeout=120)
            if proc.returncode:
                self.errors.append(
                    RuntimeError(
                        f"soak worker process {number} failed (log: "
                        f"{stop_file}.{number}.log)"
                    )
                )
                continue
            self.drains[number] += json.loads(out.strip().splitlines()[-1])["drained"]

    def chaos(self):
        """A second of 429 every few seconds; the token revoked once in a while."""
        tick = 0
        while not self.stop.wait(self.burst_every):
            tick += 1
            faults = dict(self.faults, rate_limit_seconds=self.burst_seconds)
            self.sandbox.set_faults(**faults)
            self.bursts += 1
            if tick % 3 == 0:
                self.sandbox.revoke_tokens()
                self.revocations += 1

    # -- the run ---------------------------------------------------------------

    def run(self):
        started = time.monotonic()
        self.setup()
        try:
            self.sandbox.set_faults(**self.faults)
            self.producing.set()
            self.confirm_orders()
            confirmed = time.monotonic()
            if self.spawn:
                stop_file = os.path.join(
                    tempfile.mkdtemp(prefix="sevensenders-soak-"), "stop"
                )
                processes = [self.spawn(n, stop_file) for n in range(self.workers)]
                threads = [
                    threading.Thread(
                        target=self.watch,
                        args=(processes, stop_file),
                        name="soak-watch",
                    )
                ]
            else:
                threads = [
                    threading.Thread(
                        target=self.worker, args=(n,), name=f"soak-cron-{n}"
                    )
                    for n in range(self.workers)
                ]
            chaos = threading.Thread(target=self.chaos, name="soak-chaos")
            for thread in threads:
                thread.start()
            chaos.start()
            # deliveries are validated while the workers drain the orders
            self.ship_orders()
            self.producing.clear()
            for thread in threads:
                thread.join(max(1, self.deadline - (time.monotonic() - started)))
            timed_out = any(thread.is_alive() for thread in threads)
            self.stop.set()
            chaos.join()
            for thread in threads:
                thread.join()
            drained = time.monotonic()
            self.sandbox.set_faults()
            report = self.report(timed_out)
            report["seconds"] = {
                "confirm": confirmed - started,
                "ship_and_drain": drained - confirmed,
            }
            return report
        finally:
            self.stop.set()
            self.sandbox.set_faults()
            self.cleanup()

    def report(self, timed_out):
        stats = self.sandbox.stats()
        remote_orders = self.sandbox.objects("order")
        remote_shipments = self.sandbox.objects("shipment")
        with self.registry.cursor() as cr:
            env = self.env(cr)
            orders = env["sale.order"].browse(self.order_ids)
            names = set(orders.mapped("name"))
            rows = env["sevensenders.outbox"].search(
                [("account_id", "=", self.account_id)]
            )
            by_state = Counter(rows.mapped("state"))
            by_operation = Counter(rows.mapped("operation"))
            pickings = env["stock.picking"].browse(list(self.picking_codes))
            expected_shipments = Counter(
                (picking.sale_id.name, code)
                for picking in pickings
                for code in self.picking_codes[picking.id]
            )
            # a shipment names its order by the shop's order number
            remote_pairs = Counter(
                (s.get("order_id"), s["tracking_code"]) for s in remote_shipments
            )
            per_order = Counter(
                o["order_id"] for o in remote_orders if o["order_id"] in names
            )
            report = {
                "orders": len(self.order_ids),
                "pickings": len(self.picking_codes),
                "remote_orders": sum(per_order.values()),
                "remote_orders_distinct": len(per_order),
                "orders_twice": sorted(n for n, c in per_order.items() if c > 1),
                "orders_missing": sorted(names - set(per_order)),
                "expected_shipments": sum(expected_shipments.values()),
                "remote_shipments": len(remote_shipments),
                "shipments_missing": sorted(
                    set(expected_shipments) - set(remote_pairs)
                ),
                "shipments_twice": sorted(p for p, c in remote_pairs.items() if c > 1),
                "shipments_unexpected": sorted(
                    set(remote_pairs) - set(expected_shipments)
                ),
                "boarding_complete": sum(
                    1 for o in remote_orders if o.get("boarding_complete") is True
                ),
                "synced_orders": len(orders.filtered("sevensenders_order_ref")),
                "rows": len(rows),
                "rows_by_state": dict(by_state),
                "rows_by_operation": dict(by_operation),
                "row_attempts": sum(rows.mapped("attempts")),
                "row_failed_attempts": sum(
                    r.attempts - 1 for r in rows if r.state == "done"
                )
                + sum(r.attempts for r in rows if r.state != "done"),
                "http_failures_logged": sum(rows.mapped("http_failures")),
                "faults_injected": stats["faults"],
                "faults_injected_total": sum(stats["faults"].values()),
                "responses": stats["responses"],
                # every exchange that did not succeed: dropped, or answered >= 400
                "failed_exchanges": stats["faults"]["dropped"]
                + stats["faults"]["dropped_after"]
                + sum(n for code, n in stats["responses"].items() if int(code) >= 400),
                "requests": sum(stats["requests"].values()),
                "tokens_issued": stats["tokens_issued"],
                "drained_per_worker": dict(self.drains),
                "fast_forwards": self.fast_forwards,
                "bursts": self.bursts,
                "revocations": self.revocations,
                "worker_errors": [repr(e) for e in self.errors],
                "timed_out": timed_out,
            }
        return report


def process_worker(registry, batch_size, stop_file):
    """The body of a worker process: drain as the scheduler does (each row's
    outcome committed) until ``stop_file`` exists; answers how many rows it
    drained."""
    drained = 0
    while not os.path.exists(stop_file):
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            outbox = env["sevensenders.outbox"].with_context(sevensenders_commit=True)
            done = outbox._cron_sevensenders_drain(batch_size=batch_size)
        drained += done
        if not done:
            time.sleep(0.2)
    return drained
