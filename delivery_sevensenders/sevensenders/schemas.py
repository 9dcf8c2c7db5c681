"""Typed request and response models of the Seven Senders API (pydantic v2).

Request models validate what the integration guides require (mandatory fields,
ISO-8601 datetimes with an offset, ISO 3166 alpha-2 countries, the 25 languages,
carriers allowed per country, one-line addresses, order states, label formats...)
and reject unknown keys, so a typo never reaches the API. They dump with
``exclude_none``. Response models accept unknown fields, so a new server field
never breaks a client already in use.

Carrier validation uses the seeds' table by default; pass the live table from
``GET /carriers`` as validation context: ``validate(ShipmentCreate, data,
carriers={"DE": ["dhl", ...]})``.
"""

import base64
import binascii
import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from . import reference
from .errors import ResponseValidationError, SevenSendersValidationError

# ---------------------------------------------------------------------------
# Field types
# ---------------------------------------------------------------------------

_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_CURRENCY_RE = re.compile(r"^[A-Z]{3}$")


def _country(value):
    code = value.strip().upper()
    if code not in reference.COUNTRIES:
        raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code")
    return code


def _language(value):
    code = value.strip()
    if code not in reference.LANGUAGES:
        raise ValueError(
            f"{value!r} is not one of the 25 supported lowercase language codes "
            f"({', '.join(sorted(reference.LANGUAGES))})"
        )
    return code


def _one_line(value):
    if "\n" in value or "\r" in value:
        raise ValueError("must be on one line (no line breaks)")
    return value


def _email(value):
    if not _EMAIL_RE.match(value):
        raise ValueError(f"{value!r} is not a valid email address")
    return value


def _currency(value):
    code = value.strip().upper()
    if not _CURRENCY_RE.match(code):
        raise ValueError(f"{value!r} is not an ISO 4217 currency code")
    return code


def _aware_utc(value):
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            "must carry a UTC offset (ISO-8601, e.g. 2024-05-01T10:00:00Z)"
        )
    return value.astimezone(dt.timezone.utc)


def _iso_utc(value):
    # values are UTC already (_aware_utc): "2026-11-23T09:30:00+00:00"
    return value.replace(microsecond=0).isoformat()


def _as_list(value):
    if isinstance(value, str):
        return [value]
    return value


_URL_RE = re.compile(r"^https?://[^\s/$.?#].[^\s]*$")


def _url(value):
    if not _URL_RE.match(value):
        raise ValueError(f"{value!r} is not an http(s) URL")
    return value


def _id_str(value):
    return (
        str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    )


Text = Annotated[str, Field(min_length=1, max_length=255)]
#: a Seven Senders id: the API answers numbers, we send strings
Id = Annotated[str, BeforeValidator(_id_str), Field(min_length=1, max_length=64)]
Country = Annotated[str, AfterValidator(_country)]
Language = Annotated[str, AfterValidator(_language)]
OneLine = Annotated[str, Field(min_length=1, max_length=255), AfterValidator(_one_line)]
Email = Annotated[str, Field(max_length=255), AfterValidator(_email)]
Currency = Annotated[str, AfterValidator(_currency)]
Url = Annotated[str, Field(max_length=2048), AfterValidator(_url)]
Amount = Annotated[
    Decimal,
    Field(ge=0, max_digits=14, decimal_places=2),
    PlainSerializer(float, return_type=float, when_used="json"),
]
Weight = Annotated[
    float, Field(ge=0, le=10000, allow_inf_nan=False, description="kilograms")
]
DateTime = Annotated[
    dt.datetime,
    AfterValidator(_aware_utc),
    PlainSerializer(_iso_utc, return_type=str, when_used="json"),
]
Date = Annotated[dt.date, PlainSerializer(dt.date.isoformat, when_used="json")]
LanguageList = Annotated[
    list[Language], BeforeValidator(_as_list), Field(min_length=1, max_length=25)
]
Tags = dict[Annotated[str, Field(max_length=64)], Annotated[str, Field(max_length=255)]]
OrderState = Literal["new", "paid", "in_production", "in_preparation", "refunded"]
LabelFormat = Literal["pdf", "zpl", "zpl300"]
ReturnParcel = Literal["outbound", "return", "both"]
CarrierService = Literal["standard", "express", "other"]
Incoterm = Literal[
    "EXW", "FCA", "CPT", "CIP", "DAP", "DPU", "DDP", "FAS", "FOB", "CFR", "CIF"
]
CustomsType = Literal["outbound", "undeliverable", "return"]
ShipmentEventName = Literal["Refunded", "Returned to warehouse"]


