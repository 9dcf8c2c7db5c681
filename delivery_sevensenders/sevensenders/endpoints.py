"""Every path of the Seven Senders API, in one table.

The public material disagrees on some spellings (``/order`` vs ``/orders``,
``/order-states`` vs ``/order_states``...). ``ENDPOINTS`` holds the project's
first choice (design §4: the spelling of the WooCommerce and Spryker plugins,
which are known to run); ``ALTERNATIVES`` the other documented spelling (the
integration guides'). The client tries the alternative once when the API answers
that a route does not exist, and its owner can remember what worked (per
account in Odoo) or override any path.

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

#: The integration guides' spelling where it differs from ``ENDPOINTS``: seed
#: 003 prints ``POST /order`` and ``POST /order-states``; seeds 000/001 name
#: resources in CamelCase (``POST /Shipment``, ``POST /ShipmentEvent``,
#: ``POST /Product``, ``PUT /ProductImage``, ``POST /OrderItem``, ``PUT /OrderItem``).
ALTERNATIVES = {
    "orders.create": ("/order",),
    "order_states.create": ("/order-states",),
    "shipments.create": ("/shipment",),
    "shipment_events.create": ("/shipment-event", "/shipment-events"),
    "products.create": ("/product",),
    "product_images.put": ("/product-image", "/product-images"),
    "product_images.delete": ("/product-image/{sku}", "/product-images/{sku}"),
    "order_items.create": ("/order-item", "/order-items"),
    "order_items.list": ("/order-item", "/order-items"),
    "order_items.update": ("/order-item/{id}", "/order-items/{id}"),
}


def check_path(op, path):
    """Raise ValueError unless ``path`` can stand for operation ``op``."""
    if op not in ENDPOINTS:
        raise ValueError(f"unknown operation {op!r}")
    expected = {p for p in ("{id}", "{sku}") if p in ENDPOINTS[op].path}
    found = {p for p in ("{id}", "{sku}") if p in path}
    if not path.startswith("/") or expected != found or " " in path:
        needs = f" with {', '.join(sorted(expected))}" if expected else ""
        raise ValueError(f"{op}: {path!r} is not a path starting with /{needs}")
    return path
