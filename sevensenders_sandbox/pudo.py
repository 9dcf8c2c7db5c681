"""Deterministic, realistic pickup points (PUDO) for the sandbox's locator.

Every city below gets, for every carrier allowed in its country, the same eight
points on every run (seeded by city and carrier): shops, post offices and
lockers with street addresses, opening hours and coordinates within a few km of
the centre. Queries answer them sorted by air distance, at most 50.
"""

import math
import random
import unicodedata

from .reference import CARRIERS_BY_COUNTRY, PUDO_MAX_RESULTS, WEEKDAYS

# country: [(city, zip, latitude, longitude)]
CITIES = {
    "AT": [("Wien", "1010", 48.2082, 16.3738), ("Graz", "8010", 47.0707, 15.4395)],
    "BE": [
        ("Bruxelles", "1000", 50.8503, 4.3517),
        ("Antwerpen", "2000", 51.2194, 4.4025),
    ],
    "CH": [("Zürich", "8001", 47.3769, 8.5417), ("Genève", "1201", 46.2044, 6.1432)],
    "CZ": [("Praha", "11000", 50.0755, 14.4378)],
    "DE": [
        ("Berlin", "10115", 52.5321, 13.3849),
        ("Hamburg", "20095", 53.5511, 9.9937),
        ("München", "80331", 48.1374, 11.5755),
        ("Köln", "50667", 50.9375, 6.9603),
        ("Frankfurt am Main", "60311", 50.1109, 8.6821),
    ],
    "DK": [("København", "1050", 55.6761, 12.5683)],
    "ES": [
        ("Madrid", "28001", 40.4168, -3.7038),
        ("Barcelona", "08001", 41.3874, 2.1686),
    ],
    "FI": [("Helsinki", "00100", 60.1699, 24.9384)],
    "FR": [
        ("Paris", "75001", 48.8606, 2.3376),
        ("Lyon", "69001", 45.7676, 4.8344),
        ("Marseille", "13001", 43.2965, 5.3698),
    ],
    "GB": [
        ("London", "SW1A 1AA", 51.5072, -0.1276),
        ("Manchester", "M1 1AE", 53.4808, -2.2426),
    ],
    "IT": [("Roma", "00184", 41.9028, 12.4964), ("Milano", "20121", 45.4642, 9.19)],
    "LU": [("Luxembourg", "1009", 49.6116, 6.1319)],
    "NL": [
        ("Amsterdam", "1012", 52.3676, 4.9041),
        ("Rotterdam", "3011", 51.9244, 4.4777),
    ],
    "NO": [("Oslo", "0150", 59.9139, 10.7522)],
    "PL": [("Warszawa", "00-001", 52.2297, 21.0122)],
    "SE": [("Stockholm", "111 20", 59.3293, 18.0686)],
    "SK": [("Bratislava", "811 01", 48.1486, 17.1077)],
}

STREETS = {
    "DE": [
        "Hauptstraße",
        "Bahnhofstraße",
        "Schulstraße",
        "Gartenstraße",
        "Lindenallee",
    ],
    "AT": ["Hauptstraße", "Bahnhofstraße", "Kirchengasse", "Ringstraße"],
    "CH": ["Bahnhofstrasse", "Dorfstrasse", "Rue du Marché", "Seestrasse"],
    "FR": [
        "Rue de la Paix",
        "Avenue Victor Hugo",
        "Rue du Commerce",
        "Boulevard Voltaire",
    ],
    "BE": ["Rue Neuve", "Grote Markt", "Avenue Louise", "Meir"],
    "LU": ["Grand-Rue", "Avenue de la Gare", "Rue de Hollerich"],
    "NL": ["Kerkstraat", "Dorpsstraat", "Stationsweg", "Molenstraat"],
    "IT": ["Via Roma", "Via Garibaldi", "Corso Italia", "Via Dante"],
    "ES": ["Calle Mayor", "Gran Vía", "Calle de Alcalá", "Avenida Diagonal"],
    "GB": ["High Street", "Station Road", "Church Lane", "Victoria Road"],
    "PL": ["ulica Marszałkowska", "ulica Długa", "aleja Jerozolimskie"],
}
DEFAULT_STREETS = ["Main Street", "Market Square", "Station Road", "Park Avenue"]

SHOPS = ["Kiosk", "Tabac", "Supermarkt", "Copy Shop", "Florist", "Bakery", "Pharmacy"]
TYPES = ("SHOP", "SHOP", "SHOP", "POST_OFFICE", "LOCKER")
POINTS_PER_CARRIER = 8


def _norm(text):
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return text.strip().lower()


