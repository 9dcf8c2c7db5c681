"""Bad input: rejected by the client's schemas before sending, and by the sandbox
when the client is bypassed, each time with a message naming the field."""

import datetime as dt

import pytest
import requests
from conftest import NOW, label_payload, order_payload, shipment_payload

from sevensenders import SevenSendersValidationError, schemas
from sevensenders_sandbox.paths import spellings

CASES = [
    # (model, payload, offending field, words in the message)
    (
        schemas.OrderCreate,
        order_payload(order_id=None),
        "order_id",
        "input should be a valid string",
    ),
    (
        schemas.OrderCreate,
        order_payload(order_date="2026-11-23T10:00:00"),
        "order_date",
        "utc offset",
    ),
    (
        schemas.OrderCreate,
        order_payload(order_date="23.11.2026"),
        "order_date",
        "datetime",
    ),
    (schemas.OrderCreate, order_payload(language=["DE"]), "language.0", "lowercase"),
    (schemas.OrderCreate, order_payload(language="xx"), "language.0", "25 supported"),
    (
        schemas.OrderCreate,
        order_payload(order_url="shop.example.com"),
        "order_url",
        "url",
    ),
    (
        schemas.OrderCreate,
        order_payload(unknown_field=1),
        "unknown_field",
        "extra inputs",
    ),
    (
        schemas.OrderStateCreate,
        {"order_id": "S1", "state": "shipped", "datetime": NOW},
        "state",
        "new",
    ),
    (
        schemas.ShipmentCreate,
        shipment_payload(recipient_country="Germany"),
        "recipient_country",
        "iso 3166",
    ),
    (
        schemas.ShipmentCreate,
        shipment_payload(recipient_address="Invalidenstraße 116\n2. OG"),
        "recipient_address",
        "one line",
    ),
    (
        schemas.ShipmentCreate,
        shipment_payload(warehouse_address="Lager 1\r\nMünchen"),
        "warehouse_address",
        "one line",
    ),
    (
        schemas.ShipmentCreate,
        shipment_payload(recipient_email="erika"),
        "recipient_email",
        "email",
    ),
    (
        schemas.ShipmentCreate,
        shipment_payload(carrier={"name": "royalmail", "country": "DE"}),
        "carrier",
        "not available for hand-over country de",
    ),
    (
        schemas.ShipmentCreate,
        shipment_payload(tracking_code=None, reference_number=None),
        "tracking_code",
        "reference_number",
    ),
    (
        schemas.ShipmentCreate,
        shipment_payload(weight=-1),
        "weight",
        "greater than or equal",
    ),
    (schemas.LabelCreate, label_payload(format="png"), "format", "pdf"),
    (
        schemas.LabelCreate,
        label_payload(return_parcel="yes"),
        "return_parcel",
        "outbound",
    ),
    (
        schemas.LabelCreate,
        label_payload(recipient_street=""),
        "recipient_street",
        "at least 1",
    ),
    (
        schemas.LabelCreate,
        label_payload(pudo_id="P1"),
        "collection_point_zip",
        "pudo_id",
    ),
    (
        schemas.CustomsManifestCreate,
        {"manifest_id": "ACME/1", "shipment_ids": ["1"], "pieces": 1},
        "manifest_id",
        "pattern",
    ),
    (
        schemas.CustomsManifestCreate,
        {"manifest_id": "ACME-1", "shipment_ids": [], "pieces": 1},
        "shipment_ids",
        "at least 1",
    ),
    (
        schemas.CustomsShipmentCreate,
        {
            "shipment_id": "1",
            "order_id": "S1",
            "incoterm": "XYZ",
            "tracking_code": "T",
            "planned_pickup_datetime": NOW,
            "departure_country": "DE",
        },
        "incoterm",
        "dap",
    ),
    (
        schemas.ProductImage,
        {"sku": "A", "attachment": "bm90IGFuIGltYWdl", "filename": "a.png"},
        "attachment",
        "png or jpeg",
    ),
    (
        schemas.ProductImage,
        {"sku": "A", "attachment": "iVBORw0KGgo=", "filename": "a.gif"},
        "filename",
        ".png",
    ),
]


