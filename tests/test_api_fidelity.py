"""The client where the guides are unsure: path spellings, ids, duplicates.

Against sandboxes that answer only the guides' spellings (``seed``) or only the
plugins' (``plugins``), the client runs one whole Return Portal Pro flow; the
field names it sends are checked against the guides' tables.
"""

import base64
import datetime as dt
import json

import pytest
from conftest import NOW, label_payload, order_payload, shipment_payload

from sevensenders import (
    ConflictError,
    NotFoundError,
    ResponseValidationError,
    SevenSendersClient,
    schemas,
)
from sevensenders.endpoints import ENDPOINTS
from sevensenders_sandbox import DEFAULT_ACCESS_KEY, SandboxConfig, SandboxServer

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgAAIAAAUAAeIhvDMAAAAASUVORK5CYII="
)

#: The field names of each call in the guides (seeds 000/001/003) and the
#: research notes' support articles. A name here that no guide prints is in
#: INFERRED, which readme/ROADMAP.md lists too.
DOCUMENTED = {
    "orders.create": {
        "order_id",
        "order_url",
        "order_date",
        "boarding_complete",
        "language",
        "order_tags",
        "promised_delivery_date",
    },
    "orders.update": {"boarding_complete", "order_url", "language", "order_tags"},
    "order_states.create": {"order_id", "state", "datetime", "location"},
    "shipments.create": {
        "order_id",
        "order",
        "tracking_code",
        "reference_number",
        "pickup_point_selected",
        "planned_pickup_datetime",
        "comment",
        "warehouse_address",
        "warehouse",
        "shipment_tag",
        "recipient_address",
        "return_parcel",
        "trackable",
        "carrier",
        "carrier_service",
        "recipient_first_name",
        "recipient_last_name",
        "recipient_company_name",
        "recipient_email",
        "recipient_zip",
        "recipient_city",
        "recipient_country",
        "recipient_phone",
        "recipient_address_details",
        "weight",
        "goods_value",
        "goods_value_currency",
    },
    "shipment_events.create": {"id", "datetime", "event"},
    "products.create": {
        "sku",
        "customs_description",
        "customs_item_value",
        "customs_tariff_code_sending_country",
        "customs_tariff_code_receiving_country",
        "customs_origin_country_iso2",
    },
    "product_images.put": {"sku", "attachment", "filename"},
    "order_items.create": {
        "order_id",
        "sku",
        "shipment_id",
        "warehouse_address",
        "warehouse",
        "shop_product_url",
        "name",
        "description",
        "sales_price",
        "currency",
        "size",
        "weight",
        "appearance",
        "returnable",
        "bundle_item",
    },
    "order_items.update": {"shipment_id"},
    "customs_shipments.create": {
        "shipment_id",
        "order_id",
        "incoterm",
        "tracking_code",
        "planned_pickup_datetime",
        "departure_country",
        "invoice_id",
        "invoice_date",
        "return_tracking_code",
    },
    "customs_manifests.create": {
        "manifest_id",
        "shipment_ids",
        "pieces",
        "reference",
        "comment",
        "consignment_id",
    },
}
INFERRED = {"customs_shipments.create": {"type", "articles"}}


def customs_payload(shipment_id):
    return {
        "shipment_id": shipment_id,
        "order_id": "SO0001",
        "incoterm": "DAP",
        "tracking_code": "00340434161094042557",
        "planned_pickup_datetime": NOW,
        "departure_country": "DE",
    }


