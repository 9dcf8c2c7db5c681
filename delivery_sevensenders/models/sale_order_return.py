# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Returns of an order: the return link (Seven Senders' return portal or the
shop's own returns), refunds and their events."""

import datetime as dt

from odoo import fields, models

from .sevensenders_outbox import UNSENT


class SaleOrder(models.Model):
    _inherit = "sale.order"

    sevensenders_return_url = fields.Char(
        "Return portal link",
        compute="_compute_sevensenders_return_url",
        help="Shown to the customer while the order can be returned.",
    )
    sevensenders_portal_return_url = fields.Char(
        "Return link of the customer portal",
        compute="_compute_sevensenders_return_url",
        help="The customer portal's Return items button: with returns in this "
        "shop, straight to the items of the order (no lookup); else the return "
        "link.",
    )

    # ------------------------------------------------------------------
    # Returns
    # ------------------------------------------------------------------

    def _compute_sevensenders_return_url(self):
        now = fields.Datetime.now()
        for order in self:
            url = order._sevensenders_return_url(now)
            order.sevensenders_return_url = url
            self_hosted = url and order._sevensenders_account().return_self_hosted
            order.sevensenders_portal_return_url = (
                order.get_portal_url(suffix="/returns") if self_hosted else url
            )

    def _sevensenders_return_url(self, now=None):
        """The return link while the order can be returned, else False: with
        returns in this shop, the order's own entry to its return pages (it
        carries the order's access token: no lookup, never locked out);
        else the account's return portal link."""
        self.ensure_one()
        if self.state != "sale":
            return False
        account = self._sevensenders_account()
        if not account or not (account.return_portal_url or account.return_self_hosted):
            return False
        if not self._sevensenders_return_deliveries(now):
            return False
        if account.return_self_hosted:
            return self.get_base_url() + self.get_portal_url(suffix="/returns")
        partner = self.partner_id
        return account._sevensenders_return_url(self.name, partner.email, partner.lang)

    def _sevensenders_return_deliveries(self, now=None):
        """The deliveries of this order that may be returned now: a confirmed
        order on a Seven Senders account, its outgoing deliveries done and,
        when the account opens returns at delivery, delivered (as Seven Senders
        reports their parcels; a delivery it does not track counts from its
        shipping); within the account's return window after the last of them.
        Empty otherwise."""
        self.ensure_one()
        none = self.env["stock.picking"]
        account = self._sevensenders_account()
        if self.state != "sale" or not account:
            return none
        done = self.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing" and p.state == "done"
        )
        opened = {picking: picking.date_done for picking in done}
        if account.return_opens == "delivery":
            opened = {picking: picking._sevensenders_delivered_on() for picking in done}
        opened = {picking: date for picking, date in opened.items() if date}
        if not opened:
            return none
        window = dt.timedelta(days=account.return_window_days or 0)
        if (now or fields.Datetime.now()) > max(opened.values()) + window:
            return none
        return none.union(*opened)

    def _sevensenders_refunded(self):
        """A credit note of these orders is paid: the Refunded shipment event,
        once per parcel."""
        for order in self:
            account = order._sevensenders_account()
            if not account or not account.sync_orders:
                continue
            # a billing user gets here: the parcels are read as the connector
            order.sudo().picking_ids._sevensenders_shipped_parcels()._sevensenders_enqueue_event(
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
            self.env["sevensenders.outbox"]._sevensenders_rows(
                self, (*UNSENT, "done"), ["order_items_create"]
            )
        )
