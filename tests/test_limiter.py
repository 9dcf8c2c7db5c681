"""The shared concurrency bound of concurrent clients (the outbox drain's)."""

import threading
from concurrent.futures import ThreadPoolExecutor

from conftest import order_payload

from sevensenders import AdaptiveLimiter


def test_limiter_halves_on_429_and_grows_back():
    limiter = AdaptiveLimiter(8)
    limiter.acquire()
    limiter.release(ok=False)
    limiter.throttle(None)
    assert limiter.limit == 4
    limiter.throttle(None)
    assert limiter.limit == 2
    for _i in range(2):
        limiter.acquire()
        limiter.release()
    assert limiter.limit == 3, "one more after `limit` successes in a row"
    assert limiter.lowest == 2


def test_limiter_waits_for_retry_after():
    now = [100.0]
    limiter = AdaptiveLimiter(2, clock=lambda: now[0])
    limiter.throttle(5.0)
    entered = threading.Event()

    def call():
        limiter.acquire()
        entered.set()
        limiter.release()

    worker = threading.Thread(target=call)
    worker.start()
    assert not entered.wait(0.2), "a call went out during Retry-After"
    now[0] = 106.0
    with limiter._cond:
        limiter._cond.notify_all()
    assert entered.wait(2)
    worker.join()


def test_concurrent_clients_respect_the_bound_and_429s(make_client, sandbox):
    limiter = AdaptiveLimiter(6)
    sandbox.set_faults(latency_ms=20)
    local = threading.local()

    def create(index):
        if not hasattr(local, "client"):
            local.client = make_client(limiter=limiter, max_retry_after=5)
        if index == 20:
            sandbox.set_faults(latency_ms=20, rate_limit_burst=4, retry_after=0.3)
        return local.client.create_order(order_payload(f"C{index:04d}"))

    with ThreadPoolExecutor(max_workers=12) as pool:
        orders = list(pool.map(create, range(60)))
    assert len({o.id for o in orders}) == 60
    assert len(sandbox.objects("order")) == 60
    assert limiter.peak <= 6, "more calls in flight than the bound"
    assert limiter.throttled >= 1
    assert limiter.lowest < 6, "the bound did not back off on 429"


def test_an_unexpected_error_gives_the_slot_back(make_client, monkeypatch):
    """A bug in the transport (not a requests error) propagates, and the shared
    bound's slot is released: the drain's other threads are not starved."""
    limiter = AdaptiveLimiter(1)
    api = make_client(limiter=limiter)
    api.list_carriers()  # the token and one exchange, slot back

    def broken(*args, **kwargs):
        raise ValueError("a bug in a transport adapter")

    monkeypatch.setattr(api.session, "request", broken)
    try:
        api.list_carriers()
    except ValueError:
        pass
    else:
        raise AssertionError("the error was swallowed")
    assert limiter.in_flight == 0
