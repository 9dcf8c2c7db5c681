"""Every operation of the client, happy path, against the sandbox over HTTP."""

import base64
import datetime as dt

import pytest
import requests
from conftest import NOW, label_payload, order_payload, shipment_payload

from sevensenders import APIConnectionError, NotFoundError, reference, schemas

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def test_token(client, sandbox):
    assert client.authenticate() is True
    assert client.account_flags == {
        "allowed_to_track_all_shipments": True,
        "allowed_to_send_seven_senders_shipments": True,
    }
    assert sandbox.stats()["tokens_issued"] == 1


def test_order_crud(client, sandbox):
    order = client.create_order(order_payload())
    assert order.order_id == "SO0001"
    assert order.state == "new"
    stored = sandbox.objects("order")[0]
    assert stored["order_date"] == "2026-11-23T09:30:00+00:00"
    assert stored["language"] == ["de"]
    assert stored["order_tags"] == {"channel": "web"}
    assert client.get_order(order.id).order_id == "SO0001"
    updated = client.update_order(order.id, {"boarding_complete": True})
    assert updated.boarding_complete is True
    client.delete_order(order.id)
    with pytest.raises(NotFoundError):
        client.get_order(order.id)


def test_order_list_filters_and_paging(client):
    for n in range(5):
        client.create_order(order_payload(f"SO{n:04d}"))
    assert [o.order_id for o in client.list_orders(limit=2, offset=1)] == [
        "SO0001",
        "SO0002",
    ]
    assert [o.order_id for o in client.list_orders(order_id="SO0003")] == ["SO0003"]
    assert len(list(client.iter_orders(page_size=2))) == 5
    assert client.find_order("SO0004").order_id == "SO0004"
    assert client.find_order("nope") is None
    after = client.list_orders(order_date__after="2026-11-23T09:00:00+00:00")
    assert len(after) == 5
    assert client.list_orders(order_date__before="2020-01-01T00:00:00+00:00") == []


def test_order_states(client):
    order = client.create_order(order_payload())
    for state in ("paid", "in_preparation"):
        client.set_order_state({"order_id": "SO0001", "state": state, "datetime": NOW})
    history = [h.state for h in client.get_order(order.id).states_history]
    assert history == ["new", "paid", "in_preparation"]


def test_shipment_crud_and_events(client, sandbox):
    client.create_order(order_payload())
    shipment = client.create_shipment(shipment_payload())
    assert len(str(shipment.id)) == 9
    assert shipment.tracking_code == "00340434161094042557"
    assert client.get_order(client.find_order("SO0001").id).state == "shipped"
    assert client.find_shipment(reference_number="SO0001-P1").id == shipment.id
    assert client.find_shipment(tracking_code="00340434161094042557", order_id="SO0001")
    assert [s.id for s in client.list_shipments(order_id="SO0001")] == [shipment.id]
    changed = client.update_shipment(shipment.id, {"comment": "fragile"})
    assert changed.model_extra["comment"] == "fragile"
    client.add_shipment_event(
        {"id": shipment.id, "datetime": NOW, "event": "Returned to warehouse"}
    )
    client.add_shipment_event({"id": shipment.id, "datetime": NOW, "event": "refunded"})
    events = [
        e["event"] for e in client.get_shipment(shipment.id).model_extra["events"]
    ]
    assert events == ["Returned to warehouse", "Refunded"]
    client.delete_shipment(shipment.id)
    with pytest.raises(NotFoundError):
        client.get_shipment(shipment.id)


def test_shipment_with_inline_order(client, sandbox):
    data = shipment_payload(order_id=None, order=order_payload("SO0100"))
    data.pop("order_id")
    shipment = client.create_shipment(data)
    assert shipment.order_id == "SO0100"
    assert sandbox.stats()["objects"] == {"order": 1, "shipment": 1}


