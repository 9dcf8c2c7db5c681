# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import api, fields, models
from odoo.exceptions import UserError

from .access import check_caller
from .common import utc
from .sevensenders_fields import Synced, synced_vals, trigger_fields
from .sevensenders_outbox import UNSENT

_logger = logging.getLogger(__name__)


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "sevensenders.sync.mixin"]

    #: the order's synced fields (see ``sevensenders_fields.py``); the
    #: customer's language and the lines' lead times, which derive values
    #: without a write to the order, queue the update from their own models
    _SEVENSENDERS_SYNCED = (
        Synced("order_url", "_sevensenders_value_order_url"),
        Synced("language", "_sevensenders_value_language", ("partner_id",)),
        Synced(
            "order_tags", "_sevensenders_value_tags", ("tag_ids",), switch="sync_tags"
        ),
        Synced(
            "promised_delivery_date",
            "_sevensenders_value_promised",
            ("commitment_date",),
        ),
    )

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
    sevensenders_language_warning = fields.Char(
        "Notification language",
        compute="_compute_sevensenders_language_warning",
        help="Why Seven Senders may send this customer no notification.",
    )

    sevensenders_pickup_point = fields.Text(
        "Pickup point",
        compute="_compute_sevensenders_pickup_point",
        help="The pickup point the customer chose at checkout: the parcel goes "
        "there, the customer stays the recipient.",
    )

    @api.depends("pickup_location_data")
    def _compute_sevensenders_pickup_point(self):
        for order in self:
            point = order.pickup_location_data or {}
            if not isinstance(point, dict) or not point.get("name"):
                order.sevensenders_pickup_point = False
                continue
            town = " ".join(
                str(point[key]) for key in ("zip_code", "city") if point.get(key)
            )
            lines = [point.get("street"), town, point.get("country_code")]
            order.sevensenders_pickup_point = "\n".join(
                [str(point["name"])] + [str(line) for line in lines if line]
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

    def _sevensenders_enqueue(self, operation, **payload):
        """Queue ``operation`` for each of these orders, on its account."""
        outbox = self.env["sevensenders.outbox"]
        for order in self:
            outbox._sevensenders_enqueue(
                order._sevensenders_account(), operation, order, **payload
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
        self._sevensenders_enqueue("order_create")
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
            order._sevensenders_enqueue("order_items_create")
            products = order.order_line.filtered(
                lambda line: line._sevensenders_is_item()
            ).product_id
            products.filtered(
                lambda p: not p.sevensenders_pushed_at
            )._sevensenders_enqueue_push(account)

    def write(self, vals):
        res = super().write(vals)
        if trigger_fields(self._SEVENSENDERS_SYNCED).intersection(vals):
            self._sevensenders_enqueue_update()
        return res

    def _sevensenders_enqueue_update(self):
        """Queue the update of the confirmed orders that were sent."""
        self.filtered(
            lambda o: o.state == "sale" and o.sevensenders_sync_state
        )._sevensenders_enqueue("order_update")

    def _action_cancel(self):
        synced = self.filtered("sevensenders_sync_state")
        res = super()._action_cancel()
        outbox = self.env["sevensenders.outbox"]
        for order in synced:
            outbox._sevensenders_rows(order, UNSENT).action_sevensenders_cancel()
            order.sevensenders_generation += 1
            order._sevensenders_enqueue(
                "order_delete", order_id=order.name, ref=order.sevensenders_order_ref
            )
        return res

    def action_sevensenders_send(self):
        """Button and server action: send (again) the confirmed orders."""
        check_caller(self)
        for order in self.filtered(lambda o: o.state == "sale"):
            if order.sevensenders_order_ref:
                order._sevensenders_enqueue("order_update")
            else:
                order._sevensenders_enqueue("order_create", manual=True)
        return True

    # ------------------------------------------------------------------
    # Payload
    # ------------------------------------------------------------------

    def _sevensenders_prepare_order_vals(self, account):
        """The ``POST /orders`` body of this order: its fixed keys and its
        synced fields (declare a new one in ``_SEVENSENDERS_SYNCED``)."""
        self.ensure_one()
        return {
            "order_id": self.name,
            "order_date": utc(self.date_order),
            "boarding_complete": False,
            **synced_vals(self, account, self._SEVENSENDERS_SYNCED),
        }

    def _sevensenders_prepare_order_update_vals(self, account):
        """The ``PUT /orders/{id}`` body: every synced field sent after the
        create; what Odoo no longer has goes as its clearing value."""
        self.ensure_one()
        return synced_vals(self, account, self._SEVENSENDERS_SYNCED, update=True)

    def _sevensenders_value_order_url(self, account):
        return account._sevensenders_shop_url() or None

    def _sevensenders_value_language(self, account):
        # recommended, needed for notifications only: never a reason to hold
        # the order back (the order form says why it went without one)
        language = account._sevensenders_language(self.partner_id.lang)
        return [language] if language else None

    def _sevensenders_value_tags(self, account):
        # the order's tags are sales data (19.0 restricts the field to
        # salesmen): a stock user who makes a label still sends them
        tags = self.sudo().tag_ids
        if not tags:
            return None
        return {f"tag_{index}": tag.name for index, tag in enumerate(tags, 1)}

    def _sevensenders_value_promised(self, account):
        promised = self.commitment_date or self.expected_date
        return utc(promised) if promised else None

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
