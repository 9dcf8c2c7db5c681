# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Order states: which are sent and when (never a pre-shipment state once the
order is shipped), payment and boarding complete, and the state pull."""

from odoo import api, fields, models
from odoo.tools import SQL

from ..compat import Index

FINAL_ORDER_STATES = ("completed", "cancelled", "refunded")
#: the orders the state poll reads: its condition and its index's, word for
#: word (see ``POLLED`` of the parcels)
POLLED_ORDERS = (
    "state = 'sale' AND sevensenders_order_ref IS NOT NULL AND "
    "(sevensenders_order_state IS NULL OR sevensenders_order_state NOT IN (%s))"
    % ", ".join(f"'{state}'" for state in FINAL_ORDER_STATES)
)


class SaleOrder(models.Model):
    _inherit = "sale.order"

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
            state=state,
            datetime=fields.Datetime.to_string(fields.Datetime.now()),
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
                    order._sevensenders_enqueue("boarding_complete")

    # ------------------------------------------------------------------
    # Order state pull
    # ------------------------------------------------------------------

    _SEVENSENDERS_FINAL_ORDER_STATES = FINAL_ORDER_STATES
    # the orders the poll reads, least recently polled first
    _sevensenders_polled_idx = Index(
        f"(sevensenders_state_checked_at NULLS FIRST, id) WHERE {POLLED_ORDERS}"
    )

    @api.model
    def _cron_sevensenders_pull_order_states(self, batch_size=100):
        """Read the state Seven Senders derives for open orders (shipped,
        completed...); completed ones are no longer polled."""
        return self._sevensenders_poll_due(
            SQL(POLLED_ORDERS),
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