def test_carriers(client):
    carriers = client.list_carriers()
    dhl = next(c for c in carriers if c.code == "dhl")
    assert "DE" in dhl.countries
    table = client.carriers_table()
    assert "royalmail" in table["GB"]
    # the live table feeds validation
    schemas.validate(
        schemas.CarrierRef, {"name": "royalmail", "country": "GB"}, carriers=table
    )


def test_carrier_names_are_the_carriers_own(client):
    """A name that is only the code, re-cased, is the carrier's own name."""
    assert reference.carrier_name("dhl", "Dhl") == "DHL"
    assert reference.carrier_name("postnl", "Postnl") == "PostNL"
    assert reference.carrier_name("deutschepost", "Deutschepost") == "Deutsche Post"
    assert reference.carrier_name("seur_international", "Seur International") == (
        "SEUR International"
    )
    assert reference.carrier_name("poczta-polska", None) == "Poczta Polska"
    # a real name from the API stays; an unknown code keeps what was given
    assert reference.carrier_name("dhl", "DHL Paket") == "DHL Paket"
    assert reference.carrier_name("newco", "Newco") == "Newco"
    assert reference.carrier_name("newco", None) == "newco"
    # every carrier the sandbox (the guides' table) lists has its name
    for carrier in client.list_carriers():
        assert carrier.code.lower() in reference.CARRIER_NAMES, carrier.code


@pytest.mark.parametrize(
    "fmt,magic", [("pdf", b"%PDF-"), ("zpl", b"^XA"), ("zpl300", b"^XA")]
)
def test_label_create_download_delete(client, fmt, magic):
    client.create_order(order_payload())
    (label,) = client.create_label(label_payload(format=fmt))
    assert label.tracking_code and label.shipment_id and label.format == fmt
    content = client.download_label(label.id)
    assert content.startswith(magic)
    assert label.tracking_code.encode() in content
    assert b"Mustermann" in content
    client.delete_label(label.id)
    with pytest.raises(NotFoundError):
        client.download_label(label.id)
    assert client.get_shipment(label.shipment_id).state == "cancelled"


def test_label_inline_order_both_and_pudo(client, sandbox):
    data = label_payload(
        order_id=None,
        order=order_payload("SO0200"),
        return_parcel="both",
        pudo_id="DHL-DE-123456",
        collection_point_name1="DHL Parcel Shop Kiosk",
        collection_point_street="Hauptstraße",
        collection_point_house_no="5",
        collection_point_zip="10115",
        collection_point_city="Berlin",
        collection_point_country="DE",
    )
    data.pop("order_id")
    outbound, ret = client.create_label(data)
    assert (outbound.return_parcel, ret.return_parcel) == ("outbound", "return")
    assert outbound.tracking_code != ret.tracking_code
    assert client.get_shipment(ret.shipment_id).return_parcel is True
    assert client.get_shipment(outbound.shipment_id).model_extra[
        "pickup_point_selected"
    ]
    assert b"Pickup point: DHL Parcel Shop Kiosk" in client.download_label(outbound.id)


def test_a_return_label_goes_from_the_customer_to_the_warehouse(client, sandbox):
    """Issue #32: an outbound label reads From: warehouse, To: customer; a
    return label From: customer (with the drop-off point), To: warehouse; its
    shipment is not delivered to a pickup point (it goes to the warehouse)."""
    client.create_order(order_payload())
    (outbound,) = client.create_label(label_payload(ref="OUT-1"))
    (back,) = client.create_label(
        label_payload(
            ref="RET-1",
            return_parcel="return",
            pudo_id="DPD-DE-351",
            collection_point_name1="DPD Locker 351",
            collection_point_zip="10119",
            collection_point_city="Berlin",
            collection_point_country="DE",
        )
    )
    warehouse, customer = b"(Primary Warehouse)", b"Mustermann"
    content = client.download_label(outbound.id)
    assert (
        content.index(b"(From:)")
        < content.index(warehouse)
        < content.index(b"(To:)")
        < content.index(customer)
    )
    content = client.download_label(back.id)
    assert (
        content.index(b"(From:)")
        < content.index(customer)
        < content.index(b"(Drop-off point: DPD Locker 351)")
        < content.index(b"(To:)")
        < content.index(warehouse)
    )
    shipment = client.get_shipment(back.shipment_id).model_extra
    assert shipment["pickup_point_selected"] is False
    assert shipment["pudo_id"] == "DPD-DE-351"
    zpl = client.create_label(
        label_payload(ref="RET-2", return_parcel="return", format="zpl")
    )[0]
    text = client.download_label(zpl.id).decode()
    assert text.index("Mustermann") < text.index("Primary Warehouse")


