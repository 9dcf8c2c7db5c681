"""Fault soak in a real Odoo 18: many orders and shipments through the outbox,
several cron workers draining at once, while the sandbox fails.

Runs with Odoo's Python against a database where delivery_sevensenders is
installed. It COMMITS (real workers must see each other's rows): use a database
you can throw away, e.g. ``createdb -T mydb soakdb``::

    /opt/odoo-venv/bin/python bench/fault_soak.py --odoo-bin /opt/odoo18/odoo-bin \\
        -c /opt/odoo.conf -d soakdb [--orders 1000] [--workers 2]

Printed: what was sent and what the sandbox holds (none lost, none twice), the
faults injected against the failures the outbox rows show, tokens issued, and
the time taken. The same soak is the Odoo test tagged ``sevensenders_soak``.

With ``--queue-job``, the rows are sent by the jobs of
``delivery_sevensenders_queue_job`` (installed in the database, queue_job
available to the Odoo given): a real multi-process Odoo is started on the
database, ``odoo-bin --workers=N`` (``--workers``, 2 by default) with queue_job's
runner (``server_wide_modules``) and the channel ``root.sevensenders`` at
capacity N, on ``--http-port``; its scheduled actions are off (the jobs send,
alone). Time sped up makes the jobs waiting for a row's back-off due too::

    /opt/odoo-venv/bin/python bench/fault_soak.py --odoo-bin /opt/odoo18/odoo-bin \\
        -d soakdb --queue-job --workers 2 --http-port 8069
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from _odoo import odoo_parser, open_registry  # noqa: E402
from _sandbox import start_sandbox  # noqa: E402


def parse():
    parser = odoo_parser(__doc__)
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=50)
    parser.add_argument(
        "--processes",
        action="store_true",
        help="each worker is a separate Odoo process (bench/soak_worker.py), as "
        "the crons of several Odoo servers on one database",
    )
    parser.add_argument(
        "--queue-job",
        action="store_true",
        help="the jobs of delivery_sevensenders_queue_job send, in odoo-bin "
        "--workers=N (N: --workers) with queue_job's runner",
    )
    parser.add_argument("--http-port", type=int, default=8069)
    return parser.parse_args()


def spawner(args):
    """``spawn(number, stop_file)`` for the soak's worker processes."""

    def spawn(number, stop_file):
        command = [
            sys.executable,
            str(ROOT / "bench" / "soak_worker.py"),
            "--odoo-bin",
            args.odoo_bin,
            "-d",
            args.database,
            "--batch-size",
            str(args.batch_size),
            "--stop-file",
            stop_file,
        ]
        if args.config:
            command[4:4] = ["-c", args.config]
        # its log goes to a file: a pipe nobody reads until the end fills up
        # and blocks the worker
        log = open(  # noqa: SIM115 - the process owns it until it ends
            f"{stop_file}.{number}.log", "w", encoding="utf-8"
        )
        return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, text=True)

    return spawn


class ServerAsWorker:
    """The soak's one "worker process" with ``--queue-job``: the Odoo server
    (``bench/_queue_job.py``), stopped when the soak says that nothing is left;
    it answers what its jobs claimed, as a worker process does."""

    def __init__(self, server, registry):
        self.server = server
        self.registry = registry
        self.returncode = None
        self.jobs = {}
        self.log_errors = []
        self.retried = 0

    def poll(self):
        return self.server.poll()

    def communicate(self, timeout=None):
        from _queue_job import job_stats  # noqa: PLC0415

        died = self.server.poll() is not None
        self.server.stop(timeout or 60)
        self.log_errors, self.retried = self.server.errors()
        with self.registry.cursor() as cr:
            self.jobs, claimed = job_stats(cr)
        self.returncode = 1 if died or self.jobs.get("failed") else 0
        return json.dumps({"drained": claimed}), ""


def queue_job_spawner(args, registry, servers):
    from _queue_job import OdooServer  # noqa: PLC0415

    import odoo  # noqa: PLC0415

    def spawn(_number, _stop_file):
        server = OdooServer(
            args.odoo_bin,
            args.database,
            odoo.tools.config["addons_path"],
            args.http_port,
            args.workers,
        ).start()
        servers.append(ServerAsWorker(server, registry))
        return servers[-1]

    return spawn


