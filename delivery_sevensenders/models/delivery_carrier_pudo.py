# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Pickup points: Odoo's location selector (checkout and sale order) calls
``_sevensenders_get_close_locations`` when ``sevensenders_use_locations`` is set."""

import logging

from odoo import api, models
from odoo.exceptions import UserError

from ..sevensenders import SevenSendersError
from ..sevensenders.reference import WEEKDAYS
from .pudo_cache import cache_get, cache_put

_logger = logging.getLogger(__name__)


class DeliveryCarrier(models.Model):
    _inherit = "delivery.carrier"

    @api.constrains("sevensenders_pudo_max_results")
    def _check_sevensenders_pudo_max_results(self):
        for carrier in self:
            if not 1 <= carrier.sevensenders_pudo_max_results <= 50:
                raise UserError(
                    self.env._("Seven Senders answers 1 to 50 pickup points.")
                )

    def _sevensenders_pudo_query(self, partner_address):
        """The PUDO locator query for an address: coordinates when known."""
        self.ensure_one()
        country = partner_address.country_id.code
        if not country:
            raise UserError(self.env._("Enter a country to find pickup points."))
        codes = [
            c.strip().lower()
            for c in (self.sevensenders_pudo_carrier_codes or "").split(",")
        ]
        query = {
            "country": country,
            "carrier_names": [c for c in codes if c]
            or [self.sevensenders_carrier_id.code],
            "max_number_of_results": self.sevensenders_pudo_max_results or 10,
        }
        if self.sevensenders_pudo_max_distance:
            query["max_distance"] = self.sevensenders_pudo_max_distance
        lat = partner_address.partner_latitude
        lon = partner_address.partner_longitude
        if lat or lon:
            query.update(latitude=lat, longitude=lon)
            area = ("geo", round(lat, 3), round(lon, 3))
        else:
            if not partner_address.zip:
                raise UserError(self.env._("Enter a zip code to find pickup points."))
            query["zip"] = partner_address.zip.strip()
            if partner_address.city:
                query["city"] = partner_address.city.strip()
            if partner_address.street:
                query["street"] = " ".join(partner_address.street.split())
            area = ("zip", query["zip"].replace(" ", "").upper())
        key = (
            self.env.cr.dbname,
            self.sevensenders_account_id.id,
            tuple(query["carrier_names"]),
            query.get("max_distance"),
            query["max_number_of_results"],
            country,
            *area,
        )
        return query, key

    def _sevensenders_get_close_locations(self, partner_address, **kwargs):
        """Pickup points for Odoo's location selector (sorted by distance)."""
        self.ensure_one()
        account = self.sevensenders_account_id
        if not account:
            raise UserError(
                self.env._("This shipping method has no Seven Senders account.")
            )
        query, key = self._sevensenders_pudo_query(partner_address)
        cached = cache_get(key)
        if cached is not None:
            return cached
        try:
            with account.sudo()._sevensenders_client(
                timeout=self.sevensenders_pudo_timeout or 4.0, max_retries=0
            ) as client:
                if "latitude" in query:
                    points = client.pudo_by_coordinates(**query)
                else:
                    points = client.pudo_by_address(**query)
        except SevenSendersError as exc:
            _logger.warning("Seven Senders pickup points unavailable: %s", exc)
            raise UserError(
                self.env._(
                    "Pickup points cannot be loaded right now. Please try again in a "
                    "moment or choose another delivery method."
                )
            ) from None
        locations = [self._sevensenders_location_values(point) for point in points]
        cache_put(key, locations, self.sevensenders_pudo_cache_ttl or 0)
        return locations

    @api.model
    def _sevensenders_location_values(self, point):
        """A PUDO location as the dict Odoo's location selector shows."""
        address = point.address
        hours = {}
        for index, day in enumerate(WEEKDAYS):
            hours[str(index)] = [
                f"{slot.from_.hours:02d}:{slot.from_.minutes:02d} - "
                f"{slot.to.hours:02d}:{slot.to.minutes:02d}"
                for slot in point.opening_hours.get(day, [])
            ]
        street = " ".join(p for p in (address.street, address.house_no) if p) or (
            address.address_line or ""
        )
        values = {
            "id": point.location_id,
            "name": address.name or point.location_id,
            "street": street,
            "city": address.city or "",
            "zip_code": address.zip or "",
            "country_code": address.country or "",
            "opening_hours": hours,
            "additional_data": {
                "location_id": point.location_id,
                "location_code": point.location_code,
                "location_type": point.location_type,
                "carrier_name": point.carrier_name,
                "distance": point.distance,
            },
        }
        if point.coordinates:
            values["latitude"] = point.coordinates.latitude
            values["longitude"] = point.coordinates.longitude
        return values
