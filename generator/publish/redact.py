"""Keep secrets out of everything gitopsgen prints: tokens and credentials embedded in URLs."""

from __future__ import annotations

import re

_USERINFO = re.compile(r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\s]+@")


def redact(text: str, secrets: tuple[str, ...] | list[str] = ()) -> str:
    """Replace every secret value and every ``user:password@`` part of a URL with ``***``."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return _USERINFO.sub(r"\g<scheme>***@", text)
