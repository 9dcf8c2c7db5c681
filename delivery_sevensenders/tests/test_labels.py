# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Labels in parallel: a delivery's packages, and several deliveries, at the
speed of one round trip; nothing twice, nothing lost."""

from odoo.exceptions import UserError
from odoo.tests import tagged

from ..compat import package_model
from .common import SevenSendersCase


@tagged("post_install", "-at_install")
class TestLabels(SevenSendersCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mug = cls._storable("7S-MUG", 9.9, 0.4)

    def packed(self, products=None, carrier=None):
        """A confirmed delivery, one package per product, ready to validate."""
        products = products or (self.shirt, self.bottle, self.mug)
        order = self.make_order(
            carrier=carrier or self.carrier, lines=[(p, 1) for p in products]
        )
        picking = order.picking_ids
        picking.action_assign()
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        for product in products:
            package = package_model(self.env).create({})
            picking.move_line_ids.filtered(
                lambda ml, p=product: ml.product_id == p
            ).result_package_id = package
        return picking

    def references(self, picking, kind="outbound"):
        return [
            vals["reference_number"]
            for _name, vals in self.carrier._sevensenders_label_requests(picking, kind)
        ]

    def label_calls(self, method="POST"):
        return [
            e
            for e in self.sandbox.requests()
            if e["method"] == method
            and e["path"].startswith(("/v2/labels", "/v2/label-download"))
        ]

    def assertOverlap(self, calls):
        self.assertGreaterEqual(len(calls), 2)
        self.assertLess(
            max(c["started"] for c in calls),
            min(c["ended"] for c in calls),
            "every call arrived before the first one was answered",
        )

    def test_a_delivery_s_packages_are_labelled_at_once_in_package_order(self):
        picking = self.packed()
        self.sandbox.set_faults(latency_ms=300)
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.assertEqual(len(self.label_calls("POST")), 3)
        self.assertOverlap(self.label_calls("POST"))
        self.assertOverlap(self.label_calls("GET"))
        parcels = picking.sevensenders_parcel_ids.sorted("id")
        requests = self.carrier._sevensenders_label_requests(picking, "outbound")
        self.assertEqual(
            [(p.name, p.reference_number) for p in parcels],
            [(name, vals["reference_number"]) for name, vals in requests],
            "stored in package order",
        )
        self.assertEqual(
            picking.carrier_tracking_ref, ",".join(parcels.mapped("tracking_code"))
        )
        for parcel in parcels:
            self.assertTrue(parcel.attachment_id.raw.startswith(b"%PDF-"))
            self.assertIn(parcel.tracking_code, parcel.attachment_id.name)

    def test_a_return_label_with_each_package(self):
        self.carrier.return_label_on_delivery = True
        picking = self.packed((self.shirt, self.bottle))
        self.sandbox.set_faults(latency_ms=300)
        picking.button_validate()
        parcels = picking.sevensenders_parcel_ids.sorted("id")
        self.assertEqual(len(parcels), 4)
        self.assertEqual(
            [(p.reference_number, p.is_return) for p in parcels],
            [
                (ref, kind)
                for ref in self.references(picking, "both")
                for kind in (False, True)
            ],
        )
        # the four files at once, after the two creates at once
        self.assertOverlap(self.label_calls("POST"))
        self.assertOverlap(self.label_calls("GET"))

    def test_a_failed_package_fails_the_validation_and_a_second_click_ends_it(self):
        picking = self.packed()
        second = self.carrier._sevensenders_label_requests(picking, "outbound")[1][0]
        # the second package (the bottle) fails, every time
        self.sandbox.set_faults(body_errors=['"weight":0.35'])
        with self.assertRaises(UserError) as caught:  # (rolled back)
            picking.button_validate()
        self.assertIn(f"package {second}", str(caught.exception))
        self.assertIn(picking.name, str(caught.exception))
        self.assertNotEqual(picking.state, "done")
        self.assertFalse(picking.sevensenders_parcel_ids)
        before = [label["reference_number"] for label in self.sandbox.objects("label")]
        self.assertEqual(len(before), 2, "the two other packages have their label")
        # Seven Senders is back: the second click makes the missing label and
        # gets the two others again (the same reference, the same label)
        self.sandbox.set_faults()
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        parcels = picking.sevensenders_parcel_ids.sorted("id")
        self.assertEqual(parcels.mapped("reference_number"), self.references(picking))
        self.assertEqual(parcels[1].name, second)
        labels = self.sandbox.objects("label")
        self.assertEqual(
            sorted(label["reference_number"] for label in labels),
            sorted(parcels.mapped("reference_number")),
            "exactly one label per package reference",
        )
        self.assertLess(set(before), set(parcels.mapped("reference_number")))
        self.assertEqual(
            {str(label["id"]) for label in labels}, set(parcels.mapped("label_ref"))
        )

    def test_validating_several_deliveries_fetches_their_labels_at_once(self):
        pickings = self.packed((self.shirt,)) | self.packed((self.shirt, self.bottle))
        self.sandbox.set_faults(latency_ms=300)
        pickings.button_validate()
        self.assertEqual(set(pickings.mapped("state")), {"done"})
        self.assertEqual(len(pickings.sevensenders_parcel_ids), 3)
        self.assertOverlap(self.label_calls("POST"))
        for picking in pickings:
            self.assertEqual(
                picking.sevensenders_parcel_ids.sorted("id").mapped("reference_number"),
                self.references(picking),
            )

    def test_the_server_action_goes_on_past_a_failed_delivery(self):
        pickings = self.env["stock.picking"]
        for _i in range(3):
            picking = self.packed((self.shirt, self.bottle), carrier=self.other_carrier)
            picking.button_validate()
            pickings |= picking
        pickings.write({"carrier_id": self.carrier.id, "carrier_tracking_ref": False})
        first, failing, last = pickings
        self.sandbox.set_faults(
            latency_ms=300, body_errors=[f'"{failing.sale_id.name}"']
        )
        action = pickings.action_sevensenders_create_label()
        self.assertOverlap(self.label_calls("POST")[:6])  # then the retries
        self.assertEqual(action["params"]["type"], "warning")
        message = action["params"]["message"]
        self.assertIn(first.name, message)
        self.assertIn(last.name, message)
        self.assertIn(failing.name, message.split("\n")[1])
        for picking in (first, last):
            self.assertEqual(len(picking.sevensenders_parcel_ids), 2)
            self.assertTrue(picking.carrier_tracking_ref)
        self.assertFalse(failing.sevensenders_parcel_ids)
        self.assertFalse(failing.carrier_tracking_ref)
        self.assertIn("could not be made", str(failing.message_ids[0].body))
        # once Seven Senders is back, the action on it makes its labels
        self.sandbox.set_faults()
        self.assertTrue(failing.action_sevensenders_create_label())
        self.assertEqual(len(failing.sevensenders_parcel_ids), 2)
        references = [
            label["reference_number"] for label in self.sandbox.objects("label")
        ]
        self.assertEqual(
            len(references),
            6,
            (references, pickings.sevensenders_parcel_ids.mapped("reference_number")),
        )
        self.assertEqual(len(set(references)), 6)

    def test_the_create_labels_server_action_names_both_outcomes(self):
        """The *Seven Senders: create labels* action as the list runs it."""
        pickings = self.env["stock.picking"]
        for _i in range(2):
            picking = self.packed((self.shirt,), carrier=self.other_carrier)
            picking.button_validate()
            pickings |= picking
        pickings.write({"carrier_id": self.carrier.id, "carrier_tracking_ref": False})
        good, failing = pickings
        self.sandbox.set_faults(body_errors=[f'"{failing.sale_id.name}"'])
        action = (
            self.env.ref(
                "delivery_sevensenders.action_server_sevensenders_create_labels"
            )
            .with_context(
                active_model="stock.picking",
                active_ids=pickings.ids,
                active_id=pickings[0].id,
            )
            .run()
        )
        self.assertEqual(action["tag"], "display_notification")
        made, failed = action["params"]["message"].split("\n")
        self.assertEqual(
            made, f"Seven Senders labels made for 1 deliveries: {good.name}."
        )
        self.assertTrue(
            failed.startswith(f"Not made for 1 deliveries: {failing.name}: ")
        )
        self.assertIn(str(failing.message_ids[0].body.striptags())[:30], failed)
        self.assertEqual(action["params"]["type"], "warning")
        self.assertEqual(
            [label["order_id"] for label in self.sandbox.objects("label")],
            [good.sale_id.name],
        )

    def test_a_label_file_in_the_answer_is_not_downloaded(self):
        picking = self.packed((self.shirt, self.bottle))
        self.sandbox.set_faults(inline_labels=True)
        picking.button_validate()
        parcels = picking.sevensenders_parcel_ids
        self.assertEqual(len(parcels), 2)
        self.assertEqual(len(self.label_calls("POST")), 2)
        self.assertFalse(self.label_calls("GET"), "nothing left to download")
        for parcel in parcels:
            self.assertTrue(parcel.attachment_id.raw.startswith(b"%PDF-"))

    def test_a_failed_delivery_fails_the_batch_validation_naming_it(self):
        failing = self.packed((self.shirt, self.bottle))
        other = self.packed((self.shirt,))
        self.sandbox.set_faults(body_errors=[f'"{failing.sale_id.name}"'])
        with self.assertRaises(UserError) as caught:  # (rolled back)
            (failing | other).button_validate()
        message = str(caught.exception)
        self.assertIn(failing.name, message)
        self.assertIn("package", message)
        self.assertEqual(set((failing | other).mapped("state")), {"assigned"})
        self.sandbox.set_faults()
        (failing | other).button_validate()
        self.assertEqual(set((failing | other).mapped("state")), {"done"})
        parcels = (failing | other).sevensenders_parcel_ids
        self.assertEqual(len(parcels), 3)
        self.assertEqual(
            sorted(
                label["reference_number"] for label in self.sandbox.objects("label")
            ),
            sorted(parcels.mapped("reference_number")),
            "one label per package reference",
        )
