# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""In-process cache of pickup-point answers (per area, with a lifetime)."""

import threading
import time

_CACHE = {}
_CACHE_LOCK = threading.Lock()
_CACHE_MAX = 2000


def cache_get(key):
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
    if hit and hit[0] > time.monotonic():
        return hit[1]
    return None


def cache_put(key, value, ttl):
    with _CACHE_LOCK:
        if len(_CACHE) >= _CACHE_MAX:
            now = time.monotonic()
            for stale in [k for k, v in _CACHE.items() if v[0] <= now] or list(_CACHE)[
                :100
            ]:
                _CACHE.pop(stale, None)
        _CACHE[key] = (time.monotonic() + ttl, value)


def clear_pickup_cache():
    with _CACHE_LOCK:
        _CACHE.clear()
