# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Fault soak: run it alone, in a database you can throw away (it commits)::

    odoo-bin -d DB --test-tags sevensenders_soak --stop-after-init

``SEVENSENDERS_SOAK_ORDERS`` (default 1000) and ``SEVENSENDERS_SOAK_WORKERS``
(default 2) size it. ``bench/fault_soak.py`` runs the same soak and prints it.
"""

import logging
import os
import pprint

from odoo.modules.registry import Registry
from odoo.tests import BaseCase, tagged
from odoo.tests.common import get_db_name
from odoo.tools import config

from .common import SandboxProcess
from .soak import Soak

_logger = logging.getLogger(__name__)


@tagged("-standard", "-at_install", "post_install", "sevensenders_soak")
class TestFaultSoak(BaseCase):
    """Not a TransactionCase: real workers must see each other's commits."""

    def test_soak_loses_nothing_and_sends_nothing_twice(self):
        if "sevensenders_soak" not in (config["test_tags"] or ""):
            # a runner that ignores Odoo's tags (pytest-odoo) must not commit
            # a thousand orders into the database it was given
            self.skipTest("runs only when asked for: --test-tags sevensenders_soak")
        sandbox = SandboxProcess()
        self.addCleanup(sandbox.stop)
        registry = Registry(get_db_name())
        orders = int(os.environ.get("SEVENSENDERS_SOAK_ORDERS", 1000))
        workers = int(os.environ.get("SEVENSENDERS_SOAK_WORKERS", 2))
        report = Soak(registry, sandbox, orders=orders, workers=workers).run()
        summary = pprint.pformat(
            {k: v for k, v in report.items() if not isinstance(v, list) or len(v) < 20}
        )
        _logger.info("fault soak:\n%s", summary)
        self.assertFalse(report["worker_errors"], summary)
        self.assertFalse(report["timed_out"], summary)
        # none lost, none twice
        self.assertEqual(report["remote_orders"], orders, summary)
        self.assertEqual(report["remote_orders_distinct"], orders, summary)
        self.assertEqual(report["orders_missing"], [], summary)
        self.assertEqual(report["orders_twice"], [], summary)
        self.assertEqual(report["synced_orders"], orders, summary)
        self.assertEqual(report["shipments_missing"], [], summary)
        self.assertEqual(report["shipments_twice"], [], summary)
        self.assertEqual(report["shipments_unexpected"], [], summary)
        self.assertEqual(
            report["remote_shipments"], report["expected_shipments"], summary
        )
        self.assertEqual(report["boarding_complete"], orders, summary)
        self.assertEqual(report["rows_by_state"], {"done": report["rows"]}, summary)
        # the faults happened, and the outbox shows every one of them
        faults = report["faults_injected"]
        for kind in ("errors", "rate_limited", "dropped", "dropped_after"):
            self.assertGreater(faults[kind], 0, summary)
        self.assertGreater(report["revocations"], 0, summary)
        self.assertEqual(
            report["http_failures_logged"], report["failed_exchanges"], summary
        )
        # both workers took part
        self.assertEqual(len(report["drained_per_worker"]), workers, summary)
