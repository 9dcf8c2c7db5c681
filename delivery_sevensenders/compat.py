# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Everything that differs between the Odoo series this addon supports, in one
place (18.0 and 19.0; the plan for 20.0 is in readme/ROADMAP.md).

The addon is written against the newest series; what an older one lacks or
spells differently is answered here, at run time, by feature detection where
Odoo offers it and by the series number where it does not. The static XML that
differs (groups and their privileges, server actions' groups) lives in
``data/series/<series>/`` and is loaded by :func:`load_series_data`. A new
series is one more branch here and, if its XML differs, one more folder.
"""

import os

from odoo import models, release
from odoo.tools import sql
from odoo.tools.convert import convert_file

#: The running series, e.g. (19, 0).
SERIES = tuple(release.version_info[:2])
SERIES_NAME = "%d.%d" % SERIES


if hasattr(models, "Constraint"):
    Constraint = models.Constraint
else:

    class Constraint:
        """Odoo 19's ``models.Constraint`` on 18.0: declared the 19.0 way
        (``_name_uniq = Constraint("UNIQUE(...)", "message")``), it becomes an
        entry of the class's ``_sql_constraints``, which 18.0 reads."""

        def __init__(self, definition, message=""):
            self.definition = definition
            self.message = message

        def __set_name__(self, owner, name):
            own = list(vars(owner).get("_sql_constraints", ()))
            own.append((name.lstrip("_"), self.definition, self.message))
            owner._sql_constraints = own


if hasattr(models, "Index"):
    Index = models.Index
else:

    class Index:
        """Odoo 19's ``models.Index`` on 18.0: declared the 19.0 way
        (``_name_idx = Index("(column) WHERE condition")``), the index
        ``<table>_<name>`` is made after the table, by ``_auto_init``, with
        ``tools.create_index`` (unless it exists: a changed definition needs a
        new name on 18.0)."""

        def __init__(self, definition):
            self.definition = definition

        def __set_name__(self, owner, name):
            columns, _where, condition = self.definition.partition(" WHERE ")
            columns = columns.strip()
            assert columns.startswith("(") and columns.endswith(")"), columns
            owner._auto_init = _auto_init_creating(
                owner, name.lstrip("_"), columns[1:-1], condition.strip()
            )


def _auto_init_creating(owner, name, columns, condition):
    """``owner``'s ``_auto_init`` (its own, or its parents') followed by the
    creation of the index ``<table>_<name>`` (18.0's ``Index``)."""
    own_init = vars(owner).get("_auto_init")

    def _auto_init(model):
        if own_init:
            result = own_init(model)
        else:
            result = super(owner, model)._auto_init()
        sql.create_index(
            model.env.cr,
            f"{model._table}_{name}",
            model._table,
            [columns],
            where=condition,
        )
        return result

    return _auto_init


def in_test_mode(registry):
    """Whether the registry hands out the running test's cursor (an HttpCase):
    18.0 says so itself; 19.0's test classes patch ``registry.cursor``."""
    if hasattr(registry, "in_test_mode"):
        return registry.in_test_mode()
    return "cursor" in vars(registry)


def cron_progress(env, done, remaining):
    """Report a batch's progress to the running scheduled action, without
    committing. 18.0's ``_notify_progress`` is deprecated in 19.0 for
    ``_commit_progress``, which commits; the callers here commit themselves,
    row by row, so this writes the progress as ``_notify_progress`` does on
    both series."""
    if progress_id := env.context.get("ir_cron_progress_id"):
        env["ir.cron.progress"].sudo().browse(progress_id).write(
            {"done": done, "remaining": remaining}
        )


def sale_line_uom(line):
    """The unit of a sale order line (``product_uom_id`` from 19.0)."""
    return line.product_uom_id if "product_uom_id" in line._fields else line.product_uom


def piece_unit(uom):
    """Units, when ``uom`` counts pieces (Units, Dozens...), else an empty
    recordset: 18.0 puts them in the category of Units, 19.0 in its tree."""
    unit = uom.env.ref("uom.product_uom_unit", raise_if_not_found=False)
    if not unit or not uom:
        return uom.browse()
    if "category_id" in uom._fields:
        return unit if uom.category_id == unit.category_id else uom.browse()
    return unit if uom._has_common_reference(unit) else uom.browse()


def partner_phone(partner):
    """The partner's phone, or its mobile on 18.0 (19.0 has one phone field)."""
    if partner.phone:
        return partner.phone
    return partner.mobile if "mobile" in partner._fields else False


def package_model(env):
    """Odoo's package model: ``stock.package`` from 19.0."""
    return env["stock.package" if "stock.package" in env else "stock.quant.package"]


def linked_sale_orders(productions):
    """The sale orders a manufacturing order is for (19.0 links them through
    stock references instead of ``get_linked_sale_orders``)."""
    if hasattr(productions, "get_linked_sale_orders"):
        return productions.get_linked_sale_orders()
    return productions.reference_ids.sale_ids | productions.sale_line_id.order_id


def production_origin_vals(order):
    """The values that make a new manufacturing order one for ``order`` (its
    procurement group on 18.0, its stock references from 19.0)."""
    if "stock_reference_ids" in order._fields:
        return {"reference_ids": [(6, 0, order.stock_reference_ids.ids)]}
    return {"procurement_group_id": order.procurement_group_id.id}


def transaction_class():
    """The ORM's transaction (``odoo.api.Transaction`` on 18.0; it moved to
    ``odoo.orm.environments`` in 19.0): tests that open their own cursors."""
    from odoo import api

    if hasattr(api, "Transaction"):
        return api.Transaction
    from odoo.orm.environments import Transaction

    return Transaction


def series_data_dir(addon_path):
    """The newest ``data/series/<series>`` folder of an addon that is not newer
    than the running Odoo (a series without changes reuses the one before)."""
    root = os.path.join(addon_path, "data", "series")
    known = sorted(
        (tuple(int(p) for p in name.split(".")), name)
        for name in os.listdir(root)
        if name.replace(".", "").isdigit()
    )
    usable = [name for version, name in known if version <= SERIES]
    if not usable:
        raise RuntimeError(
            "No data/series folder for Odoo %s in %s" % (SERIES_NAME, root)
        )
    return os.path.join("data", "series", usable[-1])


def load_series_data(env, module, filenames):
    """Load an addon's series-specific data files, as if they stood in its
    manifest (the same xml ids, removed with the addon)."""
    from odoo.modules.module import get_module_path

    folder = series_data_dir(get_module_path(module))
    for filename in filenames:
        convert_file(env, module, os.path.join(folder, filename), {}, mode="update")
