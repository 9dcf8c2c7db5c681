# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What an outbox call may lack when it is prepared or sent, other than an
outbox row (those are the operations' ``waits_for``).

- :class:`NotReady`: a document that comes later by itself (the customer
  invoice of a customs shipment, posted hours after the delivery with Odoo's
  default invoicing policy). Not a failure: the row waits (*Waiting for: the
  invoice of S0042*), spends no attempt, puts no error on its document; what
  makes the document wakes the row (``outbox._sevensenders_wake()``, e.g.
  ``account.move._post``), and the drain looks again every hour.
- :class:`NotInSevenSenders`: something Seven Senders should hold and does
  not, and nothing queued makes it: a failure, retried with backoff.
"""


class NotInSevenSenders(Exception):
    """What a call needs is not in Seven Senders, and nothing queued makes it."""

    def __init__(self, kind, name):
        super().__init__(f"{kind} {name} is not in Seven Senders")
        self.kind = kind
        self.name = name


class NotReady(Exception):
    """What a call needs is not there yet, and no outbox row makes it: not a
    failure, the row waits for ``what`` (a phrase: "the invoice of S0042")."""

    def __init__(self, what):
        super().__init__(what)
        self.what = what
