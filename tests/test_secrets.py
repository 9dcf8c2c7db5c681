"""The access key and tokens never reach logs, hooks or exception texts."""

import logging
import traceback

import pytest
from conftest import order_payload, shipment_payload

from sevensenders import SevenSendersClient, SevenSendersError
from sevensenders.auth import Redactor
from sevensenders_sandbox import SandboxConfig, SandboxServer

KEY = "s3cr3t-ACCESS-key-0123456789"


@pytest.fixture
def keyed_sandbox():
    with SandboxServer(SandboxConfig(access_keys=(KEY,))) as server:
        yield server


def _texts_of(exc):
    yield str(exc)
    yield repr(exc)
    yield from (str(a) for a in exc.args)
    yield from (str(v) for v in vars(exc).values())
    yield "".join(traceback.format_exception(exc))


def test_full_flow_leaks_no_secret(keyed_sandbox, caplog, sleeps):
    caplog.set_level(logging.DEBUG)
    hooked = []
    client = SevenSendersClient(
        KEY, base_url=keyed_sandbox.base_url, hooks=[hooked.append], sleep=sleeps
    )
    errors = []
    client.create_order(order_payload())
    client.create_shipment(shipment_payload())
    tokens = {client._auth.current()}
    keyed_sandbox.revoke_tokens()  # forces a 401 and a new token
    client.list_orders()
    tokens.add(client._auth.current())
    # the server echoes a rejected value: the key itself
    try:
        client._request(
            "orders.create",
            json={
                "order_id": "X",
                "order_date": "2026-11-23T10:00:00Z",
                "language": [KEY],
            },
        )
    except SevenSendersError as exc:
        errors.append(exc)
    # ... and a token
    try:
        client._request(
            "orders.create", json={"order_id": tokens.copy().pop(), "order_date": "bad"}
        )
    except SevenSendersError as exc:
        errors.append(exc)
    keyed_sandbox.set_faults(error_rate=1.0, error_status=500)
    try:
        client.list_orders()
    except SevenSendersError as exc:
        errors.append(exc)
    keyed_sandbox.set_faults()
    wrong = SevenSendersClient(
        KEY[:-1] + "X", base_url=keyed_sandbox.base_url, sleep=sleeps
    )
    try:
        wrong.list_orders()
    except SevenSendersError as exc:
        errors.append(exc)
    assert len(errors) == 4 and len(tokens) == 2 and None not in tokens

    haystack = [r.getMessage() for r in caplog.records]
    haystack += [repr(h) for h in hooked]
    for exc in errors:
        haystack += list(_texts_of(exc))
    haystack.append(repr(client))
    assert any(
        "POST" in text and "/orders" in text for text in haystack
    )  # logs did happen
    for secret in (KEY, *tokens):
        leaks = [text for text in haystack if secret in text]
        assert not leaks, leaks[:2]
    assert any("***" in text for text in haystack)


def test_redactor_masks_known_secrets_jwts_and_key_fields():
    redact = Redactor("abc-key")
    jwt = "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9.c2lnbmF0dXJl"
    text = redact(f'{{"access_key": "other", "token": "{jwt}"}} Bearer {jwt} abc-key')
    assert "abc-key" not in text and jwt not in text and "other" not in text
    assert text.count("***") >= 3
