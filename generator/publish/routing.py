"""Which commit carries which files: the direct commit on the branch, or an environment's pull request.

When some environment publishes by pull request (mixed modes):

- an environment's own files (overlay, Helm values, Argo CD files) go the way it publishes;
- a *new* app base (none of its files in the GitOps repository yet) goes direct: nothing of a
  reviewed environment can refer to it before that environment's pull request merges, so it
  cannot change production, and the direct environments' overlays need it to build;
- a *changed* base goes with the pull requests, and so do the same app's changes for every direct
  environment (even one not selected with ``--env``): their patches were computed against the new base, so they must not land on the
  old one (until the merge, the direct environments keep building the old base + old overlay);
- a removed base goes with the pull requests; the direct environments' deletions go direct.

When every environment publishes directly, everything goes direct.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.publish.config import Layout, Mode
from generator.publish.layout import SHARED, scope_of_repo_path
from generator.publish.plan import ChangeSet, Covers


@dataclass(frozen=True)
class Routes:
    """Which changes go in the direct commit and which in each environment's pull request, as :func:`route` decided."""

    direct_envs: list[str]  # selected environments that publish directly
    pr_envs: list[str]  # selected environments that publish by pull request
    all_direct: bool  # every environment of the project publishes directly
    held_with: list[str] = field(default_factory=list)  # every direct environment: a held base takes their changes
    new_bases: frozenset[str] = frozenset()  # apps whose base is new: it goes direct
    held: frozenset[str] = frozenset()  # apps whose changed base waits for review, with their direct changes
    waiting: bool = False  # some base change waits for review

    def direct(self, app: str, scope: str) -> bool:
        """Covers of the direct commit."""
        if scope == SHARED:
            return self.all_direct or app in self.new_bases
        return scope in self.direct_envs and app not in self.held

    def pull_request(self, env: str) -> Covers:
        """Covers of ``env``'s pull request: its files, the bases, and the held apps' direct changes."""

        def covers(app: str, scope: str) -> bool:
            return scope in (env, SHARED) or (app in self.held and scope in self.held_with)

        return covers

    def held_note(self, how: str) -> str:
        """Why an app's changes are not in the direct commit, for commit messages and PR bodies."""
        apps = ", ".join(sorted(self.held)) or "removed app bases"
        note = f"base changed: {how}: {apps}"
        if self.held and self.held_with:
            note += f"; their {', '.join(self.held_with)} changes go with it, because those overlays build on the new base"
        return note


def route(modes: dict[str, Mode], selected: list[str], shared_changes: ChangeSet, remote: dict[str, str], owned: dict[str, set[str]], layout: Layout) -> Routes:
    """Decide the routes from the changes to every base (``shared_changes``) against the target branch."""
    direct_envs = [env for env in selected if modes[env] == "direct"]
    pr_envs = [env for env in selected if modes[env] == "pull-request"]
    if all(mode == "direct" for mode in modes.values()):
        return Routes(direct_envs, pr_envs, all_direct=True)
    existing = {_app(path, layout) for path in owned.get(SHARED, set()) if path in remote}
    written = {_app(path, layout) for path in shared_changes.writes}
    held = frozenset(written & existing)
    waiting = bool(held or shared_changes.deletes or any(shared_changes.owned_drop.values()))
    every_direct_env = sorted(env for env, mode in modes.items() if mode == "direct")
    return Routes(direct_envs, pr_envs, False, every_direct_env, frozenset(written - existing), held, waiting)


def _app(path: str, layout: Layout) -> str:
    where = scope_of_repo_path(path, layout)
    return where[0] if where else ""