def queue_job_soak(base):
    """The soak, its clock moving the jobs' ``eta`` along with the rows'."""

    class QueueJobSoak(base):
        def _fast_forward(self, cr):
            moved = super()._fast_forward(cr)
            cr.execute(
                "UPDATE queue_job SET eta = NULL WHERE channel = 'root.sevensenders' "
                "AND state = 'pending' AND eta IS NOT NULL"
            )
            return moved + cr.rowcount

    return QueueJobSoak


def main():
    args = parse()
    _odoo, registry = open_registry(args)
    # the soak lives in the addon's tests package (Odoo logs a notice about it)
    from odoo.addons.delivery_sevensenders.tests.soak import (  # noqa: PLC0415
        DEFAULT_FAULTS,
        Soak,
    )

    servers = []
    if args.queue_job:
        Soak = queue_job_soak(Soak)  # noqa: N806
        spawn = queue_job_spawner(args, registry, servers)
    elif args.processes:
        spawn = spawner(args)
    else:
        spawn = None

    from sevensenders_sandbox.control import SandboxControl  # noqa: PLC0415

    proc, url = start_sandbox(args.sandbox_python)
    try:
        sandbox = SandboxControl()
        sandbox.url = url
        kind = (
            " (odoo-bin --workers, queue_job jobs)"
            if args.queue_job
            else " (separate processes)"
            if args.processes
            else " (threads)"
        )
        print(
            f"fault_soak: {args.orders} orders, {args.workers} workers{kind}, batch "
            f"{args.batch_size}, faults {DEFAULT_FAULTS} + 429 bursts + token revocations"
        )
        report = Soak(
            registry,
            sandbox,
            orders=args.orders,
            # with queue_job: one Odoo server, its N workers take the jobs
            workers=1 if args.queue_job else args.workers,
            batch_size=args.batch_size,
            spawn=spawn,
        ).run()
    finally:
        proc.terminate()
        proc.wait(10)
    show(report)
    for server in servers:
        print(
            f"  queue_job: jobs {server.jobs}; odoo-bin exit "
            f"{server.server.proc.returncode}, {len(server.log_errors)} ERROR lines in "
            f"its log {server.server.log} (and {server.retried} concurrent updates "
            "retried)"
        )
        for line in server.log_errors[:10]:
            print("    " + line[:300])
    ok = (
        report["remote_orders"] == report["orders"] == report["remote_orders_distinct"]
        and not report["shipments_missing"]
        and not report["shipments_twice"]
        and not report["shipments_unexpected"]
        and report["remote_shipments"] == report["expected_shipments"]
        and report["http_failures_logged"] == report["failed_exchanges"]
        and not report["worker_errors"]
        and not report["timed_out"]
        and all(not s.jobs.get("failed") and not s.log_errors for s in servers)
    )
    print("RESULT:", "exactly once, every fault on its row" if ok else "FAILED")
    return 0 if ok else 1


def show(r):
    secs = r["seconds"]
    print(
        f"  confirm {r['orders']} orders: {secs['confirm']:.1f} s; validate "
        f"{r['pickings']} deliveries while draining: {secs['ship_and_drain']:.1f} s"
    )
    print(
        f"  sandbox holds {r['remote_orders']} orders ({r['remote_orders_distinct']} "
        f"distinct; missing {len(r['orders_missing'])}, twice {len(r['orders_twice'])}), "
        f"{r['remote_shipments']} shipments for {r['expected_shipments']} expected "
        f"(missing {len(r['shipments_missing'])}, twice {len(r['shipments_twice'])}, "
        f"unexpected {len(r['shipments_unexpected'])}), boarding complete on "
        f"{r['boarding_complete']}"
    )
    print(
        f"  outbox: {r['rows']} rows {r['rows_by_state']}, by operation "
        f"{r['rows_by_operation']}"
    )
    print(
        f"  faults injected {r['faults_injected_total']} {r['faults_injected']}; "
        f"answers {r['responses']}; failed exchanges {r['failed_exchanges']}, "
        f"logged on rows {r['http_failures_logged']}; row attempts "
        f"{r['row_attempts']} ({r['row_failed_attempts']} failed)"
    )
    print(
        f"  {r['requests']} API calls, {r['tokens_issued']} tokens issued, "
        f"{r['revocations']} revocations, {r['bursts']} bursts of 429, "
        f"drained per worker {r['drained_per_worker']}, "
        f"{r['fast_forwards']} clock fast-forwards"
    )
    if r["worker_errors"]:
        print(f"  worker errors: {r['worker_errors']}")


if __name__ == "__main__":
    sys.exit(main())
