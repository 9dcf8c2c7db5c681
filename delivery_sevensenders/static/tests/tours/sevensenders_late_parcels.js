/** @odoo-module **/
// An Inventory user (and the manager) finds the late parcels in
// Inventory > Reporting, sees the late parcel and opens its delivery.

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("sevensenders_late_parcel_to_delivery", {
    // started on /odoo: the user opens Inventory from the apps menu
    steps: () => [
        {
            content: "open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "open Inventory",
            trigger: ".o_app[data-menu-xmlid='stock.menu_stock_root']",
            run: "click",
        },
        {
            content: "open Inventory > Reporting",
            trigger: ".o_menu_sections [data-menu-xmlid='stock.menu_warehouse_report']",
            run: "click",
        },
        {
            content: "Shipping performance is there too",
            trigger:
                ".dropdown-item[data-menu-xmlid='delivery_sevensenders.sevensenders_shipping_report_menu']",
        },
        {
            content: "open Late parcels",
            trigger:
                ".dropdown-item[data-menu-xmlid='delivery_sevensenders.sevensenders_late_parcels_menu']",
            run: "click",
        },
        {
            content: "the late parcel is listed, with how late it is",
            trigger:
                ".o_list_view .o_data_row:contains(WH/OUT/7S-LATE) .o_data_cell[name=late_hours]:not(:contains(0.00))",
        },
        {
            content: "and the carrier's tracking link",
            trigger:
                ".o_list_view .o_data_row:contains(WH/OUT/7S-LATE) .o_data_cell[name=tracking_url] a[href]",
        },
        {
            content: "open its delivery",
            trigger:
                ".o_list_view .o_data_row:contains(WH/OUT/7S-LATE) .o_data_cell[name=picking_id]",
            run: "click",
        },
        {
            content: "the delivery opens, with its customer",
            trigger:
                ".o_form_view:has(.o_breadcrumb .active:contains(WH/OUT/7S-LATE)) .o_field_widget[name=partner_id]",
        },
    ],
});
