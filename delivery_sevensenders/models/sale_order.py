# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import datetime as dt

from odoo import api, fields, models
from odoo.exceptions import UserError

from .sevensenders_outbox import SevenSendersWait


def _utc(value):
    """An Odoo (naive UTC) datetime as an aware one, or None."""
    return value.replace(tzinfo=dt.timezone.utc) if value else None


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "sevensenders.sync.mixin"]

    #: changes of these fields are sent to Seven Senders
    _SEVENSENDERS_ORDER_FIELDS = frozenset({"commitment_date", "tag_ids", "partner_id"})

    sevensenders_order_ref = fields.Char(
        "Seven Senders order id", copy=False, readonly=True, index="btree_not_null"
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
        return (
            self.env["sevensenders.outbox"]
            .sudo()
            .search_count(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "=", self.id),
                    ("operation", "=", "order_delete"),
                ]
            )
        )

    # ------------------------------------------------------------------
    # Triggers
    # ------------------------------------------------------------------

    def _action_confirm(self):
        # queued first, so that what confirmation triggers (a delivery ready at
        # once: in_preparation) is queued after the order itself
        self._sevensenders_enqueue("order_create", key="order_create:{id}:{gen}")
        return super()._action_confirm()

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
                    ("state", "in", ("pending", "retry")),
                ]
            )
            waiting.action_sevensenders_cancel()
            order._sevensenders_enqueue(
                "order_delete",
                payload={"order_id": order.name, "ref": order.sevensenders_order_ref},
            )
        return res

    def _sevensenders_set_state(self, state):
        """Queue an order state (new, paid, in_production, in_preparation, refunded)."""
        self.filtered(
            lambda o: o.state == "sale" and o.sevensenders_sync_state
        )._sevensenders_enqueue(
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
    # Payload
    # ------------------------------------------------------------------

    def _sevensenders_prepare_order_vals(self, account):
        """The ``POST /orders`` body of this order (override to add fields)."""
        self.ensure_one()
        partner = self.partner_id
        language = account._sevensenders_language(partner.lang)
        if not language:
            raise UserError(
                self.env._(
                    "The language of %(partner)s (%(lang)s) is not one Seven Senders "
                    "sends notifications in; set a fallback language on the Seven "
                    "Senders account %(account)s.",
                    partner=partner.display_name,
                    lang=partner.lang or "-",
                    account=account.name,
                )
            )
        vals = {
            "order_id": self.name,
            "order_url": account._sevensenders_shop_url(),
            "order_date": _utc(self.date_order),
            "language": [language],
            "boarding_complete": False,
        }
        if self.tag_ids:
            vals["order_tags"] = {
                f"tag_{index}": tag.name for index, tag in enumerate(self.tag_ids, 1)
            }
        promised = self.commitment_date or self.expected_date
        if promised:
            vals["promised_delivery_date"] = _utc(promised)
        return vals

    # ------------------------------------------------------------------
    # Outbox handlers: (client, outbox row, order or empty) -> Seven Senders id
    # ------------------------------------------------------------------

    def _sevensenders_require_ref(self, client, row):
        """The Seven Senders id of this order, waiting for its creation if queued."""
        self.ensure_one()
        if self.sevensenders_order_ref:
            return self.sevensenders_order_ref
        creating = (
            self.env["sevensenders.outbox"]
            .sudo()
            .search_count(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "=", self.id),
                    ("operation", "=", "order_create"),
                    ("state", "in", ("pending", "retry")),
                    ("id", "!=", row.id),
                ]
            )
        )
        found = client.find_order(self.name)
        if found:
            self.sevensenders_order_ref = str(found.id)
            return self.sevensenders_order_ref
        if creating:
            raise SevenSendersWait(self.env._("Waiting for the order to be created."))
        raise UserError(
            self.env._("Order %(order)s is not in Seven Senders yet.", order=self.name)
        )

    @api.model
    def _sevensenders_outbox_order_create(self, client, row, order):
        if not order:
            return None
        result = client.create_order(
            order._sevensenders_prepare_order_vals(row.account_id)
        )
        order.sevensenders_order_ref = str(result.id)
        return result.id

    @api.model
    def _sevensenders_outbox_order_update(self, client, row, order):
        if not order or order.state != "sale":
            return None
        ref = order._sevensenders_require_ref(client, row)
        vals = order._sevensenders_prepare_order_vals(row.account_id)
        for key in ("order_id", "boarding_complete"):
            vals.pop(key)
        client.update_order(ref, vals)
        return ref

    @api.model
    def _sevensenders_outbox_order_delete(self, client, row, order):
        payload = row.payload or {}
        found = client.find_order(payload.get("order_id") or order.name)
        if found:
            client.delete_order(found.id)
        if order:
            order.sevensenders_order_ref = False
        return found and found.id

    @api.model
    def _sevensenders_outbox_order_state(self, client, row, order):
        if not order:
            return None
        order._sevensenders_require_ref(client, row)
        payload = row.payload
        client.set_order_state(
            {
                "order_id": order.name,
                "state": payload["state"],
                "datetime": _utc(fields.Datetime.to_datetime(payload["datetime"])),
            }
        )
        return order.sevensenders_order_ref

    @api.model
    def _sevensenders_outbox_boarding_complete(self, client, row, order):
        if not order:
            return None
        ref = order._sevensenders_require_ref(client, row)
        client.update_order(ref, {"boarding_complete": True})
        return ref
