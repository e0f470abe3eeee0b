"""Commit messages and pull-request bodies: what changed, per environment and app, and why."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from generator.load import ARGOCD
from generator.publish.gate import CheckOutcome
from generator.publish.semdiff import ARGO_CD_LABEL, GroupDiff, short

MAX_FIELDS = 12  # per object in a PR body
MAX_BODY = 60_000  # GitHub refuses bodies over 65,536 characters


@dataclass(frozen=True)
class Source:
    """The source repository commit a publish comes from."""

    name: str  # e.g. the origin URL (credentials removed) or the project folder name
    commit: str  # full id, or "unknown" outside git
    dirty: bool = False

    @property
    def short(self) -> str:
        return self.commit[:7] if self.commit != "unknown" else "unknown"


def envs_of(groups: list[GroupDiff]) -> list[str]:
    return sorted({group.env for group in groups})


def apps_of(groups: list[GroupDiff]) -> list[str]:
    """Apps and, last, ``argocd`` (the environments' Argo CD objects, not an app) when those changed."""
    names = {group.app for group in groups}
    return sorted(names - {ARGOCD}) + ([ARGOCD] if ARGOCD in names else [])


def named_apps(groups: list[GroupDiff]) -> str:
    """``a, b + Argo CD`` or ``6 apps + Argo CD``: only real apps are named or counted."""
    apps = [app for app in apps_of(groups) if app != ARGOCD]
    named = (", ".join(apps) if len(apps) <= 3 else f"{len(apps)} apps") if apps else ""
    if ARGOCD in apps_of(groups):
        return f"{named} + Argo CD" if named else "Argo CD"
    return named


def commit_message(
    source: Source, envs: list[str], groups: list[GroupDiff], checks: CheckOutcome, forced: bool, files: Sequence[str] = (), notes: Sequence[str] = ()
) -> str:
    """``files``: every path the commit touches; those are listed when no object changed (formatting only).

    ``notes``: why some changes are (or are not) in this commit, e.g. a base held for review.
    """
    apps = apps_of(groups)
    lines = [
        f"gitopsgen: publish {', '.join(envs)} ({named_apps(groups)}) from {source.short}",
        "",
        f"Source: {source.name} @ {source.commit}" + (" (with uncommitted changes)" if source.dirty else ""),
        f"Environments: {', '.join(envs)}",
        f"Apps: {', '.join(app for app in apps if app != ARGOCD) or 'none'}",
        *(f"Note: {note}" for note in notes),
        "",
    ]
    for app in apps:
        lines.append(f"{ARGO_CD_LABEL if app == ARGOCD else app}:")
        for group in (g for g in groups if g.app == app):
            counts = ", ".join(f"{n} {kind}" for kind, n in group.counts().items() if n)
            lines.append(f"  {group.env}: {counts}" + "".join(f" ({note})" for note in group.notes))
            for obj in group.objects:
                fields = ", ".join(change.path for change in obj.fields[:3])
                more = f" (+{len(obj.fields) - 3} more)" if len(obj.fields) > 3 else ""
                lines.append(f"    {obj.change} {obj.ident}" + (f": {fields}{more}" if fields else ""))
    if not groups and files:
        lines.append("No object changed; files rewritten (formatting or bookkeeping):")
        lines += [f"  {path}" for path in files[:20]] + ([f"  … and {len(files) - 20} more"] if len(files) > 20 else [])
    lines += ["", f"Checks: {checks.summary}"]
    if forced and not checks.passed:
        lines.append("Published with --force although the checks failed.")
    return "\n".join(lines) + "\n"


def changes_markdown(groups: list[GroupDiff]) -> list[str]:
    """Per environment and app, the objects added/changed/removed with their changed fields (Markdown lines)."""
    lines: list[str] = []
    for group_env in envs_of(groups):
        lines.append(f"### {group_env}")
        for group in (g for g in groups if g.env == group_env):
            counts = ", ".join(f"{n} {kind}" for kind, n in group.counts().items() if n)
            lines += ["", f"#### {group.label} ({counts})", ""] + [f"_{note}_" for note in group.notes]
            for obj in group.objects:
                lines.append(f"- **{obj.change}** `{obj.ident}`")
                for change in obj.fields[:MAX_FIELDS]:
                    lines.append(f"  - `{change.path}`: `{short(change.old)}` → `{short(change.new)}`")
                if len(obj.fields) > MAX_FIELDS:
                    lines.append(f"  - … and {len(obj.fields) - MAX_FIELDS} more field(s)")
        lines.append("")
    return lines


def pr_title(source: Source, env: str, groups: list[GroupDiff]) -> str:
    return f"gitopsgen: {env} — {named_apps(groups)} from {source.short}"


def pr_body(source: Source, env: str, groups: list[GroupDiff], checks: CheckOutcome, forced: bool, notes: Sequence[str] = ()) -> str:
    lines = [
        f"Rendered by gitopsgen from `{source.name}` at `{source.commit}`" + (" (with uncommitted changes)" if source.dirty else "") + f", for **{env}**.",
        "",
    ]
    lines += [f"> {note[0].upper()}{note[1:]}." for note in notes] + ([""] if notes else [])
    if forced and not checks.passed:
        lines += ["> [!WARNING]", "> Published with `--force` although the checks failed; review the findings below.", ""]
    lines += changes_markdown(groups)
    lines += ["### Checks", "", f"`gitopsgen check` (rendered/ drift, schemas, policies): {checks.summary}"]
    if checks.detail:
        lines += ["", "```", checks.detail, "```"]
    body = "\n".join(lines) + "\n"
    if len(body) > MAX_BODY:
        body = body[:MAX_BODY] + "\n\n… (truncated; run `gitopsgen diff` for the full list)\n"
    return body
