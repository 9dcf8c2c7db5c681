# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the customer reads on the return pages and in the return-label email
(issue #32, bug 7 and item 16): reasons in German when German was loaded
after the install, quantities and distances as people write them, a signed
email."""

import importlib.util
import json
import re
from pathlib import Path

from odoo.tests import HttpCase, tagged

from ..models.sevensenders_return import format_distance, format_quantity
from .common import SevenSendersCase


class ReturnTextsCase(SevenSendersCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account.write(
            {
                "return_window_days": 30,
                "return_opens": "shipping",
                "return_self_hosted": True,
            }
        )
        cls.too_small = cls.env.ref("delivery_sevensenders.return_reason_too_small")

    def token(self, order):
        return self.env["sevensenders.returns"]._sevensenders_token(order)


@tagged("post_install", "-at_install")
class TestReturnReasonsInGerman(HttpCase, ReturnTextsCase):
    """German loaded after the install (``--load-language=de_DE``, or the
    language installed later): the reasons read German like Odoo's data."""

    def load_german(self):
        lang = self.env["res.lang"]._activate_lang("de_DE") or self.env[
            "res.lang"
        ]._create_lang("de_DE")
        self.env["ir.module.module"]._load_module_terms(
            ["delivery_sevensenders"], ["de_DE"], overwrite=True
        )
        return lang

    def test_reasons_read_german_once_german_is_loaded(self):
        reasons = self.env["sevensenders.return.reason"].search([])
        self.assertEqual(len(reasons), 6)
        self.load_german()
        german = {r.code: r.name for r in reasons.with_context(lang="de_DE")}
        self.assertEqual(german["too_small"], "Zu klein")
        self.assertEqual(german["other"], "Sonstige")
        english = {r.code: r.name for r in reasons.with_context(lang="en_US")}
        self.assertEqual(english["too_small"], "Too small")
        self.assertTrue(all(german[c] != english[c] for c in german), german)

    def test_german_loaded_before_the_addons_models_are_known(self):
        """``--load-language=de_DE`` on an existing database: Odoo loads the
        terms while only base's models exist and the reasons stay English;
        the registry's next load adds them."""
        self.env["res.lang"]._activate_lang("de_DE") or self.env[
            "res.lang"
        ]._create_lang("de_DE")
        reasons = self.env["sevensenders.return.reason"].search([])
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE sevensenders_return_reason SET name = name - 'de_DE' "
            "WHERE id = ANY(%s)",
            (reasons.ids,),
        )
        reasons.invalidate_recordset()
        too_small = self.env.ref("delivery_sevensenders.return_reason_too_small")
        self.assertEqual(too_small.with_context(lang="de_DE").name, "Too small")
        mine = reasons.create({"name": "Falsche Farbe", "code": "colour"})
        reasons._register_hook()
        reasons.invalidate_recordset()
        self.assertEqual(too_small.with_context(lang="de_DE").name, "Zu klein")
        self.assertEqual(mine.with_context(lang="de_DE").name, "Falsche Farbe")
        # once there, nothing is loaded again
        with self.assertNoLogs("odoo.addons.base.models.ir_module", "INFO"):
            reasons._sevensenders_load_missing_terms()

    def test_the_return_page_in_german(self):
        lang = self.load_german()
        self.partner.lang = "de_DE"
        if "website" in self.env:
            website = self.env["website"].get_current_website()
            website.language_ids |= lang
        order = self.delivered()
        token = self.token(order)
        self.opener.cookies.set("frontend_lang", "de_DE")
        page = self.url_open(f"/returns/{token}").text
        self.assertIn("Zu klein", page)
        self.assertNotIn(">Too small<", page)
        # the JSON API: in the customer's language, or the one asked for
        items = self.url_open(f"/returns/api/{token}/items").json()
        names = {r["code"]: r["name"] for r in items["reasons"]}
        self.assertEqual(names["too_small"], "Zu klein")
        items = self.url_open(f"/returns/api/{token}/items?lang=en_US").json()
        names = {r["code"]: r["name"] for r in items["reasons"]}
        self.assertEqual(names["too_small"], "Too small")


