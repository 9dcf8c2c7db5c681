# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The bridge's public methods, called over XML-RPC by every role."""

from odoo.tests import HttpCase, tagged

from odoo.addons.delivery_sevensenders.tests.common import SevenSendersCase
from odoo.addons.delivery_sevensenders.tests.rpc_sweep import (
    SEVENSENDERS,
    RpcSweepMixin,
)


@tagged("post_install", "-at_install")
class TestBatchRpcAccess(RpcSweepMixin, SevenSendersCase, HttpCase):
    MODULE_PREFIX = "odoo.addons.delivery_sevensenders_batch."
    SWEEP = {
        ("stock.picking.batch", "action_sevensenders_create_manifest"): (
            "batch",
            [],
            SEVENSENDERS,
            "user_error",  # a domestic delivery has no customs shipment
        ),
    }

    def _target_batch(self):
        order = self.make_order(carrier=self.carrier, user_id=False)
        return self.env["stock.picking.batch"].create(
            {"picking_ids": [(6, 0, order.picking_ids.ids)]}
        )

    def test_every_public_method_has_a_row(self):
        self._check_every_public_method_has_a_row()

    def test_rpc_sweep(self):
        self._run_rpc_sweep()
