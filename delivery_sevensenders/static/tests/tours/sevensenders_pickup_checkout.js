/** @odoo-module **/
// Website checkout with a Seven Senders pickup point (needs website_sale).
// Plain steps, no import from website_sale: this file is in the test assets
// whether or not website_sale is installed. The same steps run on 18.0 and 19.0
// (expectUnloadPage: the steps that load another page, which 19.0 requires).

import { registry } from "@web/core/registry";

function openSelectorSteps() {
    return [
        {
            content: "open the product",
            trigger: ".oe_product_cart a:contains(7S Tour Shirt)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "add it to the cart",
            trigger: "#add_to_cart",
            run: "click",
        },
        {
            content: "the cart holds it",
            trigger: "sup.my_cart_quantity:contains(/^1$/)",
        },
        {
            content: "go to the cart",
            trigger: "a[href='/shop/cart']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "go to checkout",
            trigger: "a[href^='/shop/checkout']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "choose the Seven Senders delivery method",
            trigger: "li[name=o_delivery_method]:contains(Seven Senders Pickup) input",
            run: "click",
        },
        {
            content: "it is selected",
            trigger: "li[name=o_delivery_method]:contains(Seven Senders Pickup) input:checked",
        },
        {
            content: "open the pickup point selector",
            trigger: "li[name=o_delivery_method]:contains(Seven Senders Pickup) button[name=o_pickup_location_selector]",
            run: "click",
        },
        {
            content: "Seven Senders points are listed",
            trigger: ".modal #o_location_selector_list_view button.list-group-item:contains(Parcel Shop)",
        },
    ];
}

// Up to the open selector: used to take the screenshot in static/description.
registry.category("web_tour.tours").add("sevensenders_pickup_selector", {
    url: "/shop?search=7S%20Tour%20Shirt",
    steps: () => openSelectorSteps(),
});

registry.category("web_tour.tours").add("sevensenders_pickup_checkout", {
    url: "/shop?search=7S%20Tour%20Shirt",
    steps: () => [
        ...openSelectorSteps(),
        {
            content: "pick the first point",
            trigger: ".modal #o_location_selector_list_view button.list-group-item:contains(Parcel Shop):first",
            run: "click",
        },
        {
            content: "choose this location",
            trigger: ".modal #submit_location_large:enabled",
            run: "click",
        },
        {
            content: "the chosen point is shown on the delivery method",
            trigger: "[name=o_pickup_location_name]:contains(DHL)",
        },
        {
            content: "confirm the checkout",
            trigger: "a[name=website_sale_main_button]:not(.disabled)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "confirm the (free) order",
            trigger: "button[name=o_payment_submit_button]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "the order is confirmed, shipped to the pickup point",
            // 18.0 shows the sale portal's address block, 19.0 its own card
            trigger: "#shipping_address:contains(DHL), #delivery_and_billing:contains(DHL)",
        },
    ],
});
