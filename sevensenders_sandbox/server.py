"""Run the sandbox in a background thread (tests, benchmarks, Odoo tests)."""

import socket
import threading
import time

import uvicorn

from .app import SandboxConfig, create_app, sandbox_state
from .control import SandboxControl


class SandboxServer(SandboxControl):
    """A sandbox on 127.0.0.1; port 0 picks a free ephemeral port.

    >>> with SandboxServer() as sandbox:
    ...     sandbox.base_url  # 'http://127.0.0.1:<port>/v2'
    """

    def __init__(self, config=None, host="127.0.0.1", port=0):
        self.config = config or SandboxConfig()
        self.app = create_app(self.config)
        self.state = sandbox_state(self.app)
        self.host = host
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((host, port))
        self.port = self._sock.getsockname()[1]
        self._server = uvicorn.Server(
            uvicorn.Config(
                self.app,
                log_level="warning",
                access_log=False,
                lifespan="off",
                timeout_keep_alive=30,
                http="h11",
            )
        )
        self._thread = None

    @property
    def url(self):
        return f"http://{self.host}:{self.port}"

    def start(self):
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the Seven Senders sandbox did not start")
            time.sleep(0.01)
        return self

    def stop(self):
        self._server.should_exit = True
        if self._thread:
            self._thread.join(timeout=10)
        self._sock.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
