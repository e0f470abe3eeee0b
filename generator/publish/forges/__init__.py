"""Pull requests on GitHub, GitLab and Gitea: open one for a branch, or update the open one.

One module per forge behind one function, ``open_or_update(forge, token, head, base, title, body)``,
chosen by ``gitops.forge.type``. Client libraries are imported only here, only when a pull request
is due, so ``check`` and ``render`` never pay for them:

- GitHub: PyGithub (``github``), the maintained REST v3 client.
- GitLab: python-gitlab (``gitlab``), the maintained REST v4 client.
- Gitea: plain ``requests`` (already installed): the Gitea clients on PyPI are thin, generated or
  unmaintained, and three endpoints do not justify one.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from generator.publish.config import Forge


@dataclass(frozen=True)
class PullRequest:
    """A pull request :func:`open_or_update` opened or updated: its number, its URL, and which of the two it was."""

    number: int
    url: str
    created: bool  # False when an open pull request for the branch was updated instead


class ForgeError(Exception):
    """A forge API call failed; the message never contains the token."""


def open_or_update(forge: Forge, token: str, head: str, base: str, title: str, body: str) -> PullRequest:
    try:
        module = importlib.import_module(f"generator.publish.forges.{forge.type}")
    except ImportError as exc:
        raise ForgeError(f"publishing pull requests to {forge.type} needs {exc.name}: pip install 'gitopsgen[publish]'") from None
    return module.open_or_update(forge, token, head, base, title, body)
