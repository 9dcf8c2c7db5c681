"""A local emulator of the Seven Senders API v2, for development, demos and tests.

``python -m sevensenders_sandbox`` serves it on http://127.0.0.1:8765/v2 with the
access key ``sandbox-access-key``; :class:`SandboxServer` runs it in a thread.
"""

from .app import DEFAULT_ACCESS_KEY, DEFAULT_PORT, SandboxConfig, create_app
from .faults import FaultConfig
from .server import SandboxServer

__all__ = [
    "DEFAULT_ACCESS_KEY",
    "DEFAULT_PORT",
    "FaultConfig",
    "SandboxConfig",
    "SandboxServer",
    "create_app",
]
