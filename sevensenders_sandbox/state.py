"""The sandbox's configuration and state, and how a route reaches them.

A route never closes over the state: it asks for it with a FastAPI dependency
(``store: StoreDep`` or ``state: StateDep``), which reads ``app.state.sandbox``,
so one process can serve several sandboxes (the tests do).
"""

import collections
import secrets
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request

from .faults import FaultConfig
from .store import Store

DEFAULT_ACCESS_KEY = "sandbox-access-key"
DEFAULT_PORT = 8765
REQUEST_LOG_SIZE = 20000


@dataclass
class SandboxConfig:
    access_keys: tuple = (DEFAULT_ACCESS_KEY,)
    token_ttl: int = 3600
    db: str = ":memory:"
    faults: FaultConfig = field(default_factory=FaultConfig)
    #: path spellings answered: "all", "seed" (the guides') or "plugins"
    paths: str = "all"


class SandboxState:
    def __init__(self, config):
        self.config = config
        self.store = Store(config.db)
        self.secret = secrets.token_hex(32)
        self.token_generation = 0
        self.faults = config.faults.model_copy()
        self.rate_limited_until = 0.0
        self.rng = None
        self.rng_seed = object()
        self.reset_stats()

    def reset_stats(self):
        #: every call of the emulated API in arrival order (bounded), with the
        #: status answered (None: the connection was dropped)
        self.request_log = collections.deque(maxlen=REQUEST_LOG_SIZE)
        self.stats = {
            "requests": {},
            "faults": {
                "dropped": 0,
                "dropped_after": 0,
                "rate_limited": 0,
                "errors": 0,
            },
            "tokens_issued": 0,
            "responses": {},  # status -> count, for the emulated API
        }


# The dependencies are coroutines: FastAPI would run a plain function in its
# thread pool, a hop to another thread and back for each of them on every call.


async def get_state(request: Request) -> SandboxState:
    """The state of the sandbox serving ``request`` (a FastAPI dependency)."""
    return request.app.state.sandbox


async def get_store(state: Annotated[SandboxState, Depends(get_state)]) -> Store:
    return state.store


#: route parameter types: ``state: StateDep``, ``store: StoreDep``
StateDep = Annotated[SandboxState, Depends(get_state)]
StoreDep = Annotated[Store, Depends(get_store)]


def sandbox_state(asgi_app):
    """The :class:`SandboxState` behind the (middleware-wrapped) app."""
    inner = asgi_app
    while not hasattr(inner, "state") or not hasattr(inner.state, "sandbox"):
        inner = inner.app
    return inner.state.sandbox