@pytest.mark.parametrize("model,payload,field,words", CASES)
def test_client_schema_rejects_and_names_the_field(model, payload, field, words):
    payload = {k: v for k, v in payload.items() if v is not None}
    if field == "order_id" and model is schemas.OrderCreate:
        payload["order_id"] = None
    with pytest.raises(SevenSendersValidationError) as err:
        schemas.validate(model, payload)
    assert field in err.value.fields, err.value
    message = dict(err.value.errors)[field].lower()
    assert words.lower() in message, message
    assert field in str(err.value)


def test_client_rejects_before_sending(client, sandbox):
    with pytest.raises(SevenSendersValidationError):
        client.create_shipment(shipment_payload(recipient_country="XX"))
    assert sandbox.stats()["requests"] == {}


ENDPOINT_OF = {
    schemas.OrderCreate: "/v2/orders",
    schemas.OrderStateCreate: "/v2/order_states",
    schemas.ShipmentCreate: "/v2/shipments",
    schemas.LabelCreate: "/v2/labels",
    schemas.CustomsManifestCreate: "/v2/customs/manifests",
    schemas.CustomsShipmentCreate: "/v2/customs/shipments",
    schemas.ProductImage: "/v2/product_images",
}


def _json(value):
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_json(v) for v in value]
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value


@pytest.fixture
def token(client):
    client.authenticate()
    return client._auth.current()


#: where the client is stricter than the documents (it sends the stricter
#: form), the sandbox accepts what the guides accept; where it names a field
#: differently it is the guides' way (the whole ``language`` array)
CLIENT_STRICTER = {
    ("ShipmentCreate", "warehouse_address"),  # seed 001 prints a line break
    ("LabelCreate", "recipient_street"),  # no document bounds its length
    ("LabelCreate", "collection_point_zip"),  # no document ties it to pudo_id
    ("ProductImage", "filename"),  # the guide checks the image, not its name
}
SANDBOX_CASES = [
    (model, payload, "language" if field == "language.0" else field, words)
    for model, payload, field, words in CASES
    if (model.__name__, field) not in CLIENT_STRICTER
]


@pytest.mark.parametrize("model,payload,field,words", SANDBOX_CASES)
def test_sandbox_rejects_and_names_the_field(
    sandbox, token, model, payload, field, words
):
    payload = _json(payload)  # drops the None order_id: a missing field
    method = "PUT" if model is schemas.ProductImage else "POST"
    response = requests.request(
        method,
        sandbox.url + ENDPOINT_OF[model],
        json=payload,
        headers={"Authorization": f"Bearer {token}"},
        timeout=5,
    )
    assert response.status_code in (400, 422), response.text
    body = response.json()
    paths = [v["propertyPath"] for v in body["violations"]]
    assert field in paths, body
    assert field in body["detail"]


def test_malformed_json_is_400(sandbox, token):
    response = requests.post(
        sandbox.base_url + "/orders",
        data="{not json",
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
        },
        timeout=5,
    )
    assert response.status_code == 400
    assert response.json()["status"] == 400


def test_unauthenticated_calls_are_401(sandbox):
    response = requests.get(sandbox.base_url + "/orders", timeout=5)
    assert response.status_code == 401
    assert response.json()["detail"] == "JWT Token not found"
    response = requests.get(
        sandbox.base_url + "/orders",
        headers={"Authorization": "Bearer abc.def.ghi"},
        timeout=5,
    )
    assert response.json()["detail"] == "Invalid JWT Token"


@pytest.mark.parametrize(
    "method,path",
    [
        ("POST", "/v2/order"),
        ("POST", "/v2/Order"),
        ("POST", "/v2/orders.json"),
    ],
)
def test_alternative_spellings_create_orders(sandbox, token, method, path):
    response = requests.request(
        method,
        sandbox.url + path,
        json=_json(order_payload(f"ALIAS-{path[4:].replace('/', '-')}")),
        headers={"Authorization": f"Bearer {token}"},
        timeout=5,
    )
    assert response.status_code == 201, response.text


@pytest.mark.parametrize("path", ["/v2/order-states", "/v2/order_states"])
def test_alternative_spellings_of_order_states(client, sandbox, token, path):
    client.create_order(order_payload())
    response = requests.post(
        sandbox.url + path,
        json={
            "order_id": "SO0001",
            "state": "paid",
            "datetime": "2026-11-23T10:00:00+00:00",
        },
        headers={"Authorization": f"Bearer {token}"},
        timeout=5,
    )
    assert response.status_code == 201, response.text


