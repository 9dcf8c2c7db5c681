# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Return requests of the self-hosted return flow: what a customer sends back,
why, and the Odoo return and Seven Senders return label that follow.

The rules live here, so that the shop's pages, the JSON API and the back office
share them: only delivered, returnable units within the account's return window,
in steps of the unit's rounding, never more than delivered minus what is
returned or requested already, waiting for approval included. The order's row
is updated (locked) before a request is counted and made, and again before one
is approved: two requests at once meet on it, the later one fails to serialize
(Odoo's HTTP layer tries it again) and then counts the other's units."""

import math

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_round
from odoo.tools.misc import formatLang
from odoo.tools.translate import get_po_paths

from ..compat import Constraint, piece_unit, sale_line_uom
from .access import check_caller
from .sevensenders_returns import is_pickup_contact

OPEN_STATES = ("to_approve",)
MAX_COMMENT = 2000
MAX_ITEMS = 200


def format_quantity(env, quantity):
    """A quantity as a customer reads it, in the language's format: ``1``,
    not ``1.0``; ``1.5`` with the decimals it has (at most 6)."""
    decimals = f"{quantity:.6f}".rstrip("0").partition(".")[2]
    return formatLang(env, quantity, digits=len(decimals))


def format_distance(env, meters):
    """``350 m`` below a kilometre, else ``1.1 km`` (the language's format)."""
    meters = float(meters or 0)
    if meters < 999.5:
        return f"{formatLang(env, round(meters), digits=0)} m"
    return f"{formatLang(env, meters / 1000, digits=1)} km"


class ReturnKeyReused(UserError):
    """The submission key of an earlier request, with other items."""


class SevenSendersReturnReason(models.Model):
    _name = "sevensenders.return.reason"
    _description = "Seven Senders Return Reason"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True, help="Stable key of the reason for the JSON API, e.g. too_small."
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    comment_required = fields.Boolean(
        help="The customer must say more in the comment (e.g. for 'Other')."
    )

    _code_unique = Constraint("unique(code)", "Each return reason needs its own code.")

    def _register_hook(self):
        super()._register_hook()
        self._sevensenders_load_missing_terms()

    @api.model
    def _sevensenders_load_missing_terms(self):
        """Load this module's terms for the active languages its reasons lack.

        ``--load-language`` on an existing database loads every module's
        terms while only base's models are known, so the data of addons (these
        reasons, their emails) stays untranslated, and customers read English
        reasons on a German page. Checked as the registry loads: once loaded,
        the reasons have the language and nothing is done again."""
        module = "delivery_sevensenders"
        langs = [
            code
            for code, _name in self.env["res.lang"].get_installed()
            if code != "en_US" and any(get_po_paths(module, code))
        ]
        if not langs:
            return
        self.env.cr.execute(
            """
            SELECT DISTINCT lang.code
              FROM sevensenders_return_reason reason
              JOIN ir_model_data imd
                ON imd.model = %s AND imd.module = %s AND imd.res_id = reason.id
             CROSS JOIN unnest(%s::varchar[]) AS lang(code)
             WHERE NOT (reason.name ? lang.code)
            """,
            (self._name, module, langs),
        )
        missing = [row[0] for row in self.env.cr.fetchall()]
        if missing:
            self.env["ir.module.module"]._load_module_terms([module], missing)


def _one_line_point(point):
    """A drop-off point on one line: name, street, zip and city."""
    if not point:
        return False
    zip_city = f"{point['zip_code']} {point['city']}"
    return ", ".join(filter(None, [point["name"], point["street"], zip_city]))


class SevenSendersReturnRequest(models.Model):
    _name = "sevensenders.return.request"
    _description = "Seven Senders Return Request"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _submission_unique = Constraint(
        "unique(order_id, submission_key)", "This return was requested already."
    )

    name = fields.Char(readonly=True, copy=False, default="/")
    order_id = fields.Many2one(
        "sale.order", required=True, readonly=True, ondelete="cascade", index=True
    )
    partner_id = fields.Many2one(related="order_id.partner_id", store=True)
    company_id = fields.Many2one(related="order_id.company_id", store=True)
    account_id = fields.Many2one("sevensenders.account", readonly=True)
    state = fields.Selection(
        [
            ("to_approve", "To approve"),
            ("approved", "Label being prepared"),
            ("label_ready", "Label ready"),
            ("refused", "Refused"),
        ],
        default="to_approve",
        required=True,
        tracking=True,
        index=True,
    )
    origin = fields.Selection(
        [("portal", "Shop"), ("api", "JSON API"), ("backoffice", "Back office")],
        default="backoffice",
        required=True,
        readonly=True,
    )
    comment = fields.Text(readonly=True)
    dropoff_point_ref = fields.Char("Drop-off point id", readonly=True)
    submission_key = fields.Char(
        readonly=True,
        copy=False,
        help="The form's or API call's one-time key: the same submission again "
        "answers this request instead of making another.",
    )
    dropoff_point_data = fields.Json(
        readonly=True,
        help="The drop-off point as the locator gave it: its return label names it.",
    )
    dropoff_point = fields.Char(
        "Drop-off point",
        readonly=True,
        help="Where the customer said they will hand the parcel in (empty: any "
        "drop-off point of the carrier).",
    )
    line_ids = fields.One2many(
        "sevensenders.return.request.line", "request_id", readonly=True
    )
    return_picking_ids = fields.Many2many(
        "stock.picking", string="Returns", readonly=True, copy=False
    )
    label_attachment_ids = fields.Many2many(
        "ir.attachment", compute="_compute_label_attachment_ids", string="Return labels"
    )

    @api.depends("return_picking_ids.sevensenders_parcel_ids.attachment_id")
    def _compute_label_attachment_ids(self):
        for request in self:
            parcels = request.return_picking_ids.sevensenders_parcel_ids
            request.label_attachment_ids = parcels._sevensenders_returns().attachment_id

    # ------------------------------------------------------------------
    # What can be returned
    # ------------------------------------------------------------------

    @api.model
    def _sevensenders_returnable(self, order, now=None, exclude=None):
        """``{sale line: quantity}`` the customer may still return: delivered,
        returnable products, within the window, minus what is returned or
        requested (waiting for approval; not the requests ``exclude``). Empty
        outside the window."""
        deliveries = order._sevensenders_return_deliveries(now)
        if not deliveries:
            return {}
        moves = deliveries.move_ids.filtered(
            lambda m: m.state == "done" and m.sale_line_id
        )
        returned_moves = self.env["stock.move"].search(
            [("origin_returned_move_id", "in", moves.ids), ("state", "!=", "cancel")]
        )
        pending = self.env["sevensenders.return.request.line"].search(
            [
                ("request_id.order_id", "=", order.id),
                ("request_id.state", "in", OPEN_STATES),
                ("request_id", "not in", exclude.ids if exclude else []),
            ]
        )
        returnable = {}
        for line in moves.sale_line_id:
            if not line.product_id.sevensenders_returnable:
                continue
            uom = sale_line_uom(line)
            delivered = sum(
                m.product_uom._compute_quantity(m.quantity, uom)
                for m in moves
                if m.sale_line_id == line
            )
            returned = sum(
                m.product_uom._compute_quantity(m.product_uom_qty, uom)
                for m in returned_moves
                if m.origin_returned_move_id.sale_line_id == line
            )
            requested = sum(
                pending.filtered(lambda p, sl=line: p.sale_line_id == sl).mapped(
                    "quantity"
                )
            )
            left = float_round(
                delivered - returned - requested, precision_rounding=uom.rounding
            )
            if float_compare(left, 0, precision_rounding=uom.rounding) > 0:
                returnable[line] = left
        return returnable

    # ------------------------------------------------------------------
    # Making a request
    # ------------------------------------------------------------------

    @api.model
    def _sevensenders_dropoff_points(self, order, limit=5):
        """The Seven Senders pickup points nearest the customer's address (the
        delivery address, or the one a pickup point was chosen for) where the
        parcel can be handed in (the shipping method's locator and cache), or
        ``None`` when they cannot be loaded now (any drop-off point will do)."""
        order = order.sudo()
        carrier = order.carrier_id
        if carrier.delivery_type != "sevensenders":
            return []
        address = order.partner_shipping_id
        if is_pickup_contact(order, address):
            address = address.parent_id
        try:
            points = carrier._sevensenders_get_close_locations(address)
        except UserError:
            return None
        return points[:limit]

    @api.model
    def _sevensenders_request(
        self, order, items, comment=None, origin="backoffice", dropoff=None, key=None
    ):
        """A request for ``items`` (``[(sale line, quantity, reason)]``); approved
        at once unless the account wants approval. UserError on anything not
        returnable, with nothing created."""
        order = order.sudo()
        self._sevensenders_lock(order)
        key = (key or "").strip()[:64] or False
        if key:
            # a form sent twice (a double click, a replay): the first request
            done = self.sudo().search(
                [("order_id", "=", order.id), ("submission_key", "=", key)], limit=1
            )
            if done:
                return done._sevensenders_same_items(items)
        comment = (comment or "").strip()
        if len(comment) > MAX_COMMENT:
            raise UserError(
                self.env._(
                    "The comment is too long (at most %(max)s characters).",
                    max=MAX_COMMENT,
                )
            )
        lines = self._sevensenders_request_lines(order, items, comment)
        point = self._sevensenders_chosen_dropoff(order, dropoff)
        account = order._sevensenders_account()
        request = self.sudo().create(
            {
                "dropoff_point_ref": point.get("id") or False,
                "submission_key": key,
                "dropoff_point": _one_line_point(point),
                "dropoff_point_data": point or False,
                "name": self.env["ir.sequence"]
                .sudo()
                .next_by_code("sevensenders.return.request")
                or "/",
                "order_id": order.id,
                "account_id": account.id,
                "origin": origin,
                "comment": comment or False,
                "line_ids": [fields.Command.create(vals) for vals in lines],
            }
        )
        if not account.return_approval:
            request._sevensenders_approve()
        return request

    @api.model
    def _sevensenders_lock(self, order):
        """Take the order's row until the end of the transaction (an update,
        not only a lock: a concurrent request that read before this one
        committed fails to serialize instead of counting without it)."""
        self.env.cr.execute(
            "UPDATE sale_order SET write_date = write_date WHERE id = %s",
            (order.id,),
            log_exceptions=False,  # a serialization failure is tried again
        )

    def _sevensenders_same_items(self, items):
        """This request, when ``items`` are its items; else ReturnKeyReused."""
        self.ensure_one()
        asked = sorted(
            (line.id, float(quantity), reason.id if reason else 0)
            for line, quantity, reason in items
        )
        made = sorted(
            (item.sale_line_id.id, item.quantity, item.reason_id.id)
            for item in self.line_ids
        )
        if asked != made:
            raise ReturnKeyReused(
                self.env._(
                    "This submission key was used for another return request "
                    "(%(name)s). Reload the page, or send a new key.",
                    name=self.name,
                )
            )
        return self

    @api.model
    def _sevensenders_quantity_ok(self, sale_line, quantity):
        """A finite number above 0 in steps of the line's unit, whole pieces
        for a unit that counts them (Units, Dozens), not a bool."""
        if isinstance(quantity, bool) or not isinstance(quantity, (int, float)):
            return False
        if not 0 < quantity <= 1e9 or not math.isfinite(quantity):
            return False
        uom = sale_line_uom(sale_line)
        steps = quantity / uom.rounding
        unit = piece_unit(uom)
        if unit:
            steps = uom._compute_quantity(quantity, unit, round=False)
        return abs(steps - round(steps)) < 1e-6

    @api.model
    def _sevensenders_not_returnable(self, sale_line):
        return UserError(
            self.env._(
                "%(product)s cannot be returned in this quantity.",
                product=sale_line.product_id.display_name,
            )
        )

    @api.model
    def _sevensenders_check_quantity(self, sale_line, quantity, returnable):
        """``quantity`` of ``sale_line`` is at most what ``returnable`` allows."""
        if (
            float_compare(
                quantity,
                returnable.get(sale_line, 0),
                precision_rounding=sale_line_uom(sale_line).rounding,
            )
            > 0
        ):
            raise self._sevensenders_not_returnable(sale_line)

    @api.model
    def _sevensenders_request_lines(self, order, items, comment):
        """The request's line values, once every item is checked: a reason
        each (with the comment it asks for), never more than returnable."""
        if not items:
            raise UserError(self.env._("Choose at least one item to return."))
        if len(items) > MAX_ITEMS:
            raise UserError(
                self.env._(
                    "At most %(max)s items can be returned at once.", max=MAX_ITEMS
                )
            )
        returnable = self.sudo()._sevensenders_returnable(order)
        lines = []
        asked = {}
        for sale_line, quantity, reason in items:
            reason = reason.exists() if reason else reason
            if not reason or not reason.active:
                raise UserError(self.env._("Choose a reason for each item."))
            if reason.comment_required and not comment:
                raise UserError(
                    self.env._(
                        "Please tell us more in the comment (reason: %(reason)s).",
                        reason=reason.name,
                    )
                )
            ok = self._sevensenders_quantity_ok(sale_line, quantity)
            asked[sale_line] = asked.get(sale_line, 0) + (quantity if ok else 0)
            if not ok or sale_line not in returnable:
                raise self._sevensenders_not_returnable(sale_line)
            self._sevensenders_check_quantity(sale_line, asked[sale_line], returnable)
            lines.append(
                {
                    "sale_line_id": sale_line.id,
                    "quantity": quantity,
                    "reason_id": reason.id,
                }
            )
        return lines

    @api.model
    def _sevensenders_chosen_dropoff(self, order, dropoff):
        """The drop-off point the customer chose, one of those listed (``{}``:
        any point)."""
        if not dropoff:
            return {}
        point = next(
            (
                p
                for p in self._sevensenders_dropoff_points(order) or []
                if str(p["id"]) == str(dropoff)
            ),
            None,
        )
        if point is None:
            raise UserError(
                self.env._("Choose one of the drop-off points listed, or any.")
            )
        return point

    # ------------------------------------------------------------------
    # Approval: the Odoo return and its label
    # ------------------------------------------------------------------

    def action_sevensenders_approve(self):
        check_caller(self, operation="write")
        self.filtered(lambda r: r.state == "to_approve")._sevensenders_approve()
        return True

    def action_sevensenders_refuse(self):
        check_caller(self, operation="write")
        self.filtered(lambda r: r.state == "to_approve").write({"state": "refused"})
        return True

    def _sevensenders_approve(self):
        """One Odoo return per delivery of the items (Odoo's return wizard), and
        a Seven Senders return label for each through the outbox. Counted
        again under the order's row: never more than delivered minus returned
        and the other requests waiting."""
        for request in self.sudo():
            request._sevensenders_check_still_returnable()
            returns = self.env["stock.picking"]
            by_delivery = {}
            for line in request.line_ids:
                moves = line.sale_line_id.move_ids.filtered(
                    lambda m: (
                        m.state == "done"
                        and m.picking_code == "outgoing"
                        and m.quantity > 0
                    )
                )
                left = line.quantity
                for move in moves:
                    take = min(left, move.quantity)
                    if take <= 0:
                        break
                    by_delivery.setdefault(move.picking_id, {})[move] = (
                        by_delivery.get(move.picking_id, {}).get(move, 0) + take
                    )
                    left -= take
            for delivery, quantities in by_delivery.items():
                returns |= request._sevensenders_make_return(delivery, quantities)
            request.write({"state": "approved", "return_picking_ids": returns.ids})
            request._sevensenders_post_reasons(returns)
            for picking in returns:
                if picking.carrier_id.delivery_type == "sevensenders":
                    self.env["sevensenders.outbox"]._sevensenders_enqueue(
                        picking.carrier_id.sevensenders_account_id,
                        "return_label",
                        picking,
                        request_id=request.id,
                    )
                else:
                    request.state = "label_ready"  # nothing to wait for

    def _sevensenders_check_still_returnable(self):
        self.ensure_one()
        self._sevensenders_lock(self.order_id)
        returnable = self._sevensenders_returnable(
            self.order_id, now=self.create_date, exclude=self
        )
        asked = {}
        for item in self.line_ids:
            asked[item.sale_line_id] = asked.get(item.sale_line_id, 0) + item.quantity
        for sale_line, quantity in asked.items():
            self._sevensenders_check_quantity(sale_line, quantity, returnable)

    def _sevensenders_label_made(self):
        """Called as each return's label arrives: ready once all have one."""
        for request in self.filtered(lambda r: r.state == "approved"):
            pickings = request.return_picking_ids.filtered(
                lambda p: p.carrier_id.delivery_type == "sevensenders"
            )
            if all(p.sevensenders_parcel_ids._sevensenders_returns() for p in pickings):
                request.state = "label_ready"
                request.message_post(
                    body=self.env._("The Seven Senders return label is ready."),
                    attachment_ids=request.label_attachment_ids.ids,
                )
                request._sevensenders_send_label()

    def _sevensenders_send_label(self):
        """Email the label to the customer (template *Returns: your Seven
        Senders return label*, in the customer's language)."""
        template = self.env.ref(
            "delivery_sevensenders.mail_template_sevensenders_return_label",
            raise_if_not_found=False,
        )
        for request in self.filtered(lambda r: r.partner_id.email):
            if template:
                template.send_mail(
                    request.id,
                    email_values={"attachment_ids": request.label_attachment_ids.ids},
                )

    def _sevensenders_make_return(self, delivery, quantities):
        wizard = (
            self.env["stock.return.picking"]
            .with_context(active_id=delivery.id, active_model="stock.picking")
            .create({"picking_id": delivery.id})
        )
        for wizard_line in wizard.product_return_moves:
            wizard_line.quantity = quantities.get(wizard_line.move_id, 0.0)
        action = wizard.action_create_returns()
        return self.env["stock.picking"].browse(action["res_id"])

    def _sevensenders_post_reasons(self, returns):
        self.ensure_one()
        rows = Markup("").join(
            Markup("<li>%s × %s: %s</li>")
            % (
                format_quantity(self.env, line.quantity),
                line.product_id.display_name,
                line.reason_id.name,
            )
            for line in self.line_ids
        )
        body = Markup("%s<ul>%s</ul>") % (
            self.env._("Return request %(name)s:", name=self.name),
            rows,
        )
        if self.comment:
            body += Markup("<p>%s</p>") % self.comment
        for picking in returns:
            picking.message_post(body=body)


class SevenSendersReturnRequestLine(models.Model):
    _name = "sevensenders.return.request.line"
    _description = "Seven Senders Return Request Line"

    request_id = fields.Many2one(
        "sevensenders.return.request", required=True, ondelete="cascade", index=True
    )
    sale_line_id = fields.Many2one("sale.order.line", required=True, ondelete="cascade")
    product_id = fields.Many2one(related="sale_line_id.product_id", store=True)
    quantity = fields.Float(required=True, digits="Product Unit of Measure")
    reason_id = fields.Many2one(
        "sevensenders.return.reason", required=True, ondelete="restrict"
    )
    state = fields.Selection(related="request_id.state", store=True)