def test_label_content_downloads_only_what_the_answer_lacks(client, sandbox):
    """The file in the answer: no call; a URL only: that URL; else by id."""
    client.create_order(order_payload())
    sandbox.set_faults(inline_labels=True)
    (label,) = client.create_label(label_payload(reference_number="INLINE-1"))
    assert label.label_data
    before = len(sandbox.requests())
    content = client.label_content(label)
    assert content.startswith(b"%PDF-") and len(sandbox.requests()) == before
    assert content == client.download_label(label.id)
    sandbox.set_faults(omit_ids=True)
    (label,) = client.create_label(label_payload(reference_number="URL-1"))
    assert label.id is None and label.label_url and not label.label_data
    assert client.label_content(label).startswith(b"%PDF-")
    assert sandbox.requests()[-1]["path"].startswith("/v2/label-download/")


def test_label_reference_reuse_returns_same_label(client, sandbox):
    client.create_order(order_payload())
    first = client.create_label(label_payload())
    again = client.create_label(label_payload(recipient_city="Hamburg"))
    assert [lab.id for lab in again] == [lab.id for lab in first]
    assert sandbox.stats()["objects"]["label"] == 1


def test_customs_shipments_and_manifest(client):
    client.create_order(order_payload())
    shipment = client.create_shipment(shipment_payload())
    customs = client.create_customs_shipment(
        {
            "shipment_id": shipment.id,
            "order_id": "SO0001",
            "incoterm": "DAP",
            "tracking_code": shipment.tracking_code,
            "planned_pickup_datetime": NOW,
            "departure_country": "DE",
            "invoice_id": "INV/2026/0001",
            "invoice_date": dt.date(2026, 11, 23),
            "articles": [
                {
                    "sku": "TSHIRT-M",
                    "description": "Cotton T-shirt",
                    "hs_code": "610910",
                    "origin_country": "PT",
                    "quantity": 2,
                    "unit_value": "19.99",
                    "currency": "EUR",
                    "weight": 0.2,
                }
            ],
        }
    )
    assert str(customs.shipment_id) == str(shipment.id)
    assert client.get_customs_shipment(customs.id).status == "created"
    assert client.find_customs_shipment(shipment.id).id == customs.id
    updated = client.update_customs_shipment(customs.id, {"incoterm": "DDP"})
    assert updated.model_extra["incoterm"] == "DDP"
    assert [c.id for c in client.list_customs_shipments(order_id="SO0001")] == [
        customs.id
    ]
    manifest = client.create_customs_manifest(
        {"manifest_id": "ACME-000001", "shipment_ids": [shipment.id], "pieces": 1}
    )
    assert manifest.manifest_id == "ACME-000001"
    assert (
        client.list_customs_shipments(manifest_id="ACME-000001")[0].status
        == "manifested"
    )
    # a second customs shipment can be created and deleted while not manifested
    other = client.create_shipment(shipment_payload(ref="SO0001-P2"))
    extra = client.create_customs_shipment(
        {
            "shipment_id": other.id,
            "order_id": "SO0001",
            "incoterm": "DAP",
            "tracking_code": "X1",
            "planned_pickup_datetime": NOW,
            "departure_country": "DE",
        }
    )
    client.delete_customs_shipment(extra.id)
    with pytest.raises(NotFoundError):
        client.get_customs_shipment(extra.id)


