# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""1.5.0:
- parcels whose status history was read are marked so; the others (shipped
  before 1.4.0, or delivered before the history was read) are read once by
  the tracking pull, delivered ones included, which is started now. Until
  then the late-parcels check leaves them alone.
- the return-label email is signed (the salesperson's signature, else the
  company). The template is data loaded once (``noupdate``): the signature is
  added, in every language, where the text is still as shipped; a template
  the merchant rewrote stays theirs.
"""

from odoo import SUPERUSER_ID, api

TEMPLATE = "mail_template_sevensenders_return_label"
SHIPPED = "stick it on the parcel and hand it to the carrier"
# what the shipped text had before its ``</p>`` ("\n    ") and this make the
# 1.5.0 template's text exactly
SIGNATURE = """    <t t-if="not is_html_empty(object.order_id.user_id.signature)">
            <br/><br/>
            <t t-out="object.order_id.user_id.signature or ''">--<br/>Mitchell Admin</t>
        </t>
        <t t-else="">
            <br/>
            <t t-out="object.company_id.name or ''">YourCompany</t>
        </t>
    </p>"""


def _history_read(cr):
    cr.execute(
        """
        UPDATE sevensenders_parcel p SET status_history_read = TRUE
         WHERE EXISTS (SELECT 1 FROM sevensenders_parcel_status s
                        WHERE s.parcel_id = p.id AND s.source = 'history')
        """
    )


def _sign_return_label(cr):
    cr.execute(
        """
        UPDATE mail_template t
           SET body_html = (
               SELECT jsonb_object_agg(
                          key, regexp_replace(value, '</p>(\\s*</div>\\s*)$', %s))
                 FROM jsonb_each_text(t.body_html))
          FROM ir_model_data d
         WHERE d.module = 'delivery_sevensenders' AND d.name = %s
           AND d.model = 'mail.template' AND t.id = d.res_id
           AND t.body_html->>'en_US' LIKE %s
           AND t.body_html::text NOT LIKE '%%signature%%'
        """,
        [SIGNATURE.replace("\\", "\\\\") + "\\1", TEMPLATE, f"%{SHIPPED}%"],
    )


def migrate(cr, version):
    if not version:
        return
    _history_read(cr)
    _sign_return_label(cr)
    env = api.Environment(cr, SUPERUSER_ID, {})
    cron = env.ref("delivery_sevensenders.ir_cron_sevensenders_tracking", False)
    if cron:
        cron._trigger()
