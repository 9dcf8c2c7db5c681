# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The bridge's overrides of public methods, called over XML-RPC by every
role: they run Odoo's own checks first (``sale_mrp`` lets salesmen write
manufacturing orders), so a refused caller queues no order state."""

from odoo import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.delivery_sevensenders.compat import production_origin_vals
from odoo.addons.delivery_sevensenders.tests.common import SevenSendersCase
from odoo.addons.delivery_sevensenders.tests.rpc_sweep import RpcSweepMixin


@tagged("post_install", "-at_install")
class TestMrpRpcAccess(RpcSweepMixin, SevenSendersCase, HttpCase):
    MODULE_PREFIX = "odoo.addons.delivery_sevensenders_mrp."
    SWEEP = {
        ("mrp.production", "write"): (
            "production",
            [{"qty_producing": 1}],
            ("salesman", "admin"),
            "ok",
        ),
        ("mrp.workorder", "button_start"): ("workorder", [], (), "ok"),
    }

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        workcenter = cls.env["mrp.workcenter"].create({"name": "Bottling"})
        component = cls.env["product.product"].create(
            {"name": "Glass", "is_storable": True}
        )
        cls.bom = cls.env["mrp.bom"].create(
            {
                "product_tmpl_id": cls.bottle.product_tmpl_id.id,
                "bom_line_ids": [Command.create({"product_id": component.id})],
                "operation_ids": [
                    Command.create({"name": "Fill", "workcenter_id": workcenter.id})
                ],
            }
        )

    def _target_production(self):
        order = self.make_order(user_id=False)
        production = self.env["mrp.production"].create(
            {
                "product_id": self.bottle.id,
                "product_qty": 1,
                "bom_id": self.bom.id,
                **production_origin_vals(order),
            }
        )
        production.action_confirm()
        return production

    def _target_workorder(self):
        workorder = self._target_production().workorder_ids
        self.assertTrue(workorder)
        return workorder

    def test_every_public_method_has_a_row(self):
        self._check_every_public_method_has_a_row()

    def test_rpc_sweep(self):
        self._run_rpc_sweep()
