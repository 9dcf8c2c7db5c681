"""Minimal HS256 JSON Web Tokens (the sandbox issues and checks its own)."""

import base64
import hashlib
import hmac
import json


def _b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def encode(claims, secret):
    header = _b64(b'{"alg":"HS256","typ":"JWT"}')
    payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
    signing_input = f"{header}.{payload}".encode()
    signature = hmac.new(secret.encode(), signing_input, hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64(signature)}"


def decode(token, secret):
    """The claims of a token signed with ``secret``; ValueError otherwise."""
    try:
        header, payload, signature = token.split(".")
        expected = hmac.new(
            secret.encode(), f"{header}.{payload}".encode(), hashlib.sha256
        ).digest()
        if not hmac.compare_digest(expected, _unb64(signature)):
            raise ValueError("bad signature")
        claims = json.loads(_unb64(payload))
    except (ValueError, TypeError) as exc:
        raise ValueError("Invalid JWT Token") from exc
    if not isinstance(claims, dict):
        raise ValueError("Invalid JWT Token")
    return claims