def _hours(kind, rnd, country):
    def slot(frm, to):
        return {
            "from": {"hours": frm[0], "minutes": frm[1]},
            "to": {"hours": to[0], "minutes": to[1]},
        }

    if kind == "LOCKER":
        return {day: [slot((0, 0), (23, 59))] for day in WEEKDAYS}
    opens = rnd.choice([(8, 0), (8, 30), (9, 0)])
    closes = rnd.choice([(18, 0), (18, 30), (19, 0), (20, 0)])
    lunch = country in ("FR", "IT", "ES") and kind == "SHOP"
    weekday = (
        [slot(opens, (12, 30)), slot((14, 0), closes)]
        if lunch
        else [slot(opens, closes)]
    )
    hours = {day: list(weekday) for day in WEEKDAYS[:5]}
    hours["saturday"] = [slot(opens, (13, 0))] if rnd.random() < 0.8 else []
    hours["sunday"] = []
    return hours


def _points_for(country):
    points = []
    streets = STREETS.get(country, DEFAULT_STREETS)
    for city, zip_code, lat, lon in CITIES.get(country, ()):
        for carrier in CARRIERS_BY_COUNTRY.get(country, ()):
            rnd = random.Random(f"{country}|{city}|{carrier}")
            for index in range(POINTS_PER_CARRIER):
                kind = TYPES[index % len(TYPES)]
                dlat = rnd.uniform(-0.03, 0.03)
                dlon = rnd.uniform(-0.045, 0.045)
                street = rnd.choice(streets)
                house_no = str(rnd.randint(1, 180))
                brand = carrier.upper() if len(carrier) <= 4 else carrier.capitalize()
                if kind == "LOCKER":
                    name = f"{brand} Locker {100 + index + rnd.randint(0, 800)}"
                elif kind == "POST_OFFICE":
                    name = f"{brand} Post Office {city}"
                else:
                    name = (
                        f"{brand} Parcel Shop {rnd.choice(SHOPS)} {street.split()[-1]}"
                    )
                code = f"{rnd.randint(100000, 999999)}"
                points.append(
                    {
                        "carrier_name": carrier,
                        "location_type": kind,
                        "location_id": f"{carrier[:3].upper()}-{country}-{code}",
                        "location_code": code,
                        "address": {
                            "name": name,
                            "alternative_name": None,
                            "country": country,
                            "city": city,
                            "zip": zip_code,
                            "street": street,
                            "house_no": house_no,
                            "address_line": f"{street} {house_no}",
                        },
                        "opening_hours": _hours(kind, rnd, country),
                        "coordinates": {
                            "latitude": round(lat + dlat, 6),
                            "longitude": round(lon + dlon, 6),
                        },
                        "parcel_sizes": ["S", "M", "L"]
                        if kind != "LOCKER"
                        else ["S", "M"],
                    }
                )
    return points


_CACHE = {}


def points(country):
    if country not in _CACHE:
        _CACHE[country] = _points_for(country)
    return _CACHE[country]


def haversine(lat1, lon1, lat2, lon2):
    """Air distance in metres."""
    r = 6371000.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def geocode(country, zip_code=None, city=None):
    """Coordinates of an address (city centre), or None if unknown here."""
    cities = CITIES.get(country, ())
    wanted = _norm(city)
    for name, _zip, lat, lon in cities:
        if wanted and _norm(name) == wanted:
            return lat, lon
    zip_norm = (zip_code or "").replace(" ", "").upper()
    best = None
    for _name, czip, lat, lon in cities:
        czip = czip.replace(" ", "").upper()
        common = 0
        for a, b in zip(czip, zip_norm, strict=False):
            if a != b:
                break
            common += 1
        if common and (best is None or common > best[0]):
            best = (common, lat, lon)
    return (best[1], best[2]) if best else None


def search(
    country,
    latitude,
    longitude,
    carrier_names=None,
    max_distance=None,
    max_results=None,
    opening_days=None,
):
    found = []
    carriers = {c.lower() for c in carrier_names or ()}
    for point in points(country):
        if carriers and point["carrier_name"] not in carriers:
            continue
        if opening_days and not all(
            point["opening_hours"][WEEKDAYS[day]] for day in opening_days
        ):
            continue
        coords = point["coordinates"]
        distance = haversine(
            latitude, longitude, coords["latitude"], coords["longitude"]
        )
        if max_distance and distance > max_distance:
            continue
        found.append(dict(point, distance=round(distance)))
    found.sort(key=lambda p: (p["distance"], p["location_id"]))
    limit = min(max_results or PUDO_MAX_RESULTS, PUDO_MAX_RESULTS)
    return found[:limit]


def all_points(country, carrier_name):
    return [p for p in points(country) if p["carrier_name"] == carrier_name.lower()]
