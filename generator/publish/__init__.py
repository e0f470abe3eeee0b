"""Delivery: ``publish`` (rendered/ -> GitOps repository), ``diff`` (semantic) and ``set-image``.

The core works on a *rendered tree*, a mapping of paths relative to ``rendered/`` to file text,
so every step can be exercised with real git against bare repositories on disk:

    rendered tree -> layout (GitOps repo paths, per-environment scopes) -> plan against the
    remote tip (ownership, foreign files) -> commit with git plumbing -> push (retry on a moved
    remote) -> pull request on the forge for environments that publish by review.
"""
