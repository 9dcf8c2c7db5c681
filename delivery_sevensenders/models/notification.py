# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


def notification(message, kind="success", title=None):
    """A client action showing a notification (button results)."""
    params = {"type": kind, "message": message}
    if title:
        params["title"] = title
    return {
        "type": "ir.actions.client",
        "tag": "display_notification",
        "params": params,
    }
