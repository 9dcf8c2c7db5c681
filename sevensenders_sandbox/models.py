"""Request bodies the sandbox accepts, written from the integration guides.

Independent of the client on purpose (a test fails if this package imports
``sevensenders``): a wrong field name in the client must fail here, not first
in production. Where the guides disagree with each other, every documented form
is accepted; the README's *What the sandbox accepts* table says which and why.
Unknown keys are refused (422), so a misspelt field never passes silently.

Sources: seed 000 (Return Portal Light), 001 (Return Portal Pro), 002 (use
cases), 003 (Seven Senders Portal), and the research notes' support articles.
Fields marked ``INFERRED`` are in no document; they are the project's guess.
"""

import base64
import binascii
import datetime as dt
import re
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from . import reference
from .rules import no_control, no_control_or_break, one_line

# ---------------------------------------------------------------------------
# Value types
# ---------------------------------------------------------------------------

_DMY = re.compile(r"^(\d{2})\.(\d{2})\.(\d{4}) (\d{2}):(\d{2}):(\d{2})$")
_OFFSET = re.compile(r"([+-]\d{2})(\d{2})$")


def _when(value):
    """ISO-8601 with an offset (``+00:00``, ``+0000`` or ``Z``, seeds 000/001)
    or seed 003's ``dd.mm.yyyy hh:mm:ss`` (read as UTC); stored as UTC ISO."""
    if not isinstance(value, str):
        raise ValueError("must be a date-time string")
    text = value.strip()
    match = _DMY.match(text)
    if match:
        day, month, year, hour, minute, second = map(int, match.groups())
        try:
            parsed = dt.datetime(
                year, month, day, hour, minute, second, tzinfo=dt.timezone.utc
            )
        except ValueError as exc:
            raise ValueError(f"is not a valid date: {exc}") from None
    else:
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        text = _OFFSET.sub(r"\1:\2", text)
        try:
            parsed = dt.datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(
                "is not an ISO-8601 date-time (e.g. 2020-07-31T07:00:00+00:00)"
            ) from None
        if parsed.tzinfo is None:
            raise ValueError("needs a UTC offset (e.g. +00:00)")
    return parsed.astimezone(dt.timezone.utc).isoformat()


def _languages(value):
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not values:
        raise ValueError("must be a language code or a list of them")
    for code in values:
        if not isinstance(code, str) or code not in reference.LANGUAGES:
            raise ValueError(
                f"{code!r} is not one of the 25 lowercase language codes "
                f"({', '.join(sorted(reference.LANGUAGES))})"
            )
    return values


def _country(value):
    if not re.fullmatch(r"[A-Z]{2}", value):
        raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 code (e.g. DE)")
    return value


def _currency(value):
    if not re.fullmatch(r"[A-Z]{3}", value):
        raise ValueError(f"{value!r} is not an ISO 4217 code (e.g. EUR)")
    return value


def _url(value):
    if value and not re.match(r"^https?://\S+$", value):
        raise ValueError(f"{value!r} is not an http(s) URL")
    return value


def _email(value):
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
        raise ValueError(f"{value!r} is not an email address")
    return value


def _id(value):
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


Text = Annotated[str, Field(max_length=255), AfterValidator(no_control)]
LongText = Annotated[str, Field(max_length=2000), AfterValidator(no_control)]
OneLine = Annotated[str, Field(max_length=255), AfterValidator(one_line)]
Ref = Annotated[
    str, Field(min_length=1, max_length=255), AfterValidator(no_control_or_break)
]
Id = Annotated[str, BeforeValidator(_id), Field(min_length=1, max_length=64)]
When = Annotated[str, BeforeValidator(_when)]
Languages = Annotated[Any, AfterValidator(_languages)]
Country = Annotated[str, AfterValidator(_country)]
Currency = Annotated[str, AfterValidator(_currency)]
Url = Annotated[str, Field(max_length=2048), AfterValidator(_url)]
Email = Annotated[str, Field(max_length=255), AfterValidator(_email)]
Number = Annotated[float, Field(ge=0, le=1e9, allow_inf_nan=False)]
#: seed 000/001: an object; seed 003: "Array[string]" with the example "SKU 1234"
Tags = dict[Annotated[str, Field(max_length=64)], Text] | list[Text] | Text