class RequestModel(BaseModel):
    """Base of request bodies: strict about keys, dumps without ``None``."""

    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, populate_by_name=True
    )

    def dump(self):
        return self.model_dump(mode="json", exclude_none=True, by_alias=True)

    def dump_json(self):
        """The request body as JSON bytes (encoded by pydantic-core)."""
        return self.__pydantic_serializer__.to_json(
            self, exclude_none=True, by_alias=True
        )


class ResponseModel(BaseModel):
    """Base of response bodies: tolerant of unknown and missing fields."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)


# ---------------------------------------------------------------------------
# Orders
# ---------------------------------------------------------------------------


class OrderFields(RequestModel):
    order_url: Url | None = None
    order_date: DateTime | None = None
    boarding_complete: bool | None = None
    language: LanguageList | None = None
    order_tags: Tags | list[Annotated[str, Field(max_length=255)]] | None = None
    promised_delivery_date: DateTime | None = None
    delivered_with_seven_senders: bool | None = None


class OrderCreate(OrderFields):
    order_id: Text
    order_date: DateTime


class UpdateModel(RequestModel):
    """Base of partial updates (``PUT``): only the keys given are sent, and a
    key given as ``None`` is sent as ``null``, which clears it remotely."""

    def dump(self):
        return self.model_dump(mode="json", exclude_unset=True, by_alias=True)

    def dump_json(self):
        return self.__pydantic_serializer__.to_json(
            self, exclude_unset=True, by_alias=True
        )


class OrderUpdate(OrderFields, UpdateModel):
    """Partial update (PUT /orders/{id}): only the fields given are changed,
    ``None`` clears one."""


class OrderStateCreate(RequestModel):
    order_id: Text
    state: OrderState
    datetime: DateTime
    location: OneLine | None = None


# ---------------------------------------------------------------------------
# Carriers, shipments, events
# ---------------------------------------------------------------------------


class CarrierRef(RequestModel):
    name: Annotated[str, Field(min_length=1, max_length=64)]
    country: Country

    @field_validator("name")
    @classmethod
    def _lower(cls, value):
        return value.lower()

    @model_validator(mode="after")
    def _allowed(self, info: ValidationInfo):
        table = (info.context or {}).get("carriers") or reference.CARRIERS_BY_COUNTRY
        allowed = reference.carriers_for(self.country, table)
        if self.name not in allowed:
            raise ValueError(
                f"carrier {self.name!r} is not available for hand-over country "
                f"{self.country} (allowed: {', '.join(allowed) or 'none'})"
            )
        return self


def _check_order_link(payload):
    """A shipment or label names its order by ``order_id`` or inline ``order``."""
    if not payload.order_id and not payload.order:
        raise ValueError("order_id: give the order_id or an inline order")
    if (
        payload.order
        and payload.order_id
        and payload.order.order_id != payload.order_id
    ):
        raise ValueError("order_id: differs from the inline order's order_id")


class SenderFields(RequestModel):
    sender_first_name: Text | None = None
    sender_last_name: Text | None = None
    sender_company_name: Text | None = None
    sender_street: OneLine | None = None
    sender_house_no: Annotated[str, Field(max_length=32)] | None = None
    sender_zip: Annotated[str, Field(max_length=32)] | None = None
    sender_city: Text | None = None
    sender_country: Country | None = None
    sender_phone: Annotated[str, Field(max_length=64)] | None = None
    sender_email: Email | None = None


class ShipmentFields(SenderFields):
    order_id: Text | None = None
    tracking_code: Text | None = None
    reference_number: Text | None = None
    reference_number_2: Text | None = None
    local_delivery: bool | None = None
    goods_value: Amount | None = None
    goods_value_currency: Currency | None = None
    cod_reference: Text | None = None
    carrier: CarrierRef | None = None
    carrier_service: CarrierService | None = None
    recipient_first_name: Text | None = None
    recipient_last_name: Text | None = None
    recipient_company_name: Text | None = None
    recipient_email: Email | None = None
    recipient_address: OneLine | None = None
    recipient_address_details: OneLine | None = None
    recipient_zip: Annotated[str, Field(min_length=1, max_length=32)] | None = None
    recipient_city: Text | None = None
    recipient_country: Country | None = None
    recipient_phone: Annotated[str, Field(max_length=64)] | None = None
    pickup_point_selected: bool | None = None
    planned_pickup_datetime: DateTime | None = None
    warehouse: Text | None = None
    warehouse_address: OneLine | None = None
    shipment_tag: Tags | None = None
    return_parcel: bool | None = None
    trackable: bool | None = None
    weight: Weight | None = None
    comment: Annotated[str, Field(max_length=1000)] | None = None
    package_no: Annotated[int, Field(ge=1)] | None = None


class ShipmentCreate(ShipmentFields):
    order: OrderCreate | None = None
    carrier: CarrierRef
    recipient_first_name: Text
    recipient_last_name: Text
    recipient_email: Email
    recipient_address: OneLine
    recipient_zip: Annotated[str, Field(min_length=1, max_length=32)]
    recipient_city: Text
    recipient_country: Country
    planned_pickup_datetime: DateTime
    warehouse: Text
    warehouse_address: OneLine
    weight: Weight

    @model_validator(mode="after")
    def _links(self):
        _check_order_link(self)
        if not self.tracking_code and not self.reference_number:
            raise ValueError(
                "tracking_code: give a tracking_code or a reference_number"
            )
        if self.local_delivery and self.order and not self.order.promised_delivery_date:
            raise ValueError(
                "order.promised_delivery_date: required when local_delivery is true"
            )
        if self.goods_value is not None and not self.goods_value_currency:
            raise ValueError("goods_value_currency: required with goods_value")
        return self


class ShipmentUpdate(ShipmentFields, UpdateModel):
    """Partial update (PUT /shipments/{id}): ``None`` clears a field."""


class ShipmentEventCreate(RequestModel):
    id: Id
    datetime: DateTime
    event: ShipmentEventName

    @field_validator("event", mode="before")
    @classmethod
    def _event_name(cls, value):
        if isinstance(value, str):
            for name in reference.SHIPMENT_EVENTS:
                if value.strip().lower().replace("_", " ") == name.lower():
                    return name
        return value


# ---------------------------------------------------------------------------
# Labels
# ---------------------------------------------------------------------------


class LabelCreate(SenderFields):
    warehouse: Text | None = None
    warehouse_address: OneLine | None = None
    recipient_first_name: Text
    recipient_last_name: Text
    recipient_company_name: Text | None = None
    recipient_street: OneLine
    recipient_house_no: Annotated[str, Field(max_length=32)] | None = None
    recipient_address_details: OneLine | None = None
    recipient_zip: Annotated[str, Field(min_length=1, max_length=32)]
    recipient_city: Text
    recipient_country: Country
    recipient_phone: Annotated[str, Field(max_length=64)] | None = None
    recipient_email: Email
    pudo_id: Text | None = None
    collection_point_name1: Text | None = None
    collection_point_name2: Text | None = None
    collection_point_name3: Text | None = None
    collection_point_membership_id: Text | None = None
    collection_point_street: OneLine | None = None
    collection_point_house_no: Annotated[str, Field(max_length=32)] | None = None
    collection_point_zip: Annotated[str, Field(max_length=32)] | None = None
    collection_point_city: Text | None = None
    collection_point_country: Country | None = None
    reference_number: Text
    order_id: Text | None = None
    order: OrderCreate | None = None
    carrier: CarrierRef
    carrier_service: CarrierService | None = None
    format: LabelFormat = "pdf"
    return_parcel: ReturnParcel = "outbound"
    weight: Weight | None = None
    goods_value: Amount | None = None
    goods_value_currency: Currency | None = None
    cod_value: Amount | None = None
    cod_currency: Currency | None = None
    cod_reference: Text | None = None
    planned_pickup_datetime: DateTime | None = None
    comment: Annotated[str, Field(max_length=1000)] | None = None

    @model_validator(mode="after")
    def _links(self):
        _check_order_link(self)
        if self.pudo_id and not (
            self.collection_point_zip and self.collection_point_city
        ):
            raise ValueError(
                "collection_point_zip: the pickup point's zip and city are required "
                "with pudo_id"
            )
        if self.cod_value is not None and not self.cod_currency:
            raise ValueError("cod_currency: required with cod_value")
        return self


# ---------------------------------------------------------------------------
# Customs
# ---------------------------------------------------------------------------


class CustomsArticle(RequestModel):
    sku: Text
    description: Text
    hs_code: Annotated[str, Field(pattern=r"^\d{6,10}$")]
    origin_country: Country
    quantity: Annotated[int, Field(ge=1)]
    unit_value: Amount
    currency: Currency
    weight: Weight | None = None


class CustomsShipmentFields(RequestModel):
    shipment_id: Id | None = None
    order_id: Text | None = None
    incoterm: Incoterm | None = None
    tracking_code: Text | None = None
    return_tracking_code: Text | None = None
    planned_pickup_datetime: DateTime | None = None
    departure_country: Country | None = None
    invoice_id: Text | None = None
    invoice_date: Date | None = None
    type: CustomsType | None = None
    articles: list[CustomsArticle] | None = None


class CustomsShipmentCreate(CustomsShipmentFields):
    shipment_id: Id
    order_id: Text
    incoterm: Incoterm
    tracking_code: Text
    planned_pickup_datetime: DateTime
    departure_country: Country
    type: CustomsType = "outbound"


class CustomsShipmentUpdate(CustomsShipmentFields):
    """Partial update (PUT /customs/shipments/{id})."""


class CustomsManifestCreate(RequestModel):
    manifest_id: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[^/]+$")]
    shipment_ids: Annotated[list[Id], Field(min_length=1)]
    pieces: Annotated[int, Field(ge=1)]
    reference: Text | None = None
    comment: Annotated[str, Field(max_length=1000)] | None = None
    consignment_id: Text | None = None


# ---------------------------------------------------------------------------
# Product library, images and order items (Return Portal Pro)
# ---------------------------------------------------------------------------


class ProductFields(RequestModel):
    customs_description: Text | None = None
    customs_item_value: (
        Annotated[
            Decimal,
            Field(ge=0, decimal_places=2),
            PlainSerializer(str, when_used="json"),
        ]
        | None
    ) = None
    customs_tariff_code_sending_country: (
        Annotated[str, Field(pattern=r"^\d{6,10}$")] | None
    ) = None
    customs_tariff_code_receiving_country: (
        Annotated[str, Field(pattern=r"^\d{6,10}$")] | None
    ) = None
    customs_origin_country_iso2: Country | None = None


class ProductCreate(ProductFields):
    sku: Text


class ProductUpdate(ProductFields):
    """Partial update (PUT /products/{sku})."""


class ProductImage(RequestModel):
    sku: Text
    attachment: Annotated[str, Field(min_length=4)]
    filename: Text

    @field_validator("filename")
    @classmethod
    def _filename(cls, value):
        if not value.lower().endswith(tuple(reference.PRODUCT_IMAGE_TYPES)):
            raise ValueError("must end with .png, .jpg or .jpeg")
        return value

    @field_validator("attachment")
    @classmethod
    def _attachment(cls, value):
        try:
            head = base64.b64decode(
                value[:64] + "=" * (-len(value[:64]) % 4), validate=True
            )
        except (binascii.Error, ValueError) as exc:
            raise ValueError("must be base64-encoded image data") from exc
        if not (
            head.startswith(b"\x89PNG\r\n\x1a\n") or head.startswith(b"\xff\xd8\xff")
        ):
            raise ValueError("must be a base64-encoded PNG or JPEG image")
        return value

    @classmethod
    def from_bytes(cls, sku, data, filename):
        return cls(
            sku=sku, attachment=base64.b64encode(data).decode(), filename=filename
        )


class OrderItemFields(RequestModel):
    shipment_id: Id | None = None
    warehouse: Text | None = None
    warehouse_address: OneLine | None = None
    shop_product_url: Url | None = None
    name: Text | None = None
    description: Annotated[str, Field(min_length=1, max_length=2000)] | None = None
    sales_price: Amount | None = None
    currency: Currency | None = None
    size: Annotated[str, Field(max_length=64)] | None = None
    weight: Weight | None = None
    appearance: Annotated[str, Field(max_length=64)] | None = None
    returnable: bool | None = None
    bundle_item: Text | None = None


class OrderItemCreate(OrderItemFields):
    order_id: Text
    sku: Text
    name: Text
    description: Annotated[str, Field(min_length=1, max_length=2000)]
    sales_price: Amount
    currency: Currency
    size: Annotated[str, Field(max_length=64)]
    weight: Weight
    returnable: bool


class OrderItemUpdate(OrderItemFields):
    """Partial update (PUT /order_items/{id}), e.g. to link ``shipment_id``."""


# ---------------------------------------------------------------------------
# PUDO locator queries
# ---------------------------------------------------------------------------


class PudoQuery(RequestModel):
    country: Country
    carrier_names: (
        Annotated[list[Annotated[str, Field(min_length=1)]], Field(min_length=1)] | None
    ) = None
    max_distance: (
        Annotated[int, Field(ge=1, le=100000, description="metres")] | None
    ) = None
    max_number_of_results: (
        Annotated[int, Field(ge=1, le=reference.PUDO_MAX_RESULTS)] | None
    ) = None
    opening_days: (
        Annotated[list[Annotated[int, Field(ge=0, le=6)]], Field(max_length=7)] | None
    ) = None


class PudoByCoordinates(PudoQuery):
    latitude: Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)]
    longitude: Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]


class PudoByAddress(PudoQuery):
    zip: Annotated[str, Field(min_length=1, max_length=32)]
    city: Text | None = None
    street: OneLine | None = None


# ---------------------------------------------------------------------------
# Responses
# ---------------------------------------------------------------------------


class Token(ResponseModel):
    token: str
    allowed_to_track_all_shipments: bool | None = None
    allowed_to_send_seven_senders_shipments: bool | None = None


class StateHistory(ResponseModel):
    state: str | None = None  # an entry without one is skipped, not an error
    datetime: str | None = None


# Response models require nothing the guides do not promise: an answer without
# an id is read, and the client looks the object up by our reference.


class Order(ResponseModel):
    id: int | str | None = None
    order_id: str | None = Field(
        None, validation_alias=AliasChoices("order_id", "shop_order_id")
    )
    order_url: str | None = Field(
        None, validation_alias=AliasChoices("order_url", "shop_order_url")
    )
    order_date: str | None = Field(
        None, validation_alias=AliasChoices("order_date", "shop_order_date")
    )
    boarding_complete: bool | None = None
    state: str | None = None
    states_history: list[StateHistory] = []
    shipments: list[Any] = []
    language: Any = None


class CarrierInfo(ResponseModel):
    name: str | None = None
    country: str | None = None


class Shipment(ResponseModel):
    id: int | str | None = None
    order_id: str | None = Field(
        None, validation_alias=AliasChoices("order_id", "shop_order_id")
    )
    tracking_code: str | None = None
    reference_number: str | None = None
    carrier: CarrierInfo | None = None
    carrier_tracking_url: str | None = None
    state: str | None = None
    states_history: list[StateHistory] = []
    return_parcel: bool | None = None


class Label(ResponseModel):
    id: int | str | None = None
    shipment_id: int | str | None = None
    tracking_code: str | None = None
    label_url: str | None = None
    label_data: str | None = None  # the file itself (base64), when answered
    format: str | None = None
    reference_number: str | None = None
    return_parcel: str | None = None
    carrier: CarrierInfo | None = None


class Carrier(ResponseModel):
    """A carrier of ``GET /carriers``; reads both the legacy and the newer shape."""

    code: str | None = Field(
        None, validation_alias=AliasChoices("code", "carrier", "name")
    )
    name: str | None = Field(None, validation_alias=AliasChoices("label", "name"))
    countries: list[str] = Field(
        default_factory=list,
        validation_alias=AliasChoices("countries", "allowedCountries", "country"),
    )
    services: list[str] = []
    tracking_url: str | None = None

    @field_validator("countries", mode="before")
    @classmethod
    def _countries(cls, value):
        value = _as_list(value) or []
        return [c.upper() for c in value if isinstance(c, str)]


class CustomsShipment(ResponseModel):
    id: int | str | None = None
    shipment_id: int | str | None = None
    order_id: str | None = None
    manifest_id: str | None = None
    status: str | None = None
    type: str | None = None


class CustomsManifest(ResponseModel):
    manifest_id: str
    id: int | str | None = None
    shipment_ids: list[Any] = []
    pieces: int | None = None


class Product(ResponseModel):
    sku: str
    id: int | str | None = None


class OrderItem(ResponseModel):
    id: int | str | None = None
    order_id: str | None = None
    sku: str | None = None
    shipment_id: int | str | None = None


class PudoAddress(ResponseModel):
    name: str | None = None
    alternative_name: str | None = None
    country: str | None = None
    city: str | None = None
    zip: str | None = None
    street: str | None = None
    house_no: str | None = None
    address_line: str | None = Field(
        None, validation_alias=AliasChoices("address_line", "provider_address_line")
    )


class PudoTime(ResponseModel):
    hours: int
    minutes: int = 0


class PudoSlot(ResponseModel):
    from_: PudoTime = Field(alias="from")
    to: PudoTime


class PudoCoordinates(ResponseModel):
    latitude: float
    longitude: float


class PudoLocation(ResponseModel):
    location_id: Annotated[str, BeforeValidator(_id_str)]
    carrier_name: str | None = None
    location_type: str | None = None
    location_code: str | None = None
    address: PudoAddress = PudoAddress()
    coordinates: PudoCoordinates | None = None
    opening_hours: dict[str, list[PudoSlot]] = {}
    distance: float | None = None


# ---------------------------------------------------------------------------
# Validation helpers
# ---------------------------------------------------------------------------

_PREFIXES = ("Value error, ", "Assertion failed, ")


def _errors(exc):
    return error_pairs(exc.errors(include_url=False))


def error_pairs(error_list):
    """``(dotted field, message)`` pairs of pydantic's ``errors()`` list."""
    errors = []
    for err in error_list:
        field = ".".join(str(p) for p in err["loc"])
        msg = err["msg"]
        for prefix in _PREFIXES:
            if msg.startswith(prefix):
                msg = msg[len(prefix) :]
        head, sep, tail = msg.partition(": ")
        if sep and re.match(r"^[a-z_][a-z0-9_.]*$", head):
            # cross-field checks name their own field: "order_id: ..."
            field = f"{field}.{head}" if field else head
            msg = tail
        errors.append((field or "(payload)", msg))
    return errors


def validate(model, data, *, carriers=None):
    """Validate ``data`` (a dict or a model instance) into ``model``.

    Raises :class:`SevenSendersValidationError` listing every offending field.
    """
    if isinstance(data, model) and carriers is None:
        return data
    if isinstance(data, BaseModel):
        data = data.model_dump(exclude_none=True)
    try:
        return model.model_validate(data, context={"carriers": carriers})
    except ValidationError as exc:
        raise SevenSendersValidationError(model.__name__, _errors(exc)) from None


def parse(model, data):
    """Read a response body into ``model`` (a list of them for list bodies)."""
    try:
        if isinstance(data, list):
            return [model.model_validate(item) for item in data]
        return model.model_validate(data)
    except ValidationError as exc:
        raise ResponseValidationError(
            f"Unexpected {model.__name__} in the API response: "
            + "; ".join(f"{f}: {m}" for f, m in _errors(exc))
        ) from None
