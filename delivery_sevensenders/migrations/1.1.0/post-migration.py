# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""1.1.0: the parcel is the unit of tracking.

``stock.picking.sevensenders_shipment_ref`` (the comma-joined shipment ids)
and the delivery-level status fields go: every shipment id gets a parcel (if
one is missing), the status the old pull read (of the first shipment only)
goes to that shipment's parcel, and the delivery's state is recomputed from
its parcels.
"""

import logging

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

OLD_COLUMNS = (
    "sevensenders_shipment_ref",
    "sevensenders_tracking_status",
    "sevensenders_status_checked_at",
)


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = 'stock_picking' AND column_name IN %s",
        (OLD_COLUMNS,),
    )
    if {row[0] for row in cr.fetchall()} != set(OLD_COLUMNS):
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    cr.execute(
        "SELECT id, sevensenders_shipment_ref, sevensenders_tracking_status, "
        "sevensenders_status_checked_at FROM stock_picking "
        "WHERE sevensenders_shipment_ref IS NOT NULL"
    )
    rows = cr.fetchall()
    Parcel = env["sevensenders.parcel"]
    created = 0
    for picking_id, joined, status, checked_at in rows:
        picking = env["stock.picking"].browse(picking_id)
        refs = [ref.strip() for ref in joined.split(",") if ref.strip()]
        for index, ref in enumerate(refs):
            parcel = picking.sevensenders_parcel_ids.filtered(
                lambda p, r=ref: p.shipment_ref == r and not p.is_return
            )[:1]
            if not parcel:
                account = picking._sevensenders_account()
                if not account:
                    _logger.warning(
                        "Seven Senders migration: %s has shipment %s but no "
                        "account; no parcel made",
                        picking.name,
                        ref,
                    )
                    continue
                parcel = Parcel.create(
                    {
                        "picking_id": picking.id,
                        "account_id": account.id,
                        "name": f"#{index + 1}",
                        "shipment_ref": ref,
                    }
                )
                created += 1
            if index == 0 and status and not parcel.carrier_status:
                parcel.write(
                    {
                        "carrier_status": status,
                        "delivery_state": Parcel._sevensenders_map_status(status),
                        "status_checked_at": checked_at,
                    }
                )
    pickings = env["stock.picking"].browse([row[0] for row in rows])
    env.add_to_compute(pickings._fields["sevensenders_delivery_state"], pickings)
    pickings.flush_recordset()
    for column in OLD_COLUMNS:
        cr.execute(
            SQL(
                "ALTER TABLE stock_picking DROP COLUMN IF EXISTS %s",
                SQL.identifier(column),
            )
        )
    _logger.info(
        "Seven Senders migration: %d deliveries moved to parcels (%d parcels made)",
        len(rows),
        created,
    )
