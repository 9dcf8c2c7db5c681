# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Seven Senders Connector - Manufacturing",
    "summary": "Send the in_production order state to Seven Senders when manufacturing starts",
    "version": "1.1.0",
    "category": "Inventory/Delivery",
    "author": "delivery_sevensenders contributors",
    "maintainers": [],
    "license": "AGPL-3",
    "development_status": "Alpha",
    "depends": ["delivery_sevensenders", "sale_mrp"],
    "auto_install": True,
    "installable": True,
}
