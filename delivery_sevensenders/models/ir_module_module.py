# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.modules.module import get_manifest

from ..compat import load_series_data


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    @api.model
    def _sevensenders_load_series_data(self, module, filenames):
        """Called from the addons' data files (``<function>``): loads the
        data files of ``module`` that differ by Odoo series, from its
        ``data/series/<series>/`` folder (see ``compat.py``)."""
        load_series_data(self.env, module, filenames)

    def _update_from_terp(self, terp):
        # Apps > Update Apps List: Odoo offers again what it finds
        res = super()._update_from_terp(terp)
        self._sevensenders_hide_bridges()
        return res

    @api.model
    def _sevensenders_hide_bridges(self):
        """This project's addons that need an addon this Odoo does not have
        (the *Job Queue* bridge without OCA ``queue_job``) cannot be
        installed: Odoo lists every addon it finds, and would offer them
        (*Activate*, which then fails). They show as not installable until the
        missing addon is on the addons path (and *Update Apps List*)."""
        bridges = self or self.sudo().search(
            [("name", "=like", "delivery\\_sevensenders\\_%")]
        )
        bridges = bridges.filtered(
            lambda m: (
                m.name.startswith("delivery_sevensenders_") and m.state == "uninstalled"
            )
        )
        for bridge in bridges:
            if any(
                not get_manifest(dep.name).get("installable", False)
                for dep in bridge.dependencies_id
            ):
                bridge.sudo().state = "uninstallable"
