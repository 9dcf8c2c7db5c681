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


class LabelFetch:
    """The HTTP part of label requests, without the ORM: each package's label
    created, then its files downloaded (only those its answer does not
    carry), every call on a worker of its account's sender (``senders``:
    ``{account id: _Sender}``). :meth:`add` starts a job's calls at once;
    :meth:`results` answers each job as soon as all of its calls are in."""

    def __init__(self, senders):
        self.senders = senders
        self.in_flight = {}
        self.jobs = {}  # key: (account id, [(name, vals)])
        self.labels = {}  # key: per request, [[label, content]]
        self.failed = {}  # key: {request index: exception}
        self.left = {}  # key: calls not answered yet
        self.unexpected = None

    def add(self, key, account_id, requests):
        self.jobs[key] = (account_id, requests)
        self.labels[key] = [None] * len(requests)
        self.left[key] = len(requests)
        for index, (_name, vals) in enumerate(requests):
            self._submit(key, index, None, _create(vals))

    def _submit(self, key, index, position, send):
        future = self.senders[self.jobs[key][0]].submit(send)
        self.in_flight[future] = (key, index, position)

    def results(self):
        """``(key, outcome)`` as each job is done: ``[(name, vals, [(label,
        content)])]`` in package order, or :class:`LabelFailed` (its first
        failed package)."""
        for key in [key for key, left in self.left.items() if not left]:
            yield key, self._outcome(key)
        while self.in_flight:
            done, _pending = wait(self.in_flight, return_when=FIRST_COMPLETED)
            for future in done:
                key = self._record(future)
                if not self.left[key]:
                    yield key, self._outcome(key)
        if self.unexpected is not None:
            raise self.unexpected

    def _record(self, future):
        key, index, position = self.in_flight.pop(future)
        result, exc, _failures = future.result()
        self.left[key] -= 1
        if exc is not None:
            if not isinstance(exc, SevenSendersError):
                self.unexpected = self.unexpected or exc
            self.failed.setdefault(key, {})[index] = exc
        elif position is None:  # created: its files next
            self.labels[key][index] = [[label, None] for label in result]
            for position_, label in enumerate(result):
                self.left[key] += 1
                self._submit(key, index, position_, _content(label))
        else:
            self.labels[key][index][position][1] = result
        return key

    def _outcome(self, key):
        requests = self.jobs[key][1]
        if key in self.failed:
            index = min(self.failed[key])
            return LabelFailed(requests[index][0], self.failed[key][index])
        return [
            (name, vals, [tuple(pair) for pair in made])
            for (name, vals), made in zip(requests, self.labels[key], strict=True)
        ]


class DeliveryCarrier(models.Model):
    _inherit = "delivery.carrier"

    @contextmanager
    def _sevensenders_fetching(self, jobs, workers=None):
        """Fetch ``jobs`` (``(key, carrier, [(name, vals)])``, read lazily:
        each job's calls start before the next one is prepared), one sender
        per account; yields the iterator of ``(key, outcome)`` as each job
        is in (see :meth:`LabelFetch.results`)."""
        senders = {}
        fetch = LabelFetch(senders)
        try:
            for key, carrier, requests in jobs:
                account = carrier.sevensenders_account_id.sudo()
                if account.id not in senders:
                    senders[account.id] = _Sender(account, workers=workers)
                fetch.add(key, account.id, requests)
            yield fetch.results()
        finally:
            for sender in senders.values():
                sender.close()

    @api.model
    def _sevensenders_fetch_many(self, jobs, workers=None):
        """``{key: (carrier, [(name, vals)])}`` fetched concurrently:
        ``{key: fetched | LabelFailed}``."""
        jobs = [(key, carrier, requests) for key, (carrier, requests) in jobs.items()]
        with self._sevensenders_fetching(jobs, workers) as results:
            return dict(results)

    def _sevensenders_fetched(self, picking, return_parcel, requests):
        """The labels of ``requests`` (``[(name, vals, [(label, content)])]``):
        fetched ahead with the other deliveries of the batch, else now,
        every package at once. A failed package raises, naming it."""
        prefetched = _PREFETCHED.get(self.env.context.get("sevensenders_prefetch"))
        ahead = (prefetched or {}).get((picking.id, return_parcel))
        if ahead and ahead[0] == requests:
            outcome = ahead[1]
        else:
            # no more workers than calls at once: a package's create, or its
            # label's files (two with a return label)
            calls = sum(
                2 if vals["return_parcel"] == "both" else 1 for _n, vals in requests
            )
            outcome = self._sevensenders_fetch_many(
                {picking.id: (self, requests)}, workers=calls
            )[picking.id]
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

    def _sevensenders_label_jobs(self, pickings, return_parcel):
        """``(key, carrier, requests)`` of each delivery whose requests can be
        made (the others say why in their own turn)."""
        for picking in pickings:
            carrier = picking.carrier_id
            kind = return_parcel or (
                "both" if carrier.return_label_on_delivery else "outbound"
            )
            try:
                carrier._sevensenders_check_configured()
                requests = carrier._sevensenders_label_requests(picking, kind)
            except UserError:
                continue
            yield (picking.id, kind), carrier, requests

    @contextmanager
    def _sevensenders_prefetching(self, pickings, return_parcel=None):
        """Fetch the labels of every 7S delivery of ``pickings`` at once;
        yields ``(key, arrivals)``: the context key under which their
        ``_sevensenders_ship`` finds them (a delivery whose labels failed
        raises there, in its turn), and the deliveries as their labels come
        in (then those that got none), to be stored while the others are
        still in flight."""
        outer = self.env.context.get("sevensenders_prefetch")
        pickings = pickings.filtered(
            lambda p: p.carrier_id.delivery_type == "sevensenders"
        )
        if len(pickings) < 2 or outer in _PREFETCHED:
            # one delivery (its packages at once), or fetched already
            yield outer, iter(pickings)
            return
        key = uuid.uuid4().hex
        store = _PREFETCHED[key] = {}
        requests = {}

        def jobs():
            """Each delivery's calls start before the next one is prepared."""
            for job, carrier, job_requests in self._sevensenders_label_jobs(
                pickings, return_parcel
            ):
                requests[job] = job_requests
                yield job, carrier, job_requests

        def arrivals(results):
            seen = set()
            for job, outcome in results:
                store[job] = (requests[job], outcome)
                seen.add(job[0])
                yield pickings.browse(job[0])
            yield from pickings.filtered(lambda p: p.id not in seen)

        try:
            with self._sevensenders_fetching(jobs()) as results:
                yield key, arrivals(results)
        finally:
            _PREFETCHED.pop(key, None)

    @contextmanager
    def _sevensenders_prefetch(self, pickings, return_parcel=None):
        """:meth:`_sevensenders_prefetching`, every label fetched before the
        context key is yielded."""
        with self._sevensenders_prefetching(pickings, return_parcel) as (
            key,
            arrivals,
        ):
            for _picking in arrivals:
                pass
            yield key