def test_products_images_and_order_items(client, sandbox):
    product = client.create_product(
        {
            "sku": "TSHIRT-M",
            "customs_description": "Cotton T-shirt",
            "customs_item_value": "19.99",
            "customs_tariff_code_sending_country": "610910",
            "customs_origin_country_iso2": "PT",
        }
    )
    assert product.sku == "TSHIRT-M"
    assert client.get_product("TSHIRT-M").model_extra["customs_item_value"] == "19.99"
    client.update_product("TSHIRT-M", {"customs_description": "Organic cotton T-shirt"})
    assert (
        client.get_product("TSHIRT-M")
        .model_extra["customs_description"]
        .startswith("Organic")
    )
    answer = client.put_product_image(
        schemas.ProductImage.from_bytes("TSHIRT-M", PNG, "shirt.png")
    )
    assert answer["size"] == len(PNG)
    client.delete_product_image("TSHIRT-M")
    with pytest.raises(NotFoundError):
        client.delete_product_image("TSHIRT-M")

    client.create_order(order_payload())
    item = client.create_order_item(
        {
            "order_id": "SO0001",
            "sku": "TSHIRT-M",
            "name": "T-Shirt",
            "description": "Cotton T-shirt, white",
            "sales_price": "19.99",
            "currency": "eur",
            "size": "M",
            "appearance": "White",
            "weight": 0.2,
            "returnable": True,
            "bundle_item": "KIT-1",
        }
    )
    shipment = client.create_shipment(shipment_payload())
    linked = client.update_order_item(item.id, {"shipment_id": shipment.id})
    assert str(linked.shipment_id) == str(shipment.id)
    assert [i.id for i in client.list_order_items(order_id="SO0001")] == [item.id]


def test_pudo_by_coordinates_address_and_all(client):
    near = client.pudo_by_coordinates(
        country="DE", latitude=52.52, longitude=13.405, carrier_names=["dhl", "hermes"]
    )
    assert 0 < len(near) <= 50
    assert {p.carrier_name for p in near} <= {"dhl", "hermes"}
    distances = [p.distance for p in near]
    assert distances == sorted(distances)
    point = near[0]
    assert point.address.street and point.address.zip and point.coordinates
    assert set(point.opening_hours) == set(reference.WEEKDAYS)
    # deterministic
    again = client.pudo_by_coordinates(
        country="DE", latitude=52.52, longitude=13.405, carrier_names=["dhl", "hermes"]
    )
    assert [p.location_id for p in again] == [p.location_id for p in near]
    limited = client.pudo_by_address(
        country="FR",
        zip="75017",
        city="Paris",
        max_number_of_results=3,
        max_distance=5000,
    )
    assert len(limited) == 3 and all(p.distance <= 5000 for p in limited)
    assert client.pudo_by_address(country="FR", zip="99999", city="Nowhere") == []
    everything = client.pudo_all("mondialrelay", "FR")
    assert {p.carrier_name for p in everything} == {"mondialrelay"}
    assert {p.address.city for p in everything} == {"Paris", "Lyon", "Marseille"}
    open_sunday = client.pudo_by_coordinates(
        country="DE", latitude=52.52, longitude=13.405, opening_days=[6]
    )
    assert open_sunday and all(p.location_type == "LOCKER" for p in open_sunday)


def test_shipment_lifecycle_derives_order_states(client, sandbox):
    order = client.create_order(order_payload())
    first = client.create_shipment(shipment_payload(ref="P1"))
    second = client.create_shipment(shipment_payload(ref="P2", tracking_code="T2"))
    assert client.get_order(order.id).state == "shipped"
    for status in ("pickup", "in_transit", "out_for_delivery", "delivered"):
        sandbox.move_shipment(first.id, status)
    got = client.get_shipment(first.id)
    assert got.state == "delivered"
    assert [h.state for h in got.states_history][-2:] == [
        "out_for_delivery",
        "delivered",
    ]
    assert client.get_order(order.id).state == "shipped", (
        "one of two shipments delivered"
    )
    client.update_order(order.id, {"boarding_complete": False})
    sandbox.move_shipment(second.id, "delivered")
    assert client.get_order(order.id).state == "shipped", "boarding not complete"
    client.update_order(order.id, {"boarding_complete": True})
    assert client.get_order(order.id).state == "completed"
    # unset boarding_complete counts as complete
    other = client.create_order(order_payload("SO0002"))
    shipment = client.create_shipment(shipment_payload("SO0002", ref="P3"))
    sandbox.move_shipment(shipment.id, "delivered")
    assert client.get_order(other.id).state == "completed"


