# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..sevensenders import SevenSendersError, reference
from .access import check_caller
from .notification import notification
from .sale_order import _utc
from .sevensenders_outbox import SevenSendersWait
from .sevensenders_parcel import DELIVERY_STATES

_logger = logging.getLogger(__name__)


def _one_line(*parts):
    """Join address parts on one line (the API rejects line breaks)."""
    return ", ".join(" ".join(p.split()) for p in parts if p and p.strip())


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "sevensenders.sync.mixin"]

    sevensenders_parcel_ids = fields.One2many(
        "sevensenders.parcel", "picking_id", string="Seven Senders parcels", copy=False
    )
    sevensenders_label_generation = fields.Integer(
        copy=False, readonly=True, help="Increases each time the labels are cancelled."
    )
    sevensenders_tracking_status = fields.Char(
        "Seven Senders status",
        compute="_compute_sevensenders_delivery_state",
        help="As Seven Senders reports it, per parcel.",
    )
    sevensenders_delivery_state = fields.Selection(
        [
            *DELIVERY_STATES[:2],
            ("partially_delivered", "Partially delivered"),
            *DELIVERY_STATES[2:],
        ],
        "Delivery state",
        compute="_compute_sevensenders_delivery_state",
        store=True,
        index="btree_not_null",
        help="From the parcels: delivered when all of them are.",
    )
    sevensenders_return_url = fields.Char(
        "Return portal link", compute="_compute_sevensenders_return_url"
    )
    sevensenders_is_label_carrier = fields.Boolean(
        compute="_compute_sevensenders_is_label_carrier"
    )

    @api.depends(
        "sevensenders_parcel_ids.state",
        "sevensenders_parcel_ids.delivery_state",
        "sevensenders_parcel_ids.carrier_status",
    )
    def _compute_sevensenders_delivery_state(self):
        for picking in self:
            parcels = picking._sevensenders_outbound_parcels()
            states = parcels.mapped("delivery_state")
            picking.sevensenders_delivery_state = picking._sevensenders_combine_states(
                states
            )
            statuses = [
                f"{p.name}: {p.carrier_status}"
                if len(parcels) > 1
                else p.carrier_status
                for p in parcels
                if p.carrier_status
            ]
            picking.sevensenders_tracking_status = "; ".join(statuses) or False

    @api.model
    def _sevensenders_combine_states(self, states):
        """The delivery state of a delivery whose parcels are in ``states``
        (``False`` for a parcel not heard of yet)."""
        known = [s for s in states if s]
        if not known:
            return False
        if "exception" in known:
            return "exception"
        if len(set(states)) == 1:
            return known[0]
        if "delivered" in known:
            return "partially_delivered"
        for state in ("out_for_delivery", "in_transit"):
            if state in known:
                return state
        return "in_transit"

    @api.depends("carrier_id.delivery_type")
    def _compute_sevensenders_is_label_carrier(self):
        for picking in self:
            picking.sevensenders_is_label_carrier = (
                picking.carrier_id.delivery_type == "sevensenders"
            )

    # ------------------------------------------------------------------
    # Triggers
    # ------------------------------------------------------------------

    def _action_done(self):
        res = super()._action_done()
        self._sevensenders_after_done()
        return res

    def action_cancel(self):
        res = super().action_cancel()
        self.sale_id._sevensenders_check_boarding_complete()
        return res

    def write(self, vals):
        res = super().write(vals)
        if vals.get("carrier_tracking_ref"):
            self.filtered(
                lambda p: p.state == "done"
            )._sevensenders_enqueue_tracking_shipment()
        return res

    def _sevensenders_after_done(self):
        self._sevensenders_enqueue_tracking_shipment()
        self.sale_id._sevensenders_check_boarding_complete()
        self._sevensenders_returned_to_warehouse()

    # ------------------------------------------------------------------
    # Returns
    # ------------------------------------------------------------------

    def _compute_sevensenders_return_url(self):
        now = fields.Datetime.now()
        for picking in self:
            picking.sevensenders_return_url = (
                picking.picking_type_code == "outgoing"
                and picking.sale_id
                and picking.sale_id._sevensenders_return_url(now)
            ) or False

    def _sevensenders_returned_to_warehouse(self):
        """A validated return of a Seven Senders shipment: "Returned to warehouse"
        for the outbound shipments of the delivery it returns."""
        for picking in self.filtered(
            lambda p: p.picking_type_code == "incoming" and p.return_id
        ):
            origin = picking.return_id
            parcels = origin._sevensenders_outbound_parcels()
            account = parcels[:1].account_id
            if not account or not account.sync_orders:
                continue
            parcels._sevensenders_enqueue_event("Returned to warehouse")

    @api.model
    def _sevensenders_outbox_shipment_event(self, client, row, picking):
        send, apply = self._sevensenders_outbox_shipment_event_prepare(row, picking, ())
        return apply(send(client))

    @api.model
    def _sevensenders_outbox_shipment_event_prepare(self, row, picking, earlier):
        payload = row.payload
        event = {
            "id": payload["shipment_id"],
            "event": payload["event"],
            "datetime": _utc(fields.Datetime.to_datetime(payload["datetime"])),
        }

        def send(client):
            client.add_shipment_event(event)

        def apply(_result):
            if picking:
                picking.message_post(
                    body=self.env._(
                        "Seven Senders event %(event)s sent for shipment %(shipment)s.",
                        event=payload["event"],
                        shipment=payload["shipment_id"],
                    )
                )
            return payload["shipment_id"]

        return send, apply

    # ------------------------------------------------------------------
    # Order items <-> shipment (Return Portal Pro)
    # ------------------------------------------------------------------

    def _sevensenders_enqueue_item_link(self):
        """Once the shipments exist, link the order items to them."""
        for picking in self.filtered(
            lambda p: p.picking_type_code == "outgoing" and p.sale_id
        ):
            account = picking.sale_id._sevensenders_pro_account()
            refs = picking._sevensenders_outbound_parcels().mapped("shipment_ref")
            if not account or not refs:
                continue
            self.env["sevensenders.outbox"]._sevensenders_enqueue(
                account,
                "order_items_link",
                picking,
                dedupe_key=f"order_items_link:{picking.id}:{','.join(refs)}",
            )

    def _sevensenders_outbound_parcels(self):
        return self.sevensenders_parcel_ids.filtered(
            lambda p: p.state == "active" and not p.is_return and p.shipment_ref
        )

    def _sevensenders_units_by_parcel(self):
        """``{parcel: {sku: units}}``: which sold units travel in which parcel."""
        self.ensure_one()
        parcels = self._sevensenders_outbound_parcels()
        by_name = {p.name: p for p in parcels}
        units = {}

        def add(parcel, sku, count):
            bucket = units.setdefault(parcel, {})
            bucket[sku] = bucket.get(sku, 0) + count

        moves = self.move_ids.filtered(lambda m: m.sale_line_id and m.quantity)
        for line in moves.sale_line_id.filtered(lambda sl: sl._sevensenders_is_item()):
            sku = (line.product_id.default_code or "").strip()
            line_moves = moves.filtered(lambda m, sl=line: m.sale_line_id == sl)
            if not sku:
                continue
            if all(m.product_id == line.product_id for m in line_moves):
                for ml in line_moves.move_line_ids:
                    parcel = by_name.get(ml.result_package_id.name) or parcels[:1]
                    add(parcel, sku, int(round(ml.quantity)))
            else:  # a kit: it travels with its first component
                first = line_moves.move_line_ids[:1]
                parcel = by_name.get(first.result_package_id.name) or parcels[:1]
                add(parcel, sku, int(round(line.product_uom_qty)))
        return units

    @api.model
    def _sevensenders_outbox_order_items_link(self, client, row, picking):
        """Set ``shipment_id`` on as many unlinked items per SKU as each parcel
        carries; items already linked to these shipments count (retries)."""
        if not picking:
            return None
        order = picking.sale_id
        creating = (
            self.env["sevensenders.outbox"]
            .sudo()
            .search_count(
                [
                    ("res_model", "=", "sale.order"),
                    ("res_id", "=", order.id),
                    ("operation", "=", "order_items_create"),
                    ("state", "in", ("pending", "retry")),
                ]
            )
        )
        if creating:
            raise SevenSendersWait(self.env._("Waiting for the order items."))
        items = list(client.list_order_items(order_id=order.name, limit=1000))
        linked = 0
        for parcel, wanted in picking._sevensenders_units_by_parcel().items():
            for sku, count in wanted.items():
                same = [i for i in items if i.sku == sku]
                have = [i for i in same if str(i.shipment_id) == parcel.shipment_ref]
                free = [i for i in same if not i.shipment_id]
                for item in free[: max(count - len(have), 0)]:
                    client.update_order_item(
                        item.id, {"shipment_id": parcel.shipment_ref}
                    )
                    item.shipment_id = parcel.shipment_ref
                    linked += 1
        return linked

    def _sevensenders_account(self):
        self.ensure_one()
        if self.carrier_id.delivery_type == "sevensenders":
            return self.carrier_id.sevensenders_account_id.sudo()
        if self.sale_id:
            return self.sale_id._sevensenders_account()
        return (
            self.env["sevensenders.account"]
            .sudo()
            ._sevensenders_for_company(self.company_id)
        )

    def _sevensenders_enqueue_tracking_shipment(self):
        """Deliveries of other carriers: a tracking-only Seven Senders shipment."""
        outbox = self.env["sevensenders.outbox"]
        for picking in self:
            if (
                picking.picking_type_code != "outgoing"
                or not picking.carrier_id
                or picking.carrier_id.delivery_type == "sevensenders"
                or not picking.carrier_tracking_ref
            ):
                continue
            account = picking._sevensenders_account()
            if not account or not account.sync_tracking_shipments:
                continue
            for code in picking.carrier_tracking_ref.split(","):
                code = code.strip()
                if code:
                    outbox._sevensenders_enqueue(
                        account,
                        "shipment_create",
                        picking,
                        payload={"tracking_code": code},
                        dedupe_key=f"shipment_create:{picking.id}:{code}",
                    )

    def action_sevensenders_create_label(self):
        """Button: make the Seven Senders labels now (before or after validation)."""
        check_caller(self, operation="write")
        for picking in self:
            if picking.carrier_id.delivery_type != "sevensenders":
                raise UserError(
                    self.env._(
                        "%(picking)s is not shipped with a Seven Senders carrier.",
                        picking=picking.name,
                    )
                )
            if picking.sevensenders_parcel_ids.filtered(lambda p: p.state == "active"):
                raise UserError(
                    self.env._(
                        "%(picking)s has labels already; cancel the shipment first.",
                        picking=picking.name,
                    )
                )
            picking.send_to_shipper()
        return True

    def action_sevensenders_send(self):
        """Server action: (re)queue the tracking-only shipments of done deliveries."""
        check_caller(self, operation="write")
        self._sevensenders_enqueue_tracking_shipment()
        return True

    # ------------------------------------------------------------------
    # Payloads
    # ------------------------------------------------------------------

    def _sevensenders_recipient(self):
        """Recipient fields common to labels and shipments, checked for the
        data Seven Senders needs, with one message listing every gap."""
        self.ensure_one()
        partner = self.partner_id
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
        phone = partner.phone or partner.mobile or person.phone
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
        language = account._sevensenders_language(self.partner_id.lang) or "en"
        return {
            "order": {
                "order_id": self.origin or self.name,
                "order_date": _utc(self.create_date),
                "order_url": account._sevensenders_shop_url(),
                "language": [language],
            }
        }

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
            "recipient_address": _one_line(partner.street, partner.street2),
            "planned_pickup_datetime": _utc(self.date_done or self.scheduled_date),
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
        partner = self.partner_id
        recipient = self._sevensenders_recipient()
        vals = {
            **self._sevensenders_order_ref_vals(account),
            **recipient,
            **self._sevensenders_warehouse_vals(account),
            "recipient_street": _one_line(partner.street),
            "carrier": {
                "name": carrier.sevensenders_carrier_id.code,
                "country": carrier.sevensenders_country_id.code,
            },
            "carrier_service": carrier.sevensenders_service,
            "format": carrier.sevensenders_label_format,
            "return_parcel": "outbound",
            "planned_pickup_datetime": _utc(self.scheduled_date),
        }
        if partner.street2:
            vals["recipient_address_details"] = _one_line(partner.street2)
        if "street_number" in partner._fields and partner.street_number:
            vals["recipient_street"] = _one_line(partner.street_name)
            vals["recipient_house_no"] = partner.street_number[:32]
        point = self._sevensenders_pickup_point()
        if point:
            extra = point.get("additional_data") or {}
            vals.update(
                pudo_id=str(extra.get("location_id") or point.get("id")),
                collection_point_name1=point.get("name"),
                collection_point_street=point.get("street"),
                collection_point_zip=point.get("zip_code"),
                collection_point_city=point.get("city"),
                collection_point_country=point.get("country_code"),
            )
        return {k: v for k, v in vals.items() if v not in (None, False, "")}

    # ------------------------------------------------------------------
    # Outbox handler
    # ------------------------------------------------------------------

    @api.model
    def _sevensenders_outbox_shipment_create(self, client, row, picking):
        if not picking:
            return None
        vals = picking._sevensenders_prepare_shipment_vals(
            row.account_id, row.payload["tracking_code"]
        )
        shipment_id = picking._sevensenders_shipment_created(
            row, vals, client.create_shipment(vals)
        )
        if picking.sale_id and not picking.sale_id.sevensenders_order_ref:
            found = client.find_order(picking.sale_id.name)
            if found:
                picking.sale_id.sevensenders_order_ref = str(found.id)
        return shipment_id

    @api.model
    def _sevensenders_outbox_shipment_create_prepare(self, row, picking, earlier):
        """Concurrent drain, once the order is in Seven Senders (otherwise the
        sequential handler runs after this batch's order creations, and does
        not race them with an inline order)."""
        if picking.sale_id and not picking.sale_id.sevensenders_order_ref:
            return None
        vals = picking._sevensenders_prepare_shipment_vals(
            row.account_id, row.payload["tracking_code"]
        )

        def send(client):
            return client.create_shipment(vals)

        def apply(shipment):
            return picking._sevensenders_shipment_created(row, vals, shipment)

        return send, apply

    def _sevensenders_shipment_created(self, row, vals, shipment):
        """Record a tracking-only shipment and queue what follows it."""
        self.ensure_one()
        picking = self
        parcel = picking.sevensenders_parcel_ids.filtered(
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
    # Tracking status pull
    # ------------------------------------------------------------------

    @api.model
    def _cron_sevensenders_pull_tracking(self, batch_size=50):
        """Scheduled action: the parcels' statuses (``sevensenders.parcel``)."""
        return self.env["sevensenders.parcel"]._cron_sevensenders_pull_tracking(
            batch_size=batch_size
        )

    # ------------------------------------------------------------------
    # Customs
    # ------------------------------------------------------------------

    def _sevensenders_needs_customs(self):
        self.ensure_one()
        origin = self.picking_type_id.warehouse_id.partner_id.country_id.code
        partner = self.partner_id
        return reference.needs_customs(origin, partner.country_id.code, partner.zip)

    def _sevensenders_enqueue_customs(self, parcels):
        """Customs destinations: queue a customs shipment per Seven Senders shipment."""
        self.ensure_one()
        if not parcels or not self._sevensenders_needs_customs():
            return
        account = parcels[:1].account_id
        for parcel in parcels.filtered(lambda p: p.shipment_ref and not p.customs_ref):
            self.env["sevensenders.outbox"]._sevensenders_enqueue(
                account,
                "customs_create",
                self,
                payload={"parcel_id": parcel.id},
                dedupe_key=f"customs_create:{parcel.shipment_ref}",
            )

    def _sevensenders_invoice(self):
        invoices = self.sale_id.invoice_ids.filtered(
            lambda m: m.state == "posted" and m.move_type == "out_invoice"
        )
        return invoices.sorted("invoice_date")[-1:] if invoices else invoices

    def _sevensenders_prepare_customs_vals(self, account, parcel):
        """``POST /customs/shipments`` body; every missing item is listed at once."""
        self.ensure_one()
        missing = []
        invoice = self._sevensenders_invoice()
        if not invoice:
            missing.append(
                self.env._(
                    "a posted customer invoice for %(order)s",
                    order=self.sale_id.name or self.origin or self.name,
                )
            )
        lines = self.move_line_ids.filtered(lambda ml: ml.quantity > 0)
        if (
            len(
                self.sevensenders_parcel_ids.filtered(
                    lambda p: p.state == "active" and not p.is_return
                )
            )
            > 1
        ):
            packed = lines.filtered(lambda ml: ml.result_package_id.name == parcel.name)
            lines = packed or lines
        currency = (
            invoice.currency_id
            or self.sale_id.currency_id
            or self.company_id.currency_id
        )
        articles = {}
        for line in lines:
            product = line.product_id
            tmpl = product.product_tmpl_id
            for label, ok in (
                (self.env._("an internal reference (SKU)"), product.default_code),
                (self.env._("an HS code"), tmpl.hs_code),
                (self.env._("a country of origin"), tmpl.country_of_origin),
            ):
                if not ok:
                    missing.append(
                        self.env._(
                            "%(what)s on %(product)s",
                            what=label,
                            product=product.display_name,
                        )
                    )
            sale_line = line.move_id.sale_line_id
            unit_value = (
                sale_line.price_reduce_taxexcl if sale_line else product.lst_price
            )
            article = articles.setdefault(
                product.id,
                {
                    "sku": product.default_code or "-",
                    "description": product.display_name[:255],
                    "hs_code": "".join(
                        ch for ch in (tmpl.hs_code or "") if ch.isdigit()
                    ),
                    "origin_country": tmpl.country_of_origin.code or "",
                    "quantity": 0,
                    "unit_value": round(unit_value, 2),
                    "currency": currency.name,
                    "weight": round(product.weight or 0.0, 3),
                },
            )
            article["quantity"] += int(round(line.quantity))
        if missing:
            raise UserError(
                self.env._(
                    "The customs papers of %(picking)s need: %(missing)s.",
                    picking=self.name,
                    missing="; ".join(dict.fromkeys(missing)),
                )
            )
        origin = self.picking_type_id.warehouse_id.partner_id.country_id.code
        return {
            "shipment_id": parcel.shipment_ref,
            "order_id": self.sale_id.name or self.origin or self.name,
            "incoterm": account._sevensenders_incoterm(self.partner_id.country_id.code),
            "tracking_code": parcel.tracking_code,
            "planned_pickup_datetime": _utc(self.date_done or self.scheduled_date),
            "departure_country": origin,
            "invoice_id": invoice.name,
            "invoice_date": invoice.invoice_date,
            "type": "outbound",
            "articles": [a for a in articles.values() if a["quantity"] > 0],
        }

    @api.model
    def _sevensenders_outbox_customs_create(self, client, row, picking):
        parcel = (
            self.env["sevensenders.parcel"].browse(row.payload["parcel_id"]).exists()
        )
        if not picking or not parcel or parcel.customs_ref:
            return parcel.customs_ref or None
        customs = client.create_customs_shipment(
            picking._sevensenders_prepare_customs_vals(row.account_id, parcel)
        )
        parcel.sudo().customs_ref = str(customs.id)
        return customs.id

    def action_sevensenders_create_customs(self):
        """Server action: (re)queue the customs shipments of these deliveries."""
        check_caller(self, operation="write")
        for picking in self:
            picking._sevensenders_enqueue_customs(
                picking.sevensenders_parcel_ids.filtered(
                    lambda p: p.state == "active" and not p.is_return
                )
            )
        return True

    def action_sevensenders_create_manifest(self):
        """Server action: one customs manifest for the parcels of these deliveries."""
        check_caller(self, operation="write")
        parcels = self.sevensenders_parcel_ids.filtered(
            lambda p: p.state == "active" and not p.is_return and p.customs_ref
        )
        done = parcels.filtered("manifest_ref")
        if done:
            raise UserError(
                self.env._(
                    "%(pickings)s are already in manifest %(manifests)s; a manifest "
                    "cannot change.",
                    pickings=", ".join(done.picking_id.mapped("name")),
                    manifests=", ".join(sorted(set(done.mapped("manifest_ref")))),
                )
            )
        if not parcels:
            raise UserError(
                self.env._(
                    "None of these deliveries has a customs shipment to manifest."
                )
            )
        account = parcels.account_id
        if len(account) > 1:
            raise UserError(self.env._("A manifest covers one Seven Senders account."))
        if account.uses_flex:
            return notification(
                self.env._(
                    "Seven Senders Flex needs no customs manifest: nothing was sent."
                ),
                kind="info",
            )
        manifest_id = account._sevensenders_next_manifest_id()
        try:
            with account._sevensenders_client() as client:
                client.create_customs_manifest(
                    {
                        "manifest_id": manifest_id,
                        "shipment_ids": parcels.mapped("shipment_ref"),
                        "pieces": len(parcels),
                        "reference": ", ".join(parcels.picking_id.mapped("name"))[:255],
                    }
                )
        except SevenSendersError as exc:
            raise UserError(self[:1]._sevensenders_describe_error(exc)) from None
        parcels.sudo().manifest_ref = manifest_id
        for picking in parcels.picking_id:
            picking.message_post(
                body=self.env._(
                    "Customs manifest %(manifest)s sent to Seven Senders.",
                    manifest=manifest_id,
                )
            )
        return notification(
            self.env._(
                "Customs manifest %(manifest)s sent (%(count)d parcels).",
                manifest=manifest_id,
                count=len(parcels),
            )
        )


class StockMove(models.Model):
    _inherit = "stock.move"

    def _action_assign(self, force_qty=False):
        res = super()._action_assign(force_qty=force_qty)
        ready = self.picking_id.filtered(
            lambda p: (
                p.picking_type_code == "outgoing"
                and p.state == "assigned"
                and p.sale_id
            )
        )
        ready.sale_id._sevensenders_set_state("in_preparation")
        return res
