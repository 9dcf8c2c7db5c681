"""Error classes, retries, idempotent creates and token handling, over real HTTP."""

import socket

import pytest
from conftest import order_payload, shipment_payload

from sevensenders import (
    APIConnectionError,
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestFailedError,
    ServerError,
    SevenSendersClient,
    UnprocessableEntityError,
)
from sevensenders.schemas import OrderCreate

# ---------------------------------------------------------------------------
# one exception class per status
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status,cls",
    [
        (400, BadRequestError),
        (402, RequestFailedError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
        (500, ServerError),
        (502, ServerError),
        (503, ServerError),
        (504, ServerError),
    ],
)
def test_injected_status_maps_to_its_class(client, sandbox, status, cls):
    client.authenticate()
    sandbox.set_faults(error_rate=1.0, error_status=status, endpoint_error_rates={})
    with pytest.raises(cls) as err:
        client.get_order(1)
    assert err.value.status_code == status
    assert "temporarily unavailable" in str(err.value)
    assert isinstance(err.value, APIStatusError)


def test_natural_errors_carry_the_server_message(client, sandbox):
    with pytest.raises(NotFoundError, match="Order 42 not found"):
        client.get_order(42)
    client.create_order(order_payload())
    with pytest.raises(ConflictError) as dup:
        client._request(
            "orders.create",
            json=client._body(OrderCreate, order_payload())[1],
        )
    assert dup.value.fields == ["order_id"]
    assert sandbox.stats()["objects"]["order"] == 1
    # bypassing the client's schema: the sandbox names the missing field (400)
    with pytest.raises(BadRequestError) as missing:
        client._request(
            "orders.create", json={"order_date": "2026-11-23T10:00:00+00:00"}
        )
    assert missing.value.fields == ["order_id"]
    # an invalid value is a 422 naming the field
    with pytest.raises(UnprocessableEntityError) as invalid:
        client._request(
            "orders.create",
            json={
                "order_id": "X",
                "order_date": "2026-11-23T10:00:00",
                "language": ["xx"],
            },
        )
    assert set(invalid.value.fields) == {"order_date", "language"}
    assert "language" in str(invalid.value)


def test_wrong_access_key_is_an_authentication_error(make_client):
    client = make_client(access_key="not-the-key")
    with pytest.raises(AuthenticationError, match="Invalid access key"):
        client.list_orders()


# ---------------------------------------------------------------------------
# retries
# ---------------------------------------------------------------------------


def test_429_honours_retry_after(client, sandbox, sleeps):
    client.authenticate()
    sandbox.set_faults(rate_limit_burst=2, retry_after=1.5)
    assert client.list_orders() == []
    assert sleeps == [1.5, 1.5]
    assert sandbox.stats()["faults"]["rate_limited"] == 2


def test_429_on_a_create_is_retried(client, sandbox, sleeps):
    client.authenticate()
    sandbox.set_faults(rate_limit_burst=1, retry_after=2)
    client.create_order(order_payload())
    assert sleeps == [2]
    assert sandbox.stats()["objects"]["order"] == 1


def test_retry_after_over_the_cap_raises_at_once(make_client, sandbox, sleeps):
    client = make_client(max_retry_after=5)
    client.authenticate()
    sandbox.set_faults(rate_limit_burst=1, retry_after=120)
    with pytest.raises(RateLimitError) as err:
        client.list_orders()
    assert err.value.retry_after == 120
    assert sleeps == []


def test_5xx_on_a_read_is_retried_with_growing_backoff(make_client, sandbox, sleeps):
    client = make_client(max_retries=3)
    client.authenticate()
    sandbox.set_faults(error_rate=1.0, error_status=503)
    with pytest.raises(ServerError) as err:
        client.list_orders()
    assert err.value.attempts == 4
    assert len(sleeps) == 3
    # exponential with at most 25 % jitter: 0.5, 1, 2 scaled into [0.75x, 1x]
    for wait, base in zip(sleeps, (0.5, 1.0, 2.0), strict=True):
        assert 0.75 * base <= wait <= base
    assert sandbox.stats()["requests"]["GET /v2/orders"] == 4


