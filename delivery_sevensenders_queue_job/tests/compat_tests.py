# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""queue_job 18.0's test helpers (``queue_job.tests.common``) import
``SETATTR_SOURCES`` from ``odoo.tests.common``, which Odoo 18.0 only has
since 2025: on an older 18.0 it is added here, empty (the helpers only
register a path in it, to quiet a warning about patched methods)."""

import odoo.tests.common

if not hasattr(odoo.tests.common, "SETATTR_SOURCES"):
    odoo.tests.common.SETATTR_SOURCES = {}
