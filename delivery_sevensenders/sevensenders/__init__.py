"""Pure-Python client of the Seven Senders API v2 (requests + pydantic v2).

It never imports odoo (enforced by a ruff banned-import rule), so it can be used,
tested and benchmarked on its own.
"""

from . import reference, schemas
from .auth import MemoryTokenStore, Redactor
from .client import SevenSendersClient
from .limiter import AdaptiveLimiter
from .endpoints import ENDPOINTS, PRODUCTION_URL, SANDBOX_URL, TEST_URL
from .errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestFailedError,
    ResponseValidationError,
    ServerError,
    SevenSendersError,
    SevenSendersValidationError,
    UnprocessableEntityError,
)

__all__ = [
    "ENDPOINTS",
    "PRODUCTION_URL",
    "SANDBOX_URL",
    "TEST_URL",
    "APIConnectionError",
    "AdaptiveLimiter",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "MemoryTokenStore",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "Redactor",
    "RequestFailedError",
    "ResponseValidationError",
    "ServerError",
    "SevenSendersClient",
    "SevenSendersError",
    "SevenSendersValidationError",
    "UnprocessableEntityError",
    "reference",
    "schemas",
]
