"""Screenshots of Inventory > Reporting in the demo (``make run``).

Logs in to a running demo Odoo (with the history of ``tools/demo/demo_history.py``)
in headless Chromium and saves, into ``delivery_sevensenders/static/description/``:
the shipping-performance pivot as it opens (per carrier: parcels, on-time share,
average transit time), its graph (average transit time per carrier), the late
parcels, the Inventory > Reporting menu with them and a delivery's Seven Senders tab (parcels and status history).

    python tools/screenshot_kpi.py --url http://127.0.0.1:8069 --db sevensenders_demo

Needs Debian's chromium and the websocket-client package.
"""

from screenshot_demo import OUT, shoot
from screenshot_pickup import Chrome, odoo_parser, rpc

ACTION = "action-delivery_sevensenders.sevensenders_shipping_report_action"
LATE = "action-delivery_sevensenders.sevensenders_late_parcels_action"
REPORTING = ".o_menu_sections [data-menu-xmlid='stock.menu_warehouse_report']"
LATE_ITEM = (
    ".dropdown-item[data-menu-xmlid="
    "'delivery_sevensenders.sevensenders_late_parcels_menu']"
)


def delivery(url, db, login, password):
    call = rpc(url, db, login, password)
    [order] = call(
        "sale.order",
        "search_read",
        [("client_order_ref", "=", "7S-HIST-2")],
        fields=["picking_ids"],
    )
    return order["picking_ids"][0]


def main():
    parser = odoo_parser(__doc__)
    args = parser.parse_args()
    picking_id = delivery(args.url, args.db, args.login, args.password)
    chrome = Chrome(width=1440, height=900)
    try:
        chrome.login(args.url, args.db, args.login, args.password)
        chrome.goto(f"{args.url}/odoo")
        chrome.wait("!!document.querySelector('.o_main_navbar')", timeout=300)
        # the pivot as it opens: parcels, on-time share, transit per carrier
        shoot(
            chrome,
            f"{args.url}/odoo/{ACTION}",
            "!!document.querySelector('.o_pivot table')",
            OUT / "kpi_pivot.png",
        )
        shoot(
            chrome,
            f"{args.url}/odoo/{ACTION}?view_type=graph",
            "!!document.querySelector('.o_graph_renderer canvas')",
            OUT / "kpi_graph.png",
        )
        shoot(
            chrome,
            f"{args.url}/odoo/{LATE}",
            "!!document.querySelector('.o_list_view')",
            OUT / "kpi_late.png",
        )
        # where they are: Inventory > Reporting, open
        shoot(
            chrome,
            f"{args.url}/odoo/{LATE}",
            "!!document.querySelector('.o_list_view .o_data_row')",
            OUT / "kpi_menu.png",
            script=f'document.querySelector("{REPORTING}").click()',
            then=f'!!document.querySelector("{LATE_ITEM}")',
        )
        shoot(
            chrome,
            f"{args.url}/odoo/action-stock.action_picking_tree_all/{picking_id}",
            "!!document.querySelector('.o_form_view .o_field_widget')",
            OUT / "kpi_history.png",
            tab="Seven Senders",
        )
    finally:
        chrome.close()


if __name__ == "__main__":
    main()
