# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""1.4.1: the shipping email greets, and is sent to, the customer of the
order, not the delivery contact (a pickup point became that one, named after
the point). The template is data loaded once (``noupdate``): its recipients,
greeting and language change here where they are still as shipped; a template
the merchant edited there stays theirs.
"""

XMLID = "mail_template_sevensenders_delivery_confirmation"
CUSTOMER = "(object.sale_id.partner_id or object.partner_id)"
CHANGES = {
    "partner_to": (
        "{{ object.partner_id.email and object.partner_id.id or "
        "object.partner_id.parent_id.id }}",
        "{{ (object.sale_id.partner_id.email and object.sale_id.partner_id.id) or "
        "(object.partner_id.email and object.partner_id.id) or "
        "object.partner_id.parent_id.id }}",
    ),
    "lang": ("{{ object.partner_id.lang }}", "{{ %s.lang }}" % CUSTOMER),
}
GREETING = (
    "Hello <t t-out=\"object.partner_id.name or ''\">",
    "Hello <t t-out=\"%s.name or ''\">" % CUSTOMER,
)


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        "SELECT res_id FROM ir_model_data WHERE module = 'delivery_sevensenders' "
        "AND model = 'mail.template' AND name = %s",
        [XMLID],
    )
    row = cr.fetchone()
    if not row:
        return
    for field, (old, new) in CHANGES.items():
        cr.execute(
            f"UPDATE mail_template SET {field} = %s WHERE id = %s AND {field} = %s",  # noqa: S608
            [new, row[0], old],
        )
    # body_html: translated (one text per language)
    cr.execute(
        """
        UPDATE mail_template t
           SET body_html = (SELECT jsonb_object_agg(key, replace(value, %s, %s))
                              FROM jsonb_each_text(t.body_html))
         WHERE id = %s AND body_html IS NOT NULL
        """,
        [*GREETING, row[0]],
    )
