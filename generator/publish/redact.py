"""Keep secrets out of everything gitopsgen prints: tokens and credentials embedded in URLs."""

from __future__ import annotations

import base64
import re
from urllib.parse import quote, quote_plus

_USERINFO = re.compile(r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\s]+@")


def encoded_forms(secret: str) -> set[str]:
    """The secret as written, URL-encoded, and base64-encoded alone or as the password of HTTP basic auth.

    Base64 of ``user:secret`` changes with the user name; the user names git and the forges use
    are tried, and the secret's own base64 with every alignment (the encoding of a text that
    contains it shares the middle).
    """
    forms = {secret, quote(secret, safe=""), quote(secret), quote_plus(secret)}
    for user in ("x-access-token", "oauth2", "gitopsgen", "git", "token"):
        forms.add(base64.b64encode(f"{user}:{secret}".encode()).decode())
    raw = secret.encode()
    for shift in range(3):  # base64 of the secret inside any text: drop the characters the neighbours change
        encoded = base64.b64encode(b"\0" * shift + raw).decode()
        start = (shift * 4 + 2) // 3
        middle = encoded[start : len(encoded) - 4].rstrip("=")
        if len(middle) >= 8:
            forms.add(middle)
    return {form for form in forms if form}


def redact(text: str, secrets: tuple[str, ...] | list[str] = ()) -> str:
    """Replace every secret value and every ``user:password@`` part of a URL with ``***``."""
    for secret in secrets:
        if secret:
            for form in sorted(encoded_forms(secret), key=len, reverse=True):
                text = text.replace(form, "***")
    return _USERINFO.sub(r"\g<scheme>***@", text)