ITEM = {
    "order_id": "SO0001",
    "sku": "SOCK",
    "name": "Sock",
    "description": "Sock, one unit of two",
    "sales_price": "5.00",
    "currency": "EUR",
    "size": "42",
    "weight": 0.05,
    "returnable": True,
}


def test_identical_order_items_survive_a_lost_answer(client, sandbox):
    client.create_order(order_payload())
    first = client.create_order_item(ITEM)
    sandbox.set_faults(drop_after_count=1)  # stored, then the answer is lost
    second = client.create_order_item(ITEM, known_ids=[first.id])
    assert str(second.id) != str(first.id), "unit 1 was taken for unit 2"
    assert len(client.list_order_items(order_id="SO0001")) == 2


def test_order_item_is_not_resent_when_the_lookup_fails(client, sandbox):
    client.create_order(order_payload())
    # the create, then every attempt of its lookup (a GET is retried twice)
    sandbox.set_faults(drop_after_count=4)
    with pytest.raises(APIConnectionError):
        client.create_order_item(ITEM)
    sandbox.set_faults()
    assert len(client.list_order_items(order_id="SO0001")) == 1, "sent twice"


def test_shipment_history_carries_the_scan_dates_poll_after_poll(client, sandbox):
    client.create_order(order_payload())
    shipment = client.create_shipment(shipment_payload(ref="P1"))
    first = client.get_shipment(shipment.id).states_history
    assert [h.state for h in first] == ["new"]
    day = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)

    def when(days, hours=0):
        zone = dt.timezone(dt.timedelta(hours=hours))
        return (day + dt.timedelta(days=days)).astimezone(zone).isoformat()

    sandbox.move_shipment(shipment.id, "Pickup", when(1, hours=2))
    second = client.get_shipment(shipment.id).states_history
    assert [(h.state, h.datetime) for h in second[1:]] == [("Pickup", when(1, 2))]
    # a scan the carrier reports late lands among the earlier ones; the
    # shipment's state is its latest status
    sandbox.move_shipment(shipment.id, "delivered", when(3))
    sandbox.move_shipment(shipment.id, "in_transit", when(2, hours=-5))
    third = client.get_shipment(shipment.id)
    assert third.state == "delivered"
    assert [(h.state, h.datetime) for h in third.states_history[1:]] == [
        ("Pickup", when(1, 2)),
        ("in_transit", when(2, -5)),
        ("delivered", when(3)),
    ]
    with pytest.raises(requests.HTTPError) as bad:
        sandbox.move_shipment(shipment.id, "delivered", "yesterday")
    assert bad.value.response.status_code == 422


def test_shipment_history_can_be_set_in_the_past(client, sandbox):
    client.create_order(order_payload())
    shipment = client.create_shipment(shipment_payload(ref="P1"))
    sandbox.set_history(
        shipment.id,
        [
            ("delivered", "2026-11-03T16:00:00+01:00"),
            ("new", "2026-11-01T10:00:00+00:00"),
            ("Pickup", "2026-11-02T08:00:00+00:00"),
        ],
    )
    got = client.get_shipment(shipment.id)
    assert got.state == "delivered"
    assert [(h.state, h.datetime) for h in got.states_history] == [
        ("new", "2026-11-01T10:00:00+00:00"),
        ("Pickup", "2026-11-02T08:00:00+00:00"),
        ("delivered", "2026-11-03T16:00:00+01:00"),
    ]
    for bad in ([], [("delivered", "soon")]):
        with pytest.raises(requests.HTTPError) as refused:
            sandbox.set_history(shipment.id, bad)
        assert refused.value.response.status_code == 422
