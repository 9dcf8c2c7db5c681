"""The request policy on its own: an outcome and the call's state in, a decision
out. No HTTP: the outcomes are built by hand, the lookups are plain callables."""

import pytest

from sevensenders import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    NotFoundError,
    RateLimitError,
    ServerError,
    SevenSendersClient,
    UnprocessableEntityError,
)
from sevensenders.client import _Action, _Outcome

NO_ROUTE = {"detail": 'No route found for "POST /v2/orders"'}


@pytest.fixture
def client():
    """Offline (nothing listens there): the policy sends nothing."""
    with SevenSendersClient(
        "k", base_url="http://127.0.0.1:1/v2", max_retries=2, sleep=_no_sleep
    ) as client:
        yield client


def _no_sleep(seconds):
    raise AssertionError("the policy never sleeps")


@pytest.fixture
def no_jitter(monkeypatch):
    monkeypatch.setattr("sevensenders.client.random.random", lambda: 0.0)


def status(cls, code=None, body=None):
    code = code or cls.status_code
    return _Outcome(cls(f"error {code}", status_code=code, body=body), code)


def connection(cls=APIConnectionError, sent=True):
    return _Outcome(cls("connection broken", method="POST", path="/x", sent=sent))


class Lookup:
    """A recover callable that answers ``found`` and counts its calls."""

    def __init__(self, found=None, error=None):
        self.found, self.error, self.calls = found, error, 0

    def __call__(self):
        self.calls += 1
        if self.error is not None:
            raise self.error
        return self.found


# ---------------------------------------------------------------------------
# path discovery
# ---------------------------------------------------------------------------


def test_a_missing_route_tries_the_other_spelling_at_once(client):
    call = client._start("orders.create")
    decision = client._decide(status(NotFoundError, body=NO_ROUTE), call)
    assert decision.action is _Action.OTHER_SPELLING
    assert decision.value == "/order"
    assert decision.delay == 0  # sent again, reported as a retry, no wait


def test_every_spelling_tried_raises_a_route_missing_error(client):
    call = client._start("orders.create")
    call.use("/order")
    decision = client._decide(status(NotFoundError, body=NO_ROUTE), call)
    assert decision.action is _Action.RAISE
    assert decision.delay is None
    assert decision.error.route_missing
    assert decision.error.status_code == 404
    assert "no route POST /orders or /order" in str(decision.error)
    assert "(orders.create)" in str(decision.error)


def test_an_operation_with_several_alternatives_tries_each_once(client):
    call = client._start("shipment_events.create")
    seen = []
    while True:
        decision = client._decide(status(NotFoundError, body=NO_ROUTE), call)
        if decision.action is not _Action.OTHER_SPELLING:
            break
        seen.append(decision.value)
        call.use(decision.value)
    assert seen == ["/shipment-event", "/shipment-events"]
    assert decision.action is _Action.RAISE and decision.error.route_missing


def test_a_page_that_is_not_json_is_a_missing_route(client):
    call = client._start("orders.create")
    decision = client._decide(status(NotFoundError, body=None), call)
    assert decision.action is _Action.OTHER_SPELLING


def test_an_overridden_path_is_never_replaced(client):
    fixed = SevenSendersClient("k", path_overrides={"orders.create": "/orders"})
    call = fixed._start("orders.create")
    decision = fixed._decide(status(NotFoundError, body=NO_ROUTE), call)
    assert decision.action is _Action.RAISE
    assert decision.error.route_missing


def test_an_unknown_object_is_not_a_missing_route(client):
    call = client._start("orders.get", {"id": 42})
    outcome = status(NotFoundError, body={"detail": "Order 42 not found"})
    decision = client._decide(outcome, call)
    assert decision.action is _Action.RAISE
    assert decision.error is outcome.error
    assert not getattr(decision.error, "route_missing", False)


# ---------------------------------------------------------------------------
# tokens
# ---------------------------------------------------------------------------


def test_a_401_renews_the_token_once(client):
    call = client._start("orders.list")
    decision = client._decide(status(AuthenticationError), call)
    assert decision.action is _Action.REAUTHENTICATE
    assert decision.delay == 0
    call.reauthenticated = True
    assert client._decide(status(AuthenticationError), call).action is _Action.RAISE


def test_a_401_of_the_token_call_itself_is_raised(client):
    call = client._start("token", auth=False)
    assert client._decide(status(AuthenticationError), call).action is _Action.RAISE


# ---------------------------------------------------------------------------
# resolved: an earlier attempt had landed
# ---------------------------------------------------------------------------


def test_a_retried_delete_meeting_404_is_done(client):
    call = client._start("orders.delete", {"id": 7})
    outcome = status(NotFoundError, body={"detail": "Order 7 not found"})
    assert client._decide(outcome, call).action is _Action.RAISE  # first attempt
    call.attempt = 1
    decision = client._decide(outcome, call)
    assert decision.action is _Action.RESOLVED
    assert decision.value is None and decision.delay is None


def test_a_retried_delete_on_a_missing_route_is_not_done(client):
    call = client._start("labels.delete", {"id": 7})
    call.attempt = 1
    decision = client._decide(status(NotFoundError, body=None), call)
    assert decision.action is _Action.RAISE
    assert decision.error.route_missing


def test_a_conflict_on_a_retry_adopts_what_the_lookup_finds(client):
    lookup = Lookup(found="the order")
    call = client._start("orders.create", recover=lookup)
    assert client._decide(status(ConflictError), call).action is _Action.RAISE
    assert lookup.calls == 0  # a first attempt's conflict is a real one
    call.attempt = 1
    decision = client._decide(status(ConflictError), call)
    assert decision.action is _Action.RESOLVED
    assert decision.value == "the order" and lookup.calls == 1


