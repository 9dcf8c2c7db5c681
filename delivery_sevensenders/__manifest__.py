# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Seven Senders Connector",
    "summary": "Orders, shipments, labels, customs, pickup points and returns "
    "with the Seven Senders parcel-logistics platform",
    "version": "18.0.1.1.0",
    "category": "Inventory/Delivery",
    "author": "delivery_sevensenders contributors",
    "maintainers": [],
    "license": "AGPL-3",
    "development_status": "Alpha",
    "application": False,
    "installable": True,
    "depends": ["stock_delivery", "sale_stock", "mail"],
    "external_dependencies": {"python": ["pydantic>=2", "requests"]},
    "data": [
        "security/delivery_sevensenders_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "data/ir_sequence_data.xml",
        "data/mail_template_data.xml",
        "data/sevensenders_return_reason_data.xml",
        "views/sevensenders_account_views.xml",
        "views/sevensenders_outbox_views.xml",
        "views/sevensenders_carrier_views.xml",
        "views/delivery_carrier_views.xml",
        "views/sale_order_views.xml",
        "views/stock_picking_views.xml",
        "views/product_views.xml",
        "views/sale_portal_templates.xml",
        "views/sevensenders_menus.xml",
        "views/sevensenders_return_views.xml",
        "data/ir_actions_server_data.xml",
    ],
    "post_init_hook": "post_init_hook",
    "uninstall_hook": "uninstall_hook",
    "demo": ["demo/sevensenders_demo.xml"],
    "assets": {
        "web.assets_tests": [
            "delivery_sevensenders/static/tests/tours/*.js",
        ],
    },
}