def test_5xx_then_success(make_client, sandbox, sleeps):
    client = make_client(max_retries=8)
    client.authenticate()
    sandbox.set_faults(error_rate=0.5, seed=3)
    for n in range(10):
        client.create_order(order_payload(f"SO{n:04d}"))
    assert sandbox.stats()["objects"]["order"] == 10
    assert sandbox.stats()["faults"]["errors"] > 0


def test_non_idempotent_call_without_lookup_is_not_retried(client, sandbox, sleeps):
    """An order state is de-duplicated by the API, a generic POST is not."""
    client.authenticate()
    sandbox.set_faults(error_rate=1.0, error_status=500)
    with pytest.raises(ServerError) as err:
        client._request("order_items.create", json={})
    assert err.value.attempts == 1 and sleeps == []


def test_no_duplicate_when_the_answer_is_lost(make_client, sandbox):
    """The order is stored, the connection drops before the answer: the retry
    finds it by our reference instead of creating it twice."""
    client = make_client(max_retries=8)
    client.authenticate()
    sandbox.set_faults(drop_after_rate=1.0)
    with pytest.raises(APIConnectionError):
        client.list_orders()  # reads are dropped too, so retries run out
    sandbox.set_faults(drop_after_rate=0.5, seed=7)
    for n in range(20):
        client.create_order(order_payload(f"SO{n:04d}"))
    for n in range(10):
        client.create_shipment(shipment_payload(f"SO{n:04d}", ref=f"SO{n:04d}-P1"))
    stats = sandbox.stats()
    assert stats["faults"]["dropped_after"] > 5
    orders = sandbox.objects("order")
    assert sorted(o["order_id"] for o in orders) == [f"SO{n:04d}" for n in range(20)]
    assert len(sandbox.objects("shipment")) == 10


def test_dropped_before_processing_is_retried(make_client, sandbox):
    client = make_client(max_retries=8)
    client.authenticate()
    sandbox.set_faults(drop_rate=0.4, seed=11)
    for n in range(10):
        client.create_order(order_payload(f"SO{n:04d}"))
    assert sandbox.stats()["faults"]["dropped"] > 0
    assert len(sandbox.objects("order")) == 10


def test_connection_refused_is_retried_then_raised(sleeps):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = SevenSendersClient(
        "k", base_url=f"http://127.0.0.1:{port}/v2", sleep=sleeps, timeout=1
    )
    with pytest.raises(APIConnectionError) as err:
        client.create_order(order_payload())
    assert err.value.sent is False
    assert len(sleeps) == 2  # never sent, so even a create is safely retried
    assert "unreachable" in str(err.value)


def test_delete_retried_after_lost_answer_is_success(client, sandbox):
    order = client.create_order(order_payload())
    # the first DELETE lands but its answer is lost; the retry meets 404 = done
    sandbox.set_faults(drop_after_count=1)
    client.delete_order(order.id)
    assert sandbox.objects("order") == []
    assert sandbox.stats()["requests"][f"DELETE /v2/orders/{order.id}"] == 2


def test_manifest_retry_after_lost_answer(client, sandbox):
    client.create_order(order_payload())
    shipment = client.create_shipment(shipment_payload())
    client.create_customs_shipment(
        {
            "shipment_id": shipment.id,
            "order_id": "SO0001",
            "incoterm": "DAP",
            "tracking_code": "T1",
            "planned_pickup_datetime": "2026-11-24T12:00:00Z",
            "departure_country": "DE",
        }
    )
    manifest = {"manifest_id": "ACME-1", "shipment_ids": [shipment.id], "pieces": 1}
    sandbox.set_faults(drop_after_count=1)
    created = client.create_customs_manifest(manifest)  # landed; the retry meets 409
    assert created.manifest_id == "ACME-1"
    assert len(sandbox.objects("customs_manifest")) == 1
    # calling again later (not a retry) is a real conflict: manifests are immutable
    with pytest.raises(ConflictError):
        client.create_customs_manifest(manifest)


# ---------------------------------------------------------------------------
# tokens
# ---------------------------------------------------------------------------


def test_token_is_reused(client, sandbox):
    for n in range(5):
        client.create_order(order_payload(f"SO{n:04d}"))
    client.list_orders()
    assert sandbox.stats()["tokens_issued"] == 1


