"""The emulated Seven Senders API v2 (FastAPI): the app and its parts.

Where things are:

- ``routes/``: one module per resource (``orders``, ``shipments``, ``labels``...)
  and ``sandbox`` for the control endpoints (``/_sandbox/...``);
- ``rules.py``: what every route shares (error bodies, the token check,
  reference uniqueness, pagination bounds, control characters);
- ``models.py``: the request bodies, written from the integration guides
  (nothing is imported from the client); ``reference.py``: their tables;
- ``lifecycle.py``: how orders and shipments move on;
- ``state.py``: the configuration and the state a route reaches with
  ``Depends(get_state)``; ``store.py``: its SQLite database;
- ``paths.py``: which path spellings each ``--paths`` mode answers;
- ``faults.py``: fault injection and the legacy ``.json`` suffix.
"""

from fastapi import FastAPI

from .faults import AliasMiddleware, FaultMiddleware
from .routes import (
    carriers,
    customs,
    labels,
    order_items,
    order_states,
    orders,
    products,
    pudo,
    sandbox,
    shipments,
    token,
)
from .rules import ERROR_HANDLERS
from .state import (  # noqa: F401 - the package's public names
    DEFAULT_ACCESS_KEY,
    DEFAULT_PORT,
    SandboxConfig,
    SandboxState,
    sandbox_state,
)

#: the emulated API's resources, in the order the OpenAPI document lists them
RESOURCES = (
    token,
    orders,
    order_states,
    shipments,
    carriers,
    labels,
    customs,
    products,
    order_items,
    pudo,
)


def create_app(config=None):
    """The sandbox as an ASGI app: the emulated API under ``/v2`` (each
    operation under the spellings ``config.paths`` answers) and the control
    endpoints under ``/_sandbox``, inside the fault injection middleware."""
    config = config or SandboxConfig()
    app = FastAPI(
        title="Seven Senders API v2 (local sandbox)",
        version="2.0-sandbox",
        description="A local emulator of the Seven Senders API for development and tests.",
        exception_handlers=ERROR_HANDLERS,
    )
    state = SandboxState(config)
    app.state.sandbox = state
    for resource in RESOURCES:
        app.include_router(resource.operations.router(config.paths))
    app.include_router(sandbox.router)
    return AliasMiddleware(FaultMiddleware(app, state), enabled=config.paths == "all")
