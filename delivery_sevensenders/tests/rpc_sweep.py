# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What a caller can make the code do over XML-RPC, role by role.

Every public method an addon defines or overrides is reachable with
``execute_kw`` by any logged-in user, portal customers included. The sweep
finds those methods by introspection (with Odoo's own ``get_public_method``,
the check the RPC dispatcher makes), calls each one over real XML-RPC as each
role, and checks the outcome against a table that is data in the test: a role
that is not allowed gets an access error, the sandbox sees no request from it
and nothing it did stays in the database. A public method without a row in the
table fails the sweep.
"""

import inspect
from xmlrpc.client import Fault

from odoo.exceptions import AccessError
from odoo.service.model import get_public_method
from odoo.tests import new_test_user

# XML-RPC fault codes of /xmlrpc/2 (odoo/addons/base/controllers/rpc.py)
FAULT_USER_ERROR = 2
FAULT_ACCESS_ERROR = 4

ROLES = {
    "portal": "base.group_portal",
    "internal": "base.group_user",
    "salesman": "sales_team.group_sale_salesman",
    "stock": "stock.group_stock_user",
    "user": "delivery_sevensenders.group_sevensenders_user",
    "manager": "delivery_sevensenders.group_sevensenders_manager",
    "admin": "base.group_system,delivery_sevensenders.group_sevensenders_manager,"
    "sales_team.group_sale_manager,stock.group_stock_manager",
}
SEVENSENDERS = ("user", "manager", "admin")
MANAGERS = ("manager", "admin")


def public_methods(env, module_prefix):
    """``{(model, method)}`` public over RPC and defined by the module's classes."""
    found = set()
    for name in env.registry:
        model = env[name]
        if model._abstract:
            continue  # mixins are reached through the models that inherit them
        for cls in type(model).mro():
            if not (cls.__module__ or "").startswith(module_prefix):
                continue
            for attr, member in vars(cls).items():
                if attr.startswith("_") or not inspect.isfunction(member):
                    continue
                try:
                    get_public_method(model, attr)
                except AccessError:
                    continue  # @api.private
                found.add((name, attr))
    return found


class RpcSweepMixin:
    """Mixed into an ``HttpCase`` that has a sandbox (``cls.sandbox``); not a
    test case itself. Odoo's loader runs only the test methods a class defines
    itself: the case calls ``_check_every_public_method_has_a_row`` and
    ``_run_rpc_sweep`` from its own ``test_`` methods.

    ``SWEEP``: ``{(model, method): (target, args, allowed roles, outcome)}``;
    ``target`` names a method ``_target_<name>`` of the case answering a fresh
    record (``None``: a model-level call); ``outcome`` is what an allowed role
    gets: ``"ok"`` or ``"user_error"`` (a business refusal on that record).
    """

    MODULE_PREFIX = "odoo.addons.delivery_sevensenders."
    SWEEP = {}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rpc_users = {
            role: new_test_user(
                cls.env,
                login=f"rpc_{role}",
                password=f"rpc-{role}-password",
                groups=groups,
            )
            for role, groups in ROLES.items()
        }

    def _rpc(self, role, model, method, ids, args):
        user = self.rpc_users[role]
        call_args = list(args) if ids is None else [ids, *args]
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname,
            user.id,
            f"rpc-{role}-password",
            model,
            method,
            call_args,
            {},
        )

    def _sandbox_requests(self):
        return sum(self.sandbox.stats()["requests"].values())

    def _footprint(self):
        """What a refused call must not leave behind."""
        env = self.env(su=True)
        return {
            model: env[model].search_count([])
            for model in ("sevensenders.outbox", "sevensenders.parcel", "mail.message")
        }

    def _check_every_public_method_has_a_row(self):
        found = public_methods(self.env, self.MODULE_PREFIX)
        self.assertTrue(
            found, "introspection found no public method: it proves nothing"
        )
        self.assertEqual(
            sorted(found - set(self.SWEEP)),
            [],
            "public methods without a row in the RPC sweep table",
        )
        self.assertEqual(
            sorted(set(self.SWEEP) - found),
            [],
            "rows of the RPC sweep table for methods that are not public (any more)",
        )

    def _run_rpc_sweep(self):
        refused = 0
        for (model, method), (target, args, allowed, outcome) in sorted(
            self.SWEEP.items()
        ):
            for role in ROLES:
                with self.subTest(model=model, method=method, role=role):
                    record = getattr(self, f"_target_{target}")() if target else None
                    # what the set-up left for the commit (tracking messages)
                    # is not the call's doing
                    self.env.flush_all()
                    self.env.cr.precommit.run()
                    before = self._sandbox_requests()
                    footprint = self._footprint()
                    ids = None if record is None else record.ids
                    try:
                        self._rpc(role, model, method, ids, args)
                        fault = None
                    except Fault as exc:
                        fault = exc
                    self.env.invalidate_all()
                    if role in allowed:
                        if fault is not None:
                            self.assertEqual(
                                (outcome, fault.faultCode),
                                ("user_error", FAULT_USER_ERROR),
                                f"{role} may call {model}.{method}: {fault.faultString}",
                            )
                        else:
                            self.assertEqual(outcome, "ok")
                        continue
                    refused += 1
                    self.assertIsNotNone(
                        fault, f"{role} called {model}.{method} without an error"
                    )
                    self.assertEqual(
                        fault.faultCode,
                        FAULT_ACCESS_ERROR,
                        f"{role} on {model}.{method}: {fault.faultString[-500:]}",
                    )
                    self.assertEqual(
                        self._sandbox_requests(),
                        before,
                        f"{role} made the sandbox work through {model}.{method}",
                    )
                    self.assertEqual(self._footprint(), footprint)
        # no row allows a portal customer: each row was refused at least once
        self.assertGreaterEqual(refused, len(self.SWEEP))
