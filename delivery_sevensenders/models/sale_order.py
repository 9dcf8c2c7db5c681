# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import datetime as dt
import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .access import check_caller
from .common import utc

_logger = logging.getLogger(__name__)


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "sevensenders.sync.mixin"]

    #: changes of these fields are sent to Seven Senders
    _SEVENSENDERS_ORDER_FIELDS = frozenset({"commitment_date", "tag_ids", "partner_id"})

    sevensenders_order_ref = fields.Char(
        "Seven Senders order id", copy=False, readonly=True, index="btree_not_null"
    )
    sevensenders_generation = fields.Integer(
        copy=False,
        readonly=True,
        help="How often the order was deleted in Seven Senders (cancel, confirm).",
    )
    sevensenders_order_state = fields.Char(
        "Seven Senders order state",
        copy=False,
        readonly=True,
        help="As Seven Senders reports it (new, shipped, completed...).",
    )
    sevensenders_state_checked_at = fields.Datetime(copy=False, readonly=True)
    sevensenders_return_url = fields.Char(
        "Return portal link",
        compute="_compute_sevensenders_return_url",
        help="Shown to the customer while the order can be returned.",
    )
    sevensenders_language_warning = fields.Char(
        "Notification language",
        compute="_compute_sevensenders_language_warning",
        help="Why Seven Senders may send this customer no notification.",
    )

    @api.depends("partner_id.lang", "company_id")
    def _compute_sevensenders_language_warning(self):
        for order in self:
            account = order._sevensenders_account()
            if not account or account._sevensenders_language(order.partner_id.lang):
                order.sevensenders_language_warning = False
                continue
            order.sevensenders_language_warning = self.env._(
                "Sent without a language: Seven Senders does not support %(lang)s and "
                "account %(account)s has no fallback language, so this customer may "
                "get no notification.",
                lang=order.partner_id.lang or "-",
                account=account.name,
            )

    def _sevensenders_account(self):
        """The Seven Senders account that receives this order, if any."""
        self.ensure_one()
        carrier = self.carrier_id
        if carrier.delivery_type == "sevensenders" and carrier.sevensenders_account_id:
            return carrier.sevensenders_account_id.sudo()
        return (
            self.env["sevensenders.account"]
            .sudo()
            ._sevensenders_for_company(self.company_id)
        )

    def _sevensenders_enqueue(self, operation, payload=None, key=None, coalesce=False):
        outbox = self.env["sevensenders.outbox"]
        for order in self:
            account = order._sevensenders_account()
            if not account or not account.sync_orders:
                continue
            if operation == "order_state" and not account.sync_order_states:
                continue
            outbox._sevensenders_enqueue(
                account,
                operation,
                order,
                payload=payload,
                dedupe_key=key
                and key.format(id=order.id, gen=order._sevensenders_generation()),
                coalesce=coalesce,
            )

    def _sevensenders_generation(self):
        """How often the order was deleted in Seven Senders (cancel, then confirm)."""
        return self.sevensenders_generation

    # ------------------------------------------------------------------
    # Triggers
    # ------------------------------------------------------------------

    def _action_confirm(self):
        # queued first, so that what confirmation triggers (a delivery ready at
        # once: in_preparation) is queued after the order itself
        self._sevensenders_enqueue("order_create", key="order_create:{id}:{gen}")
        self._sevensenders_enqueue_items()
        return super()._action_confirm()

    def _sevensenders_pro_account(self):
        """The account of this order if it uses Return Portal Pro, else empty."""
        self.ensure_one()
        account = self._sevensenders_account()
        if account and account.sync_orders and account.return_portal == "pro":
            return account
        return self.env["sevensenders.account"]

    def _sevensenders_enqueue_items(self):
        """Return Portal Pro: queue the order items, and the products never pushed."""
        for order in self:
            account = order._sevensenders_pro_account()
            if not account:
                continue
            order._sevensenders_enqueue(
                "order_items_create", key="order_items_create:{id}:{gen}"
            )
            products = order.order_line.filtered(
                lambda line: line._sevensenders_is_item()
            ).product_id
            products.filtered(
                lambda p: not p.sevensenders_pushed_at
            )._sevensenders_enqueue_push(account)

    def write(self, vals):
        res = super().write(vals)
        if self._SEVENSENDERS_ORDER_FIELDS.intersection(vals):
            self.filtered(
                lambda o: o.state == "sale" and o.sevensenders_sync_state
            )._sevensenders_enqueue(
                "order_update", key="order_update:{id}", coalesce=True
            )
        return res

    def _action_cancel(self):
        synced = self.filtered("sevensenders_sync_state")
        res = super()._action_cancel()
        outbox = self.env["sevensenders.outbox"].sudo()
        for order in synced:
            waiting = outbox.search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "=", order.id),
                    ("state", "in", ("pending", "retry", "dead")),
                ]
            )
            waiting.action_sevensenders_cancel()
            order.sevensenders_generation += 1
            order._sevensenders_enqueue(
                "order_delete",
                payload={"order_id": order.name, "ref": order.sevensenders_order_ref},
            )
        return res

    #: order states that describe an order not shipped yet: never sent once it is
    _SEVENSENDERS_PRE_SHIPMENT_STATES = (
        "new",
        "paid",
        "in_production",
        "in_preparation",
    )
    #: order states Seven Senders derives once the order is shipped
    _SEVENSENDERS_SHIPPED_STATES = ("shipped", "completed", "cancelled", "refunded")

    def _sevensenders_is_shipped(self, quick=False):
        """Whether Seven Senders has (or is about to have) a shipment of this
        order, or says so: a pre-shipment state would move it back. One query
        (a salesman or a billing user gets here too: no access rules apply)."""
        self.ensure_one()
        if self.sevensenders_order_state in self._SEVENSENDERS_SHIPPED_STATES:
            return True
        if quick and not any(p.state == "done" for p in self.sudo().picking_ids):
            # when queueing: nothing left the warehouse (a label made before
            # validation is caught when the row is sent)
            return False
        self.env["sevensenders.parcel"].flush_model(
            ["picking_id", "state", "is_return", "shipment_ref"]
        )
        self.env["sevensenders.outbox"].flush_model(
            ["res_model", "res_id", "operation", "state"]
        )
        self.env["stock.picking"].flush_model(["sale_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT 1 FROM stock_picking p
                 WHERE p.sale_id = %(order)s
                   AND (EXISTS (SELECT 1 FROM sevensenders_parcel pa
                                 WHERE pa.picking_id = p.id AND pa.state = 'active'
                                   AND NOT COALESCE(pa.is_return, FALSE)
                                   AND pa.shipment_ref IS NOT NULL)
                        OR EXISTS (SELECT 1 FROM sevensenders_outbox o
                                    WHERE o.res_model = 'stock.picking'
                                      AND o.res_id = p.id
                                      AND o.operation = 'shipment_create'
                                      AND o.state != 'cancelled'))
                 LIMIT 1
                """,
                order=self.id,
            )
        )
        return bool(self.env.cr.fetchone())

    def _sevensenders_late_state(self, state, quick=False):
        """A pre-shipment state of a shipped order: noted, not sent."""
        if state not in self._SEVENSENDERS_PRE_SHIPMENT_STATES:
            return False
        late = self.filtered(lambda o: o._sevensenders_is_shipped(quick=quick))
        for order in late:
            order.message_post(
                body=self.env._(
                    "Order state %(state)s not sent to Seven Senders: the order is "
                    "already shipped there, and its state does not go back.",
                    state=state,
                )
            )
        return late

    def _sevensenders_set_state(self, state):
        """Queue an order state (new, paid, in_production, in_preparation, refunded).

        A pre-shipment state of an order already shipped is noted in the
        chatter instead (a late payment after delivery, say)."""
        orders = self.filtered(
            lambda o: o.state == "sale" and o.sevensenders_sync_state
        )
        late = orders._sevensenders_late_state(state, quick=True)
        (orders - late if late else orders)._sevensenders_enqueue(
            "order_state",
            payload={
                "state": state,
                "datetime": fields.Datetime.to_string(fields.Datetime.now()),
            },
            key=f"order_state:{{id}}:{{gen}}:{state}",
        )

    def _sevensenders_check_paid(self):
        for order in self:
            invoices = order.invoice_ids.filtered(
                lambda m: m.state == "posted" and m.move_type == "out_invoice"
            )
            if (
                order.invoice_status == "invoiced"
                and invoices
                and all(m.payment_state in ("paid", "in_payment") for m in invoices)
            ):
                order._sevensenders_set_state("paid")

    def _sevensenders_check_boarding_complete(self):
        for order in self:
            outgoing = order.picking_ids.filtered(
                lambda p: p.picking_type_code == "outgoing"
            )
            if outgoing and all(p.state in ("done", "cancel") for p in outgoing):
                if any(p.state == "done" for p in outgoing):
                    order._sevensenders_enqueue(
                        "boarding_complete", key="boarding_complete:{id}:{gen}"
                    )

    def action_sevensenders_send(self):
        """Button and server action: send (again) the confirmed orders."""
        check_caller(self)
        for order in self.filtered(lambda o: o.state == "sale"):
            if order.sevensenders_order_ref:
                order._sevensenders_enqueue(
                    "order_update", key="order_update:{id}", coalesce=True
                )
            else:
                order._sevensenders_enqueue(
                    "order_create", key="order_create:{id}:{gen}:manual"
                )
        return True

    # ------------------------------------------------------------------
    # Order state pull
    # ------------------------------------------------------------------

    _SEVENSENDERS_FINAL_ORDER_STATES = ("completed", "cancelled", "refunded")

    @api.model
    def _cron_sevensenders_pull_order_states(self, batch_size=100):
        """Read the state Seven Senders derives for open orders (shipped,
        completed...); completed ones are no longer polled."""
        return self._sevensenders_poll_due(
            SQL(
                "state = 'sale' AND sevensenders_order_ref IS NOT NULL AND "
                "(sevensenders_order_state IS NULL OR sevensenders_order_state "
                "NOT IN %s)",
                self._SEVENSENDERS_FINAL_ORDER_STATES,
            ),
            "sevensenders_state_checked_at",
            batch_size,
            lambda orders: orders._sevensenders_pull_order_state(),
        )

    def _sevensenders_pull_order_state(self):
        def changes(order, remote):
            state = remote.state
            if not state or state == order.sevensenders_order_state:
                return {}
            order.message_post(
                body=self.env._("Seven Senders order state: %(state)s", state=state)
            )
            return {"sevensenders_order_state": state}

        self._sevensenders_poll(
            "sevensenders_state_checked_at",
            lambda client, order: client.get_order(order.sevensenders_order_ref),
            changes,
        )

    # ------------------------------------------------------------------
    # Returns
    # ------------------------------------------------------------------

    def _compute_sevensenders_return_url(self):
        now = fields.Datetime.now()
        for order in self:
            order.sevensenders_return_url = order._sevensenders_return_url(now)

    def _sevensenders_return_url(self, now=None):
        """The return portal link while the order can be returned, else False:
        delivered (an outgoing delivery done) and within the account's window."""
        self.ensure_one()
        if self.state != "sale":
            return False
        account = self._sevensenders_account()
        if not account or not (account.return_portal_url or account.return_self_hosted):
            return False
        done = self.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing" and p.state == "done"
        )
        if not done:
            return False
        delivered = max(done.mapped("date_done"))
        deadline = delivered + dt.timedelta(days=account.return_window_days or 0)
        if (now or fields.Datetime.now()) > deadline:
            return False
        partner = self.partner_id
        return account._sevensenders_return_url(self.name, partner.email, partner.lang)

    def _sevensenders_refunded(self):
        """A credit note of these orders is paid: the Refunded shipment event,
        once per parcel."""
        for order in self:
            account = order._sevensenders_account()
            if not account or not account.sync_orders:
                continue
            # a billing user gets here: the parcels are read as the connector
            order.sudo().picking_ids._sevensenders_outbound_parcels()._sevensenders_enqueue_event(
                "Refunded"
            )
            if not order.sudo()._sevensenders_has_order_items():
                # seed 002 "Refund Monitoring": without order items Seven
                # Senders cannot derive the refund itself; the state goes
                # once, after the events (it waits for them in the outbox)
                order.sudo()._sevensenders_set_state("refunded")

    def _sevensenders_has_order_items(self):
        """Whether Seven Senders knows order items of this order (Return
        Portal Pro): then it derives ``refunded`` from them itself."""
        self.ensure_one()
        return bool(
            self.env["sevensenders.outbox"].search_count(
                [
                    ("res_model", "=", "sale.order"),
                    ("res_id", "=", self.id),
                    ("operation", "=", "order_items_create"),
                    ("state", "!=", "cancelled"),
                ],
                limit=1,
            )
        )

    # ------------------------------------------------------------------
    # Payload
    # ------------------------------------------------------------------

    def _sevensenders_prepare_order_vals(self, account):
        """The ``POST /orders`` body of this order (override to add fields)."""
        self.ensure_one()
        # recommended, needed for notifications only: never a reason to hold
        # the order back (the order form says why it went without one)
        language = account._sevensenders_language(self.partner_id.lang)
        vals = {
            "order_id": self.name,
            "order_url": account._sevensenders_shop_url(),
            "order_date": utc(self.date_order),
            "boarding_complete": False,
        }
        if language:
            vals["language"] = [language]
        # the order's tags are sales data (19.0 restricts the field to salesmen):
        # a stock user who makes a label still sends them
        tags = self.sudo().tag_ids
        if tags:
            vals["order_tags"] = {
                f"tag_{index}": tag.name for index, tag in enumerate(tags, 1)
            }
        promised = self.commitment_date or self.expected_date
        if promised:
            vals["promised_delivery_date"] = utc(promised)
        return vals

    # ------------------------------------------------------------------
    # Order items (Return Portal Pro)
    # ------------------------------------------------------------------

    def _sevensenders_prepare_items(self, account):
        """``[(sale line, POST /order_items body)]``, one per unit sold."""
        self.ensure_one()
        lines = self.order_line.filtered(lambda line: line._sevensenders_is_item())
        missing = lines.filtered(lambda line: not line.product_id.default_code)
        if missing:
            raise UserError(
                self.env._(
                    "The order items of %(order)s need an internal reference (SKU) "
                    "on: %(products)s.",
                    order=self.name,
                    products=", ".join(missing.product_id.mapped("display_name")),
                )
            )
        warehouse = {}
        if self.warehouse_id:
            mapping = account.warehouse_mapping_ids.filtered(
                lambda m: m.warehouse_id == self.warehouse_id
            )[:1]
            if mapping:
                warehouse = {
                    "warehouse": mapping.sevensenders_warehouse,
                    "warehouse_address": mapping._one_line_address(),
                }
        items = []
        for line in lines:
            vals = {**line._sevensenders_item_vals(account), **warehouse}
            units = max(int(round(line.product_uom_qty)), 1)
            items.extend((line, dict(vals)) for _unit in range(units))
        return items


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    sevensenders_item_refs = fields.Char(
        "Seven Senders order items", copy=False, readonly=True
    )

    def _sevensenders_is_item(self):
        """Whether this line is an order item: a good sold, not a delivery,
        section, note, down payment, combo header or service."""
        self.ensure_one()
        return bool(
            not self.display_type
            and self.product_id
            and not self.is_delivery
            and not self.is_downpayment
            and self.product_id.type == "consu"
            and self.product_uom_qty > 0
        )

    def _sevensenders_attributes(self):
        """``{"size": ..., "appearance": ...}`` from the variant's attributes."""
        self.ensure_one()
        found = {}
        values = self.product_id.product_template_attribute_value_ids
        values |= self.product_no_variant_attribute_value_ids
        for value in values:
            role = value.attribute_id._sevensenders_role()
            if role and role not in found:
                found[role] = value.name
        return found

    def _sevensenders_item_vals(self, account):
        """The ``POST /order_items`` body of one unit of this line."""
        self.ensure_one()
        order = self.order_id
        lang = order.partner_id.lang or self.env.lang
        product = self.product_id.with_context(lang=lang)
        attributes = self._sevensenders_attributes()
        qty = self.product_uom_qty or 1.0
        vals = {
            "order_id": order.name,
            "sku": product.default_code.strip(),
            "name": (product.name or product.default_code)[:255],
            "description": (self.name or product.display_name)[:2000],
            "sales_price": round(max(self.price_total / qty, 0.0), 2),
            "currency": order.currency_id.name,
            "size": (attributes.get("size") or "-")[:64],
            "weight": round(max(product.weight, 0.0), 3),
            "returnable": bool(product.sevensenders_returnable),
        }
        if attributes.get("appearance"):
            vals["appearance"] = attributes["appearance"][:64]
        parent = self.linked_line_id if self.combo_item_id else self.browse()
        if parent:
            vals["bundle_item"] = f"{order.name}-{parent.id}"
        if "website_url" in product._fields and product.is_published:
            base = account._sevensenders_shop_url() or ""
            vals["shop_product_url"] = base.rstrip("/") + product.website_url
        return vals