def whole_flow(client, ref="SO0001"):
    """One order through every kind of call the connector makes."""
    client.create_order(order_payload(ref))
    client.set_order_state(
        {"order_id": ref, "state": "in_preparation", "datetime": NOW}
    )
    shipment = client.create_shipment(shipment_payload(ref, ref=f"{ref}-P1"))
    client.add_shipment_event(
        {"id": shipment.id, "datetime": NOW, "event": "Returned to warehouse"}
    )
    client.create_product({"sku": f"{ref}-SKU", "customs_description": "Shirt"})
    client.put_product_image(
        {
            "sku": f"{ref}-SKU",
            "attachment": base64.b64encode(PNG).decode(),
            "filename": "shirt.png",
        }
    )
    item = client.create_order_item(
        {
            "order_id": ref,
            "sku": f"{ref}-SKU",
            "name": "Shirt",
            "description": "A shirt",
            "sales_price": "19.99",
            "currency": "EUR",
            "size": "M",
            "weight": 0.2,
            "returnable": True,
        }
    )
    client.update_order_item(item.id, {"shipment_id": shipment.id})
    assert [i.id for i in client.list_order_items(order_id=ref)] == [item.id]
    client.delete_product_image(f"{ref}-SKU")
    return shipment


@pytest.fixture(scope="module", params=["seed", "plugins"])
def mode_sandbox(request):
    with SandboxServer(SandboxConfig(paths=request.param)) as server:
        server.mode = request.param
        yield server


def test_the_client_works_in_both_path_worlds(mode_sandbox):
    mode_sandbox.reset()
    learned = []
    client = SevenSendersClient(
        DEFAULT_ACCESS_KEY,
        base_url=mode_sandbox.base_url,
        on_path_learned=lambda op, path: learned.append((op, path)),
    )
    whole_flow(client)
    not_found = [e for e in mode_sandbox.requests() if e["status"] == 404]
    if mode_sandbox.mode == "plugins":
        assert learned == [] and not_found == []
        return
    assert dict(learned) == {
        "orders.create": "/order",
        "order_states.create": "/order-states",
        "shipments.create": "/shipment",
        "shipment_events.create": "/shipment-event",
        "products.create": "/product",
        "product_images.put": "/product-image",
        "product_images.delete": "/product-image/{sku}",
        "order_items.create": "/order-item",
        "order_items.list": "/order-item",
        "order_items.update": "/order-item/{id}",
    }
    assert len(learned) == len(dict(learned))  # each learned once
    assert len(not_found) == len(learned)  # one miss per operation, no more
    # a client that starts from what was learned misses nothing
    mode_sandbox.reset()
    again = SevenSendersClient(
        DEFAULT_ACCESS_KEY, base_url=mode_sandbox.base_url, paths=dict(learned)
    )
    whole_flow(again, "SO0002")
    assert [e for e in mode_sandbox.requests() if e["status"] == 404] == []


def test_an_unknown_object_is_not_a_missing_route(mode_sandbox):
    mode_sandbox.reset()
    client = SevenSendersClient(DEFAULT_ACCESS_KEY, base_url=mode_sandbox.base_url)
    with pytest.raises(NotFoundError, match="Order 42 not found"):
        client.get_order(42)
    assert len(mode_sandbox.requests()) == 2  # the token, one GET: no other spelling


def test_an_integrators_override_is_used_as_given():
    with SandboxServer(SandboxConfig(paths="seed")) as sandbox:
        client = SevenSendersClient(
            DEFAULT_ACCESS_KEY,
            base_url=sandbox.base_url,
            path_overrides={"orders.create": "/orders"},
        )
        with pytest.raises(NotFoundError) as missing:
            client.create_order(order_payload())
        assert missing.value.route_missing
        assert "set this call's path on the Seven Senders account" in str(missing.value)
        assert [e["path"] for e in sandbox.requests()] == ["/v2/token", "/v2/orders"]
        fixed = SevenSendersClient(
            DEFAULT_ACCESS_KEY,
            base_url=sandbox.base_url,
            path_overrides={"orders.create": "/order"},
        )
        assert fixed.create_order(order_payload()).id
    with pytest.raises(ValueError, match="orders.get"):
        SevenSendersClient("k", path_overrides={"orders.get": "/orders"})


