"""A local emulator of the Seven Senders API v2, for development, demos and tests.

``python -m sevensenders_sandbox`` serves it on http://127.0.0.1:8765/v2 with the
access key ``sandbox-access-key``; :class:`SandboxServer` runs it in a thread.
"""

__all__ = [
    "DEFAULT_ACCESS_KEY",
    "DEFAULT_PORT",
    "FaultConfig",
    "SandboxConfig",
    "SandboxControl",
    "SandboxServer",
    "create_app",
]

_LAZY = {
    "DEFAULT_ACCESS_KEY": "app",
    "DEFAULT_PORT": "app",
    "SandboxConfig": "app",
    "create_app": "app",
    "FaultConfig": "faults",
    "SandboxServer": "server",
    "SandboxControl": "control",
}


def __getattr__(name):
    """Import the FastAPI parts on first use: ``sevensenders_sandbox.control``
    works in an environment without FastAPI (an Odoo test driving a sandbox
    that runs in another process)."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(name)
