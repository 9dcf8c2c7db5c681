# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Seven Senders Connector - Job Queue",
    "summary": "Send the Seven Senders outbox with OCA queue_job, on every Odoo worker",
    "version": "1.1.0",
    "category": "Inventory/Delivery",
    "author": "delivery_sevensenders contributors",
    "maintainers": [],
    "license": "AGPL-3",
    "development_status": "Alpha",
    "depends": ["delivery_sevensenders", "queue_job"],
    "data": [
        "data/queue_job_data.xml",
        "views/sevensenders_account_views.xml",
    ],
    "auto_install": True,
    "installable": True,
}