def test_adopt_takes_a_conflict_even_on_the_first_attempt(client):
    lookup = Lookup(found="the shipment")
    call = client._start("shipments.create", recover=lookup, adopt=True)
    outcome = status(ConflictError, 422)  # "already used", said with a 422
    decision = client._decide(outcome, call)
    assert decision.action is _Action.RESOLVED and decision.value == "the shipment"


def test_a_conflict_nobody_finds_is_raised(client):
    lookup = Lookup(found=None)
    call = client._start("shipments.create", recover=lookup, adopt=True)
    decision = client._decide(status(ConflictError), call)
    assert decision.action is _Action.RAISE and lookup.calls == 1


def test_a_strict_lookup_that_fails_raises_its_own_error(client):
    lost = APIConnectionError("lookup lost")
    call = client._start(
        "order_items.create", recover=Lookup(error=lost), strict_recover=True
    )
    call.attempt = 1
    with pytest.raises(APIConnectionError, match="lookup lost"):
        client._decide(status(ConflictError), call)
    call.strict_recover = False  # a lenient lookup's failure is "not found"
    assert client._decide(status(ConflictError), call).action is _Action.RAISE


def test_a_conflict_without_a_lookup_is_raised(client):
    call = client._start("customs_manifests.create", adopt=True)
    call.attempt = 1
    assert client._decide(status(ConflictError), call).action is _Action.RAISE


# ---------------------------------------------------------------------------
# retry after N seconds, or raise
# ---------------------------------------------------------------------------


def test_retry_after_is_honoured_and_never_looked_up(client):
    call = client._start("orders.create", recover=Lookup("x"))
    outcome = status(RateLimitError)
    outcome.error.retry_after = 3.5
    decision = client._decide(outcome, call)
    assert decision.action is _Action.RETRY
    assert decision.delay == 3.5
    assert not decision.look_up  # a 429 was not processed: nothing to find


def test_retry_after_over_the_cap_raises(client):
    outcome = status(RateLimitError)
    outcome.error.retry_after = client.max_retry_after + 1
    decision = client._decide(outcome, client._start("orders.list"))
    assert decision.action is _Action.RAISE


def test_a_429_without_retry_after_backs_off(client, no_jitter):
    call = client._start("orders.create")  # not idempotent: a 429 is still safe
    decision = client._decide(status(RateLimitError), call)
    assert decision.action is _Action.RETRY and decision.delay == 0.5


def test_5xx_backoff_grows_is_capped_and_runs_out(no_jitter):
    client = SevenSendersClient("k", max_retries=5, backoff_base=1, backoff_max=5)
    call = client._start("orders.list")
    delays = []
    while (decision := client._decide(status(ServerError, 503), call)).delay:
        assert decision.action is _Action.RETRY and not decision.look_up
        delays.append(decision.delay)
        call.attempt += 1
    assert delays == [1, 2, 4, 5, 5]
    assert decision.action is _Action.RAISE and call.attempt == 5


def test_backoff_has_at_most_a_quarter_of_jitter(client, monkeypatch):
    monkeypatch.setattr("sevensenders.client.random.random", lambda: 0.999)
    call = client._start("orders.list")
    call.attempt = 1
    delay = client._decide(status(ServerError, 500), call).delay
    assert 0.75 <= delay < 0.7503


def test_5xx_of_a_create_is_retried_only_with_a_lookup(client):
    plain = client._start("order_items.create")
    assert client._decide(status(ServerError, 500), plain).action is _Action.RAISE
    looked = client._start("orders.create", recover=Lookup())
    decision = client._decide(status(ServerError, 500), looked)
    assert decision.action is _Action.RETRY and decision.look_up


def test_5xx_of_an_idempotent_create_is_retried_without_a_lookup(client):
    call = client._start("labels.create")
    decision = client._decide(status(ServerError, 502), call)
    assert decision.action is _Action.RETRY and not decision.look_up


def test_a_request_never_sent_is_retried_whatever_the_method(client):
    call = client._start("order_items.create")
    decision = client._decide(connection(sent=False), call)
    assert decision.action is _Action.RETRY
    assert client._decide(connection(sent=True), call).action is _Action.RAISE


def test_a_lost_answer_is_looked_up_before_sending_again(client):
    call = client._start("orders.create", recover=Lookup())
    decision = client._decide(connection(APITimeoutError, sent=True), call)
    assert decision.action is _Action.RETRY and decision.look_up
    unsent = client._decide(connection(sent=False), call)
    assert unsent.action is _Action.RETRY and not unsent.look_up


def test_408_is_retried_for_an_idempotent_call(client):
    from sevensenders.errors import APIStatusError

    decision = client._decide(status(APIStatusError, 408), client._start("orders.list"))
    assert decision.action is _Action.RETRY


@pytest.mark.parametrize(
    "cls,code", [(BadRequestError, 400), (UnprocessableEntityError, 422)]
)
def test_a_client_error_is_raised_at_once(client, cls, code):
    decision = client._decide(status(cls, code), client._start("orders.list"))
    assert decision.action is _Action.RAISE and decision.delay is None


def test_no_retry_is_left_after_max_retries(client):
    call = client._start("orders.list")
    call.attempt = client.max_retries
    assert client._decide(connection(sent=False), call).action is _Action.RAISE
    outcome = status(RateLimitError)
    outcome.error.retry_after = 1
    assert client._decide(outcome, call).action is _Action.RAISE
