# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Synced fields, declared once per document.

Each :class:`Synced` says, for one key of a Seven Senders document: the
method of the Odoo document that gives its value (``None``: Odoo has none),
the Odoo fields whose change sends it again, what clears it in Seven Senders
when Odoo has no value, the account switch that turns it off, and whether a
change after the create is sent. The create payload, the update payload, the
``write`` trigger and the read-back's comparison all come from the table, so
adding a field is one line (and its value method).
"""

from typing import Any, NamedTuple


class Synced(NamedTuple):
    key: str  # the API key
    value: str  # method of the document: (account) -> value, None: Odoo has none
    reads: tuple = ()  # fields of the document whose change sends it again
    clear: Any = None  # what clears it in Seven Senders (None: sent as null)
    switch: str = ""  # account field that must be on for it to be sent at all
    update: bool = True  # a change after the create is sent (and read back)

    def on(self, account):
        return not self.switch or bool(account[self.switch])


def synced_vals(record, account, table, update=False):
    """The payload of ``record``: every key of ``table`` whose switch is on;
    for an update only those sent after the create, a missing value as its
    clearing value; for a create a missing value is left out."""
    vals = {}
    for synced in table:
        if not synced.on(account) or (update and not synced.update):
            continue
        value = getattr(record, synced.value)(account)
        if value is not None:
            vals[synced.key] = value
        elif update:
            vals[synced.key] = synced.clear
    return vals


def trigger_fields(table):
    """The document's fields whose change queues an update."""
    return frozenset(name for s in table if s.update for name in s.reads)


def compared_keys(table, account):
    """The keys the read-back compares for this account."""
    return tuple(s.key for s in table if s.update and s.on(account))
