"""The sandbox as a program: CLI, start-time faults, SQLite file, timeouts."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from conftest import order_payload, shipment_payload

from sevensenders import APITimeoutError, SevenSendersClient
from sevensenders_sandbox import DEFAULT_PORT, SandboxConfig, SandboxServer

ROOT = Path(__file__).resolve().parent.parent


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_default_port_is_fixed():
    assert DEFAULT_PORT == 8765


def test_cli_serves_with_start_time_faults():
    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sevensenders_sandbox",
            "--port",
            str(port),
            "--access-key",
            "cli-key",
            "--fault-rate-limit-burst",
            "1",
            "--fault-retry-after",
            "0",
        ],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                requests.get(url + "/_sandbox/health", timeout=1)
                break
            except requests.ConnectionError:
                assert proc.poll() is None, proc.communicate()[0]
                time.sleep(0.05)
        first = requests.post(
            url + "/v2/token", json={"access_key": "cli-key"}, timeout=5
        )
        assert first.status_code == 429 and first.headers["Retry-After"] == "0"
        second = requests.post(
            url + "/v2/token", json={"access_key": "cli-key"}, timeout=5
        )
        assert second.status_code == 200 and second.json()["token"]
        assert requests.get(url + "/openapi.json", timeout=5).json()["paths"]
    finally:
        proc.terminate()
        out = proc.communicate(timeout=10)[0]
    assert f"http://127.0.0.1:{port}/v2" in out


def test_state_in_a_sqlite_file_survives_a_restart(tmp_path):
    db = str(tmp_path / "sandbox.db")
    with SandboxServer(SandboxConfig(db=db)) as sandbox:
        client = SevenSendersClient("sandbox-access-key", base_url=sandbox.base_url)
        client.create_order(order_payload())
    with SandboxServer(SandboxConfig(db=db)) as sandbox:
        client = SevenSendersClient("sandbox-access-key", base_url=sandbox.base_url)
        assert client.find_order("SO0001") is not None
        with pytest.raises(Exception, match="already used"):
            client.create_order(order_payload())


def test_slow_answers_time_out_and_reads_are_retried(make_client, sandbox, sleeps):
    client = make_client(timeout=(1, 0.2))
    client.authenticate()
    sandbox.set_faults(latency_ms=500)
    with pytest.raises(APITimeoutError) as err:
        client.list_orders()
    assert err.value.sent is True
    assert err.value.attempts == 3 and len(sleeps) == 2
    sandbox.set_faults()
    assert client.list_orders() == []


def test_timeouts_are_mandatory():
    with pytest.raises(ValueError):
        SevenSendersClient("k", base_url="http://127.0.0.1:1/v2", timeout=None)
    with pytest.raises(ValueError):
        SevenSendersClient("", base_url="http://127.0.0.1:1/v2")


def test_rate_limit_window_answers_429_with_the_time_left(sandbox):
    sandbox.set_faults(rate_limit_seconds=0.6)
    url = sandbox.base_url + "/carriers"
    first = requests.get(url, timeout=5)
    assert first.status_code == 429
    assert 0 < float(first.headers["Retry-After"]) <= 0.6
    time.sleep(0.7)
    assert requests.get(url, timeout=5).status_code == 401  # past the window
    assert sandbox.stats()["faults"]["rate_limited"] == 1


def test_token_ttl_fault_shortens_new_tokens(make_client, sandbox):
    from sevensenders.auth import jwt_claims

    sandbox.set_faults(token_ttl=5)
    client = make_client()
    client.authenticate()
    claims = jwt_claims(client._auth.current())
    assert 4 <= claims["exp"] - time.time() <= 5


def test_request_log_keeps_the_order_and_the_answers(sandbox):
    url = sandbox.base_url
    requests.get(url + "/carriers", timeout=5)
    sandbox.set_faults(endpoint_error_rates={"/v2/orders/": 1.0})
    requests.get(url + "/orders/42.json", timeout=5)  # legacy suffix: logged as routed
    sandbox.set_faults(drop_rate=1.0)
    with pytest.raises(requests.ConnectionError):
        requests.get(url + "/labels/7", timeout=5)
    log = sandbox.requests()
    assert [(e["method"], e["path"], e["status"]) for e in log] == [
        ("GET", "/v2/carriers", 401),
        ("GET", "/v2/orders/42", 503),
        ("GET", "/v2/labels/7", None),
    ]
    assert all(e["started"] <= e["ended"] for e in log[:2]), "answered calls end"
    assert log[2]["ended"] is None, "a dropped call is never answered"
    sandbox.reset()
    assert sandbox.requests() == []


def test_request_log_shows_overlapping_calls(sandbox):
    """Arrival and answer times: calls in flight at once overlap in the log."""
    from concurrent.futures import ThreadPoolExecutor  # noqa: PLC0415

    sandbox.set_faults(latency_ms=200)
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda _i: requests.get(sandbox.base_url + "/carriers"), [1, 2]))
    first, second = sandbox.requests()
    assert max(first["started"], second["started"]) < min(
        first["ended"], second["ended"]
    )


def test_response_time_includes_the_sandbox_own_work(sandbox):
    """``response_ms`` is a response time: every call is answered that long
    after it arrived, not sooner (``latency_ms`` comes on top of the work)."""
    import time  # noqa: PLC0415

    sandbox.set_faults(response_ms=150)
    started = time.monotonic()
    assert requests.get(sandbox.base_url + "/carriers", timeout=5).status_code == 401
    took = time.monotonic() - started
    assert 0.15 <= took < 1.0
    sandbox.set_faults(response_ms=150, latency_ms=100)
    started = time.monotonic()
    requests.get(sandbox.base_url + "/carriers", timeout=5)
    assert 0.15 <= time.monotonic() - started < 1.0  # the larger of the two
    sandbox.set_faults()
    started = time.monotonic()
    requests.get(sandbox.base_url + "/carriers", timeout=5)
    assert time.monotonic() - started < 0.15
    logged = sandbox.requests()[0]
    assert logged["ended"] - logged["started"] >= 0.15


def test_body_errors_fail_the_calls_that_carry_a_text(sandbox):
    """One label among several fails, every time: the one with that reference."""
    url = sandbox.base_url
    sandbox.set_faults(body_errors=["REF-2"])
    token = requests.post(
        url + "/token", json={"access_key": "sandbox-access-key"}, timeout=5
    ).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    for ref, status in (
        ("REF-2", 503),
        ("REF-1", 400),
        ("REF-2", 503),
    ):  # 400: not a label
        answer = requests.post(
            url + "/labels", json={"reference_number": ref}, headers=headers, timeout=5
        )
        assert answer.status_code == status, ref


def test_ids_are_never_reused_after_a_delete(sandbox, client):
    client.create_order(order_payload("SO-IDS"))
    first = client.create_shipment(shipment_payload("SO-IDS", ref="SO-IDS-1"))
    client.delete_shipment(first.id)
    second = client.create_shipment(shipment_payload("SO-IDS", ref="SO-IDS-2"))
    assert int(second.id) > int(first.id)
    # not across a reset either: an id once given names one object for good
    sandbox.reset()
    client.create_order(order_payload("SO-IDS"))
    third = client.create_shipment(shipment_payload("SO-IDS", ref="SO-IDS-3"))
    assert int(third.id) > int(second.id)


def test_an_update_with_null_clears_the_field(sandbox, client):
    order = client.create_order(order_payload("SO-NULL"))
    stored = sandbox.object("order", order.id)
    assert stored["order_tags"] == {"channel": "web"}
    assert stored["promised_delivery_date"]
    client.update_order(order.id, {"order_tags": {"channel": "shop"}})
    assert sandbox.object("order", order.id)["order_tags"] == {"channel": "shop"}
    # keys not given stay; a null clears
    client.update_order(order.id, {"order_tags": None, "promised_delivery_date": None})
    stored = sandbox.object("order", order.id)
    assert "order_tags" not in stored and "promised_delivery_date" not in stored
    assert stored["language"] == ["de"]
    shipment = client.create_shipment(shipment_payload("SO-NULL", ref="SO-NULL-1"))
    client.update_shipment(shipment.id, {"recipient_phone": "+49 30 1234"})
    assert sandbox.object("shipment", shipment.id)["recipient_phone"] == "+49 30 1234"
    client.update_shipment(shipment.id, {"recipient_phone": None})
    assert "recipient_phone" not in sandbox.object("shipment", shipment.id)


def test_control_changes_the_copy_behind_the_shops_back(sandbox, client):
    order = client.create_order(order_payload("SO-DRIFT"))
    sandbox.change_object("order", order.id, order_tags={"x": "portal"}, language=None)
    read = client.get_order(order.id)
    assert read.order_tags == {"x": "portal"}
    assert not read.language
    with pytest.raises(requests.HTTPError):
        sandbox.change_object("order", order.id, id=1)
    sandbox.delete_object("order", order.id)
    assert client.find_order("SO-DRIFT") is None
