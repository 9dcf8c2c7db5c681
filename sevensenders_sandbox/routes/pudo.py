"""``GET /pudo/locations``: pick-up and drop-off points near a place."""

from fastapi import Query, Request

from .. import reference
from ..pudo import all_points, geocode, search
from ..rules import ApiError, Auth
from . import Operations

operations = Operations("PUDO")


def search_options(request, max_distance, max_results):
    params = request.query_params
    carrier_names = (
        params.getlist("carrier_names[]") or params.getlist("carrier_names") or None
    )
    days = params.getlist("opening_days[]")
    if any(not d.isdigit() or int(d) > 6 for d in days):
        raise ApiError(422, "must be weekdays 0 (Monday) to 6", "opening_days")
    return {
        "carrier_names": carrier_names,
        "max_distance": max_distance,
        "max_results": max_results,
        "opening_days": [int(d) for d in days] or None,
    }


@operations("pudo.locations")
async def pudo_locations(
    request: Request,
    country: str = Query(..., pattern=r"^[A-Z]{2}$"),
    latitude: float | None = Query(None, ge=-90, le=90),
    longitude: float | None = Query(None, ge=-180, le=180),
    zip: str | None = Query(None, min_length=1, max_length=32),
    city: str | None = Query(None, max_length=255),
    street: str | None = Query(None, max_length=255),
    carrier_name: str | None = Query(None, min_length=1, max_length=64),
    max_distance: int | None = Query(None, ge=1, le=100000),
    max_number_of_results: int | None = Query(
        None, ge=1, le=reference.PUDO_MAX_RESULTS
    ),
    _a=Auth,
):
    options = search_options(request, max_distance, max_number_of_results)
    if latitude is not None or longitude is not None:
        if latitude is None or longitude is None:
            raise ApiError(400, "give both latitude and longitude", "latitude")
        return search(country, latitude, longitude, **options)
    if zip or city:
        if not zip:
            raise ApiError(400, "is required with city", "zip")
        located = geocode(country, zip, city)
        if located is None:
            return []
        return search(country, *located, **options)
    if carrier_name:
        return all_points(country, carrier_name)
    raise ApiError(
        400,
        "give latitude and longitude, an address (zip, city) or carrier_name",
        "country",
    )
