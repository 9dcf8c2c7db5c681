"""``POST /token``: an access key for a bearer token (JWT)."""

import hashlib
import time
import uuid

from pydantic import BaseModel

from .. import jwt
from ..rules import ApiError
from ..state import StateDep
from . import Operations

operations = Operations("Authentication")


class AccessKey(BaseModel):
    access_key: str


@operations("token")
async def token(body: AccessKey, state: StateDep):
    if body.access_key not in state.config.access_keys:
        raise ApiError(401, "Invalid access key.")
    now = time.time()
    claims = {
        "sub": hashlib.sha256(body.access_key.encode()).hexdigest()[:16],
        "iat": int(now),
        "exp": now + (state.faults.token_ttl or state.config.token_ttl),
        "gen": state.token_generation,
        "jti": uuid.uuid4().hex,
    }
    state.stats["tokens_issued"] += 1
    return {
        "token": jwt.encode(claims, state.secret),
        "allowed_to_track_all_shipments": True,
        "allowed_to_send_seven_senders_shipments": True,
    }
