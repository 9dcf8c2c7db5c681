# Copyright 2026 delivery_sevensenders contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Labels in parallel: the HTTP calls of every package of one or several
deliveries overlap in the outbox's worker threads (``_Sender``: the account's
*Parallel calls*, its 429-aware limiter); every ORM read and write stays in
the request's thread (prepare, then HTTP in threads, then store)."""

import uuid
from concurrent.futures import FIRST_COMPLETED, wait
from contextlib import contextmanager

from odoo import api, models
from odoo.exceptions import UserError

from ..sevensenders import SevenSendersError
from .sevensenders_outbox_drain import _Sender

#: labels fetched ahead for a batch of deliveries, per context key:
#: ``{key: {(picking id, return_parcel): (requests, outcome)}}`` (this
#: process, this request's thread: the key lives in its context only)
_PREFETCHED = {}


class LabelFailed(Exception):
    """A package's label could not be made: ``(package name, error)``."""

    def __init__(self, name, error):
        super().__init__(name, error)
        self.name = name
        self.error = error


def _create(vals):
    return lambda client: client.create_label(vals)


def _content(label):
    return lambda client: client.label_content(label)


def fetch_concurrently(senders, jobs):
    """The HTTP part of ``jobs`` (``{key: (account id, [(name, vals)])}``),
    without the ORM: each package's label created, then its files downloaded
    (only those its answer does not carry), every call on a worker of the
    account's sender. Answers ``{key: [(name, vals, [(label, content)])]}``
    in package order, or ``{key: LabelFailed}`` (its first failed package)."""
    labels = {key: [None] * len(requests) for key, (_a, requests) in jobs.items()}
    failed = {}
    in_flight = {}
    for key, (account_id, requests) in jobs.items():
        for index, (_name, vals) in enumerate(requests):
            future = senders[account_id].submit(_create(vals))
            in_flight[future] = (key, index, None)
    unexpected = None
    while in_flight:
        done, _pending = wait(in_flight, return_when=FIRST_COMPLETED)
        for future in done:
            key, index, position = in_flight.pop(future)
            result, exc, _failures = future.result()
            if exc is not None:
                if not isinstance(exc, SevenSendersError):
                    unexpected = unexpected or exc
                failed.setdefault(key, {})[index] = exc
            elif position is None:  # created: its files next
                labels[key][index] = [[label, None] for label in result]
                for position_, label in enumerate(result):
                    future_ = senders[jobs[key][0]].submit(_content(label))
                    in_flight[future_] = (key, index, position_)
            else:
                labels[key][index][position][1] = result
    if unexpected is not None:
        raise unexpected
    outcome = {}
    for key, (_account_id, requests) in jobs.items():
        if key in failed:
            index = min(failed[key])
            outcome[key] = LabelFailed(requests[index][0], failed[key][index])
            continue
        outcome[key] = [
            (name, vals, [tuple(pair) for pair in made])
            for (name, vals), made in zip(requests, labels[key], strict=True)
        ]
    return outcome


class DeliveryCarrier(models.Model):
    _inherit = "delivery.carrier"

    @api.model
    def _sevensenders_fetch_many(self, jobs):
        """``{key: (carrier, [(name, vals)])}`` fetched concurrently, one sender
        per account: ``{key: fetched | LabelFailed}``."""
        accounts = {
            carrier.sevensenders_account_id.sudo() for carrier, _r in jobs.values()
        }
        calls = sum(len(requests) for _c, requests in jobs.values())
        senders = {}
        try:
            for account in accounts:
                # no more workers than calls at once: a create, or a label's files
                senders[account.id] = _Sender(account, workers=2 * calls)
            return fetch_concurrently(
                senders,
                {
                    key: (carrier.sevensenders_account_id.id, requests)
                    for key, (carrier, requests) in jobs.items()
                    if requests
                },
            ) | {key: [] for key, (_c, requests) in jobs.items() if not requests}
        finally:
            for sender in senders.values():
                sender.close()

    def _sevensenders_fetched(self, picking, return_parcel, requests):
        """The labels of ``requests`` (``[(name, vals, [(label, content)])]``):
        fetched ahead with the other deliveries of the batch, else now,
        every package at once. A failed package raises, naming it."""
        prefetched = _PREFETCHED.get(self.env.context.get("sevensenders_prefetch"))
        ahead = (prefetched or {}).get((picking.id, return_parcel))
        if ahead and ahead[0] == requests:
            outcome = ahead[1]
        else:
            outcome = self._sevensenders_fetch_many({picking.id: (self, requests)})
            outcome = outcome[picking.id]
        if isinstance(outcome, LabelFailed):
            raise UserError(
                self.env._(
                    "The Seven Senders label of package %(package)s of %(picking)s "
                    "could not be made: %(error)s",
                    package=outcome.name,
                    picking=picking.name,
                    error=picking._sevensenders_describe_error(outcome.error),
                )
            )
        return outcome

    @api.model
    def _sevensenders_label_due(self, picking):
        """Whether Odoo's validation makes ``picking``'s 7S labels (as
        stock_delivery's ``_send_confirmation_email`` decides)."""
        carrier = picking.carrier_id
        return bool(
            carrier.delivery_type == "sevensenders"
            and carrier.integration_level == "rate_and_ship"
            and picking.picking_type_code != "incoming"
            and not picking.carrier_tracking_ref
            and picking.picking_type_id.print_label
        )

    @contextmanager
    def _sevensenders_prefetch(self, pickings, return_parcel=None):
        """Fetch the labels of every 7S delivery of ``pickings`` at once; yields
        the context key under which their ``_sevensenders_ship`` finds them
        (a delivery whose labels failed raises there, when its turn comes)."""
        outer = self.env.context.get("sevensenders_prefetch")
        pickings = pickings.filtered(
            lambda p: p.carrier_id.delivery_type == "sevensenders"
        )
        if len(pickings) < 2 or outer in _PREFETCHED:
            yield outer  # one delivery (its packages at once), or fetched already
            return
        jobs = {}
        for picking in pickings:
            carrier = picking.carrier_id
            kind = return_parcel or (
                "both" if carrier.return_label_on_delivery else "outbound"
            )
            try:
                carrier._sevensenders_check_configured()
                requests = carrier._sevensenders_label_requests(picking, kind)
            except UserError:
                continue  # its own turn says so
            jobs[(picking.id, kind)] = (carrier, requests)
        key = uuid.uuid4().hex
        _PREFETCHED[key] = {
            job: (jobs[job][1], outcome)
            for job, outcome in self._sevensenders_fetch_many(jobs).items()
        }
        try:
            yield key
        finally:
            _PREFETCHED.pop(key, None)
