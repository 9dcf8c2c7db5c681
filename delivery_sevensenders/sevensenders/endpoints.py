"""Every path of the Seven Senders API, in one table.

The public material disagrees on some spellings (``/order`` vs ``/orders``,
``/order-states`` vs ``/order_states``...): these are the project's canonical
choices (design §4). A correction against the real API is a one-line change here.

``idempotent`` marks calls that are safe to repeat after an ambiguous failure
(the request may have reached the server): reads, PUT, DELETE, and the creates
that the API itself de-duplicates (a label ``reference_number`` returns the same
label for 48 h; an identical order state or shipment event is recorded once).
Other creates are made idempotent by the client with a lookup by our own
reference before they are sent again.
"""

from dataclasses import dataclass

PRODUCTION_URL = "https://api.sevensenders.com/v2"
TEST_URL = "https://api-uat.sevensenders.com/v2"
SANDBOX_URL = "http://127.0.0.1:8765/v2"


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    idempotent: bool


def _ep(method, path, idempotent=None):
    if idempotent is None:
        idempotent = method in ("GET", "PUT", "DELETE")
    return Endpoint(method, path, idempotent)


ENDPOINTS = {
    "token": _ep("POST", "/token", True),
    # orders
    "orders.create": _ep("POST", "/orders", False),
    "orders.list": _ep("GET", "/orders"),
    "orders.get": _ep("GET", "/orders/{id}"),
    "orders.update": _ep("PUT", "/orders/{id}"),
    "orders.delete": _ep("DELETE", "/orders/{id}"),
    "order_states.create": _ep("POST", "/order_states", True),
    # shipments
    "shipments.create": _ep("POST", "/shipments", False),
    "shipments.list": _ep("GET", "/shipments"),
    "shipments.get": _ep("GET", "/shipments/{id}"),
    "shipments.update": _ep("PUT", "/shipments/{id}"),
    "shipments.delete": _ep("DELETE", "/shipments/{id}"),
    "shipment_events.create": _ep("POST", "/shipment_events", True),
    # carriers
    "carriers.list": _ep("GET", "/carriers"),
    # labels (7S Label)
    "labels.create": _ep("POST", "/labels", True),
    "labels.download": _ep("GET", "/label-download/{id}"),
    "labels.delete": _ep("DELETE", "/labels/{id}"),
    # customs
    "customs_shipments.create": _ep("POST", "/customs/shipments", False),
    "customs_shipments.list": _ep("GET", "/customs/shipments"),
    "customs_shipments.get": _ep("GET", "/customs/shipments/{id}"),
    "customs_shipments.update": _ep("PUT", "/customs/shipments/{id}"),
    "customs_shipments.delete": _ep("DELETE", "/customs/shipments/{id}"),
    "customs_manifests.create": _ep("POST", "/customs/manifests", False),
    # product library, images and order items (Return Portal Pro)
    "products.create": _ep("POST", "/products", False),
    "products.get": _ep("GET", "/products/{sku}"),
    "products.update": _ep("PUT", "/products/{sku}"),
    "product_images.put": _ep("PUT", "/product_images"),
    "product_images.delete": _ep("DELETE", "/product_images/{sku}"),
    "order_items.create": _ep("POST", "/order_items", False),
    "order_items.list": _ep("GET", "/order_items"),
    "order_items.update": _ep("PUT", "/order_items/{id}"),
    # PUDO locator
    "pudo.locations": _ep("GET", "/pudo/locations"),
}
