# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Odoo tests talk to a real Seven Senders sandbox on loopback.

The sandbox is the ``sevensenders-sandbox`` package (``pip install -r
test-requirements.txt`` in Odoo's environment, as for any OCA repository); the
tests run it as ``python -m sevensenders_sandbox`` on a free port, with Odoo's
Python or with ``SEVENSENDERS_SANDBOX_PYTHON``. Or they use one already running
at ``SEVENSENDERS_SANDBOX_URL`` (e.g. ``http://127.0.0.1:8765``); classes that
need a sandbox started with other options then skip.
"""

from datetime import timedelta

from odoo import fields
from odoo.tests import Form, TransactionCase

from ..compat import package_model
from .sandbox_runner import (  # noqa: F401 - the test modules import them here
    INSTALL_HINT,
    SandboxProcess,
    start_sandbox,
)

ACCESS_KEY = "sandbox-access-key"


class SevenSendersCase(TransactionCase):
    #: extra options of the sandbox, e.g. ``("--paths", "seed")``
    sandbox_args = ()

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sandbox = start_sandbox(*cls.sandbox_args)
        cls.addClassCleanup(cls.sandbox.stop)
        env = cls.env
        cls.company = env.company
        cls.warehouse = env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.stock_location = cls.warehouse.lot_stock_id
        cls.de = env.ref("base.de")
        # a German merchant: the warehouse address is the company's
        cls.company.partner_id.write(
            {
                "street": "Schleißheimer Str. 506",
                "zip": "80933",
                "city": "München",
                "country_id": cls.de.id,
            }
        )
        cls.account = env["sevensenders.account"].create(
            {
                "name": "Sandbox",
                "environment": "custom",
                "base_url": cls.sandbox.base_url,
                "access_key": ACCESS_KEY,
                "shop_url": "https://shop.example.com",
                "company_id": cls.company.id,
                "warehouse_mapping_ids": [
                    fields.Command.create(
                        {
                            "warehouse_id": cls.warehouse.id,
                            "sevensenders_warehouse": "Primary Warehouse",
                            "warehouse_address": "Schleißheimer Str. 506, 80933 München, DE",
                        }
                    )
                ],
            }
        )
        # other accounts (demo data) must not take this company's orders
        env["sevensenders.account"].search(
            [("id", "!=", cls.account.id)]
        ).active = False
        env["sevensenders.carrier"]._sevensenders_sync(cls.account)
        cls.dhl = env["sevensenders.carrier"].search([("code", "=", "dhl")])
        cls.dpd = env["sevensenders.carrier"].search([("code", "=", "dpd")])
        cls.ship_product = env["product.product"].create(
            {"name": "Shipping 7S", "type": "service", "list_price": 4.9}
        )
        cls.carrier = env["delivery.carrier"].create(
            {
                "name": "Seven Senders DHL",
                "delivery_type": "sevensenders",
                "product_id": cls.ship_product.id,
                "fixed_price": 4.9,
                "sevensenders_account_id": cls.account.id,
                "sevensenders_carrier_id": cls.dhl.id,
                "sevensenders_country_id": cls.de.id,
            }
        )
        cls.other_carrier = env["delivery.carrier"].create(
            {
                "name": "Local courier",
                "delivery_type": "fixed",
                "fixed_price": 3.0,
                "product_id": env["product.product"]
                .create({"name": "Courier", "type": "service", "list_price": 3.0})
                .id,
            }
        )
        cls.account.carrier_mapping_ids = [
            fields.Command.create(
                {
                    "carrier_id": cls.other_carrier.id,
                    "sevensenders_carrier_id": cls.dpd.id,
                    "country_id": cls.de.id,
                }
            )
        ]
        cls.partner = env["res.partner"].create(
            {
                "name": "Erika Mustermann",
                "email": "erika@example.com",
                "street": "Invalidenstraße 116",
                "zip": "10115",
                "city": "Berlin",
                "country_id": cls.de.id,
                "phone": "+49 30 1234567",
                "lang": "en_US",
            }
        )
        cls.tag = env["crm.tag"].create({"name": "VIP"})
        # an explicit pricelist in the company currency: installed modules'
        # demo pricelists (website_sale's EUR one) must not change the tests
        cls.pricelist = env["product.pricelist"].create(
            {"name": "7S tests", "currency_id": cls.company.currency_id.id}
        )
        cls.shirt = cls._storable("7S-TSHIRT", 19.99, 0.2)
        cls.bottle = cls._storable("7S-BOTTLE", 24.5, 0.35)

    @classmethod
    def _storable(cls, sku, price, weight):
        product = cls.env["product.product"].create(
            {
                "name": sku,
                "default_code": sku,
                "is_storable": True,
                "list_price": price,
                "weight": weight,
                "hs_code": "610910",
            }
        )
        cls.env["stock.quant"]._update_available_quantity(
            product, cls.stock_location, 100
        )
        return product

    def setUp(self):
        super().setUp()
        self.sandbox.reset()

    # -- helpers -------------------------------------------------------------

    def make_order(self, carrier=None, partner=None, lines=None, confirm=True, **vals):
        order = self.env["sale.order"].create(
            {
                "partner_id": (partner or self.partner).id,
                "pricelist_id": self.pricelist.id,
                "order_line": [
                    fields.Command.create({"product_id": p.id, "product_uom_qty": q})
                    for p, q in (lines or [(self.shirt, 2)])
                ],
                **vals,
            }
        )
        if carrier:
            order.set_delivery_line(carrier, carrier.fixed_price)
        if confirm:
            order.action_confirm()
        return order

    def outbox(self, record=None, **domain):
        dom = [(k, "=", v) for k, v in domain.items()]
        if record:
            dom += [("res_model", "=", record._name), ("res_id", "=", record.id)]
        return self.env["sevensenders.outbox"].search(dom, order="id")

    def drain(self, force=True):
        """Run the outbox cron as the scheduler would (``force``: due now)."""
        outbox = self.env["sevensenders.outbox"]
        if force:
            outbox.search([("state", "in", ("pending", "retry"))]).write(
                {"next_attempt_at": fields.Datetime.now() - timedelta(seconds=1)}
            )
        total = 0
        while True:
            done = outbox._cron_sevensenders_drain()
            total += done
            if not done:
                return total

    def validate(self, picking, packages=None):
        """Validate a delivery; ``packages``: lists of move lines to pack together."""
        picking.action_assign()
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        for lines in packages or []:
            package = package_model(self.env).create({})
            lines.result_package_id = package
        res = picking.button_validate()
        if isinstance(res, dict) and res.get("res_model"):
            Form.from_action(self.env, res).save().process()
        return picking

    def delivered(self, carrier=None, partner=None, lines=None, drain=True):
        """An order of ``carrier`` (the 7S method by default) confirmed and
        delivered; with ``drain``, its calls are sent."""
        order = self.make_order(
            carrier=carrier or self.carrier, partner=partner, lines=lines
        )
        self.validate(order.picking_ids)
        if drain:
            self.drain()
        return order

    def pull_tracking(self):
        """Run the tracking-status pull as its cron does, every parcel due."""
        self.env["sevensenders.parcel"].search([]).status_checked_at = False
        return self.env["stock.picking"]._cron_sevensenders_pull_tracking()

    def pull_order_states(self, **kw):
        """Run the order-state pull as its cron does, every order due."""
        self.env["sale.order"].search(
            [("sevensenders_order_ref", "!=", False)]
        ).sevensenders_state_checked_at = False
        return self.env["sale.order"]._cron_sevensenders_pull_order_states(**kw)

    def sandbox_calls(self, key):
        """How many calls the sandbox received on ``key`` ("POST /v2/labels")."""
        return self.sandbox.stats()["requests"].get(key, 0)

    def sandbox_order(self, name):
        found = [o for o in self.sandbox.objects("order") if o["order_id"] == name]
        self.assertLessEqual(len(found), 1, "an order was created twice")
        return found[0] if found else None
