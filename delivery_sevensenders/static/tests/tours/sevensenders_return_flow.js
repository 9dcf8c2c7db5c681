/** @odoo-module **/
// A whole return in the shop's own return pages, as a customer does it:
// find the order, choose an item and a reason, request the return, and wait
// on the status page until the Seven Senders label can be downloaded.

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("sevensenders_return_flow", {
    // started on /returns?reference=<order> (the link of the customer's emails)
    steps: () => [
        {
            content: "the order number is filled in from the link",
            trigger: "input[name=reference][value^='S']",
        },
        {
            content: "and the delivery postal code",
            trigger: "input[name=secret]",
            run: "edit 10115",
        },
        {
            content: "find the order",
            trigger: "button[type=submit]:contains(Find my order)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "the returnable shirt is listed",
            trigger: "tr.o_sevensenders_return_line:contains(7S-TSHIRT) input[type=number]",
            run: "edit 1",
        },
        {
            content: "choose a reason",
            trigger: "tr.o_sevensenders_return_line:contains(7S-TSHIRT) select",
            run: "selectByLabel Too small",
        },
        {
            content: "say why",
            trigger: "textarea[name=comment]",
            run: "edit A size bigger next time",
        },
        {
            content: "request the return",
            trigger: "button[type=submit]:contains(Request the return)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "the label is being prepared (the outbox makes it)",
            trigger: ".o_sevensenders_label_pending",
        },
    ],
});

// Later, on the same status page: the label is there to download.
registry.category("web_tour.tours").add("sevensenders_return_label", {
    steps: () => [
        {
            content: "the label can be downloaded",
            trigger: "a.o_sevensenders_label_download:contains(Download the label)",
        },
    ],
});

// Issue #32: a shopper whose order went to a pickup point finds it with the
// postal code of their own address, chooses a drop-off point for the return
// (the second one listed) and requests the return.
registry.category("web_tour.tours").add("sevensenders_return_pickup_flow", {
    steps: () => [
        {
            content: "the order number is filled in from the link",
            trigger: "input[name=reference][value^='S']",
        },
        {
            content: "the postal code of the customer's own address",
            trigger: "input[name=secret]",
            run: "edit 10119",
        },
        {
            content: "find the order",
            trigger: "button[type=submit]:contains(Find my order)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "return one shirt",
            trigger: "tr.o_sevensenders_return_line:contains(7S-TSHIRT) input[type=number]",
            run: "edit 1",
        },
        {
            content: "choose a reason",
            trigger: "tr.o_sevensenders_return_line:contains(7S-TSHIRT) select",
            run: "selectByLabel Too big",
        },
        {
            content: "distances read in m or km",
            trigger: ".o_sevensenders_dropoff_distance:contains(m)",
        },
        {
            content: "choose the second drop-off point",
            trigger: ".o_sevensenders_dropoff_point:nth-of-type(3) input[name=dropoff]",
            run: "click",
        },
        {
            content: "request the return",
            trigger: "button[type=submit]:contains(Request the return)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "the request names the chosen drop-off point",
            trigger: "p:contains(Drop-off point:)",
        },
        {
            content: "and the item as 1 × (not 1.0 ×)",
            trigger: "li.o_sevensenders_return_item:contains(1 × [7S-TSHIRT])",
        },
        {
            content: "the label is being prepared (the outbox makes it)",
            trigger: ".o_sevensenders_label_pending",
        },
    ],
});
