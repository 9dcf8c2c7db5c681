# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Where an Inventory user finds the Seven Senders reports and return
requests, what the late-parcel lists show, and the back-office views that go
with them (the delivery's parcels, the sale order's pickup point, the 7S
shipping method's settings)."""

from datetime import timedelta

from lxml import etree

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import SevenSendersCase

REPORT = "sevensenders.shipping.report"

#: the addon's menus an Inventory user without Seven Senders groups reaches
STOCK_USER_MENUS = (
    "stock.menu_warehouse_report",
    "delivery_sevensenders.sevensenders_shipping_report_menu",
    "delivery_sevensenders.sevensenders_late_parcels_menu",
    "delivery_sevensenders.sevensenders_return_line_menu",
    "delivery_sevensenders.sevensenders_return_request_menu",
)


def reachable(env, xmlid):
    """The menu and every menu above it are visible to ``env``'s user (the
    web client shows a menu only under visible parents)."""
    visible = set(env["ir.ui.menu"]._visible_menu_ids())
    menu = env.ref(xmlid)
    while menu:
        if menu.id not in visible:
            return False
        menu = menu.parent_id
    return True


def api_date(value):
    return value.isoformat() + "+00:00"


class LateParcelMixin:
    def late_delivery(self, days_late=3):
        """A delivery promised ``days_late`` days ago, scanned by the carrier
        the day before."""
        order = self.delivered()
        now = fields.Datetime.now().replace(microsecond=0)
        order.commitment_date = now - timedelta(days=days_late)
        picking = order.picking_ids
        self.sandbox.set_history(
            int(picking.sevensenders_parcel_ids.shipment_ref),
            [
                ("new", api_date(now - timedelta(days=days_late + 2))),
                ("Pickup", api_date(now - timedelta(days=days_late + 1))),
            ],
        )
        self.pull_tracking()
        return picking


@tagged("post_install", "-at_install")
class TestStockUserReporting(LateParcelMixin, SevenSendersCase):
    def setUp(self):
        super().setUp()
        self.clerk = new_test_user(
            self.env, "report_clerk", groups="stock.group_stock_user"
        )

    def test_stock_user_reaches_reports_and_return_requests(self):
        env = self.env(user=self.clerk)
        for xmlid in STOCK_USER_MENUS:
            self.assertTrue(reachable(env, xmlid), xmlid)
        for xmlid in (
            "delivery_sevensenders.sevensenders_account_menu",
            "delivery_sevensenders.sevensenders_outbox_menu",
            "stock.menu_stock_config_settings",
        ):
            self.assertFalse(reachable(env, xmlid), xmlid)
        # each menu's action opens for them
        for xmlid in STOCK_USER_MENUS[1:]:
            action = self.env.ref(xmlid).action  # 19.0: only admins read actions
            model = env[action.res_model]
            modes = action.view_mode.split(",")
            views = model.get_views([(False, mode) for mode in modes])
            self.assertEqual(set(views["views"]), set(modes))
            model.search_read([], limit=10)
        # the manager keeps Configuration > Seven Senders
        admin = self.env.ref("base.user_admin")
        self.assertTrue(
            reachable(
                self.env(user=admin),
                "delivery_sevensenders.sevensenders_account_menu",
            )
        )

    def test_late_by_counts_the_days_of_a_parcel_late_now(self):
        picking = self.late_delivery(days_late=3)
        row = (
            self.env[REPORT]
            .with_user(self.clerk)
            .search([("picking_id", "=", picking.id), ("is_late", "=", True)])
        )
        self.assertEqual(len(row), 1)
        self.assertAlmostEqual(row.late_hours, 72.0, delta=0.2)
        self.assertFalse(row.delivered_date)
        self.assertEqual(row.partner_id, picking.sale_id.partner_id)
        self.assertEqual(
            row.tracking_code, picking.sevensenders_parcel_ids.tracking_code
        )
        # the pivot's average agrees
        [group] = (
            self.env[REPORT]
            .with_user(self.clerk)
            .read_group([("id", "=", row.id)], ["late_hours:avg"], [])
        )
        self.assertAlmostEqual(group["late_hours"], 72.0, delta=0.2)

    def test_late_by_without_a_scan_for_the_accounts_days(self):
        self.account.late_after_days = 2
        order = self.delivered()
        picking = order.picking_ids
        self.pull_tracking()  # only 'new': no carrier scan
        picking.date_done = fields.Datetime.now() - timedelta(days=5)
        row = self.env[REPORT].search([("picking_id", "=", picking.id)])
        self.assertTrue(row.is_late)
        # the account's 2 days ran out 3 days ago
        self.assertAlmostEqual(row.late_hours, 72.0, delta=0.2)

    def test_delivered_parcel_shows_when_and_how_late(self):
        picking = self.late_delivery(days_late=3)
        shipment = int(picking.sevensenders_parcel_ids.shipment_ref)
        delivered_at = fields.Datetime.now().replace(microsecond=0) - timedelta(days=1)
        self.sandbox.move_shipment(shipment, "delivered", api_date(delivered_at))
        self.pull_tracking()
        row = (
            self.env[REPORT]
            .with_user(self.clerk)
            .search([("picking_id", "=", picking.id)])
        )
        self.assertEqual(row.delivered_date, delivered_at)
        self.assertFalse(row.is_late)
        self.assertEqual(row.punctuality, "late")
        self.assertAlmostEqual(row.late_hours, 48.0, delta=0.2)
        # a parcel on time is 0 h late, one without a promise is not counted
        on_time = self.delivered()
        self.sandbox.move_shipment(
            int(on_time.picking_ids.sevensenders_parcel_ids.shipment_ref), "delivered"
        )
        self.pull_tracking()
        row = self.env[REPORT].search([("picking_id", "=", on_time.picking_ids.id)])
        self.assertTrue(row.delivered_date)
        self.assertEqual(row.punctuality, "no_promise")
        self.assertFalse(row.late_hours)
        [group] = self.env[REPORT].read_group(
            [("id", "=", row.id)], ["late_hours:avg"], []
        )
        self.assertIn(group["late_hours"], (None, False), "not 0 h: left out")

    def test_a_row_opens_its_delivery(self):
        picking = self.late_delivery()
        row = self.env[REPORT].search([("picking_id", "=", picking.id)])
        action = row.with_user(self.clerk).action_sevensenders_open_delivery()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("stock.picking", picking.id)
        )
        nobody = new_test_user(self.env, "report_nobody", groups="base.group_user")
        with self.assertRaises(AccessError):
            row.with_user(nobody).action_sevensenders_open_delivery()
        # the list's envelope writes to the customer from the delivery
        arch = (
            self.env[REPORT]
            .with_user(self.clerk)
            .get_views([(False, "list")])["views"]["list"]["arch"]
        )
        self.assertIn("action_sevensenders_open_delivery", arch)
        self.assertIn("'default_model': 'stock.picking'", arch)


