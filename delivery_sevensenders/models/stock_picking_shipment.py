# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What labels and tracking-only shipments send: the payloads, and recording a tracking-only shipment."""

from odoo import models
from odoo.exceptions import UserError

from ..compat import partner_phone
from .common import one_line, utc


def pudo_vals(point):
    """The label fields of a pickup (or drop-off) point of the locator
    (none without a point)."""
    if not point:
        return {}
    extra = point.get("additional_data") or {}
    return {
        "pudo_id": str(extra.get("location_id") or point.get("id")),
        "collection_point_name1": point.get("name"),
        "collection_point_street": point.get("street"),
        "collection_point_zip": point.get("zip_code"),
        "collection_point_city": point.get("city"),
        "collection_point_country": point.get("country_code"),
    }


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _sevensenders_address_partner(self):
        """The address the labels of this picking name (its partner)."""
        self.ensure_one()
        return self.partner_id

    def _sevensenders_recipient(self):
        """Recipient fields common to labels and shipments, checked for the
        data Seven Senders needs, with one message listing every gap."""
        self.ensure_one()
        partner = self._sevensenders_address_partner()
        company = (
            partner.parent_id if partner.parent_id.is_company else partner.browse()
        )
        if partner.is_company:
            company = partner
        pickup = self._sevensenders_pickup_point()
        person = partner
        if pickup and partner.parent_id and not partner.parent_id.is_company:
            person = (
                partner.parent_id
            )  # Odoo's pickup contact: the customer is the parent
        email = person.email or partner.email or self.sale_id.partner_id.email
        name = " ".join((person.name or "").split())
        if company and name == company.name:
            name = ""
        missing = []
        if not email:
            missing.append(self.env._("an email address"))
        if not partner.country_id:
            missing.append(self.env._("a country"))
        if not partner.city:
            missing.append(self.env._("a city"))
        if not (partner.street or partner.street2):
            missing.append(self.env._("a street"))
        if not partner.zip and partner.country_id.zip_required:
            missing.append(self.env._("a zip code"))
        if missing:
            raise UserError(
                self.env._(
                    "Seven Senders needs %(missing)s for the recipient %(partner)s of "
                    "%(picking)s.",
                    missing=", ".join(missing),
                    partner=partner.display_name,
                    picking=self.name,
                )
            )
        first, _sep, last = name.rpartition(" ")
        if not first:
            first = last = name or company.name
        vals = {
            "recipient_first_name": first,
            "recipient_last_name": last,
            "recipient_email": email,
            "recipient_zip": partner.zip or "-",
            "recipient_city": " ".join(partner.city.split()),
            "recipient_country": partner.country_id.code,
        }
        if company:
            vals["recipient_company_name"] = company.name
        phone = partner_phone(partner) or person.phone
        if phone:
            vals["recipient_phone"] = " ".join(phone.split())[:64]
        return vals

    def _sevensenders_pickup_point(self):
        """The pickup point chosen at checkout (``pickup_location_data``), if any."""
        self.ensure_one()
        order = self.sale_id
        if (
            order
            and "pickup_location_data" in order._fields
            and order.pickup_location_data
        ):
            return order.pickup_location_data
        return {}

    def _sevensenders_warehouse_vals(self, account):
        warehouse = self.picking_type_id.warehouse_id
        name, address = account._sevensenders_warehouse(warehouse)
        return {"warehouse": name, "warehouse_address": address}

    def _sevensenders_order_ref_vals(self, account):
        """``order_id`` if the order is known to Seven Senders, else an inline order."""
        order = self.sale_id
        if order and order.sevensenders_order_ref:
            return {"order_id": order.name}
        if order:
            return {"order": order._sevensenders_prepare_order_vals(account)}
        order = {
            "order_id": self.origin or self.name,
            "order_date": utc(self.create_date),
            "order_url": account._sevensenders_shop_url(),
        }
        language = account._sevensenders_language(self.partner_id.lang)
        if language:
            order["language"] = [language]
        return {"order": order}

    def _sevensenders_prepare_shipment_vals(self, account, tracking_code):
        """``POST /shipments`` body of a tracking-only shipment."""
        self.ensure_one()
        carrier = account._sevensenders_map_carrier(self.carrier_id)
        if not carrier:
            raise UserError(
                self.env._(
                    "Carrier %(carrier)s has no Seven Senders carrier on account "
                    "%(account)s (Carrier mapping tab).",
                    carrier=self.carrier_id.name,
                    account=account.name,
                )
            )
        partner = self.partner_id
        vals = {
            **self._sevensenders_order_ref_vals(account),
            **self._sevensenders_recipient(),
            **self._sevensenders_warehouse_vals(account),
            "tracking_code": tracking_code,
            "reference_number": f"{self.name}/{tracking_code}"[:255],
            "carrier": carrier,
            "recipient_address": one_line(partner.street, partner.street2),
            "planned_pickup_datetime": utc(self.date_done or self.scheduled_date),
            "weight": round(self.shipping_weight or self.weight or 0.0, 3),
            "pickup_point_selected": bool(self._sevensenders_pickup_point()),
            "trackable": True,
        }
        if self.sale_id:
            vals["goods_value"] = round(self.sale_id.amount_total, 2)
            vals["goods_value_currency"] = self.sale_id.currency_id.name
        return vals

    def _sevensenders_prepare_label_vals(self, carrier):
        """``POST /labels`` body for this picking, without the package fields."""
        self.ensure_one()
        account = carrier.sevensenders_account_id
        partner = self._sevensenders_address_partner()
        recipient = self._sevensenders_recipient()
        vals = {
            **self._sevensenders_order_ref_vals(account),
            **recipient,
            **self._sevensenders_warehouse_vals(account),
            "recipient_street": one_line(partner.street),
            "carrier": {
                "name": carrier.sevensenders_carrier_id.code,
                "country": carrier.sevensenders_country_id.code,
            },
            "carrier_service": carrier.sevensenders_service,
            "format": carrier.sevensenders_label_format,
            "return_parcel": "outbound",
            "planned_pickup_datetime": utc(self.scheduled_date),
        }
        if partner.street2:
            vals["recipient_address_details"] = one_line(partner.street2)
        if "street_number" in partner._fields and partner.street_number:
            vals["recipient_street"] = one_line(partner.street_name)
            vals["recipient_house_no"] = partner.street_number[:32]
        point = self._sevensenders_pickup_point()
        if point:
            vals.update(pudo_vals(point))
        return {k: v for k, v in vals.items() if v not in (None, False, "")}

    # ------------------------------------------------------------------
    # Tracking-only shipments (the outbox's shipment_create)
    # ------------------------------------------------------------------

    def _sevensenders_shipment_created(self, row, vals, shipment):
        """Record a tracking-only shipment and queue what follows it."""
        self.ensure_one()
        picking = self
        # a cancelled parcel's shipment is gone: an id is matched among the
        # parcels that stand only
        parcel = picking.sevensenders_parcel_ids._sevensenders_active().filtered(
            lambda p: p.shipment_ref == str(shipment.id)
        ) or picking.sevensenders_parcel_ids.sudo().create(
            {
                "picking_id": picking.id,
                "account_id": row.account_id.id,
                "name": row.payload["tracking_code"],
                "reference_number": vals["reference_number"],
                "shipment_ref": str(shipment.id),
                "tracking_code": row.payload["tracking_code"],
                "weight": vals["weight"],
            }
        )
        picking._sevensenders_enqueue_customs(parcel)
        picking._sevensenders_enqueue_item_link()
        return shipment.id

    # ------------------------------------------------------------------
