# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import re
import time
from string import Formatter
from urllib.parse import quote

from odoo import api, fields, models, tools
from odoo.exceptions import UserError

from ..sevensenders import (
    ENDPOINTS,
    PRODUCTION_URL,
    SANDBOX_URL,
    TEST_URL,
    SevenSendersClient,
    SevenSendersError,
    reference,
)
from ..sevensenders.endpoints import check_path
from .access import MANAGER, check_caller
from .common import _TOKENS, _TOKENS_LOCK, AccountPathStore, AccountTokenStore
from .notification import notification

_logger = logging.getLogger(__name__)

LANGUAGE_SELECTION = [(code, code) for code in sorted(reference.LANGUAGES)]
INCOTERM_SELECTION = [(code, code) for code in reference.INCOTERMS]
RETURN_URL_PLACEHOLDERS = {"order", "email", "lang"}


class SevenSendersAccount(models.Model):
    _name = "sevensenders.account"
    _description = "Seven Senders Account"
    _inherit = ["mail.thread"]
    _order = "sequence, id"

    name = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    environment = fields.Selection(
        [
            ("production", "Production"),
            ("test", "Test (UAT)"),
            ("custom", "Custom URL"),
        ],
        required=True,
        default="test",
        tracking=True,
        help="Production and Test use Seven Senders' servers; Custom is for the local "
        "sandbox or a proxy.",
    )
    base_url = fields.Char(
        "Custom API URL",
        default=SANDBOX_URL,
        help="API root used when the environment is Custom, e.g. the local sandbox "
        "http://127.0.0.1:8765/v2.",
    )
    api_url = fields.Char(compute="_compute_api_url", string="API URL")
    access_key = fields.Char(
        groups="base.group_system",
        copy=False,
        exportable=False,
        help="The permanent access key Seven Senders gives per environment.",
    )
    has_access_key = fields.Boolean(compute="_compute_has_access_key")
    token = fields.Char(groups="base.group_system", copy=False, exportable=False)
    token_expires_at = fields.Float(groups="base.group_system", copy=False)
    token_refresh_at = fields.Float(groups="base.group_system", copy=False)
    timeout = fields.Integer(
        "Timeout (s)", default=20, help="Read timeout of each call to the API."
    )
    shop_url = fields.Char(
        "Shop URL",
        help="Sent as order_url: must match a localisation set up in the Seven "
        "Senders portal. Defaults to the company's website or web.base.url.",
    )
    fallback_language = fields.Selection(
        LANGUAGE_SELECTION,
        help="Notification language for customers whose language Seven Senders does "
        "not support (e.g. Dutch). Empty: the company's language if Seven Senders "
        "supports it, else the order is sent without a language (Seven Senders "
        "may then send that customer no notification).",
    )
    language_warning = fields.Char(compute="_compute_language_warning")
    api_paths_learned = fields.Text(
        "Learned API paths",
        readonly=True,
        copy=False,
        help="Where the API answered with another documented spelling than the "
        "connector's first choice (JSON, one entry per call). Filled on its own.",
    )
    api_paths_display = fields.Text(
        "API paths in use", compute="_compute_api_paths_display"
    )
    api_path_overrides = fields.Text(
        "API path overrides",
        help="One call per line, e.g. 'order_states.create = /order-states': the "
        "connector uses these paths as given and never tries another spelling.",
    )
    return_portal = fields.Selection(
        [("light", "Return Portal Light"), ("pro", "Return Portal Pro")],
        default="light",
        required=True,
        help="Light needs orders and shipments only; Pro also needs the product "
        "library and order items.",
    )
    return_portal_url = fields.Char(
        "Return portal URL",
        help="Link to your Seven Senders return portal shown in the delivery email "
        "and on the customer's order page. Placeholders: {order} (order reference), "
        "{email} (customer email), {lang} (language code), e.g. "
        "https://returns.example.com/{lang}/login?order={order}&email={email}. "
        "Empty: no return link is shown.",
    )
    return_self_hosted = fields.Boolean(
        "Returns in this shop",
        help="Customers start returns on this Odoo's own return pages (/returns): "
        "they choose the items and reasons and get a Seven Senders return label. "
        "The delivery email and the customer portal link there instead of to the "
        "return portal URL.",
    )
    return_approval = fields.Boolean(
        "Returns need approval",
        help="Return requests of the shop wait in the back office until a user "
        "approves them; only then are the return and its label made.",
    )
    return_window_days = fields.Integer(
        "Return window (days)",
        default=30,
        help="The return link is shown for this many days after delivery.",
    )
    return_opens = fields.Selection(
        [("delivery", "At delivery"), ("shipping", "At shipping")],
        "Returns open",
        default="delivery",
        required=True,
        help="At delivery: once Seven Senders reports the parcels delivered "
        "(a delivery it does not track: once shipped); the shipping email of a "
        "parcel in transit invites no return. At shipping: as soon as the "
        "delivery is validated. The return window counts from then.",
    )
    product_missing_sku_count = fields.Integer(
        "Products without SKU", compute="_compute_product_missing_sku_count"
    )
    sync_orders = fields.Boolean("Send orders", default=True)
    sync_order_states = fields.Boolean("Send order states", default=True)
    sync_tags = fields.Boolean(
        "Send order tags",
        default=True,
        help="The order's tags go to Seven Senders as order tags (and follow "
        "their changes). Off: Seven Senders' order tags are left as they are.",
    )
    sync_tracking_shipments = fields.Boolean(
        "Send shipments of other carriers",
        default=True,
        help="When a delivery made with another carrier is done with a tracking "
        "reference, create the Seven Senders shipment with that tracking code.",
    )
    warehouse_mapping_ids = fields.One2many(
        "sevensenders.warehouse.mapping", "account_id", string="Warehouses"
    )
    carrier_mapping_ids = fields.One2many(
        "sevensenders.carrier.mapping", "account_id", string="Carrier mapping"
    )
    responsible_user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        help="Gets an activity when a synchronisation fails for good.",
    )
    outbox_max_attempts = fields.Integer(
        "Attempts before giving up",
        default=8,
        help="A call that failed this many times stops being retried automatically "
        "and gets an activity; it can still be retried by hand.",
    )
    outbox_keep_days = fields.Integer(
        "Keep sent calls (days)",
        default=30,
        help="Sent outbox rows older than this are removed (failed ones stay). "
        "0: keep them all.",
    )
    outbox_concurrency = fields.Integer(
        "Parallel calls",
        default=8,
        help="How many calls the outbox sends at once (halved while Seven Senders "
        "answers 429 Too Many Requests). 1: one after the other.",
    )
    outbox_count = fields.Integer(compute="_compute_outbox_count")
    late_after_days = fields.Integer(
        "Late without a scan (days)",
        default=3,
        help="A parcel handed over this many days ago without a carrier scan since "
        "(or since its last one) counts as late. 0: only the promised date counts.",
    )
    late_user_id = fields.Many2one(
        "res.users",
        "Late parcels to",
        help="Gets the activity of a delivery whose parcel is late; empty: the "
        "delivery's responsible (else the order's salesperson).",
    )
    customs_incoterm = fields.Selection(
        INCOTERM_SELECTION,
        "Incoterm",
        default="DDP",
        required=True,
        help="Incoterm of customs shipments; GB is DAP unless a country rule says otherwise.",
    )
    incoterm_rule_ids = fields.One2many(
        "sevensenders.incoterm.rule", "account_id", string="Incoterm per country"
    )
    uses_flex = fields.Boolean(
        "Seven Senders Flex",
        help="With 7S Flex no customs manifest is needed; the manifest action skips it.",
    )
    manifest_prefix = fields.Char(
        help="Start of every customs manifest id (the company name if empty); "
        "manifest ids are unique and contain no '/'.",
    )

    @api.depends("environment", "base_url")
    def _compute_api_url(self):
        urls = {"production": PRODUCTION_URL, "test": TEST_URL}
        for account in self:
            account.api_url = urls.get(account.environment) or account.base_url

    @api.depends("fallback_language", "company_id.partner_id.lang")
    def _compute_language_warning(self):
        for account in self:
            company_lang = account._sevensenders_company_language()
            if account.fallback_language or company_lang:
                account.language_warning = False
            else:
                account.language_warning = self.env._(
                    "No fallback language, and Seven Senders does not support the "
                    "company's language: orders of customers in other languages "
                    "(e.g. Dutch) are sent without one, and Seven Senders may send "
                    "them no notification."
                )

    @api.depends("api_paths_learned", "api_path_overrides")
    def _compute_api_paths_display(self):
        for account in self:
            learned = AccountPathStore(account).learned(account.api_paths_learned)
            overrides = account._sevensenders_path_overrides(strict=False)
            lines = [
                f"{op} = {path}"
                for op, path in sorted(learned.items())
                if op not in overrides
            ]
            lines += [
                self.env._("%(op)s = %(path)s (override)", op=op, path=path)
                for op, path in sorted(overrides.items())
            ]
            account.api_paths_display = "\n".join(lines) or False

    def _sevensenders_path_overrides(self, strict=True):
        """``{operation: path}`` of the overrides field (UserError on a bad line
        when ``strict``, else the bad lines are left out)."""
        self.ensure_one()
        overrides = {}
        for number, line in enumerate((self.api_path_overrides or "").splitlines(), 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            op, sep, path = (part.strip() for part in line.partition("="))
            try:
                if not sep:
                    raise ValueError(line)
                overrides[op] = check_path(op, path)
            except ValueError:
                if strict:
                    raise UserError(
                        self.env._(
                            "Line %(number)s of the API path overrides of %(name)s "
                            "is not 'call = /path' with a known call: %(line)s. "
                            "Known calls: %(calls)s.",
                            number=number,
                            name=self.name,
                            line=line,
                            calls=", ".join(sorted(ENDPOINTS)),
                        )
                    ) from None
        return overrides

    @api.constrains("api_path_overrides")
    def _check_api_path_overrides(self):
        for account in self:
            account._sevensenders_path_overrides()

    def action_sevensenders_forget_paths(self):
        check_caller(self, MANAGER, "write")
        for account in self:
            AccountPathStore(account).forget()
        self.write({"api_paths_learned": False})
        return True

    def _compute_has_access_key(self):
        for account in self:
            account.has_access_key = bool(account.sudo().access_key)

    def _compute_outbox_count(self):
        counts = dict(
            self.env["sevensenders.outbox"]._read_group(
                [
                    ("account_id", "in", self.ids),
                    ("state", "in", ("pending", "retry", "dead")),
                ],
                ["account_id"],
                ["__count"],
            )
        )
        for account in self:
            account.outbox_count = counts.get(account, 0)

    def _compute_product_missing_sku_count(self):
        products = self.env["product.product"]
        for account in self:
            account.product_missing_sku_count = (
                products.search_count(account._sevensenders_missing_sku_domain())
                if account.return_portal == "pro"
                else 0
            )

    def _sevensenders_missing_sku_domain(self):
        self.ensure_one()
        return self.env["product.product"]._sevensenders_library_domain(self) + [
            "|",
            ("default_code", "=", False),
            ("default_code", "=", ""),
        ]

    @api.constrains("return_portal_url")
    def _check_return_portal_url(self):
        for account in self.filtered("return_portal_url"):
            url = account.return_portal_url
            try:
                names = {
                    name for _text, name, _spec, _conv in Formatter().parse(url) if name
                }
            except ValueError:
                names = {None}
            unknown = names - RETURN_URL_PLACEHOLDERS
            if unknown or not url.startswith(("http://", "https://")):
                raise UserError(
                    self.env._(
                        "Seven Senders account %(name)s: the return portal URL must "
                        "start with https:// and may only use the placeholders "
                        "{order}, {email} and {lang}.",
                        name=account.name,
                    )
                )

    def _sevensenders_return_url(self, order_ref, email, lang_code):
        """The return portal link of one order, or False."""
        self.ensure_one()
        if self.return_self_hosted:
            base = self.env["ir.config_parameter"].sudo().get_param("web.base.url")
            return f"{base}/returns?reference={quote(order_ref or '', safe='')}"
        if not self.return_portal_url:
            return False
        values = {
            "order": quote(order_ref or "", safe=""),
            "email": quote(email or "", safe=""),
            "lang": quote(self._sevensenders_language(lang_code) or "en", safe=""),
        }
        return self.return_portal_url.format(**values)

    def action_sevensenders_open_products_missing_sku(self):
        check_caller(self)
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Products without SKU"),
            "res_model": "product.product",
            "view_mode": "list,form",
            "domain": self._sevensenders_missing_sku_domain(),
        }

    @api.constrains("environment", "base_url")
    def _check_base_url(self):
        for account in self:
            if account.environment == "custom" and not (
                account.base_url or ""
            ).startswith(("http://", "https://")):
                raise UserError(
                    self.env._(
                        "Seven Senders account %(name)s: the custom API URL must start "
                        "with http:// or https://.",
                        name=account.name,
                    )
                )

    def write(self, vals):
        renew = bool({"access_key", "environment", "base_url"} & set(vals))
        if renew:
            vals = dict(vals, token=False, token_expires_at=0.0, token_refresh_at=0.0)
        # the ORM checks the caller's rights first: nothing is forgotten for
        # a caller who may not write
        res = super().write(vals)
        if renew:
            self._sevensenders_forget_token()
        if {"active", "company_id", "sequence"} & set(vals):
            self.env.registry.clear_cache()
        return res

    def _sevensenders_forget_token(self):
        with _TOKENS_LOCK:
            for account in self:
                _TOKENS.pop((self.env.cr.dbname, account.id), None)

    # ------------------------------------------------------------------
    # The client factory
    # ------------------------------------------------------------------

    def _sevensenders_client(self, **kw):
        """The API client of this account (the one place clients are made)."""
        self.ensure_one()
        key = self.sudo().access_key
        if not key:
            raise UserError(
                self.env._(
                    "Seven Senders account %(name)s has no access key.", name=self.name
                )
            )
        # one number: Odoo's test harness only understands scalar timeouts
        kw.setdefault("timeout", float(self.timeout or 20))
        kw.setdefault("token_store", AccountTokenStore(self))
        carriers = self.env["sevensenders.carrier"]._sevensenders_table(self)
        if carriers:
            kw.setdefault("carriers", carriers)
        store = AccountPathStore(self)
        kw.setdefault("paths", store.learned(self.sudo().api_paths_learned))
        kw.setdefault("path_overrides", self._sevensenders_path_overrides(strict=False))
        kw.setdefault("on_path_learned", store.learn)
        return SevenSendersClient(key, base_url=self.api_url, **kw)

    def _sevensenders_shop_url(self):
        self.ensure_one()
        return self.shop_url or self.env["ir.config_parameter"].sudo().get_param(
            "web.base.url"
        )

    @staticmethod
    def _sevensenders_language_code(lang_code):
        code = (lang_code or "").split("_")[0].lower()
        return code if code in reference.LANGUAGES else None

    def _sevensenders_company_language(self):
        return self._sevensenders_language_code(self.sudo().company_id.partner_id.lang)

    def _sevensenders_language(self, lang_code):
        """The Seven Senders language of an Odoo language code: the customer's
        if Seven Senders supports it, else the account's fallback, else the
        company's if supported, else None (the order is sent without one; the
        guides mark ``language`` recommended, needed for notifications only)."""
        return (
            self._sevensenders_language_code(lang_code)
            or self.fallback_language
            or self._sevensenders_company_language()
            or None
        )

    def _sevensenders_warehouse(self, warehouse):
        """``(name, one-line address)`` of an Odoo warehouse, or a UserError."""
        self.ensure_one()
        mapping = self.warehouse_mapping_ids.filtered(
            lambda m: m.warehouse_id == warehouse
        )[:1]
        if not mapping:
            raise UserError(
                self.env._(
                    "Warehouse %(warehouse)s has no Seven Senders warehouse on account "
                    "%(account)s (Inventory > Configuration > Seven Senders > Accounts).",
                    warehouse=warehouse.display_name or "-",
                    account=self.name,
                )
            )
        return mapping.sevensenders_warehouse, mapping._one_line_address()

    def _sevensenders_map_carrier(self, carrier):
        """``{"name", "country"}`` of the Seven Senders carrier for an Odoo carrier."""
        self.ensure_one()
        mapping = self.carrier_mapping_ids.filtered(lambda m: m.carrier_id == carrier)[
            :1
        ]
        if not mapping:
            return None
        return {
            "name": mapping.sevensenders_carrier_id.code,
            "country": mapping.country_code,
        }

    def _sevensenders_incoterm(self, country_code):
        """The incoterm of a customs shipment to a country."""
        self.ensure_one()
        rule = self.incoterm_rule_ids.filtered(
            lambda r: r.country_id.code == country_code
        )[:1]
        if rule:
            return rule.incoterm
        return "DAP" if country_code == "GB" else self.customs_incoterm

    def _sevensenders_next_manifest_id(self):
        """A new, unique manifest id without "/" (prefix + sequence)."""
        self.ensure_one()
        prefix = re.sub(
            r"[^A-Za-z0-9_-]+", "", self.manifest_prefix or self.company_id.name or "7S"
        )
        number = self.env["ir.sequence"].sudo().next_by_code("sevensenders.manifest")
        return f"{prefix[:40] or '7S'}-{number}".replace("/", "-")

    @api.model
    def _sevensenders_for_company(self, company):
        account_id = self._sevensenders_account_id_for_company(company.id)
        return self.browse(account_id) if account_id else self.browse()

    @api.model
    @tools.ormcache("company_id")
    def _sevensenders_account_id_for_company(self, company_id):
        """Cached: looked up for every order confirmation and delivery."""
        account = self.sudo().search([("company_id", "=", company_id)], limit=1)
        return account.id or None

    @api.model_create_multi
    def create(self, vals_list):
        accounts = super().create(vals_list)
        self.env.registry.clear_cache()
        return accounts

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()
        return res

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------

    def action_sevensenders_test_connection(self):
        check_caller(self, MANAGER, "write")
        self.ensure_one()
        started = time.monotonic()
        try:
            with self._sevensenders_client() as client:
                client.authenticate()
                count = len(client.list_carriers())
        except SevenSendersError as exc:
            raise UserError(
                self.env._("Seven Senders connection failed: %(error)s", error=exc)
            ) from None
        return notification(
            self.env._(
                "Connected to %(url)s in %(ms)d ms; %(count)d carriers available.",
                url=self.api_url,
                ms=(time.monotonic() - started) * 1000,
                count=count,
            ),
            title=self.env._("Seven Senders"),
        )

    def action_sevensenders_sync_carriers(self):
        check_caller(self, MANAGER, "write")
        carriers = self.env["sevensenders.carrier"]
        try:
            messages = [
                carriers._sevensenders_sync_message(
                    carriers._sevensenders_sync(account)
                )
                for account in self
            ]
        except SevenSendersError as exc:
            raise UserError(
                self.env._("Seven Senders connection failed: %(error)s", error=exc)
            ) from None
        return notification(
            "\n".join(messages),
            title=self.env._("Seven Senders carriers refreshed"),
        )

    def action_sevensenders_open_outbox(self):
        check_caller(self)
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "delivery_sevensenders.sevensenders_outbox_action"
        )
        action["domain"] = [("account_id", "=", self.id)]
        action["context"] = {"search_default_filter_open": 1}
        return action