def test_a_refused_duplicate_is_adopted_not_dead_lettered(client, sandbox):
    client.create_order(order_payload())
    first = client.create_shipment(shipment_payload())
    # the same shipment again: the API says 422 "already used"; the client
    # looks it up by our reference and answers the one that exists
    again = client.create_shipment(shipment_payload())
    assert again.id == first.id
    assert len(sandbox.objects("shipment")) == 1
    # an order is reported (the connector completes it with its data)
    with pytest.raises(ConflictError) as exists:
        client.create_order(order_payload())
    assert exists.value.status_code == 422


def test_creates_whose_answer_has_no_id_are_looked_up(client, sandbox):
    client.create_order(order_payload())
    sandbox.set_faults(omit_ids=True)
    order = client.create_order(order_payload("SO0002"))
    shipment = client.create_shipment(shipment_payload())
    customs = client.create_customs_shipment(customs_payload(shipment.id))
    [label] = client.create_label(label_payload())
    sandbox.set_faults(omit_ids=False)
    assert order.id and shipment.id and customs.id
    assert label.id is None and label.label_url
    # a label is read from its URL when the answer names no id
    assert client.label_content(label).startswith(b"%PDF")
    assert len(sandbox.objects("order")) == 2
    assert len(sandbox.objects("label")) == 1


def test_an_order_item_without_id_is_found_by_its_fields_not_sent_again(
    client, sandbox
):
    client.create_order(order_payload())
    sandbox.set_faults(omit_ids=True)
    item = {
        "order_id": "SO0001",
        "sku": "X",
        "name": "Shirt",
        "description": "A shirt",
        "sales_price": "1",
        "currency": "EUR",
        "size": "M",
        "weight": 0.2,
        "returnable": True,
    }
    found = client.create_order_item(item)
    assert found.id  # looked up by its fields (the list answers ids)
    posts = [
        e
        for e in sandbox.requests()
        if e["method"] == "POST" and "order_items" in e["path"]
    ]
    assert len(posts) == 1


def test_a_missing_id_that_no_lookup_finds_is_reported_not_resent(client, sandbox):
    client.authenticate()
    # an answer without an id whose lookup finds nothing: an error, no resend
    with pytest.raises(ResponseValidationError, match="not sent again"):
        client._created(schemas.CustomsShipment, {"shipment_id": "1"}, lambda: None)
    assert [e["path"] for e in sandbox.requests()] == ["/v2/token"]


def test_the_client_sends_only_documented_field_names(client, monkeypatch):
    import sevensenders.client

    monkeypatch.setattr(sevensenders.client, "_MAX_LOGGED_BODY", 10**7)
    sent = {}

    def record(info):
        if info["kind"] == "request" and info.get("body"):
            sent.setdefault((info["method"], info["url"]), info["body"])

    client.hooks.append(record)
    shipment = whole_flow(client)
    client.update_order(client.find_order("SO0001").id, {"boarding_complete": True})
    client.create_customs_shipment(
        {
            **customs_payload(shipment.id),
            "invoice_id": "INV/1",
            "invoice_date": dt.date(2026, 11, 23),
            "articles": [
                {
                    "sku": "SO0001-SKU",
                    "description": "Shirt",
                    "hs_code": "610910",
                    "origin_country": "PT",
                    "quantity": 1,
                    "unit_value": "19.99",
                    "currency": "EUR",
                }
            ],
        }
    )
    client.create_customs_manifest(
        {"manifest_id": "ACME-1", "shipment_ids": [shipment.id], "pieces": 1}
    )
    checked = set()
    for op, names in DOCUMENTED.items():
        ep = ENDPOINTS[op]
        prefix = client.base_url + ep.path.split("{")[0]
        bodies = [
            json.loads(body)
            for (method, url), body in sent.items()
            if method == ep.method and url.startswith(prefix)
        ]
        for body in bodies:
            undocumented = set(body) - names - INFERRED.get(op, set())
            assert not undocumented, (op, undocumented)
            checked.add(op)
    assert checked == set(DOCUMENTED)
