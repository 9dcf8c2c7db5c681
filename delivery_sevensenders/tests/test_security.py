# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from pathlib import Path

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import ACCESS_KEY, SevenSendersCase


@tagged("post_install", "-at_install")
class TestSecurity(SevenSendersCase):
    def test_test_connection(self):
        action = self.account.action_sevensenders_test_connection()
        self.assertEqual(action["params"]["type"], "success")
        self.account.access_key = "wrong-key"
        with self.assertRaisesRegex(UserError, "Invalid access key"):
            self.account.action_sevensenders_test_connection()

    def test_salesman_cannot_read_the_key_but_can_sell(self):
        salesman = new_test_user(
            self.env, "salesman7s", groups="sales_team.group_sale_salesman"
        )
        account = self.account.with_user(salesman)
        with self.assertRaises(AccessError):
            account.read(["name"])
        with self.assertRaises(AccessError):
            self.account.with_user(salesman).sudo(False).read(["access_key"])
        order = self.make_order(confirm=False, user_id=salesman.id)
        order.with_user(salesman).action_confirm()
        self.assertTrue(self.outbox(order, operation="order_create"))

    def test_sevensenders_user_sees_the_account_but_not_the_key(self):
        user = new_test_user(
            self.env, "user7s", groups="delivery_sevensenders.group_sevensenders_user"
        )
        account = self.account.with_user(user)
        self.assertEqual(account.name, "Sandbox")
        self.assertTrue(account.has_access_key)
        with self.assertRaises(AccessError):
            account.read(["access_key"])
        with self.assertRaises(AccessError):
            account.read(["token"])
        self.assertEqual(
            self.account.with_user(self.env.ref("base.user_admin")).access_key,
            ACCESS_KEY,
        )

    def test_multi_company_isolation(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        user = new_test_user(
            self.env,
            "other7s",
            groups="delivery_sevensenders.group_sevensenders_manager",
            company_id=other.id,
            company_ids=[(6, 0, other.ids)],
        )
        self.make_order()
        accounts = self.env["sevensenders.account"].with_user(user).search([])
        self.assertNotIn(self.account, accounts)
        self.assertFalse(self.env["sevensenders.outbox"].with_user(user).search([]))
        mine = (
            self.env["sevensenders.account"]
            .with_user(user)
            .create({"name": "Other", "company_id": other.id})
        )
        self.assertEqual(
            self.env["sevensenders.account"].with_user(user).search([]), mine
        )

    def test_neutralize_blanks_credentials(self):
        self.account.environment = "production"
        self.env.flush_all()
        sql = (Path(__file__).parents[1] / "data" / "neutralize.sql").read_text()
        self.env.cr.execute(sql)
        self.account.invalidate_recordset()
        self.assertFalse(self.account.access_key)
        self.assertFalse(self.account.token)
        self.assertEqual(self.account.environment, "test")

    def test_token_fields_are_not_copied(self):
        self.account.action_sevensenders_test_connection()
        copy = self.account.copy()
        self.assertFalse(copy.access_key)
        self.assertFalse(copy.token)
