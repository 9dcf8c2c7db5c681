# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Seven Senders Connector - Batch Transfers",
    "summary": "One Seven Senders customs manifest for a batch transfer",
    "version": "1.1.0",
    "category": "Inventory/Delivery",
    "author": "delivery_sevensenders contributors",
    "maintainers": [],
    "license": "AGPL-3",
    "development_status": "Alpha",
    "depends": ["delivery_sevensenders", "stock_picking_batch"],
    "data": ["data/ir_actions_server_data.xml"],
    "auto_install": True,
    "installable": True,
}
