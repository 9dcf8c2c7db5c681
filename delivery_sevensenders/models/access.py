# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Who may call what: every public method of the addon is reachable over RPC
by any logged-in user (portal customers included), so each one checks its
caller before it does anything with sudo or over HTTP."""

from odoo.exceptions import AccessError

USER = "delivery_sevensenders.group_sevensenders_user"
MANAGER = "delivery_sevensenders.group_sevensenders_manager"


def check_caller(records, group=USER, operation="read"):
    """Refuse a caller without ``group`` or without ``operation`` access to
    ``records`` (the model's rights and record rules).

    Superuser environments (scheduled actions, ``sudo()`` callers inside the
    addon) pass: they were allowed by whoever made them.
    """
    env = records.env
    if env.su:
        return
    if not env.user.has_group(group):
        raise AccessError(
            env._(
                "This Seven Senders action is reserved to the group %(group)s "
                "(Settings > Users).",
                group=env.ref(group).sudo().full_name,
            )
        )
    records.check_access(operation)
