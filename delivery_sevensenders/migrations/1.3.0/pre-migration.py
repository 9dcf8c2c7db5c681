# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""1.3.0: one vocabulary for the shop's own returns.

*Return portal* names Seven Senders' hosted portal only; the shop's own flow
is *returns*: the abstract model ``sevensenders.return.portal`` becomes
``sevensenders.returns`` (its ``ir.model`` row and XML id keep their ids).
The failed-try log becomes one counter row per key: the old rows (at most 15
minutes of failed tries) are dropped, so the unique key can be added.
"""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        "UPDATE ir_model SET model = 'sevensenders.returns' "
        "WHERE model = 'sevensenders.return.portal'"
    )
    cr.execute(
        "UPDATE ir_model_fields SET model = 'sevensenders.returns' "
        "WHERE model = 'sevensenders.return.portal'"
    )
    cr.execute(
        "UPDATE ir_model_data SET name = 'model_sevensenders_returns' "
        "WHERE module = 'delivery_sevensenders' "
        "AND name = 'model_sevensenders_return_portal'"
    )
    cr.execute(
        "UPDATE ir_model_data SET name = replace(name, "
        "'field_sevensenders_return_portal__', 'field_sevensenders_returns__') "
        "WHERE module = 'delivery_sevensenders' "
        "AND name LIKE 'field\\_sevensenders\\_return\\_portal\\_\\_%'"
    )
    cr.execute("SELECT to_regclass('sevensenders_return_attempt')")
    if cr.fetchone()[0]:
        cr.execute("DELETE FROM sevensenders_return_attempt")
