# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""1.5.0: parcels whose status history was read are marked so; the others
(shipped before 1.4.0, or delivered before the history was read) are read once
by the tracking pull, delivered ones included, which is started now. Until
then the late-parcels check leaves them alone."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE sevensenders_parcel p SET status_history_read = TRUE
         WHERE EXISTS (SELECT 1 FROM sevensenders_parcel_status s
                        WHERE s.parcel_id = p.id AND s.source = 'history')
        """
    )
    # the return-label email was loaded again (pre-migration): data again
    cr.execute(
        "UPDATE ir_model_data SET noupdate = TRUE WHERE module = "
        "'delivery_sevensenders' AND name = 'mail_template_sevensenders_return_label'"
    )
    env = api.Environment(cr, SUPERUSER_ID, {})
    cron = env.ref("delivery_sevensenders.ir_cron_sevensenders_tracking", False)
    if cron:
        cron._trigger()
