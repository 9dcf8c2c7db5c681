"""Start the sandbox in its own process on a free loopback port (for benchmarks)."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent


def start_sandbox(python=None, access_log=False):
    """``(process, url)`` of a sandbox running with ``python``; stop with
    terminate(). Without ``access_log`` the sandbox does not log each request
    (formatting that log line is a good part of its own time per call)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = dict(os.environ, PYTHONPATH=f"{ROOT}:{ROOT / 'delivery_sevensenders'}")
    proc = subprocess.Popen(
        [python or sys.executable, "-m", "sevensenders_sandbox", "--port", str(port)]
        + ([] if access_log else ["--no-access-log"]),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            requests.get(url + "/_sandbox/health", timeout=1)
            return proc, url
        except requests.ConnectionError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("the sandbox did not start")
