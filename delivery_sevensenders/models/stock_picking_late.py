# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Late parcels become work: one activity on each delivery that turns late,
closed when its parcel moves again or is delivered."""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL, format_datetime

from ..compat import Index, cron_progress
from .sevensenders_parcel import POLLED


class StockPicking(models.Model):
    _inherit = "stock.picking"

    sevensenders_status_ids = fields.One2many(
        "sevensenders.parcel.status",
        "picking_id",
        "Seven Senders status history",
        readonly=True,
    )
    sevensenders_late = fields.Boolean(
        "Late (Seven Senders)",
        readonly=True,
        copy=False,
        help="A parcel was found late (past the promised date, or no carrier scan "
        "for the account's days); cleared when none is late any more.",
    )
    sevensenders_late_activity_id = fields.Many2one(
        "mail.activity",
        "Late-parcel activity",
        readonly=True,
        copy=False,
        ondelete="set null",
    )

    # the deliveries marked late (the late cron's, a handful in the table)
    _sevensenders_late_idx = Index("(id) WHERE sevensenders_late")

    @api.model
    def _cron_sevensenders_late_parcels(self):
        """Daily: one activity on each delivery that turned late; deliveries
        that are no longer late lose the mark (and their activity, if open)."""
        late = self.sudo().browse(self._sevensenders_late_ids())
        newly = late.filtered(lambda p: not p.sevensenders_late)
        for picking in newly:
            picking._sevensenders_flag_late()
        over = self.sudo().search(
            [("sevensenders_late", "=", True), ("id", "not in", late.ids)]
        )
        for picking in over:
            picking._sevensenders_close_late_activity(
                self.env._("No parcel of this delivery is late any more.")
            )
        over.sevensenders_late = False
        cron_progress(self.env, done=len(newly) + len(over), remaining=0)
        return len(newly)

    @api.model
    def _sevensenders_late_ids(self):
        """The deliveries with a parcel late now (``is_late`` of the shipping
        report), read from the open parcels only (the poll's index,
        ``POLLED``), never the delivered ones (nor all deliveries: each
        parcel's is looked up, ``OFFSET 0``). A parcel whose history was
        never read (older than 1.4.0, until the tracking pull read it once)
        is not judged on a poll time."""
        self.env["sevensenders.parcel"].flush_model()
        self.env["sevensenders.account"].flush_model(["late_after_days"])
        self.flush_model(["state", "date_done"])
        is_late, _late = self.env[
            "sevensenders.shipping.report"
        ]._sevensenders_late_sql(SQL("(now() AT TIME ZONE 'UTC')"))
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT p.picking_id "
                "FROM (SELECT * FROM sevensenders_parcel WHERE %s) p "
                "JOIN sevensenders_account a ON a.id = p.account_id "
                "CROSS JOIN LATERAL (SELECT date_done FROM stock_picking "
                "  WHERE id = p.picking_id AND state = 'done' OFFSET 0) sp "
                "WHERE p.status_history_read AND %s",
                SQL(POLLED),
                is_late,
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def _sevensenders_late_user(self):
        self.ensure_one()
        account = self.sevensenders_parcel_ids[:1].account_id.sudo()
        return (
            account.late_user_id
            or self.user_id
            or self.sale_id.user_id
            or account.responsible_user_id
            or self.env.ref("base.user_admin")
        )

    def _sevensenders_flag_late(self):
        self.ensure_one()
        parcels = self._sevensenders_shipped_parcels()
        lines = [
            self.env._(
                "%(parcel)s: %(status)s since %(date)s; promised %(promised)s",
                parcel=parcel.display_name,
                status=parcel.carrier_status or "-",
                date=format_datetime(
                    self.env, parcel.status_date or parcel.picking_id.date_done
                ),
                promised=format_datetime(self.env, parcel.promised_date)
                if parcel.promised_date
                else self.env._("nothing"),
            )
            for parcel in parcels
        ]
        activity = self.sudo().activity_schedule(
            "mail.mail_activity_data_warning",
            summary=self.env._("Seven Senders: parcel late"),
            note=Markup("<p>%s</p><ul>%s</ul>")
            % (
                self.env._(
                    "Past the promised date, or no carrier scan for too long. "
                    "Ask the carrier or tell the customer."
                ),
                Markup("").join(Markup("<li>%s</li>") % line for line in lines),
            ),
            user_id=self._sevensenders_late_user().id,
        )
        self.sudo().write(
            {"sevensenders_late": True, "sevensenders_late_activity_id": activity.id}
        )

    def _sevensenders_close_late_activity(self, feedback):
        for picking in self.sudo():
            activity = picking.sevensenders_late_activity_id
            if activity.exists() and activity.active:
                activity.action_feedback(feedback=feedback)
            picking.sevensenders_late_activity_id = False

    def _sevensenders_parcel_moved(self, parcel):
        """A new status of ``parcel``: its delivery's late activity is done
        (the mark stays while it is late, so it gets no second one)."""
        self.ensure_one()
        if self.sudo().sevensenders_late_activity_id:
            self._sevensenders_close_late_activity(
                self.env._(
                    "Parcel %(parcel)s moved: %(status)s",
                    parcel=parcel.display_name,
                    status=parcel.status_ids[:1].carrier_status,
                )
            )
