# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.delivery_sevensenders.tests.common import SevenSendersCase


@tagged("post_install", "-at_install")
class TestBatchManifest(SevenSendersCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shirt.product_tmpl_id.country_of_origin = cls.env.ref("base.pt")
        cls.london = cls.env["res.partner"].create(
            {
                "name": "London Customer",
                "email": "gb@example.com",
                "street": "High Street 1",
                "zip": "SW1A 1AA",
                "city": "London",
                "country_id": cls.env.ref("base.uk").id,
            }
        )

    def test_batch_makes_one_manifest(self):
        orders = [
            self.make_order(carrier=self.carrier, partner=self.london)
            for _i in range(2)
        ]
        pickings = orders[0].picking_ids | orders[1].picking_ids
        batch = self.env["stock.picking.batch"].create(
            {"picking_ids": [(6, 0, pickings.ids)]}
        )
        pickings.action_assign()
        for move in pickings.move_ids:
            move.quantity = move.product_uom_qty
        pickings.move_ids.picked = True
        batch.action_confirm()
        batch.action_done()
        self.assertEqual(set(pickings.mapped("state")), {"done"})
        for order in orders:
            order._create_invoices().action_post()
        self.drain()
        action = batch.action_sevensenders_create_manifest()
        self.assertEqual(action["params"]["type"], "success")
        (manifest,) = self.sandbox.objects("customs_manifest")
        self.assertEqual(manifest["pieces"], 2)
        self.assertEqual(
            sorted(manifest["shipment_ids"]),
            sorted(pickings.sevensenders_parcel_ids.mapped("shipment_ref")),
        )
        self.assertIn(manifest["manifest_id"], batch.message_ids[0].body)
        with self.assertRaisesRegex(UserError, "already in manifest"):
            batch.action_sevensenders_create_manifest()
        self.assertEqual(len(self.sandbox.objects("customs_manifest")), 1)
