"""The product library and its images (seed 001)."""

import base64
import binascii
import hashlib

from fastapi.responses import Response

from .. import models as m
from ..rules import ApiError, Auth, insert_unique
from ..state import StoreDep
from . import Operations

operations = Operations("Product")


def product_by_sku(store, sku):
    product = store.find("product", sku)
    if product is None:
        raise ApiError(404, f"Product {sku} not found.")
    return product


@operations("products.create", status_code=201)
async def create_product(body: m.ProductIn, store: StoreDep, _a=Auth):
    data = body.dump()
    return insert_unique(store, "product", data, data["sku"], "sku")


@operations("products.get")
async def get_product(sku: str, store: StoreDep, _a=Auth):
    return product_by_sku(store, sku)


@operations("products.update")
async def update_product(sku: str, body: m.ProductChange, store: StoreDep, _a=Auth):
    product = product_by_sku(store, sku)
    return store.update("product", body.apply_to(product))


@operations("product_images.put")
async def put_product_image(body: m.ProductImageIn, store: StoreDep, _a=Auth):
    try:
        content = base64.b64decode(body.attachment, validate=True)
    except (binascii.Error, ValueError):
        raise ApiError(422, "is not valid base64", "attachment") from None
    product = store.find("product", body.sku)
    if product is None:  # documented: an unknown SKU is created
        product = store.insert("product", {"sku": body.sku}, key=body.sku)
    checksum = hashlib.sha1(content).hexdigest()
    store.put_file("product_image", body.sku, content, body.filename)
    product.update(image_filename=body.filename, image_checksum=checksum)
    store.update("product", product)
    return {
        "sku": body.sku,
        "filename": body.filename,
        "size": len(content),
        "checksum": checksum,
    }


@operations("product_images.delete", status_code=204)
async def delete_product_image(sku: str, store: StoreDep, _a=Auth):
    if not store.delete_file("product_image", sku):
        raise ApiError(404, f"Product {sku} has no image.")
    return Response(status_code=204)
