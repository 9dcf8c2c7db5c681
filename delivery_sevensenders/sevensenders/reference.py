"""Reference data of the Seven Senders API, taken from its integration guides.

Every table here is data, not logic, so that a correction against the real API is
a one-line change. ``CARRIERS_BY_COUNTRY`` is the table published in the Return
Portal Pro guide ("subject to change"): the live list comes from ``GET /carriers``
and can be passed to the schemas as validation context (see ``schemas``).
"""

#: The 25 notification languages (lowercase ISO 639-1), Return Portal guides.
LANGUAGES = frozenset(
    "bg cs da de el en es et fi fr ga hr hu it lt lv mt pl pt ro ru sk sl sv uk".split()
)

#: ISO 3166-1 alpha-2 country codes (officially assigned).
COUNTRIES = frozenset(
    """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM
    BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX
    CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG
    GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR
    IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV
    LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE
    NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO
    RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF
    TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF
    WS YE YT ZA ZM ZW
    """.split()
)

#: Carriers allowed per hand-over country (Return Portal Pro guide, "Available
#: Carriers"). Names are the API's lowercase carrier codes.
CARRIERS_BY_COUNTRY = {
    "AT": ("postat", "dpd", "ups", "dhl"),
    "BE": ("bpost", "dpd", "kiala", "mondialrelay", "ups", "dhl"),
    "CH": ("swisspost", "dpd", "ups", "dhl"),
    "CZ": ("ceskaposta", "dpd", "ups"),
    "DE": ("dhlexpress", "dhl", "deutschepost", "gls", "ups", "hermes", "dpd", "tnt"),
    "DK": ("postnord", "ups", "dhl", "dpd"),
    "ES": ("correos", "seur", "seur_international", "asm", "mrw", "ups", "dhl"),
    "FI": ("posti", "postnord", "ups", "dhl", "dpd"),
    "FR": (
        "colissimo",
        "chronopost",
        "tnt",
        "dpd",
        "mondialrelay",
        "colisprive",
        "gls",
        "dhl",
        "ups",
    ),
    "GB": ("royalmail", "yodel", "parcelforce", "hermes", "dpd", "dhl"),
    "IT": (
        "brt",
        "tnt",
        "gls",
        "ups",
        "dhl",
        "nexive",
        "posteitaliane",
        "sdaposteitaliane",
    ),
    "LU": ("dhl", "ups", "kiala", "dpd"),
    "NL": ("postnl", "kiala", "dpd", "mondialrelay", "tnt", "ups", "dhl"),
    "NO": ("postnord", "ups", "dhl", "dpd"),
    "PL": ("dpd", "gls", "ups", "dhl", "poczta-polska"),
    "SE": ("postnord", "ups", "dhl"),
    "SK": ("ceskaposta", "dpd", "ups", "dhl"),
}

#: The carriers' own names, by code: ``GET /carriers`` may name a carrier by
#: its code only ("dhl", or re-cased: "Dhl", "Postnl", "Deutschepost").
CARRIER_NAMES = {
    "asm": "ASM",
    "bpost": "bpost",
    "brt": "BRT",
    "ceskaposta": "Česká pošta",
    "chronopost": "Chronopost",
    "colisprive": "Colis Privé",
    "colissimo": "Colissimo",
    "correos": "Correos",
    "deutschepost": "Deutsche Post",
    "dhl": "DHL",
    "dhlexpress": "DHL Express",
    "dpd": "DPD",
    "gls": "GLS",
    "hermes": "Hermes",
    "kiala": "Kiala",
    "mondialrelay": "Mondial Relay",
    "mrw": "MRW",
    "nexive": "Nexive",
    "parcelforce": "Parcelforce",
    "poczta-polska": "Poczta Polska",
    "postat": "Österreichische Post",
    "posteitaliane": "Poste Italiane",
    "posti": "Posti",
    "postnl": "PostNL",
    "postnord": "PostNord",
    "royalmail": "Royal Mail",
    "sdaposteitaliane": "SDA Poste Italiane",
    "seur": "SEUR",
    "seur_international": "SEUR International",
    "swisspost": "Swiss Post",
    "tnt": "TNT",
    "ups": "UPS",
    "yodel": "Yodel",
}


