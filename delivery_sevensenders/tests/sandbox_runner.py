# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The sandbox of the Odoo tests: started on a free loopback port, or one
already running. Imports no Odoo (the Odoo-free suite tests it too)."""

import importlib.util
import os
import socket
import subprocess
import sys
import time
import unittest

import requests

INSTALL_HINT = (
    "The Odoo tests of delivery_sevensenders need the Seven Senders sandbox: "
    "install it into Odoo's Python (pip install -r test-requirements.txt, or pip "
    "install ./sevensenders_sandbox from the project's repository; with --no-deps "
    "when it runs with another Python), and point SEVENSENDERS_SANDBOX_URL at a "
    "running one or SEVENSENDERS_SANDBOX_PYTHON at a Python that has it, if not "
    "Odoo's."
)


class _MissingSandbox:
    """Stands in for the sandbox's control client when the sandbox package is
    not installed: a test class then fails saying what to install."""

    def __init__(self, *args, **kwargs):
        raise RuntimeError(INSTALL_HINT)


try:  # needs only requests: the sandbox itself may run with another Python
    from sevensenders_sandbox.control import SandboxControl
except ImportError:
    SandboxControl = _MissingSandbox


def _require_control():
    """The control client is what the tests drive a sandbox with, wherever
    the sandbox runs (``SEVENSENDERS_SANDBOX_PYTHON``, ``..._URL``): without
    it, a test class fails with the hint (not on a missing attribute)."""
    if SandboxControl is _MissingSandbox:
        raise RuntimeError(INSTALL_HINT)


class _ControlMixin:
    """What a sandbox this process did not start does on stop: nothing."""

    def stop(self):
        """A sandbox this process did not start is left running."""


class RunningSandbox(_ControlMixin, SandboxControl):
    def __init__(self, url):
        _require_control()
        self.url = url.rstrip("/").removesuffix("/v2")
        try:
            requests.get(self.url + "/_sandbox/health", timeout=5).raise_for_status()
        except requests.RequestException as exc:
            raise RuntimeError(
                f"No Seven Senders sandbox answers at SEVENSENDERS_SANDBOX_URL "
                f"({self.url}): {exc}"
            ) from None


class SandboxProcess(SandboxControl):
    """``python -m sevensenders_sandbox`` on a free loopback port."""

    def __init__(self, *args):
        _require_control()
        python = os.environ.get("SEVENSENDERS_SANDBOX_PYTHON") or sys.executable
        if python == sys.executable and not importlib.util.find_spec(
            "sevensenders_sandbox"
        ):
            raise RuntimeError(INSTALL_HINT)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.proc = subprocess.Popen(
            [
                python,
                "-m",
                "sevensenders_sandbox",
                "--port",
                str(self.port),
                "--token-ttl",
                "3600",
                *args,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                requests.get(self.url + "/_sandbox/health", timeout=1)
                return
            except requests.ConnectionError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    err = self.proc.stderr.read().decode(errors="replace")[-2000:]
                    self.stop()
                    raise RuntimeError(
                        f"The Seven Senders sandbox did not start. {INSTALL_HINT}\n{err}"
                    ) from None
                time.sleep(0.05)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def start_sandbox(*args):
    """The sandbox of a test class: a running one (``SEVENSENDERS_SANDBOX_URL``)
    when it needs no options of its own, else a new process."""
    url = os.environ.get("SEVENSENDERS_SANDBOX_URL")
    if url and not args:
        return RunningSandbox(url)
    if (
        url
        and not os.environ.get("SEVENSENDERS_SANDBOX_PYTHON")
        and not (importlib.util.find_spec("sevensenders_sandbox"))
    ):
        raise unittest.SkipTest(
            f"needs a sandbox started with {' '.join(args)}; the one at "
            "SEVENSENDERS_SANDBOX_URL cannot be reconfigured"
        )
    return SandboxProcess(*args)