class Body(BaseModel):
    """A request body: unknown keys are refused, surrounding blanks kept."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    def dump(self):
        return self.model_dump(mode="json", exclude_none=True)


class Change(Body):
    """A partial update (``PUT``): the keys sent are changed, an explicit
    ``null`` clears the field (inferred: the guides print no clearing form;
    a REST update that cannot clear would keep stale promises and tags)."""

    def apply_to(self, stored):
        """``stored`` updated with what was sent: a ``null`` removes the key."""
        for key, value in self.model_dump(mode="json", exclude_unset=True).items():
            if value is None:
                stored.pop(key, None)
            else:
                stored[key] = value
        return stored


# ---------------------------------------------------------------------------
# Orders (seeds 000, 001, 003)
# ---------------------------------------------------------------------------


class OrderFields(Body):
    order_url: Url | None = None
    order_date: When | None = None
    boarding_complete: bool | None = None
    language: Languages | None = None
    order_tags: Tags | None = None
    promised_delivery_date: When | None = None
    #: research §1.3 (the Spryker module sends it)
    delivered_with_seven_senders: bool | None = None


class OrderIn(OrderFields):
    order_id: Ref
    order_date: When


class OrderChange(OrderFields, Change):
    """``PUT /orders/{id}``: a partial update (seed 003)."""


class OrderStateIn(Body):
    order_id: Ref = Field(validation_alias=AliasChoices("order_id", "shop_order_id"))
    state: str
    datetime: When
    location: OneLine | None = None

    @field_validator("state")
    @classmethod
    def _state(cls, value):
        key = re.sub(r"[\s_-]+", "_", value.strip()).lower()
        if key not in reference.SETTABLE_ORDER_STATES:
            raise ValueError(
                f"{value!r} is not a state a shop sets "
                f"({', '.join(reference.SETTABLE_ORDER_STATES)})"
            )
        return key


# ---------------------------------------------------------------------------
# Shipments and shipment events (seeds 000, 001; research §1.5, §1.6)
# ---------------------------------------------------------------------------


class CarrierIn(Body):
    #: research: ``{"name", "country"}``; seed 001: ``{carrier_name, carrier_country}``
    name: Text = Field(validation_alias=AliasChoices("name", "carrier_name"))
    country: Country = Field(
        validation_alias=AliasChoices("country", "carrier_country")
    )

    @model_validator(mode="after")
    def _known(self):
        allowed = reference.CARRIERS_BY_COUNTRY.get(self.country, ())
        if self.name.lower() not in allowed:
            raise ValueError(
                f"carrier {self.name!r} does not hand over in {self.country} "
                f"(available: {', '.join(allowed) or 'none'})"
            )
        return self


class SenderFields(Body):
    """research §1.5/§1.8: the sender block (defaults from the 7S account)."""

    sender_first_name: Text | None = None
    sender_last_name: Text | None = None
    sender_company_name: Text | None = None
    sender_street: OneLine | None = None
    sender_house_no: Text | None = None
    sender_zip: Text | None = None
    sender_city: Text | None = None
    sender_country: Country | None = None
    sender_phone: Text | None = None
    sender_email: Email | None = None


class ShipmentFields(SenderFields):
    order_id: Ref | None = None
    tracking_code: Ref | None = None
    reference_number: Ref | None = None
    reference_number_2: Ref | None = None
    local_delivery: bool | None = None
    goods_value: Number | None = None
    goods_value_currency: Currency | None = None
    cod: bool | None = None
    cod_value: Number | None = None
    cod_reference: Text | None = None
    carrier: CarrierIn | None = None
    carrier_service: Text | None = None
    recipient_first_name: Text | None = None
    recipient_last_name: Text | None = None
    recipient_company_name: Text | None = None
    #: research: ``recipient_email``; seed 000: ``customer_email``; mandatory
    #: in a new shipment (ShipmentIn), either spelling
    recipient_email: Email | None = Field(
        None, validation_alias=AliasChoices("recipient_email", "customer_email")
    )
    recipient_address: OneLine | None = None
    recipient_address_details: OneLine | None = None
    recipient_zip: Text | None = None
    recipient_city: Text | None = None
    recipient_country: Country | None = None
    recipient_phone: Text | None = None
    pickup_point_selected: bool | None = None
    planned_pickup_datetime: When | None = None
    warehouse: Text | None = None
    #: seed 001 says "Do not use line breaks" and prints one: both are accepted
    warehouse_address: Text | None = None
    shipment_tag: dict[str, Text] | None = None
    return_parcel: bool | None = None
    trackable: bool | None = None
    #: seed 001: mandatory; research (support article, plugins): optional
    weight: Number | None = None
    comment: LongText | None = None
    package_no: Annotated[int, Field(ge=1)] | None = None

    @field_validator("carrier_service")
    @classmethod
    def _service(cls, value):
        if value is not None and value not in reference.CARRIER_SERVICES:
            raise ValueError(f"must be one of {', '.join(reference.CARRIER_SERVICES)}")
        return value


class ShipmentIn(ShipmentFields):
    order: OrderIn | None = None
    carrier: CarrierIn
    recipient_first_name: Text
    recipient_last_name: Text
    recipient_zip: Text
    recipient_city: Text
    recipient_country: Country
    planned_pickup_datetime: When
    warehouse: Text
    warehouse_address: Text

    @model_validator(mode="after")
    def _refs(self):
        if not self.tracking_code and not self.reference_number:
            raise ValueError(
                "tracking_code: give a tracking_code or a reference_number"
            )
        if self.order and self.order_id and self.order.order_id != self.order_id:
            raise ValueError("order_id: differs from the inline order's order_id")
        return self

    @model_validator(mode="after")
    def _email(self):
        # seed 000: "The customer_email field must contain the recipient's email
        # address" (with the order_id, the customer's log-in to the return
        # portal); seed 001: without one no notification is sent, a shop using
        # the delivery product only may send a "default" address
        if not self.recipient_email:
            raise ValueError(
                "recipient_email: the recipient's email address is required "
                "(recipient_email or customer_email)"
            )
        return self


class ShipmentChange(ShipmentFields, Change):
    """``PUT /shipments/{id}``: a partial update."""


class ShipmentEventIn(Body):
    #: research §1.6: ``id`` (the 7S shipment id); seed 001 prints none
    id: Id = Field(validation_alias=AliasChoices("id", "shipment_id"))
    datetime: When
    #: seed 001 prints the key as ``Event``
    event: str = Field(validation_alias=AliasChoices("event", "Event"))

    @field_validator("event")
    @classmethod
    def _event(cls, value):
        for name in reference.SHIPMENT_EVENTS:
            if value.strip().replace("_", " ").lower() == name.lower():
                return name
        raise ValueError(
            f"{value!r} is not an event a shop sends "
            f"({' or '.join(reference.SHIPMENT_EVENTS)})"
        )


# ---------------------------------------------------------------------------
# Labels (research §1.8, the label parameter reference)
# ---------------------------------------------------------------------------


class LabelIn(SenderFields):
    warehouse: Text | None = None
    warehouse_address: Text | None = None
    recipient_first_name: Text
    recipient_last_name: Text
    recipient_company_name: Text | None = None
    recipient_street: OneLine
    recipient_house_no: Text | None = None
    recipient_address_details: OneLine | None = None
    recipient_zip: Text
    recipient_city: Text
    recipient_country: Country
    recipient_phone: Text | None = None
    recipient_email: Email
    pudo_id: Ref | None = None
    collection_point_name1: Text | None = None
    collection_point_name2: Text | None = None
    collection_point_name3: Text | None = None
    collection_point_membership_id: Text | None = None
    collection_point_street: OneLine | None = None
    collection_point_house_no: Text | None = None
    collection_point_zip: Text | None = None
    collection_point_city: Text | None = None
    collection_point_country: Country | None = None
    reference_number: Ref
    order_id: Ref | None = None
    order: OrderIn | None = None
    carrier: CarrierIn
    carrier_service: Text | None = None
    format: str = "pdf"
    return_parcel: str = "outbound"
    weight: Number | None = None
    goods_value: Number | None = None
    goods_value_currency: Currency | None = None
    cod_value: Number | None = None
    cod_currency: Currency | None = None
    cod_reference: Text | None = None
    planned_pickup_datetime: When | None = None
    comment: LongText | None = None

    @model_validator(mode="after")
    def _choices(self):
        if self.format not in reference.LABEL_FORMATS:
            raise ValueError(
                f"format: must be one of {', '.join(reference.LABEL_FORMATS)}"
            )
        if self.return_parcel not in reference.LABEL_KINDS:
            raise ValueError(
                f"return_parcel: must be one of {', '.join(reference.LABEL_KINDS)}"
            )
        if not self.order_id and not self.order:
            raise ValueError("order_id: give the order_id or an inline order")
        return self


# ---------------------------------------------------------------------------
# Customs (research §1.9)
# ---------------------------------------------------------------------------


class ArticleIn(Body):
    """INFERRED: no document names the article fields of a customs shipment."""

    sku: Ref
    description: Text
    hs_code: Annotated[str, Field(pattern=r"^\d{6,10}$")]
    origin_country: Country
    quantity: Annotated[int, Field(ge=1)]
    unit_value: Number
    currency: Currency
    weight: Number | None = None


class CustomsFields(Body):
    shipment_id: Id | None = None
    order_id: Ref | None = None
    incoterm: str | None = None
    tracking_code: Ref | None = None
    return_tracking_code: Ref | None = None
    planned_pickup_datetime: When | None = None
    departure_country: Country | None = None
    invoice_id: Text | None = None
    invoice_date: dt.date | None = None
    #: INFERRED name (the list filter is ``types``)
    type: str | None = None
    #: INFERRED name
    articles: list[ArticleIn] | None = None

    @model_validator(mode="after")
    def _choices(self):
        if self.incoterm is not None and self.incoterm not in reference.INCOTERMS:
            raise ValueError(f"incoterm: {self.incoterm!r} is not an Incoterm 2020")
        if self.type is not None and self.type not in reference.CUSTOMS_TYPES:
            raise ValueError(
                f"type: must be one of {', '.join(reference.CUSTOMS_TYPES)}"
            )
        return self


class CustomsIn(CustomsFields):
    shipment_id: Id
    order_id: Ref
    incoterm: str
    tracking_code: Ref
    planned_pickup_datetime: When
    departure_country: Country


class CustomsChange(CustomsFields, Change):
    """``PUT /customs/shipments/{id}``: a partial update."""


class ManifestIn(Body):
    manifest_id: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[^/]+$")]
    shipment_ids: Annotated[list[Id], Field(min_length=1)]
    pieces: Annotated[int, Field(ge=1)]
    reference: Text | None = None
    comment: LongText | None = None
    consignment_id: Text | None = None


# ---------------------------------------------------------------------------
# Product library, images, order items (seed 001)
# ---------------------------------------------------------------------------


class ProductFields(Body):
    customs_description: Text | None = None
    #: seed 001 prints a string ("500"); a number is accepted too
    customs_item_value: Annotated[str, BeforeValidator(_id)] | float | None = None
    #: research §1.11 (seed 001's table lost these names)
    customs_tariff_code_sending_country: Text | None = None
    customs_tariff_code_receiving_country: Text | None = None
    customs_origin_country_iso2: Country | None = None


class ProductIn(ProductFields):
    sku: Ref


class ProductChange(ProductFields, Change):
    """``PUT /products/{sku}``."""


class ProductImageIn(Body):
    sku: Ref
    attachment: str
    filename: Text

    @field_validator("attachment")
    @classmethod
    def _image(cls, value):
        try:
            data = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("is not base64") from None
        if not (data.startswith(b"\x89PNG") or data.startswith(b"\xff\xd8\xff")):
            raise ValueError("is not a JPEG or PNG image")
        return value


class OrderItemFields(Body):
    shipment_id: Id | None = None
    #: seed 001 prints a line break in its example
    warehouse_address: Text | None = None
    warehouse: Text | None = None
    #: seed 001 prints ``""``
    shop_product_url: Url | None = None
    name: Text | None = None
    description: LongText | None = None
    sales_price: Number | None = None
    currency: Currency | None = None
    size: Text | None = None
    weight: Number | None = None
    appearance: Text | None = None
    returnable: bool | None = None
    bundle_item: Text | None = None


class OrderItemIn(OrderItemFields):
    order_id: Ref
    sku: Ref
    name: Text
    description: LongText
    sales_price: Number
    currency: Currency
    size: Text
    weight: Number
    returnable: bool


class OrderItemChange(OrderItemFields):
    """``PUT /order_items/{id}``, e.g. to link ``shipment_id`` (seed 001)."""
