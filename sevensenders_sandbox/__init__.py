"""A local emulator of the Seven Senders API v2, for development, demos and tests.

``python -m sevensenders_sandbox`` serves it on http://127.0.0.1:8765/v2 with the
access key ``sandbox-access-key``; :class:`SandboxServer` runs it in a thread.
"""

import sys
from pathlib import Path

try:
    import sevensenders  # noqa: F401  the client, shared reference data and schemas
except ImportError:  # running from a checkout: the client lives inside the addon
    sys.path.insert(
        0, str(Path(__file__).resolve().parent.parent / "delivery_sevensenders")
    )

from .app import DEFAULT_ACCESS_KEY, DEFAULT_PORT, SandboxConfig, create_app  # noqa: E402
from .faults import FaultConfig  # noqa: E402
from .server import SandboxServer  # noqa: E402

__all__ = [
    "DEFAULT_ACCESS_KEY",
    "DEFAULT_PORT",
    "FaultConfig",
    "SandboxConfig",
    "SandboxServer",
    "create_app",
]
