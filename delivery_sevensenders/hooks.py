# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.fields import Command

STOCK_TEMPLATE = "stock.mail_template_data_delivery_confirmation"
OWN_TEMPLATE = "delivery_sevensenders.mail_template_sevensenders_delivery_confirmation"


def _swap_confirmation_template(env, old_xmlid, new_xmlid):
    old = env.ref(old_xmlid, raise_if_not_found=False)
    new = env.ref(new_xmlid, raise_if_not_found=False)
    if old and new:
        env["res.company"].search(
            [("stock_mail_confirmation_template_id", "=", old.id)]
        ).write({"stock_mail_confirmation_template_id": new.id})


def post_init_hook(env):
    """Companies using Odoo's standard delivery email get the one with the
    return link; a company with its own template keeps it."""
    _swap_confirmation_template(env, STOCK_TEMPLATE, OWN_TEMPLATE)


def _close_stock_reporting(env):
    """Inventory > Reporting is Odoo's for Inventory managers: the group the
    addon gave it (data/series/<series>/menus.xml) goes with the addon."""
    menu = env.ref("stock.menu_warehouse_report", raise_if_not_found=False)
    group = env.ref("stock.group_stock_user", raise_if_not_found=False)
    if menu and group:
        field = "group_ids" if "group_ids" in menu._fields else "groups_id"
        menu.write({field: [Command.unlink(group.id)]})


def uninstall_hook(env):
    _swap_confirmation_template(env, OWN_TEMPLATE, STOCK_TEMPLATE)
    _close_stock_reporting(env)
