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