@tagged("post_install", "-at_install")
class TestReturnPageFormats(HttpCase, ReturnTextsCase):
    def test_quantities_and_distances_as_people_write_them(self):
        env = self.env
        self.assertEqual(format_quantity(env, 1.0), "1")
        self.assertEqual(format_quantity(env, 2), "2")
        self.assertEqual(format_quantity(env, 1.5), "1.5")
        self.assertEqual(format_quantity(env, 1200.0), "1,200")
        self.assertEqual(format_distance(env, 350.4), "350 m")
        self.assertEqual(format_distance(env, 1110), "1.1 km")
        self.assertEqual(format_distance(env, 999.7), "1.0 km")
        german = env["res.lang"]._activate_lang("de_DE") or env[
            "res.lang"
        ]._create_lang("de_DE")
        self.assertTrue(german)
        de = env(context=dict(env.context, lang="de_DE"))
        self.assertEqual(format_distance(de, 1110), "1,1 km")
        self.assertEqual(format_quantity(de, 1.5), "1,5")

    def test_the_pages_show_whole_units_and_readable_distances(self):
        order = self.delivered()
        token = self.token(order)
        page = self.url_open(f"/returns/{token}").text
        self.assertRegex(page, r">of 2</small>")
        self.assertNotIn("of 2.0", page)
        distances = re.findall(r"o_sevensenders_dropoff_distance\">\(([^)]*)\)", page)
        self.assertTrue(distances, "the points show their distance")
        for distance in distances:
            self.assertRegex(distance, r"^(\d{1,3} m|\d[\d,]*\.\d km)$")
        line = order.order_line.filtered(lambda sl: sl.product_id == self.shirt)
        created = self.url_open(
            f"/returns/api/{token}/returns",
            data=json.dumps(
                {"items": [{"line_id": line.id, "quantity": 1, "reason": "too_small"}]}
            ),
            headers={"Content-Type": "application/json"},
        ).json()
        status = self.url_open(f"/returns/{token}/{created['id']}").text
        self.assertIn(f"1 × {self.shirt.display_name}", status)
        self.assertNotIn("1.0 ×", status)
        returned = self.env["sevensenders.return.request"].browse(created["id"])
        body = str(returned.return_picking_ids.message_ids.mapped("body"))
        self.assertIn(f"1 × {self.shirt.display_name}", body)

    def test_the_label_email_is_signed(self):
        self.carrier.sevensenders_use_locations = True
        salesperson = self.env.ref("base.user_admin")
        salesperson.signature = "<p>Ada from the shop</p>"
        order = self.delivered()
        order.user_id = salesperson
        request = self.env["sevensenders.return.request"]._sevensenders_request(
            order, [(order.order_line[:1], 1, self.too_small)]
        )
        self.drain()
        self.assertEqual(request.state, "label_ready")
        mail = self.env["mail.mail"].search(
            [("model", "=", request._name), ("res_id", "=", request.id)]
        )
        self.assertEqual(len(mail), 1)
        self.assertIn("Ada from the shop", mail.body_html)
        self.assertTrue(mail.attachment_ids)
        # without a salesperson's signature: the company signs
        order.user_id = False
        template = self.env.ref(
            "delivery_sevensenders.mail_template_sevensenders_return_label"
        )
        body = template._render_field("body_html", request.ids)[request.id]
        self.assertIn(self.company.name, body)
        self.assertNotIn("Ada from the shop", body)
        # a database upgraded from 1.4: its template (data loaded once) as
        # shipped then, unsigned; the 1.5.0 migration signs it, once
        order.user_id = salesperson
        signed = template.body_html
        unsigned = re.sub(r"<t t-if=.*</t>\s*</p>", "</p>", str(signed), flags=re.S)
        self.assertNotIn("signature", unsigned)
        template.body_html = unsigned
        template.flush_recordset()
        path = Path(__file__).parents[1] / "migrations/1.5.0/post-migration.py"
        spec = importlib.util.spec_from_file_location("sevensenders_mig_150r", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(self.env.cr, "18.0.1.4.1")
        migration.migrate(self.env.cr, "18.0.1.4.1")
        template.invalidate_recordset()
        self.assertEqual(str(template.body_html).count("signature"), 2)
        body = template._render_field("body_html", request.ids)[request.id]
        self.assertIn("Ada from the shop", body)
