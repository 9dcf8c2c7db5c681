# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""No secret leaks during a full flow with failures; who may do what."""

import logging
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from ..sevensenders import SevenSendersClient
from .common import ACCESS_KEY, SevenSendersCase


class Capture(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines = []

    def emit(self, record):
        text = record.getMessage()
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
        self.lines.append(text)


@tagged("post_install", "-at_install")
class TestNoLeaks(SevenSendersCase):
    def test_full_flow_with_failures_leaks_neither_key_nor_token(self):
        tokens = []
        fetch = SevenSendersClient._fetch_token

        def spy(client):  # the real call; only its answer is noted
            token = fetch(client)
            tokens.append(token)
            return token

        capture = Capture()
        loggers = [logging.getLogger(n) for n in ("", "sevensenders", "odoo")]
        levels = [lg.level for lg in loggers]
        for lg in loggers:
            lg.addHandler(capture)
        # every request and response is logged at debug level too
        logging.getLogger("sevensenders").setLevel(logging.DEBUG)
        texts = []
        try:
            with patch.object(SevenSendersClient, "_fetch_token", spy):
                texts += self._flow()
        finally:
            for lg, level in zip(loggers, levels, strict=True):
                lg.removeHandler(capture)
                lg.setLevel(level)
        self.assertTrue(tokens, "the flow fetched no token: it proves nothing")
        self.assertGreaterEqual(len(set(tokens)), 2, "the token was renewed")
        rows = self.env["sevensenders.outbox"].search([])
        for row in rows:
            texts += [
                str(row.payload),
                row.last_error or "",
                row.attempt_log or "",
                row.display_name,
            ]
        messages = self.env["mail.message"].search([("id", ">", self.first_message)])
        texts += [str(m.body) + str(m.subject or "") for m in messages]
        activities = self.env["mail.activity"].search([])
        texts += [str(a.note) + str(a.summary or "") for a in activities]
        orders = self.env["sale.order"].search(
            [("sevensenders_sync_error", "!=", False)]
        )
        texts += orders.mapped("sevensenders_sync_error")
        # what a non-system user may export of the account
        manager = new_test_user(
            self.env,
            "manager7s",
            groups="delivery_sevensenders.group_sevensenders_manager,"
            "base.group_allow_export",
        )
        exported = (
            self.account.with_user(manager)
            .export_data(["name", "has_access_key", "base_url"])
            .get("datas")
        )
        texts.append(str(exported))
        with self.assertRaises(AccessError):
            self.account.with_user(manager).export_data(["access_key"])
        # not offered for export, even to an administrator
        described = self.env["sevensenders.account"].fields_get(
            ["access_key", "token"], ["exportable"]
        )
        self.assertEqual(
            {f: d["exportable"] for f, d in described.items()},
            {"access_key": False, "token": False},
        )
        haystack = "\n".join(capture.lines + texts)
        self.assertGreater(len(capture.lines), 20, "the logs were not captured")
        self.assertIn("503", haystack, "the failures were not captured")
        self.assertNotIn(ACCESS_KEY, haystack)
        for token in set(tokens):
            self.assertNotIn(token, haystack)
            self.assertNotIn(token.split(".")[2], haystack)  # the signature alone

    def _flow(self):
        """Orders, labels and shipments with outages, drops, a revoked token
        and a wrong key; answers the texts of the errors raised to the user."""
        texts = []
        self.first_message = max(
            self.env["mail.message"].search([], limit=1).ids or [0]
        )
        self.account.action_sevensenders_test_connection()
        orders = [self.make_order(carrier=self.carrier) for _i in range(3)]
        self.sandbox.set_faults(error_rate=1.0, error_status=503)
        self.drain()
        self.sandbox.set_faults(drop_after_count=2, drop_rate=0.2, seed=3)
        self.sandbox.revoke_tokens()
        self.drain()
        self.sandbox.set_faults(error_rate=1.0, error_status=503)
        try:
            self.validate(orders[0].picking_ids)
        except UserError as exc:
            texts.append(str(exc))
        self.sandbox.set_faults()
        self.sandbox.revoke_tokens()
        self.validate(orders[1].picking_ids)
        self.drain()
        self.account.access_key = "wrong-" + ACCESS_KEY  # contains the real key
        from ..models.sevensenders_account import _TOKENS

        _TOKENS.clear()
        try:
            self.account.action_sevensenders_test_connection()
        except UserError as exc:
            texts.append(str(exc))
        self.make_order()
        self.drain()
        self.account.access_key = ACCESS_KEY
        return texts


# the expected rights: model -> {role: "rwcu" subset}; "system" is an
# administrator as Odoo makes it (Settings and the Seven Senders manager group)
# configuration: Seven Senders users read it, managers keep it
CONFIGURATION = {
    "portal": "",
    "salesman": "",
    "stock": "",
    "user": "r",
    "manager": "rwcu",
    "system": "rwcu",
}
MATRIX = {
    "sevensenders.account": CONFIGURATION,
    "sevensenders.warehouse.mapping": CONFIGURATION,
    "sevensenders.carrier.mapping": CONFIGURATION,
    "sevensenders.incoterm.rule": CONFIGURATION,
    "sevensenders.carrier": dict(CONFIGURATION, salesman="r", stock="r"),
    "sevensenders.outbox": dict(CONFIGURATION, user="rw"),
    # the read-back's differences: written by the read-back only
    "sevensenders.drift": CONFIGURATION,
    "sevensenders.parcel": dict(CONFIGURATION, stock="r", user="rwc"),
    # the status history is written by the tracking pull only; the shipping
    # report is read-only for everyone who sees deliveries
    "sevensenders.parcel.status": dict(CONFIGURATION, stock="r"),
    "sevensenders.shipping.report": dict(
        CONFIGURATION, stock="r", manager="r", system="r"
    ),
    # reasons: every internal user reads them (the return pages run as the
    # connector); requests: stock users see them, Seven Senders users decide
    "sevensenders.return.reason": dict(CONFIGURATION, salesman="r", stock="r"),
    "sevensenders.return.request": dict(CONFIGURATION, stock="r", user="rw"),
    "sevensenders.return.request.line": dict(CONFIGURATION, stock="r", user="rw"),
    # failed return lookups (the rate limit): only managers look at them
    "sevensenders.return.attempt": dict(
        CONFIGURATION, user="", manager="ru", system="ru"
    ),
}
MODES = {"r": "read", "w": "write", "c": "create", "u": "unlink"}


@tagged("post_install", "-at_install")
class TestAccessMatrix(SevenSendersCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        groups = {
            "portal": "base.group_portal",
            "salesman": "sales_team.group_sale_salesman",
            "stock": "stock.group_stock_user",
            "user": "delivery_sevensenders.group_sevensenders_user",
            "manager": "delivery_sevensenders.group_sevensenders_manager",
            "system": "base.group_system,"
            "delivery_sevensenders.group_sevensenders_manager",
        }
        cls.users = {
            role: new_test_user(cls.env, f"matrix_{role}", groups=group)
            for role, group in groups.items()
        }

    def test_every_model_of_the_addon_is_in_the_matrix(self):
        ours = self.env["ir.model"].search(
            [("model", "=like", "sevensenders.%"), ("transient", "=", False)]
        )
        ours = ours.filtered(lambda m: not self.env[m.model]._abstract)
        self.assertEqual(set(ours.mapped("model")), set(MATRIX))

    def test_access_rights_matrix(self):
        access = self.env["ir.model.access"]
        for model, rights in MATRIX.items():
            for role, allowed in rights.items():
                user = self.users[role]
                for letter, mode in MODES.items():
                    with self.subTest(model=model, role=role, mode=mode):
                        self.assertEqual(
                            access.with_user(user).check(
                                model, mode, raise_exception=False
                            ),
                            letter in allowed,
                        )

    def test_only_system_reads_the_secrets(self):
        for role, user in self.users.items():
            account = self.account.with_user(user)
            for field in ("access_key", "token"):
                with self.subTest(role=role, field=field):
                    if role == "system":
                        account.read([field])
                    else:
                        with self.assertRaises(AccessError):
                            account.read([field])

    def test_buttons_follow_the_rights(self):
        order = self.make_order()
        row = self.outbox(order, operation="order_create")
        # a Seven Senders user runs the queue; a salesman or stock user cannot
        row.with_user(self.users["user"]).action_sevensenders_cancel()
        self.assertEqual(row.state, "cancelled")
        for role in ("salesman", "stock", "portal"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                row.with_user(self.users[role]).action_sevensenders_retry()
        # only managers test the connection or sync the carriers of an account
        for role in ("user", "salesman", "stock"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                self.account.with_user(
                    self.users[role]
                ).action_sevensenders_sync_carriers()
        self.account.with_user(
            self.users["manager"]
        ).action_sevensenders_test_connection()
        # a salesman confirms orders (queued, not sent by him) and may resend
        salesman_order = self.make_order(
            confirm=False, user_id=self.users["salesman"].id
        )
        salesman_order.with_user(self.users["salesman"]).action_confirm()
        self.assertTrue(self.outbox(salesman_order, operation="order_create"))
