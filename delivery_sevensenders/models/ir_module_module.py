# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models

from ..compat import load_series_data


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    @api.model
    def _sevensenders_load_series_data(self, module, filenames):
        """Called from the addons' data files (``<function>``): loads the
        data files of ``module`` that differ by Odoo series, from its
        ``data/series/<series>/`` folder (see ``compat.py``)."""
        load_series_data(self.env, module, filenames)

    @api.model
    def update_list(self):
        res = super().update_list()
        self._sevensenders_hide_bridges()
        return res

    @api.model
    def _sevensenders_hide_bridges(self):
        """This project's addons that need an addon this Odoo does not have
        (the *Job Queue* bridge without OCA ``queue_job``) cannot be
        installed: Odoo lists every addon it finds, and would offer them
        (*Activate*, which then fails). They show as not installable until the
        missing addon is there (*Update Apps List* offers them again)."""
        modules = self.sudo()
        bridges = modules.search(
            [
                ("name", "=like", "delivery\\_sevensenders\\_%"),
                ("state", "=", "uninstalled"),
            ]
        )
        if not bridges:
            return
        available = set(
            modules.search([("state", "!=", "uninstallable")]).mapped("name")
        )
        bridges.filtered(
            lambda m: any(dep.name not in available for dep in m.dependencies_id)
        ).write({"state": "uninstallable"})
