from odoo.tests import TransactionCase, tagged

from odoo.addons.delivery_sevensenders import sevensenders


@tagged("post_install", "-at_install")
class TestClientWiring(TransactionCase):
    """The pure client ships inside the addon and imports under Odoo's libraries."""

    def test_client_importable_under_odoo(self):
        client = sevensenders.SevenSendersClient(
            "key", base_url="http://127.0.0.1:9/v2", timeout=1
        )
        self.assertEqual(client.base_url, "http://127.0.0.1:9/v2")
        self.assertIn("order_states.create", sevensenders.ENDPOINTS)

    def test_schema_validation_under_odoo(self):
        with self.assertRaises(sevensenders.SevenSendersValidationError) as err:
            sevensenders.schemas.validate(
                sevensenders.schemas.OrderCreate, {"order_id": "S1", "language": "xx"}
            )
        self.assertIn("language.0", err.exception.fields)
        self.assertIn("order_date", err.exception.fields)

    def test_groups_installed(self):
        manager = self.env.ref("delivery_sevensenders.group_sevensenders_manager")
        user = self.env.ref("delivery_sevensenders.group_sevensenders_user")
        self.assertIn(user, manager.implied_ids)
