# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""1.5.0: the return-label email is signed (the salesperson's signature, else
the company). The template is data loaded once (``noupdate``): where its text
is still as shipped (unsigned, the shipped sentence), this update loads it
again from the addon; a template the merchant rewrote stays theirs. The
post-migration sets ``noupdate`` back."""

XMLID = "mail_template_sevensenders_return_label"
SHIPPED = "stick it on the parcel and hand it to the carrier"


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE ir_model_data d SET noupdate = FALSE
          FROM mail_template t
         WHERE d.module = 'delivery_sevensenders' AND d.name = %s
           AND d.model = 'mail.template' AND t.id = d.res_id
           AND t.body_html->>'en_US' LIKE %s
           AND t.body_html->>'en_US' NOT LIKE '%%signature%%'
        """,
        [XMLID, f"%{SHIPPED}%"],
    )
