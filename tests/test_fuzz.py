"""Property-based fuzzing of the request schemas (hypothesis).

1. Any input either validates into a model whose dump validates again to the
   same dump, or raises SevenSendersValidationError naming fields: never another
   exception.
2. Whatever the client's schema accepts, the sandbox accepts too (201).
"""

import datetime as dt
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sevensenders import SevenSendersValidationError, reference, schemas

text = st.text(min_size=0, max_size=40)
junk = st.one_of(
    st.none(),
    st.integers(),
    st.floats(allow_nan=True),
    text,
    st.booleans(),
    st.lists(text, max_size=3),
)
aware = st.datetimes(
    min_value=dt.datetime(2000, 1, 1),
    max_value=dt.datetime(2100, 1, 1),
    timezones=st.just(dt.timezone.utc),
)
dates = st.one_of(aware, st.datetimes(), text)
countries = st.one_of(st.sampled_from(sorted(reference.COUNTRIES)), text)
languages = st.one_of(st.sampled_from(sorted(reference.LANGUAGES)), text)
carrier_pairs = [
    (c, n) for c, names in reference.CARRIERS_BY_COUNTRY.items() for n in names
]
carriers = st.one_of(
    st.sampled_from(carrier_pairs).map(lambda p: {"name": p[1], "country": p[0]}),
    st.fixed_dictionaries({"name": text, "country": countries}),
    junk,
)
one_line = st.one_of(st.text(min_size=1, max_size=60), st.just("Street 1\nFloor 2"))


def maybe(strategy):
    return st.one_of(st.none(), strategy)


order_inputs = st.fixed_dictionaries(
    {"order_id": st.one_of(text, junk), "order_date": dates},
    optional={
        "language": st.one_of(languages, st.lists(languages, max_size=3)),
        "order_url": st.one_of(st.just("https://shop.example.com/o/1"), text),
        "order_tags": st.one_of(st.dictionaries(text, text, max_size=3), junk),
        "promised_delivery_date": dates,
        "boarding_complete": junk,
    },
)

shipment_inputs = st.fixed_dictionaries(
    {
        "order_id": st.one_of(st.just("SO1"), text),
        "carrier": carriers,
        "recipient_first_name": text,
        "recipient_last_name": text,
        "recipient_email": st.one_of(st.emails(), text),
        "recipient_address": one_line,
        "recipient_zip": text,
        "recipient_city": text,
        "recipient_country": countries,
        "planned_pickup_datetime": dates,
        "warehouse": text,
        "warehouse_address": one_line,
        "weight": st.one_of(st.floats(allow_nan=True), st.integers(-5, 50)),
    },
    optional={
        "tracking_code": text,
        "reference_number": text,
        "goods_value": st.one_of(st.decimals(allow_nan=False, places=2), junk),
        "goods_value_currency": text,
        "pickup_point_selected": st.booleans(),
    },
)

label_inputs = st.fixed_dictionaries(
    {
        "order_id": st.just("SO1"),
        "reference_number": text,
        "carrier": carriers,
        "recipient_first_name": text,
        "recipient_last_name": text,
        "recipient_street": one_line,
        "recipient_zip": text,
        "recipient_city": text,
        "recipient_country": countries,
        "recipient_email": st.one_of(st.emails(), text),
    },
    optional={
        "format": st.one_of(st.sampled_from(reference.LABEL_FORMATS), text),
        "return_parcel": st.one_of(
            st.sampled_from(reference.LABEL_RETURN_PARCEL), text
        ),
        "pudo_id": text,
        "collection_point_zip": text,
        "collection_point_city": text,
    },
)

manifest_inputs = st.fixed_dictionaries(
    {
        "manifest_id": st.one_of(text, st.just("A/B")),
        "shipment_ids": st.lists(st.one_of(text, st.integers(1, 10**9)), max_size=3),
        "pieces": st.one_of(st.integers(-2, 5), junk),
    }
)

MODELS = [
    (schemas.OrderCreate, order_inputs),
    (schemas.ShipmentCreate, shipment_inputs),
    (schemas.LabelCreate, label_inputs),
    (schemas.CustomsManifestCreate, manifest_inputs),
]


@pytest.mark.parametrize("model,strategy", MODELS, ids=[m.__name__ for m, _s in MODELS])
def test_validate_never_crashes_and_round_trips(model, strategy):
    @settings(
        max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(strategy)
    def check(data):
        try:
            validated = schemas.validate(model, data)
        except SevenSendersValidationError as exc:
            assert exc.errors and all(field for field, _m in exc.errors)
            return
        dumped = validated.dump()
        assert schemas.validate(model, dumped).dump() == dumped
        for value in dumped.values():
            if isinstance(value, str) and "address" in str(value):
                assert "\n" not in value

    check()


_refs = itertools.count()

# valid-leaning data: any name, any script, but within the documented rules
name = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")),
    min_size=1,
    max_size=40,
).filter(str.strip)
valid_orders = st.fixed_dictionaries(
    {"order_id": name, "order_date": aware},
    optional={
        "language": st.lists(
            st.sampled_from(sorted(reference.LANGUAGES)), min_size=1, max_size=3
        ),
        "order_url": st.sampled_from(
            ["https://shop.example.com", "http://b2b.example.de/de/"]
        ),
        "order_tags": st.dictionaries(name.map(lambda s: s[:20]), name, max_size=3),
        "promised_delivery_date": aware,
        "boarding_complete": st.booleans(),
    },
)
valid_labels = st.sampled_from(carrier_pairs).flatmap(
    lambda pair: st.fixed_dictionaries(
        {
            "order_id": st.just("SO1"),
            "reference_number": name,
            "carrier": st.just({"name": pair[1], "country": pair[0]}),
            "recipient_first_name": name,
            "recipient_last_name": name,
            "recipient_street": name,
            "recipient_zip": name.map(lambda s: s[:12]),
            "recipient_city": name,
            "recipient_country": st.sampled_from(sorted(reference.COUNTRIES)),
            "recipient_email": st.emails(),
            "format": st.sampled_from(reference.LABEL_FORMATS),
            "return_parcel": st.sampled_from(reference.LABEL_RETURN_PARCEL),
        },
        optional={
            "recipient_house_no": name.map(lambda s: s[:8]),
            "weight": st.floats(0, 30),
        },
    )
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=valid_orders)
def test_what_the_client_accepts_the_sandbox_accepts_orders(client, data):
    payload = schemas.validate(schemas.OrderCreate, data).dump()
    payload["order_id"] = f"F{next(_refs)}-{payload['order_id']}"[:255]
    client._request("orders.create", json=payload)  # raises unless 2xx


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=valid_labels)
def test_what_the_client_accepts_the_sandbox_accepts_labels(client, data):
    payload = schemas.validate(schemas.LabelCreate, data).dump()
    payload["reference_number"] = f"L{next(_refs)}"
    if client.find_order("SO1") is None:
        client.create_order({"order_id": "SO1", "order_date": "2026-11-23T10:00:00Z"})
    labels = client._request("labels.create", json=payload)
    first = labels[0] if isinstance(labels, list) else labels
    assert client.download_label(first["id"])
