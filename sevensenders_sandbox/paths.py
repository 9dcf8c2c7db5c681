"""Which path spellings the sandbox answers, per operation and per mode.

The guides and the public plugins spell several paths differently, and the real
API is the only judge. ``--paths all`` (the default) answers every documented
spelling; ``--paths seed`` only the integration guides' spelling and
``--paths plugins`` only the WooCommerce/Spryker plugins' spelling, so a client
can be tested against either world. Any other path answers 404 "No route found".

Seed spellings: where a guide prints a path it is taken literally (seed 003:
``POST /order``, ``GET /orders/{id}``, ``POST /order-states``; the label guide:
``/label-download/{id}``); where a guide names only the resource in CamelCase
(``POST /Shipment``, ``POST /ShipmentEvent``, ``POST /OrderItem``,
``PUT /ProductImage``, ``POST /Product``), its lowercase, hyphenated form.
"""

#: operation: (method, seed spelling, plugins spelling, other spellings of "all")
ROUTES = {
    "token": ("POST", "/token", "/token", ()),
    "orders.create": ("POST", "/order", "/orders", ("/Order",)),
    "orders.list": ("GET", "/orders", "/orders", ()),
    "orders.get": ("GET", "/orders/{order_id}", "/orders/{order_id}", ()),
    "orders.update": ("PUT", "/orders/{order_id}", "/orders/{order_id}", ()),
    "orders.delete": ("DELETE", "/orders/{order_id}", "/orders/{order_id}", ()),
    "order_states.create": ("POST", "/order-states", "/order_states", ()),
    "shipments.create": ("POST", "/shipment", "/shipments", ("/Shipment",)),
    "shipments.list": ("GET", "/shipments", "/shipments", ()),
    "shipments.get": (
        "GET",
        "/shipments/{shipment_id}",
        "/shipments/{shipment_id}",
        (),
    ),
    "shipments.update": (
        "PUT",
        "/shipments/{shipment_id}",
        "/shipments/{shipment_id}",
        (),
    ),
    "shipments.delete": (
        "DELETE",
        "/shipments/{shipment_id}",
        "/shipments/{shipment_id}",
        (),
    ),
    "shipment_events.create": (
        "POST",
        "/shipment-event",
        "/shipment_events",
        ("/ShipmentEvent", "/shipment-events"),
    ),
    "carriers.list": ("GET", "/carriers", "/carriers", ()),
    "labels.create": ("POST", "/labels", "/labels", ()),
    "labels.download": (
        "GET",
        "/label-download/{label_id}",
        "/label-download/{label_id}",
        (),
    ),
    "labels.delete": ("DELETE", "/labels/{label_id}", "/labels/{label_id}", ()),
    "customs_shipments.create": (
        "POST",
        "/customs/shipments",
        "/customs/shipments",
        (),
    ),
    "customs_shipments.list": ("GET", "/customs/shipments", "/customs/shipments", ()),
    "customs_shipments.get": (
        "GET",
        "/customs/shipments/{customs_id}",
        "/customs/shipments/{customs_id}",
        (),
    ),
    "customs_shipments.update": (
        "PUT",
        "/customs/shipments/{customs_id}",
        "/customs/shipments/{customs_id}",
        (),
    ),
    "customs_shipments.delete": (
        "DELETE",
        "/customs/shipments/{customs_id}",
        "/customs/shipments/{customs_id}",
        (),
    ),
    "customs_manifests.create": (
        "POST",
        "/customs/manifests",
        "/customs/manifests",
        (),
    ),
    "products.create": ("POST", "/product", "/products", ("/Product",)),
    "products.get": ("GET", "/products/{sku}", "/products/{sku}", ()),
    "products.update": ("PUT", "/products/{sku}", "/products/{sku}", ()),
    "product_images.put": (
        "PUT",
        "/product-image",
        "/product_images",
        ("/ProductImage", "/product-images"),
    ),
    "product_images.delete": (
        "DELETE",
        "/product-image/{sku}",
        "/product_images/{sku}",
        ("/product-images/{sku}",),
    ),
    "order_items.create": (
        "POST",
        "/order-item",
        "/order_items",
        ("/OrderItem", "/order-items"),
    ),
    "order_items.list": ("GET", "/order-item", "/order_items", ("/order-items",)),
    "order_items.update": (
        "PUT",
        "/order-item/{item_id}",
        "/order_items/{item_id}",
        ("/order-items/{item_id}",),
    ),
    "pudo.locations": ("GET", "/pudo/locations", "/pudo/locations", ()),
}

MODES = ("all", "seed", "plugins")


def spellings(operation, mode="all"):
    """The paths (under ``/v2``) one operation answers in ``mode``; the first
    is the one the OpenAPI document shows."""
    if mode not in MODES:
        raise ValueError(f"paths mode must be one of {', '.join(MODES)}")
    _method, seed, plugins, others = ROUTES[operation]
    if mode == "seed":
        found = [seed]
    elif mode == "plugins":
        found = [plugins]
    else:
        found = [plugins, seed, *others]
    return list(dict.fromkeys(found))
