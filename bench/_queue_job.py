"""A real multi-process Odoo with OCA queue_job's runner, for the benchmarks that
send the outbox through ``delivery_sevensenders_queue_job``.

``OdooServer`` starts ``odoo-bin --workers=N`` with ``server_wide_modules =
base,web,queue_job`` and the channel ``root.sevensenders`` at capacity N, on one
database only (its runner looks at no other), on the HTTP port given, and stops
it again; the scheduled actions are off unless asked (the jobs send, alone).
"""

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

CHANNEL = "root.sevensenders"
CONCURRENCY_ERRORS = (
    "could not serialize access",
    "deadlock detected",
    "could not obtain lock",
)


def odoo_config(path, database, addons_path, port, workers, cron_threads=0):
    """Write the server's configuration file to ``path`` (the data directory:
    this process's Odoo's)."""
    import odoo.tools  # noqa: PLC0415

    Path(path).write_text(
        "\n".join(
            [
                "[options]",
                # a list from 19.0 on
                "addons_path = "
                + (
                    addons_path
                    if isinstance(addons_path, str)
                    else ",".join(addons_path)
                ),
                f"data_dir = {odoo.tools.config['data_dir']}",
                f"db_name = {database}",
                f"dbfilter = ^{database}$",
                f"http_port = {port}",
                f"gevent_port = {port + 1}",
                f"workers = {workers}",
                f"max_cron_threads = {cron_threads}",
                "server_wide_modules = base,web,queue_job",
                # a job drains for at most 30 s (JOB_BUDGET); leave it room
                "limit_time_cpu = 300",
                "limit_time_real = 600",
                "log_level = warn",
                "[queue_job]",
                f"channels = root:{workers},{CHANNEL}:{workers}",
                f"port = {port}",
                "",
            ]
        ),
        encoding="utf-8",
    )


class OdooServer:
    """``odoo-bin`` in workers mode, with queue_job's runner, as a process."""

    def __init__(self, odoo_bin, database, addons_path, port, workers, cron_threads=0):
        self.workdir = tempfile.mkdtemp(prefix="sevensenders-qj-")
        self.conf = os.path.join(self.workdir, "odoo.conf")
        self.log = os.path.join(self.workdir, "odoo.log")
        self.port = port
        self.workers = workers
        odoo_config(self.conf, database, addons_path, port, workers, cron_threads)
        self.command = [
            sys.executable,
            odoo_bin,
            "-c",
            self.conf,
            f"--logfile={self.log}",
        ]
        self.proc = None

    def start(self, timeout=120):
        self.proc = subprocess.Popen(  # noqa: S603 - our own command line
            self.command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"odoo-bin ended at start (log: {self.log})")
            try:
                requests.get(f"http://127.0.0.1:{self.port}/web/health", timeout=2)
                return self
            except requests.RequestException:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"odoo-bin did not answer (log: {self.log})")

    def poll(self):
        return self.proc.poll()

    def stop(self, timeout=60):
        """Stop it as an operator does (SIGINT: the workers finish their
        request), killed if it does not end in time; answers its exit code."""
        if self.proc is None or self.proc.poll() is not None:
            return self.proc and self.proc.returncode
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)
        return self.proc.returncode

    def errors(self):
        """``(errors, retried)``: the ERROR and CRITICAL lines of its log, and
        how many of them were concurrency failures (PostgreSQL's "could not
        serialize access", a deadlock) that Odoo logs as a bad query and the
        code retries."""
        if not os.path.exists(self.log):
            return [], 0
        lines = Path(self.log).read_text(encoding="utf-8", errors="replace")
        lines = lines.splitlines()
        errors, retried = [], 0
        for index, line in enumerate(lines):
            if " ERROR " not in line and " CRITICAL " not in line:
                continue
            after = " ".join(lines[index + 1 : index + 3])
            if "odoo.sql_db: bad query" in line and any(
                reason in after for reason in CONCURRENCY_ERRORS
            ):
                retried += 1
            else:
                errors.append(line)
        return errors, retried


def job_stats(cr):
    """``{state: count}`` of the outbox's jobs, and the rows they claimed."""
    cr.execute(
        "SELECT state, count(*) FROM queue_job WHERE channel = %s GROUP BY state",
        (CHANNEL,),
    )
    states = dict(cr.fetchall())
    cr.execute(
        "SELECT result FROM queue_job WHERE channel = %s AND state = 'done'",
        (CHANNEL,),
    )
    claimed = 0
    for (result,) in cr.fetchall():
        head = (result or "").split(" ", 1)[0]
        claimed += int(head) if head.isdigit() else 0
    return states, claimed
