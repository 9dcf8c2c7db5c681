# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Deliveries: their parcels and state, the triggers and the buttons."""

from functools import partial

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from .access import check_caller
from .sevensenders_outbox import UNSENT, WAITING
from .sevensenders_parcel import DELIVERY_STATES


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
        compute="_compute_sevensenders_tracking_status",
        compute_sudo=True,
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
        compute_sudo=True,
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
        "sevensenders_parcel_ids.state", "sevensenders_parcel_ids.delivery_state"
    )
    def _compute_sevensenders_delivery_state(self):
        for picking in self:
            parcels = picking._sevensenders_shipped_parcels()
            picking.sevensenders_delivery_state = picking._sevensenders_combine_states(
                parcels.mapped("delivery_state")
            )

    @api.depends(
        "sevensenders_parcel_ids.state", "sevensenders_parcel_ids.carrier_status"
    )
    def _compute_sevensenders_tracking_status(self):
        for picking in self:
            parcels = picking._sevensenders_shipped_parcels()
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

    def _send_confirmation_email(self):
        # stock_delivery makes each delivery's labels in turn (send_to_shipper):
        # the 7S ones of the batch are fetched at once before, each delivery
        # then stores its own (and a failed one raises in its turn, as before)
        carriers = self.env["delivery.carrier"]
        due = self.filtered(carriers._sevensenders_label_due)
        with carriers._sevensenders_prefetch(due) as key:
            pickings = self.with_context(sevensenders_prefetch=key) if key else self
            return super(StockPicking, pickings)._send_confirmation_email()

    def _sevensenders_defer_note(self, body, attachments):
        """stock_delivery posts "Shipment sent to carrier ..." right after the
        labels: their note and files join that post (one post per run), or
        are posted on their own when the transaction commits without it."""
        self.ensure_one()
        notes = self.env.cr.precommit.data.setdefault("sevensenders_label_notes", {})
        if not notes:
            self.env.cr.precommit.add(partial(self._sevensenders_post_notes, notes))
        notes[self.id] = (body, attachments.ids)

    def _sevensenders_post_notes(self, notes):
        while notes:
            picking_id, (body, attachment_ids) = notes.popitem()
            attachments = self.env["ir.attachment"].browse(attachment_ids).exists()
            if attachments:  # (not rolled back with a failed delivery)
                self.browse(picking_id).message_post(
                    body=body, attachment_ids=attachments.ids
                )

    def _process_attachments_for_post(
        self, attachments, attachment_ids, message_values
    ):
        notes = self.env.cr.precommit.data.get("sevensenders_label_notes")
        note = notes.pop(self.id, None) if notes and len(self) == 1 else None
        if note:
            attachment_ids = [*(attachment_ids or []), *note[1]]
        values = super()._process_attachments_for_post(
            attachments, attachment_ids, message_values
        )
        if note:
            values["body"] = Markup("%s<br/>%s") % (
                message_values.get("body") or "",
                note[0],
            )
        return values

    def action_cancel(self):
        res = super().action_cancel()
        self.sale_id._sevensenders_check_boarding_complete()
        return res

    def write(self, vals):
        res = super().write(vals)
        # a reference set, corrected or cleared (Odoo's *Cancel* of a shipment
        # clears it): Seven Senders follows, old shipments withdrawn
        if "carrier_tracking_ref" in vals:
            done = self.filtered(lambda p: p.state == "done")
            done._sevensenders_withdraw_tracking_shipments()
            done._sevensenders_enqueue_tracking_shipment()
        return res

    def _sevensenders_after_done(self):
        self._sevensenders_enqueue_tracking_shipment()
        self.sale_id._sevensenders_check_boarding_complete()
        self._sevensenders_returned_to_warehouse()

    # ------------------------------------------------------------------
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

    def _sevensenders_tracking_only(self):
        """Outgoing deliveries of other carriers (tracking-only shipments)."""
        return self.filtered(
            lambda p: (
                p.picking_type_code == "outgoing"
                and p.carrier_id
                and p.carrier_id.delivery_type != "sevensenders"
            )
        )

    def _sevensenders_tracking_codes(self):
        self.ensure_one()
        codes = (self.carrier_tracking_ref or "").split(",")
        return [code.strip() for code in codes if code.strip()]

    def _sevensenders_enqueue_tracking_shipment(self):
        """Deliveries of other carriers: a tracking-only Seven Senders shipment."""
        outbox = self.env["sevensenders.outbox"]
        for picking in self._sevensenders_tracking_only():
            account = picking._sevensenders_account()
            if not account:
                continue
            # a salesman may enter the reference: the parcels are read as the
            # connector; a code whose withdrawal is still queued is created
            # again (which cancels the withdrawal; the create adopts the
            # shipment that is still there)
            withdrawing = {
                row.payload["tracking_code"]
                for row in outbox._sevensenders_rows(
                    picking, WAITING, ["shipment_delete"]
                )
            }
            known = set(
                picking.sudo()._sevensenders_shipped_parcels().mapped("tracking_code")
            )
            for code in picking._sevensenders_tracking_codes():
                if code not in known or code in withdrawing:
                    outbox._sevensenders_enqueue(
                        account, "shipment_create", picking, tracking_code=code
                    )

    def _sevensenders_withdraw_tracking_shipments(self):
        """Tracking-only shipments whose code the delivery no longer has are
        deleted in Seven Senders (queued creates of them are cancelled)."""
        outbox = self.env["sevensenders.outbox"]
        for picking in self._sevensenders_tracking_only():
            account = picking._sevensenders_account()
            if not account:
                continue
            codes = set(picking._sevensenders_tracking_codes())
            parcels = (
                picking.sudo().sevensenders_parcel_ids._sevensenders_active_outbound()
            )
            queued = outbox._sevensenders_rows(picking, UNSENT, ["shipment_create"])
            gone = {
                *parcels.mapped("tracking_code"),
                *(row.payload["tracking_code"] for row in queued),
            } - codes
            for code in sorted(gone):
                outbox._sevensenders_enqueue(
                    account, "shipment_delete", picking, tracking_code=code
                )

    def action_sevensenders_create_label(self):
        """Button and server action: make the Seven Senders labels now (before
        or after validation). The labels of every selected delivery are
        fetched at once; a delivery whose labels fail gets the message in its
        chatter, the others get their labels; the notification names both.
        One delivery that cannot have labels is an error."""
        check_caller(self, operation="write")
        refused = {
            picking: reason
            for picking in self
            if (reason := picking._sevensenders_label_refusal())
        }
        if len(self) == 1:
            if refused:
                raise UserError(refused[self])
            self.send_to_shipper()
            return self._sevensenders_labels_notification({})
        todo = self.filtered(lambda p: p not in refused)
        failed = todo._sevensenders_ship_each() if todo else {}
        return self._sevensenders_labels_notification({**refused, **failed})

    def _sevensenders_label_refusal(self):
        """Why this delivery cannot have labels made now, or ``None``."""
        self.ensure_one()
        if self.carrier_id.delivery_type != "sevensenders":
            return self.env._(
                "%(picking)s is not shipped with a Seven Senders carrier.",
                picking=self.name,
            )
        if self.sevensenders_parcel_ids._sevensenders_active():
            return self.env._(
                "%(picking)s has labels already; cancel the shipment first.",
                picking=self.name,
            )
        return None

    def _sevensenders_ship_each(self):
        """Every delivery's labels fetched at once, each delivery's stored on
        its own as they come in: ``{picking: message}`` of those failed."""
        failed = {}
        carriers = self.env["delivery.carrier"]
        with carriers._sevensenders_prefetching(self) as (key, arrivals):
            for picking in arrivals:
                try:
                    with self.env.cr.savepoint():
                        picking.with_context(
                            sevensenders_prefetch=key
                        ).send_to_shipper()
                except UserError as exc:
                    failed[picking] = exc.args[0]
                    picking.message_post(body=exc.args[0])
        return failed

    def _sevensenders_labels_notification(self, failed):
        """Which deliveries got their labels, and which did not and why
        (``failed``: ``{picking: message}``)."""
        done = self.filtered(lambda p: p not in failed)
        message = self.env._(
            "Seven Senders labels made for %(count)s deliveries: %(done)s.",
            count=len(done),
            done=", ".join(done.mapped("name")) or "-",
        )
        if failed:
            reasons = [
                self.env._("%(picking)s: %(reason)s", picking=p.name, reason=r)
                for p, r in failed.items()
            ]
            message += "\n" + self.env._(
                "Not made for %(count)s deliveries: %(failed)s",
                count=len(failed),
                failed="; ".join(reasons),
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Seven Senders labels"),
                "message": message,
                "type": "warning" if failed else "success",
                "sticky": bool(failed),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_sevensenders_send(self):
        """Server action: (re)queue the tracking-only shipments of done deliveries."""
        check_caller(self, operation="write")
        self._sevensenders_enqueue_tracking_shipment()
        return True

    # ------------------------------------------------------------------
    # Tracking status pull
    # ------------------------------------------------------------------

    @api.model
    def _cron_sevensenders_pull_tracking(self, batch_size=50):
        """Scheduled action: the parcels' statuses (``sevensenders.parcel``)."""
        return self.env["sevensenders.parcel"]._cron_sevensenders_pull_tracking(
            batch_size=batch_size
        )