def test_token_revoked_mid_run_is_renewed_once(client, sandbox):
    client.create_order(order_payload("SO0001"))
    sandbox.revoke_tokens()
    client.create_order(order_payload("SO0002"))
    assert sandbox.stats()["tokens_issued"] == 2
    assert len(sandbox.objects("order")) == 2


def test_token_expiring_mid_run(short_token_sandbox, sleeps):
    """Tokens live 2 s: the client renews before expiry, and on a 401 after it."""
    import time

    client = SevenSendersClient(
        "sandbox-access-key", base_url=short_token_sandbox.base_url, sleep=sleeps
    )
    client.create_order(order_payload("SO0001"))
    time.sleep(2.1)
    client.create_order(order_payload("SO0002"))
    assert short_token_sandbox.stats()["tokens_issued"] == 2
    # a token that the client still believes valid but the server expired: one 401, renew
    client._auth._store.save(client._auth.current(), time.time() + 60, time.time() + 60)
    time.sleep(2.1)
    client.create_order(order_payload("SO0003"))
    stats = short_token_sandbox.stats()
    assert stats["tokens_issued"] == 3
    assert stats["requests"]["POST /v2/orders"] == 4  # one 401 then the retry
    assert len(short_token_sandbox.objects("order")) == 3


def test_persistent_401_is_raised(make_client, sandbox, sleeps):
    client = make_client()
    client.authenticate()
    sandbox.set_faults(error_rate=1.0, error_status=401)
    with pytest.raises(AuthenticationError):
        client.list_orders()


def test_every_failed_exchange_is_reported(make_client, sandbox):
    """``on_failure`` sees each failed exchange, retried or given up, and
    nothing else: together they are exactly the faults the sandbox made."""
    failures = []
    client = make_client(on_failure=failures.append)
    client.authenticate()
    sandbox.set_faults(error_rate=0.5, seed=7, drop_rate=0.1)
    made = 0
    for n in range(20):
        try:
            client.create_order(order_payload(f"SO{n:04d}"))
        except (ServerError, APIConnectionError):
            pass
        else:
            made += 1
    faults = sandbox.stats()["faults"]
    assert len(failures) == faults["errors"] + faults["dropped"] > 0
    assert {f["status"] for f in failures} <= {503, None}
    assert any(f["retry"] for f in failures)
    assert all(f["path"].startswith("/") and f["error"] for f in failures)
    assert len(sandbox.objects("order")) == made


def test_threads_sharing_a_token_renew_it_once(make_client, sandbox):
    """Clients of several threads share one store: after a revocation, the
    first 401 renews the token; the others use the new one."""
    import threading

    from sevensenders.auth import MemoryTokenStore

    class SharedStore(MemoryTokenStore):
        lock = threading.Lock()

    store = SharedStore()
    clients = [make_client(token_store=store) for _i in range(6)]
    clients[0].authenticate()
    sandbox.revoke_tokens()
    issued = sandbox.stats()["tokens_issued"]
    barrier = threading.Barrier(len(clients))

    def work(n, client):
        barrier.wait()
        client.create_order(order_payload(f"SO{n:04d}"))

    threads = [
        threading.Thread(target=work, args=(n, c)) for n, c in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(sandbox.objects("order")) == len(clients)
    assert sandbox.stats()["tokens_issued"] == issued + 1


def test_a_conflict_after_a_lost_answer_is_reported_as_resolved(make_client, sandbox):
    """The answer is lost, the lookup fails, the create is sent again: 422
    "already used", then the lookup finds it. Each exchange is reported, the
    422 as resolved."""
    failures = []
    client = make_client(on_failure=failures.append)
    client.authenticate()
    sandbox.set_faults(drop_after_count=1)
    calls = {"n": 0}
    find = client.find_order

    def flaky_find(order_id):
        calls["n"] += 1
        if calls["n"] == 1:
            raise APIConnectionError("lookup lost", method="GET", path="/orders")
        return find(order_id)

    client.find_order = flaky_find
    made = client.create_order(order_payload("SO0042"))
    assert made.order_id == "SO0042"
    assert [(f["status"], f["retry"], f["resolved"]) for f in failures] == [
        (None, True, False),
        (422, False, True),
    ]
    assert len(sandbox.objects("order")) == 1
