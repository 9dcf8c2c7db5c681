# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Shipping performance: the status history of each parcel (as the tracking
pull reads it from the sandbox), the figures made from it, the reports and the
late-parcel activities."""

import importlib.util
from datetime import timedelta, timezone
from pathlib import Path

from odoo import fields
from odoo.tests import new_test_user, tagged

from .common import SevenSendersCase

REPORT = "sevensenders.shipping.report"


def api_date(value, offset_hours=0):
    """``value`` (naive UTC) as the API writes it, in a zone ``offset_hours``
    east of UTC: the Odoo side must bring it back to UTC."""
    zone = timezone(timedelta(hours=offset_hours))
    return value.replace(tzinfo=timezone.utc).astimezone(zone).isoformat()


def group_totals(model, domain, aggregates):
    """The pivot's totals row, as the web client asks it (18.0 ``read_group``,
    19.0 ``formatted_read_group``)."""
    if hasattr(model, "formatted_read_group"):
        return model.formatted_read_group(domain, [], aggregates)[0]
    specs = [spec for spec in aggregates if spec != "__count"]
    row = model.read_group(domain, specs, [], lazy=False)[0]
    return {spec: row[spec.split(":")[0]] for spec in aggregates}


@tagged("post_install", "-at_install")
class TestShippingKpi(SevenSendersCase):
    def setUp(self):
        super().setUp()
        # the order's confirmation, in whole seconds; the carrier's scans
        # come after (the sandbox keeps a shipment's history in date order)
        self.base = fields.Datetime.now().replace(microsecond=0)

    def at(self, hours):
        return self.base + timedelta(hours=hours)

    def two_parcels(self, **order_vals):
        order = self.make_order(
            carrier=self.carrier,
            lines=[(self.shirt, 1), (self.bottle, 1)],
            **order_vals,
        )
        picking = order.picking_ids
        picking.action_assign()
        lines = picking.move_line_ids
        self.validate(
            picking,
            packages=[
                lines.filtered(lambda ml: ml.product_id == self.shirt),
                lines.filtered(lambda ml: ml.product_id == self.bottle),
            ],
        )
        self.drain()
        order.date_order = self.base
        parcels = picking.sevensenders_parcel_ids.sorted("id")
        self.assertEqual(len(parcels), 2)
        return order, picking, parcels

    def move(self, parcel, status, hours, offset_hours=0):
        self.sandbox.move_shipment(
            int(parcel.shipment_ref), status, api_date(self.at(hours), offset_hours)
        )

    def history(self, parcel):
        lines = parcel.status_ids.sorted(lambda line: (line.date, line.id))
        return [(line.carrier_status, line.date) for line in lines]

    def test_history_backfilled_after_an_upgrade(self):
        """Parcels shipped before 1.4.0: no history, one delivered long ago
        (final: never polled again before). The late check leaves them alone,
        the migration starts the pull, which reads each once; the status date
        is the latest status's; a parcel whose only scan is "delivered" has
        no transit time."""
        order, picking, (first, second) = self.two_parcels(commitment_date=self.at(-1))
        self.move(first, "Pickup", 20)
        self.move(first, "delivered", 50)
        self.move(second, "delivered", 30)
        old_poll = self.at(-2)
        (first | second).write(
            {
                "delivery_state": "delivered",
                "carrier_status": "delivered",
                "status_date": old_poll,
                "status_history_read": False,
            }
        )
        (first | second).status_ids.unlink()
        self.env["stock.picking"]._cron_sevensenders_late_parcels()
        self.assertFalse(picking.sevensenders_late, "not judged before it was read")
        path = Path(__file__).parents[1] / "migrations/1.5.0/post-migration.py"
        spec = importlib.util.spec_from_file_location("sevensenders_mig_150", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(self.env.cr, "18.0.1.4.1")
        self.env.invalidate_all()
        self.assertFalse(first.status_history_read)
        self.pull_tracking()
        self.assertTrue(first.status_history_read and second.status_history_read)
        self.assertEqual(
            [s for s, _d in self.history(first)], ["new", "Pickup", "delivered"]
        )
        self.assertEqual(first.status_date, self.at(50), "never the poll time")
        self.assertEqual(first.delivered_date, self.at(50))
        self.assertEqual(first.transit_hours, 30.0)
        self.assertEqual(second.delivered_date, self.at(30))
        self.assertFalse(second.handover_date, "no carrier scan before delivery")
        self.assertEqual(second.transit_hours, 0.0, "unknown (NULL in the report)")

        # read once: delivered and read, neither is polled again
        def reads():
            return [
                r
                for r in self.sandbox.requests()
                if r["method"] == "GET" and r["path"].startswith("/v2/shipments/")
            ]

        before = len(reads())
        self.pull_tracking()
        self.assertEqual(len(reads()), before)
        # the migration marks parcels whose history was read
        first.status_history_read = False
        first.flush_recordset()
        migration.migrate(self.env.cr, "18.0.1.4.1")
        first.invalidate_recordset()
        self.assertTrue(first.status_history_read)

    def test_history_arrives_in_pieces(self):
        # promised 60 h after the order: the first parcel arrives in time,
        # the second 12 h late
        order, picking, (first, second) = self.two_parcels(commitment_date=self.at(60))
        self.move(first, "Pickup", 20, offset_hours=2)
        self.pull_tracking()
        created = {
            p: p.status_ids.filtered(lambda s: s.carrier_status == "new").date
            for p in (first, second)
        }
        self.assertTrue(all(created.values()), "the shipment's own 'new' is kept")
        self.assertEqual(
            self.history(first), [("new", created[first]), ("Pickup", self.at(20))]
        )
        self.assertEqual(self.history(second), [("new", created[second])])
        self.assertEqual(first.status_date, self.at(20), "dated by Seven Senders")
        self.assertEqual(first.handover_date, self.at(20))
        self.assertEqual(first.dispatch_hours, 20.0)
        self.assertEqual(first.punctuality, "not_delivered")

        self.move(first, "in_transit", 30, offset_hours=-5)
        self.move(second, "Pickup", 26)
        self.pull_tracking()
        self.pull_tracking()  # nothing new: no line twice
        self.move(first, "delivered", 50)
        self.move(second, "in_transit", 40)
        self.pull_tracking()
        self.move(second, "out_for_delivery", 66)
        self.move(second, "delivered", 72)
        self.pull_tracking()
        self.pull_tracking()

        self.assertEqual(
            self.history(first),
            [
                ("new", created[first]),
                ("Pickup", self.at(20)),
                ("in_transit", self.at(30)),
                ("delivered", self.at(50)),
            ],
        )
        self.assertEqual(
            self.history(second),
            [
                ("new", created[second]),
                ("Pickup", self.at(26)),
                ("in_transit", self.at(40)),
                ("out_for_delivery", self.at(66)),
                ("delivered", self.at(72)),
            ],
        )
        self.assertEqual(
            [s.source for s in picking.sevensenders_status_ids], ["history"] * 9
        )
        self.assertEqual(len(picking.sevensenders_status_ids), 9)
        self.assertEqual(
            (first.transit_hours, first.punctuality, first.late_hours),
            (30.0, "on_time", 0.0),
        )
        self.assertEqual(
            (second.dispatch_hours, second.transit_hours, second.punctuality),
            (26.0, 46.0, "late"),
        )
        self.assertEqual(second.late_hours, 12.0)
        self.assertEqual(second.status_date, self.at(72))
        self.assertEqual(picking.sevensenders_delivery_state, "delivered")
        # the report of this delivery: averages, 90th percentile, on-time share
        report = self.env[REPORT]
        totals = group_totals(
            report,
            [("picking_id", "=", picking.id)],
            [
                "__count",
                "dispatch_hours:avg",
                "dispatch_hours_p90:max",
                "transit_hours:avg",
                "transit_hours_p90:max",
                "on_time_rate:avg",
                "late_hours:avg",
                "no_promise_count:sum",
            ],
        )
        self.assertEqual(totals["__count"], 2)
        self.assertAlmostEqual(totals["dispatch_hours:avg"], 23.0)
        # percentile_cont over 20 and 26: 20 + 0.9 * 6
        self.assertAlmostEqual(totals["dispatch_hours_p90:max"], 25.4)
        self.assertAlmostEqual(totals["transit_hours:avg"], 38.0)
        self.assertAlmostEqual(totals["transit_hours_p90:max"], 30 + 0.9 * 16)
        self.assertAlmostEqual(totals["on_time_rate:avg"], 50.0)
        self.assertAlmostEqual(totals["late_hours:avg"], 6.0)
        self.assertEqual(totals["no_promise_count:sum"], 0)

    def test_a_status_without_history_is_dated_when_seen(self):
        order, picking, (first, _second) = self.two_parcels()
        fake = type(
            "Shipment", (), {"state": "Hub Scan at LMC", "states_history": []}
        )()
        before = fields.Datetime.now().replace(microsecond=0)
        added = first._sevensenders_record_history(fake)
        self.assertEqual(added.source, "poll")
        self.assertGreaterEqual(added.date, before)
        self.assertFalse(first._sevensenders_record_history(fake), "once")

    def test_parcel_without_promised_date_is_counted_as_such(self):
        # no commitment date, no lead time: the order promised nothing
        order, picking, (first, second) = self.two_parcels()
        self.assertFalse(first.promised_date)
        self.move(first, "Pickup", 5)
        self.move(first, "delivered", 29)
        self.move(second, "Pickup", 8)  # still on its way
        self.pull_tracking()
        self.assertEqual(first.punctuality, "no_promise")
        self.assertEqual(first.transit_hours, 24.0)
        self.assertEqual(second.punctuality, "no_promise")
        totals = group_totals(
            self.env[REPORT],
            [("picking_id", "=", picking.id)],
            [
                "__count",
                "transit_hours:avg",
                "on_time_rate:avg",
                "late_hours:avg",
                "no_promise_count:sum",
                "undelivered_count:sum",
            ],
        )
        # the undelivered parcel is not a 0 h transit, the unpromised ones
        # neither on time nor late
        self.assertEqual(totals["__count"], 2)
        self.assertAlmostEqual(totals["transit_hours:avg"], 24.0)
        self.assertFalse(totals["on_time_rate:avg"])
        self.assertIsNot(totals["on_time_rate:avg"], 0.0)
        self.assertEqual(totals["no_promise_count:sum"], 2)
        self.assertEqual(totals["undelivered_count:sum"], 1)
        # a lead time makes the expected date a promise
        self.shirt.product_tmpl_id.sale_delay = 3
        self.bottle.product_tmpl_id.sale_delay = 3
        later, picking2, (third, _fourth) = self.two_parcels()
        self.assertEqual(third.promised_date, later.expected_date)
        self.assertGreater(third.promised_date, later.date_order)


@tagged("post_install", "-at_install")
class TestLateParcels(SevenSendersCase):
    def setUp(self):
        super().setUp()
        self.clerk = new_test_user(
            self.env, "kpi_clerk", groups="stock.group_stock_user"
        )

    def late_activities(self, picking):
        return picking.activity_ids.filtered(
            lambda a: a.summary == "Seven Senders: parcel late"
        )

    def cron(self):
        return self.env["stock.picking"]._cron_sevensenders_late_parcels()

    def test_late_parcel_gets_one_activity_and_loses_it_when_delivered(self):
        self.account.late_user_id = self.clerk
        now = fields.Datetime.now()
        order = self.delivered()
        picking = order.picking_ids
        order.commitment_date = now - timedelta(hours=5)
        shipment = int(picking.sevensenders_parcel_ids.shipment_ref)
        self.sandbox.move_shipment(shipment, "Pickup")
        self.pull_tracking()
        self.assertEqual(self.cron(), 1)
        activity = self.late_activities(picking)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.clerk)
        self.assertTrue(picking.sevensenders_late)
        self.assertEqual(self.cron(), 0)
        self.assertEqual(len(self.late_activities(picking)), 1, "once")
        self.assertEqual(
            self.env[REPORT].search([("is_late", "=", True)]).picking_id, picking
        )
        self.sandbox.move_shipment(shipment, "delivered")
        self.pull_tracking()
        self.assertFalse(self.late_activities(picking), "done when delivered")
        self.cron()
        self.assertFalse(self.late_activities(picking))
        self.assertFalse(picking.sevensenders_late)
        self.assertEqual(picking.sevensenders_parcel_ids.punctuality, "late")
        self.assertFalse(self.env[REPORT].search([("is_late", "=", True)]))

    def test_parcel_without_scan_for_days_is_late_until_it_moves(self):
        self.account.late_after_days = 3
        order = self.delivered()
        picking = order.picking_ids
        picking.user_id = self.clerk
        self.pull_tracking()  # only 'new': no carrier scan
        self.assertFalse(self.cron(), "handed over today: not late")
        picking.date_done = fields.Datetime.now() - timedelta(days=4)
        self.assertEqual(self.cron(), 1)
        self.assertEqual(self.late_activities(picking).user_id, self.clerk)
        # the account may wait longer
        self.account.late_after_days = 5
        self.cron()
        self.assertFalse(self.late_activities(picking))
        self.assertFalse(picking.sevensenders_late)
        self.account.late_after_days = 3
        self.assertEqual(self.cron(), 1)
        self.sandbox.move_shipment(
            int(picking.sevensenders_parcel_ids.shipment_ref), "Hub Scan at LMC"
        )
        self.pull_tracking()
        self.assertFalse(self.late_activities(picking), "done when it moves")
        self.cron()
        self.assertFalse(picking.sevensenders_late, "scanned now: not late")


@tagged("post_install", "-at_install")
class TestShippingReportAccess(SevenSendersCase):
    def test_reporting_views_load_for_a_stock_user(self):
        order = self.delivered()
        shipment = int(order.picking_ids.sevensenders_parcel_ids.shipment_ref)
        self.sandbox.move_shipment(shipment, "Pickup")
        self.pull_tracking()
        user = new_test_user(self.env, "kpi_stock", groups="stock.group_stock_user")
        env = self.env(user=user)
        menus = env["ir.ui.menu"]._visible_menu_ids()
        for xmlid in (
            "sevensenders_shipping_report_menu",
            "sevensenders_late_parcels_menu",
            "sevensenders_return_line_menu",
        ):
            self.assertIn(self.env.ref(f"delivery_sevensenders.{xmlid}").id, menus)
        self.assertNotIn(
            self.env.ref("delivery_sevensenders.sevensenders_account_menu").id, menus
        )
        for xmlid in (
            "sevensenders_shipping_report_action",
            "sevensenders_late_parcels_action",
            "sevensenders_return_line_action",
        ):
            action = self.env.ref(f"delivery_sevensenders.{xmlid}")
            model = env[action.res_model]
            modes = action.view_mode.split(",")
            views = model.get_views(
                [(False, mode) for mode in modes] + [(False, "search")]
            )
            self.assertEqual(set(views["views"]), {*modes, "search"})
            measures = [
                f"{name}:{model._fields[name].aggregator}"
                for name, field in model._fields.items()
                if field.type in ("float", "integer")
                and field.aggregator
                and name != "id"
            ]
            totals = group_totals(model, [], ["__count", *measures])
            self.assertGreaterEqual(totals["__count"], 1 if "shipping" in xmlid else 0)
            model.search_read([], limit=80)
        rows = env[REPORT].search_read([], ["parcel_id", "carrier_status"])
        self.assertEqual(rows[0]["carrier_status"], "Pickup")
        form = env["sevensenders.parcel"].get_views([(False, "form")])
        self.assertIn("status_ids", form["views"]["form"]["arch"])
        env["sevensenders.parcel"].browse(rows[0]["parcel_id"][0]).status_ids.read(
            ["date", "carrier_status", "is_scan", "source"]
        )