def _squashed(text):
    return "".join(ch for ch in (text or "").lower() if ch.isalnum())


def carrier_name(code, name=None):
    """A carrier's name to show: the API's, unless it is only the code (in any
    case or spacing: "Dhl", "Seur International"); then its own name when
    known (``CARRIER_NAMES``), else what the API gave."""
    if name and _squashed(name) != _squashed(code):
        return name
    return CARRIER_NAMES.get((code or "").lower()) or name or code


#: Order states a shop may set (POST order states). ``shipped`` and
#: ``completed`` are set by Seven Senders itself.
ORDER_STATES = ("new", "paid", "in_production", "in_preparation", "refunded")
SYSTEM_ORDER_STATES = ("shipped", "completed", "cancelled")

#: Label file formats: PDF, ZPL at 203 dpi, ZPL at 300 dpi.
LABEL_FORMATS = ("pdf", "zpl", "zpl300")

#: ``return_parcel`` of a label request; ``both`` answers with two labels.
LABEL_RETURN_PARCEL = ("outbound", "return", "both")

CARRIER_SERVICES = ("standard", "express", "other")

#: Return events a shop pushes for a shipment (Return Portal guides).
SHIPMENT_EVENTS = ("Refunded", "Returned to warehouse")

#: Incoterms 2020 (customs shipments; GB is DAP by default).
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

CUSTOMS_SHIPMENT_TYPES = ("outbound", "undeliverable", "return")

#: Image file types accepted for the product library.
PRODUCT_IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}

#: Keys of a PUDO location's ``opening_hours`` (Monday first, as Odoo's 0).
WEEKDAYS = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)

#: Largest PUDO result page the locator returns.
PUDO_MAX_RESULTS = 50


#: Members of the EU customs union (Monaco is in through France).
EU_CUSTOMS_UNION = frozenset(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MC MT NL PL PT RO SE SI SK".split()
)

#: Territories of customs-union members that are outside the EU customs or fiscal
#: territory: parcels to them need customs papers. ``{country: {zip prefix: name}}``.
SPECIAL_TERRITORIES = {
    "ES": {
        "35": "Canary Islands",
        "38": "Canary Islands",
        "51": "Ceuta",
        "52": "Melilla",
    },
    "DE": {"27498": "Heligoland", "78266": "Büsingen am Hochrhein"},
    "IT": {"23041": "Livigno"},
    "FI": {"22": "Åland Islands"},
}


def special_territory(country, zip_code):
    """The name of the special territory an address is in, or None."""
    zip_norm = (zip_code or "").replace(" ", "")
    for prefix, name in SPECIAL_TERRITORIES.get((country or "").upper(), {}).items():
        if zip_norm.startswith(prefix):
            return name
    return None


def needs_customs(from_country, to_country, to_zip=None):
    """Whether a parcel between two addresses crosses a customs border.

    True when either end is outside the EU customs union (GB, CH, NO, the Channel
    Islands JE/GG, overseas territories with their own codes...) or the
    destination is a special territory such as the Canary Islands or Heligoland.
    """
    origin, destination = (from_country or "").upper(), (to_country or "").upper()
    if origin == destination and not special_territory(destination, to_zip):
        return False
    if origin not in EU_CUSTOMS_UNION or destination not in EU_CUSTOMS_UNION:
        return True
    return special_territory(destination, to_zip) is not None


def carriers_for(country, table=None):
    """Return the carrier codes allowed for a hand-over country (may be empty)."""
    return (table or CARRIERS_BY_COUNTRY).get((country or "").upper(), ())


#: Request fields the connector sends that no public document names: the
#: project's inference, to verify against the UAT environment (also listed in
#: readme/ROADMAP.md). The Odoo mapping of the articles is
#: ``stock.move.line._sevensenders_customs_article``.
UNDOCUMENTED_FIELDS = {
    "customs_shipments.create": (
        "type",
        "articles",
        "articles[].sku",
        "articles[].description",
        "articles[].hs_code",
        "articles[].origin_country",
        "articles[].quantity",
        "articles[].unit_value",
        "articles[].currency",
        "articles[].weight",
    ),
}