@tagged("post_install", "-at_install")
class TestBackOfficeViews(SevenSendersCase):
    def test_parcel_weight_with_unit_and_label_download(self):
        order = self.delivered()
        parcel = order.picking_ids.sevensenders_parcel_ids
        parcel.weight = 1.25
        unit = self.env[
            "product.template"
        ]._get_weight_uom_name_from_ir_config_parameter()
        self.assertEqual(parcel.weight_display, f"1.25 {unit}")
        self.assertTrue(parcel.label_file)
        self.assertEqual(parcel.label_filename, parcel.attachment_id.name)

    def test_sale_order_shows_the_pickup_point(self):
        order = self.make_order(carrier=self.carrier, confirm=False)
        self.assertFalse(order.sevensenders_pickup_point)
        order.pickup_location_data = {
            "id": "DHL-4711",
            "name": "DHL Packstation 123",
            "street": "Invalidenstraße 112",
            "zip_code": "10115",
            "city": "Berlin",
            "country_code": "DE",
        }
        self.assertEqual(
            order.sevensenders_pickup_point,
            "DHL Packstation 123\nInvalidenstraße 112\n10115 Berlin\nDE",
        )
        arch = self.env["sale.order"].get_views([(False, "form")])["views"]["form"]
        self.assertIn('name="sevensenders_pickup_point"', arch["arch"])

    def test_pickup_carriers_and_distance_keep_their_stored_values(self):
        carrier = self.carrier
        known = self.env["sevensenders.carrier"].search([], limit=2)
        self.assertEqual(len(known), 2)
        carrier.sevensenders_pudo_carrier_codes = f"{known[0].code}, legacy"
        self.assertEqual(carrier.sevensenders_pudo_carrier_ids, known[0])
        carrier.sevensenders_pudo_carrier_ids = known
        self.assertEqual(
            carrier._sevensenders_pudo_codes(), ["legacy", *known.mapped("code")]
        )
        carrier.sevensenders_pudo_max_distance = 2500
        self.assertEqual(carrier.sevensenders_pudo_max_distance_km, 2.5)
        carrier.sevensenders_pudo_max_distance_km = 12
        self.assertEqual(carrier.sevensenders_pudo_max_distance, 12000)
        # the environment is the account's: no test/production toggle
        views = self.env["delivery.carrier"].get_views([(False, "form")])["views"]
        toggles = etree.fromstring(views["form"]["arch"]).xpath(
            "//button[@name='toggle_prod_environment']"
        )
        self.assertEqual(len(toggles), 2)
        for toggle in toggles:
            self.assertIn("delivery_type == 'sevensenders'", toggle.get("invisible"))


@tagged("post_install", "-at_install")
class TestStockReportingTour(LateParcelMixin, HttpCase, SevenSendersCase):
    """In Chromium: Inventory > Reporting > Late parcels, the late parcel's
    row, its delivery; as an Inventory user and as the manager."""

    def _walk(self, login):
        picking = self.late_delivery(days_late=4)
        picking.name = "WH/OUT/7S-LATE"
        self.start_tour(
            "/odoo",
            "sevensenders_late_parcel_to_delivery",
            login=login,
        )

    def test_stock_user_opens_a_late_parcels_delivery(self):
        new_test_user(
            self.env,
            "tour_clerk",
            groups="stock.group_stock_user",
        )
        self._walk("tour_clerk")

    def test_manager_opens_a_late_parcels_delivery(self):
        self._walk("admin")
