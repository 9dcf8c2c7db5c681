"""Fixtures: a real sandbox on an ephemeral loopback port, and clients of it."""

import datetime as dt

import pytest

from sevensenders import SevenSendersClient
from sevensenders_sandbox import DEFAULT_ACCESS_KEY, SandboxConfig, SandboxServer


@pytest.fixture(scope="session")
def sandbox():
    with SandboxServer() as server:
        yield server


@pytest.fixture(autouse=True)
def _clean_sandbox(request):
    if "sandbox" in request.fixturenames:
        request.getfixturevalue("sandbox").reset()


class Sleeps(list):
    """Records the client's back-off waits instead of sleeping."""

    def __call__(self, seconds):
        self.append(seconds)


@pytest.fixture
def sleeps():
    return Sleeps()


@pytest.fixture
def make_client(sandbox, sleeps):
    clients = []

    def make(**kw):
        kw.setdefault("base_url", sandbox.base_url)
        kw.setdefault("sleep", sleeps)
        kw.setdefault("timeout", (2, 5))
        client = SevenSendersClient(kw.pop("access_key", DEFAULT_ACCESS_KEY), **kw)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def client(make_client):
    return make_client()


@pytest.fixture
def short_token_sandbox():
    with SandboxServer(SandboxConfig(token_ttl=2)) as server:
        yield server


NOW = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.timezone.utc)


def order_payload(ref="SO0001", **kw):
    data = {
        "order_id": ref,
        "order_url": "https://shop.example.com",
        "order_date": NOW,
        "language": ["de"],
        "order_tags": {"channel": "web"},
        "promised_delivery_date": NOW + dt.timedelta(days=3),
    }
    data.update(kw)
    return data


def recipient(**kw):
    data = {
        "recipient_first_name": "Erika",
        "recipient_last_name": "Mustermann",
        "recipient_email": "erika@example.com",
        "recipient_zip": "10115",
        "recipient_city": "Berlin",
        "recipient_country": "DE",
    }
    data.update(kw)
    return data


def shipment_payload(order_id="SO0001", ref="SO0001-P1", **kw):
    data = {
        "order_id": order_id,
        "reference_number": ref,
        "tracking_code": "00340434161094042557",
        "carrier": {"name": "dhl", "country": "DE"},
        "recipient_address": "Invalidenstraße 116",
        "planned_pickup_datetime": NOW + dt.timedelta(days=1),
        "warehouse": "Primary Warehouse",
        "warehouse_address": "Schleißheimer Str. 506, 80933 München, DE",
        "weight": 1.25,
        **recipient(),
    }
    data.update(kw)
    return data


def label_payload(order_id="SO0001", ref="SO0001-L1", **kw):
    data = {
        "order_id": order_id,
        "reference_number": ref,
        "carrier": {"name": "dhl", "country": "DE"},
        "recipient_street": "Invalidenstraße",
        "recipient_house_no": "116",
        "warehouse": "Primary Warehouse",
        "warehouse_address": "Schleißheimer Str. 506, 80933 München, DE",
        "weight": 1.25,
        **recipient(),
    }
    data.pop("recipient_address", None)
    data.update(kw)
    return data
