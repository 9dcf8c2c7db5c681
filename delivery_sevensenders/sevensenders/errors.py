"""Exception hierarchy of the Seven Senders client.

Messages are plain technical English; the Odoo layer translates them into user
errors. No exception keeps the HTTP request (its headers carry the bearer token):
only the method, the path, the status and the (redacted) server message.
"""


class SevenSendersError(Exception):
    """Base class of every error raised by the client.

    ``attempts`` counts how often the call was sent before it gave up.
    """

    attempts = 1

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return self.message


class SevenSendersValidationError(SevenSendersError, ValueError):
    """A payload failed the client's schema before anything was sent.

    ``errors`` is a list of ``(field, message)`` pairs; ``field`` is the dotted
    path of the offending field, e.g. ``"order.language.0"``.
    """

    def __init__(self, model, errors):
        self.model = model
        self.errors = list(errors)
        lines = "; ".join(f"{field}: {msg}" for field, msg in self.errors)
        super().__init__(f"Invalid {model}: {lines}")

    @property
    def fields(self):
        return [field for field, _msg in self.errors]


class ResponseValidationError(SevenSendersError):
    """The server answered with a body the client could not read."""


class APIConnectionError(SevenSendersError):
    """The API could not be reached, or the connection broke mid-request.

    ``sent`` is False when the request certainly never reached the server
    (connection refused, connect timeout): such a call is safe to repeat.
    """

    def __init__(self, message, *, method=None, path=None, sent=True):
        super().__init__(message)
        self.method = method
        self.path = path
        self.sent = sent


class APITimeoutError(APIConnectionError):
    """The server did not answer within the configured timeout."""


class APIStatusError(SevenSendersError):
    """The server answered with an error status.

    ``violations`` lists ``(field, message)`` pairs when the server named the
    offending fields.
    """

    status_code = None

    def __init__(
        self,
        message,
        *,
        status_code=None,
        method=None,
        path=None,
        body=None,
        violations=(),
    ):
        super().__init__(message)
        if status_code is not None:
            self.status_code = status_code
        self.method = method
        self.path = path
        self.body = body
        self.violations = list(violations)

    @property
    def fields(self):
        return [field for field, _msg in self.violations]


class BadRequestError(APIStatusError):
    status_code = 400


class AuthenticationError(APIStatusError):
    status_code = 401


class RequestFailedError(APIStatusError):
    status_code = 402


class PermissionDeniedError(APIStatusError):
    status_code = 403


class NotFoundError(APIStatusError):
    status_code = 404


class ConflictError(APIStatusError):
    """The object exists already: a 409, or any other 4xx whose message says so
    (the guides never list 409; API-Platform answers 422 "This value is already
    used.")."""

    status_code = 409


class UnprocessableEntityError(APIStatusError):
    status_code = 422


class RateLimitError(APIStatusError):
    status_code = 429

    def __init__(self, message, *, retry_after=None, **kw):
        super().__init__(message, **kw)
        self.retry_after = retry_after


class ServerError(APIStatusError):
    """Any 5xx answer."""


STATUS_ERRORS = {
    cls.status_code: cls
    for cls in (
        BadRequestError,
        AuthenticationError,
        RequestFailedError,
        PermissionDeniedError,
        NotFoundError,
        ConflictError,
        UnprocessableEntityError,
        RateLimitError,
    )
}


#: how an API says that a reference is taken (matched without regard to case)
EXISTS_MARKERS = (
    "already used",
    "already exists",
    "already exist",
    "already been taken",
    "already taken",
    "duplicate",
    "not unique",
    "must be unique",
)


def says_exists(status_code, texts):
    """Whether an error status with these messages means "it exists already"."""
    if status_code == 409:
        return True
    if status_code not in (400, 402, 422):
        return False
    return any(
        marker in (text or "").lower() for text in texts for marker in EXISTS_MARKERS
    )


def error_class_for(status_code):
    """The exception class of an HTTP error status."""
    if status_code >= 500:
        return ServerError
    return STATUS_ERRORS.get(status_code, APIStatusError)
