# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.misc import formatLang

from ..compat import Index
from ..sevensenders import NotFoundError

DELIVERY_STATES = [
    ("in_transit", "In transit"),
    ("out_for_delivery", "Out for delivery"),
    ("delivered", "Delivered"),
    ("returned", "Returned"),
    ("cancelled", "Cancelled"),
    ("exception", "Exception"),
]
#: a parcel in one of these is no longer polled
FINAL_STATES = ("delivered", "returned", "cancelled")
#: the parcels the tracking poll reads (open, or their history never read),
#: the condition of the poll and of its index word for word: PostgreSQL reads
#: a partial index only for a query whose condition implies the index's
#: (``IS NOT TRUE``, not ``NOT COALESCE(...)``: PostgreSQL estimates the
#: former from its statistics, the latter as a quarter of the table, which
#: made a plan of the late cron look costly enough to be compiled, 0.4 s)
POLLED = (
    "state = 'active' AND is_return IS NOT TRUE AND "
    "shipment_ref IS NOT NULL AND (delivery_state IS NULL OR delivery_state "
    "NOT IN (%s) OR status_history_read IS NOT TRUE)"
    % ", ".join(f"'{state}'" for state in FINAL_STATES)
)


class SevenSendersParcel(models.Model):
    """One package: its label, its Seven Senders shipment, its tracking and
    status, the events sent for it. A delivery's state comes from its parcels."""

    _name = "sevensenders.parcel"
    _inherit = ["sevensenders.poll.mixin"]
    _description = "Seven Senders Parcel"
    _order = "id"

    picking_id = fields.Many2one(
        "stock.picking", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="picking_id.company_id", store=True)
    account_id = fields.Many2one(
        "sevensenders.account", required=True, ondelete="restrict"
    )
    name = fields.Char("Package")
    reference_number = fields.Char(readonly=True)
    label_ref = fields.Char("Label id", readonly=True)
    shipment_ref = fields.Char("Shipment id", readonly=True, index=True)
    tracking_code = fields.Char(readonly=True, index=True)
    tracking_url = fields.Char(readonly=True)
    weight = fields.Float(digits="Stock Weight")
    is_return = fields.Boolean(readonly=True)
    attachment_id = fields.Many2one("ir.attachment", "Label file", readonly=True)
    label_file = fields.Binary("Label", related="attachment_id.datas")
    label_filename = fields.Char(related="attachment_id.name")
    weight_display = fields.Char("Weight with unit", compute="_compute_weight_display")
    customs_ref = fields.Char("Customs shipment id", readonly=True, copy=False)
    manifest_ref = fields.Char(
        "Customs manifest",
        readonly=True,
        copy=False,
        help="Set once; a manifest cannot change.",
    )
    state = fields.Selection(
        [("active", "Active"), ("cancelled", "Cancelled")],
        default="active",
        required=True,
    )
    carrier_status = fields.Char(
        "Carrier status", readonly=True, copy=False, help="As Seven Senders reports it."
    )
    delivery_state = fields.Selection(
        DELIVERY_STATES, readonly=True, copy=False, index="btree_not_null"
    )
    status_date = fields.Datetime(
        "Status since", readonly=True, copy=False, help="When the status changed."
    )
    status_checked_at = fields.Datetime(readonly=True, copy=False)
    events_sent = fields.Char(
        "Events",
        readonly=True,
        copy=False,
        help="Shipment events queued for this parcel (each is sent once).",
    )

    def _compute_weight_display(self):
        unit = self.env[
            "product.template"
        ]._get_weight_uom_name_from_ir_config_parameter()
        for parcel in self:
            parcel.weight_display = "%s %s" % (
                formatLang(self.env, parcel.weight, dp="Stock Weight"),
                unit,
            )

    def _compute_display_name(self):
        for parcel in self:
            parcel.display_name = " ".join(
                p for p in (parcel.name, parcel.tracking_code) if p
            ) or str(parcel.id)

    # the parcels the poll and the late cron read, least recently polled first
    _polled_idx = Index(f"(status_checked_at NULLS FIRST, id) WHERE {POLLED}")

    # ------------------------------------------------------------------
    # Which parcels: the one place for these filters
    # ------------------------------------------------------------------

    def _sevensenders_active(self):
        """Parcels whose label stands (not cancelled)."""
        return self.filtered(lambda p: p.state == "active")

    def _sevensenders_active_outbound(self):
        """Active parcels going to the customer (not return labels)."""
        return self.filtered(lambda p: p.state == "active" and not p.is_return)

    def _sevensenders_returns(self):
        """Active return labels."""
        return self.filtered(lambda p: p.state == "active" and p.is_return)

    def _sevensenders_shipped(self):
        """Outbound parcels that have their Seven Senders shipment."""
        return self._sevensenders_active_outbound().filtered("shipment_ref")

    def _sevensenders_account(self):
        self.ensure_one()
        return self.account_id.sudo()

    # ------------------------------------------------------------------
    # Events: each once per parcel
    # ------------------------------------------------------------------

    def _sevensenders_enqueue_event(self, event):
        """Queue a shipment event for each of these parcels that has a
        shipment and did not have this event queued yet."""
        outbox = self.env["sevensenders.outbox"]
        for parcel in self.filtered("shipment_ref"):
            sent = (parcel.events_sent or "").split("\n")
            if event in sent:
                continue
            outbox._sevensenders_enqueue(
                parcel.account_id,
                "shipment_event",
                parcel.picking_id,
                shipment_id=parcel.shipment_ref,
                parcel_id=parcel.id,
                event=event,
                datetime=fields.Datetime.to_string(fields.Datetime.now()),
            )
            parcel.sudo().events_sent = "\n".join([s for s in sent if s] + [event])

    # ------------------------------------------------------------------
    # Tracking status pull
    # ------------------------------------------------------------------

    @api.model
    def _sevensenders_map_status(self, status):
        """Delivery state of a raw Seven Senders shipment status."""
        raw = (status or "").strip().lower().replace("_", " ")
        for words, state in (
            (("out for delivery",), "out_for_delivery"),
            (("returned", "return to sender", "retour"), "returned"),
            (("cancel",), "cancelled"),
            (("delivered", "zugestellt"), "delivered"),
            (("exception", "failed", "lost", "damaged", "refused"), "exception"),
        ):
            if any(word in raw for word in words):
                return state
        return "in_transit"

    @api.model
    def _cron_sevensenders_pull_tracking(self, batch_size=50):
        """Poll every open outgoing parcel; stop once delivered, returned or
        cancelled. Answers how many parcels were read."""
        self.env["stock.picking"].flush_model(["state"])
        return self._sevensenders_poll_due(
            SQL(
                "%s AND picking_id IN "
                "(SELECT id FROM stock_picking WHERE state = 'done')",
                SQL(POLLED),
            ),
            "status_checked_at",
            batch_size,
            lambda parcels: parcels._sevensenders_pull_tracking(),
        )

    def _sevensenders_pull_tracking(self):
        labels = dict(self._fields["delivery_state"]._description_selection(self.env))

        def changes(parcel, shipment):
            if shipment is None:  # Seven Senders has no such shipment (any more)
                return {"status_history_read": True}
            added = parcel._sevensenders_record_history(shipment)
            if added:
                parcel.picking_id._sevensenders_parcel_moved(parcel)
            # the status date is the latest status's, as Seven Senders dates it
            dates = parcel.status_ids.mapped("date")
            vals = {"status_history_read": True}
            if dates:
                vals["status_date"] = max(dates)
            status = shipment.state or ""
            if not status or status == parcel.carrier_status:
                return vals
            state = self._sevensenders_map_status(status)
            picking = parcel.picking_id
            picking.message_post(
                body=self.env._(
                    "Seven Senders status of parcel %(parcel)s: %(status)s (%(state)s)",
                    parcel=parcel.display_name,
                    status=status,
                    state=labels[state],
                )
            )
            return {**vals, "carrier_status": status, "delivery_state": state}

        def fetch(client, parcel):
            try:
                return client.get_shipment(parcel.shipment_ref)
            except NotFoundError:
                return None

        self._sevensenders_poll("status_checked_at", fetch, changes)