def test_other_alternative_spellings(client, sandbox, token):
    client.create_order(order_payload())
    headers = {"Authorization": f"Bearer {token}"}
    shipment = requests.post(
        sandbox.url + "/v2/shipment",
        json=_json(shipment_payload()),
        headers=headers,
        timeout=5,
    ).json()
    event = {
        "id": str(shipment["id"]),
        "datetime": "2026-11-23T10:00:00Z",
        "event": "Refunded",
    }
    assert (
        requests.post(
            sandbox.url + "/v2/ShipmentEvent", json=event, headers=headers, timeout=5
        ).status_code
        == 201
    )
    # the same event again is recorded once
    assert (
        requests.post(
            sandbox.url + "/v2/shipment-events", json=event, headers=headers, timeout=5
        ).status_code
        == 200
    )
    # a spelling no document prints is no route
    response = requests.get(sandbox.url + "/v2/carrier", headers=headers, timeout=5)
    assert response.status_code == 404
    assert response.json()["detail"] == 'No route found for "GET /v2/carrier"'
    assert requests.get(
        sandbox.url + "/v2/shipments.json", headers=headers, timeout=5
    ).json()


def test_pudo_needs_a_place(sandbox, token):
    response = requests.get(
        sandbox.base_url + "/pudo/locations?country=DE",
        headers={"Authorization": f"Bearer {token}"},
        timeout=5,
    )
    assert response.status_code == 400
    response = requests.get(
        sandbox.base_url + "/pudo/locations?country=DE&latitude=100&longitude=0",
        headers={"Authorization": f"Bearer {token}"},
        timeout=5,
    )
    assert response.status_code == 422
    assert response.json()["violations"][0]["propertyPath"] == "latitude"


@pytest.mark.parametrize(
    "origin,destination,zip_code,expected",
    [
        ("DE", "FR", "75001", False),
        ("DE", "DE", "10115", False),
        ("DE", "GB", "SW1A 1AA", True),
        ("DE", "CH", "8001", True),
        ("DE", "NO", "0150", True),
        ("DE", "JE", "JE2 3AB", True),
        ("DE", "ES", "28001", False),
        ("DE", "ES", "35001", True),  # Las Palmas, Canary Islands
        ("DE", "ES", "51001", True),  # Ceuta
        ("FR", "DE", "27498", True),  # Heligoland
        ("DE", "FI", "22100", True),  # Mariehamn, Åland
        ("GB", "DE", "10115", True),
        ("FR", "MC", "98000", False),
    ],
)
def test_customs_destinations(origin, destination, zip_code, expected):
    from sevensenders.reference import needs_customs

    assert needs_customs(origin, destination, zip_code) is expected


def _post_shipment(sandbox, token, path, payload):
    return requests.post(
        sandbox.url + "/v2" + path,
        json=_json(payload),
        headers={"Authorization": f"Bearer {token}"},
        timeout=5,
    )


def _shipment_without_email(ref):
    payload = shipment_payload(order_id=None, ref=ref)
    del payload["recipient_email"]
    return payload


@pytest.mark.parametrize("path", spellings("shipments.create", "all"))
def test_sandbox_refuses_a_shipment_without_an_email(sandbox, token, path):
    """Seed 000: the shipment's email "must contain the recipient's email
    address" (with the order_id, the return portal's log-in)."""
    response = _post_shipment(sandbox, token, path, _shipment_without_email("NOMAIL"))
    assert response.status_code == 422, response.text
    body = response.json()
    violations = {v["propertyPath"]: v["message"] for v in body["violations"]}
    assert "recipient_email" in violations, body
    assert "customer_email" in violations["recipient_email"]
    assert "recipient_email" in body["detail"]
    assert sandbox.objects("shipment") == []


@pytest.mark.parametrize("path", spellings("shipments.create", "all"))
@pytest.mark.parametrize("key", ["recipient_email", "customer_email"])
def test_sandbox_accepts_a_shipment_with_either_email(sandbox, token, path, key):
    payload = dict(_shipment_without_email(f"MAIL-{key}"), **{key: "erika@example.com"})
    response = _post_shipment(sandbox, token, path, payload)
    assert response.status_code == 201, response.text
    assert response.json()["recipient_email"] == "erika@example.com"
