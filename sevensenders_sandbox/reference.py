"""The sandbox's reference data, read from the integration guides themselves.

Deliberately not shared with the client (``sevensenders``): the sandbox is the
project's oracle for the real API, so it must not agree with the client merely
because both read the same table. Each table cites the guide it is copied from
(``../shared/seeds`` in the project's history: 000 Return Portal Light, 001
Return Portal Pro, 002 use cases, 003 Seven Senders Portal).
"""

#: "Available Languages" (seeds 000, 001, 003): lowercase ISO 639-1 codes.
LANGUAGES = frozenset(
    "bg; cs; da; de; el; en; es; et; fi; fr; ga; hr; hu; it; lt; lv; mt; pl; pt; "
    "ro; ru; sk; sl; sv; uk".split("; ")
)

#: "Available Carriers" (seed 001), as printed: hand-over country, carriers.
_AVAILABLE_CARRIERS = """
AT postat, dpd, ups, dhl
BE bpost, dpd, kiala, mondialrelay, ups, dhl
CH swisspost, dpd, ups, dhl
CZ ceskaposta, dpd, ups
DE dhlexpress, dhl, deutschepost, gls, ups, hermes, dpd, tnt
DK postnord, ups, dhl, dpd
ES correos, seur,seur_international,asm, mrw, ups, dhl
FI posti, postnord, ups, dhl, dpd
FR colissimo, chronopost, tnt, dpd, mondialrelay, colisprive, gls, dhl, ups
GB royalmail, yodel, parcelforce, hermes, dpd, dhl
IT brt, tnt, gls, ups, dhl, nexive, posteitaliane, SDAposteitaliane
LU dhl, ups, kiala, dpd
NL postnl, kiala, dpd, mondialrelay, tnt, ups, dhl
NO postnord, ups, dhl, dpd
PL dpd, gls, ups, dhl, poczta-polska
SE postnord, ups, dhl
SK ceskaposta, dpd, ups, dhl
"""


def _carriers(text):
    table = {}
    for line in text.strip().splitlines():
        country, _sep, names = line.partition(" ")
        table[country] = tuple(n.strip().lower() for n in names.split(",") if n.strip())
    return table


CARRIERS_BY_COUNTRY = _carriers(_AVAILABLE_CARRIERS)

#: Order states a shop sets with ``POST /order-states``: seed 003's table
#: ("new, paid, in_production, In_preparation"), ``refunded`` (support article
#: on order states) and seed 002's refund monitoring ("Refunded" or "Returned
#: to Warehouse"). Matched without regard to case, spaces or underscores.
SETTABLE_ORDER_STATES = (
    "new",
    "paid",
    "in_production",
    "in_preparation",
    "refunded",
    "returned_to_warehouse",
)

#: The order's life, in order: a state never moves back to an earlier rank
#: (``shipped`` at the first shipment, ``completed`` when all are delivered,
#: seed 003's "boarding complete" rules; the return states come after).
ORDER_STATE_RANK = {
    "new": 0,
    "paid": 1,
    "in_production": 2,
    "in_preparation": 3,
    "shipped": 4,
    "completed": 5,
    "returned_to_warehouse": 6,
    "refunded": 7,
    "cancelled": 8,
}

#: Shipment events a shop pushes (seeds 000 and 001): "Acceptable values".
SHIPMENT_EVENTS = ("Refunded", "Returned to warehouse")

#: Label formats and ``return_parcel`` choices (label parameter reference).
LABEL_FORMATS = ("pdf", "zpl", "zpl300")
LABEL_KINDS = ("outbound", "return", "both")
CARRIER_SERVICES = ("standard", "express", "other")
INCOTERMS = (
    "EXW",
    "FCA",
    "CPT",
    "CIP",
    "DAP",
    "DPU",
    "DDP",
    "FAS",
    "FOB",
    "CFR",
    "CIF",
)
CUSTOMS_TYPES = ("outbound", "undeliverable", "return")

#: Opening-hours keys of a PUDO location and the locator's largest answer.
WEEKDAYS = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
PUDO_MAX_RESULTS = 50
