"""``GET /carriers``: seed 001's "Available Carriers", by carrier."""

from .. import reference
from ..rules import Auth
from . import Operations

operations = Operations("Carrier")


@operations("carriers.list")
async def list_carriers(_a=Auth):
    by_code = {}
    for country, codes in reference.CARRIERS_BY_COUNTRY.items():
        for code in codes:
            by_code.setdefault(code, []).append(country)
    return [
        {
            "code": code,
            "name": code.replace("_", " ").title(),
            "countries": countries,
            "services": list(reference.CARRIER_SERVICES),
            "tracking_url": f"https://track.sandbox.invalid/{code}/{{tracking_code}}",
        }
        for code, countries in sorted(by_code.items())
    ]
