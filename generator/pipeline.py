"""The pipeline, run once per command: load → render → write → validate → lint → report.

Commands call these functions; the stages never call each other. A project is loaded and
rendered once, and the same rendered objects — as :class:`~generator.manifest.Manifest`, each
pointing at the blueprint line that produced it — go to validate and to lint. Manifest files are
read once, by :func:`generator.manifest.read_manifests`, with the position of every field.

The stages are imported inside the functions that use them, so that ``gitopsgen render --check``
in a pre-commit hook does not pay for the linter's imports, nor `lint FILE` for the renderer's.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from generator.errors import InputError
from generator.manifest import Manifest, ReadProblem, read_input, read_inputs, read_manifests, rendered_manifest, without_cycle_collector
from generator.results import Finding, ResourceResult, Rule, Summary, exit_code, in_environment
from generator.walk import ManifestInput, manifest_inputs

if TYPE_CHECKING:
    from generator.lint.checks import PolicySet
    from generator.lint.config import LintConfig
    from generator.lint.linter import LintBatch
    from generator.lint.rendered_tree import RenderedTree
    from generator.lint.run import LintRequest
    from generator.load import Project
    from generator.render.project import RenderedSet, Rendering
    from generator.report.targets import OutputTarget
    from generator.validate.registry import SchemaRegistry
    from generator.validate.validator import Settings

DRIFT_RULE = Rule(
    "rendered-drift",
    "rendered/ is out of date",
    "A file under rendered/ differs from what the blueprints and overlays render to.",
    remediation="Run `gitopsgen render` and commit rendered/.",
)


@dataclass
class RenderedProject:
    """A project rendered once: the files for rendered/, and each set's objects as manifests."""

    project: Project
    rendering: Rendering
    sets: list[tuple[RenderedSet, list[Manifest]]] = field(default_factory=list)

    @property
    def manifests(self) -> list[Manifest]:
        return [manifest for _, manifests in self.sets for manifest in manifests]


# --- load and render ---------------------------------------------------------------------------


def render_project_once(project_dir: Path, envs: list[str] | None = None, only: list[str] | None = None) -> RenderedProject:
    """Load the project and render it (``envs``/``only`` narrow it); every object becomes a manifest."""
    from generator.load import load_project
    from generator.render.project import render_project

    project = load_project(project_dir)
    rendering = render_project(project, envs or None, only or None)
    sets = [(s, [rendered_manifest(obj, s.source_of(obj), s.origin) for obj in s.objects]) for s in rendering.sets]
    return RenderedProject(project, rendering, sets)


def ensure_valid(rendered: RenderedProject) -> None:
    """Render refuses to write what does not validate: the first schema error stops it (exit 2)."""
    from generator.validate import validate_objects

    for rendered_set, _ in rendered.sets:
        findings = validate_objects(rendered_set.objects, source=rendered_set.source, origin=rendered_set.origin)
        for finding in findings:
            if finding.level == "error":
                raise InputError(
                    f"the {finding.resource} rendered for {rendered_set.env} would be invalid: {finding.field}: {finding.message}; fix this value",
                    finding.path,
                    finding.line,
                )


def drift_results(project: Project, files: dict[str, str], envs: tuple[str, ...] = (), only: tuple[str, ...] = ()) -> list[ResourceResult]:
    """One invalid result per file of rendered/ that `gitopsgen render` (with --env/--only) would add, change or delete.

    With ``only``, just the selected apps' own files count (:func:`generator.render.argocd.app_of_file`):
    another app's Application or a namespace's objects are not theirs to report.
    """
    from generator.render import writer
    from generator.render.argocd import app_of_file

    owned = writer.owned_paths(set(project.blueprints), envs, only)
    compared = (lambda path: owned(path) and app_of_file(path) in only) if only else owned
    drift = writer.compare(project.root / writer.OUTPUT, {path: text for path, text in files.items() if compared(path)}, compared)
    results = []
    for change, paths in (("missing", drift.added), ("out of date", drift.changed), ("no longer rendered", drift.removed)):
        for path in paths:
            location = f"{writer.OUTPUT}/{path}"
            finding = Finding(
                tool="render",
                rule=DRIFT_RULE.id,
                level="error",
                message=f"{location} is {change}; run `gitopsgen render`",
                path=location,
                remediation=DRIFT_RULE.remediation,
            )
            results.append(ResourceResult(location, status="invalid", findings=[finding]))
    return results


# --- validate ----------------------------------------------------------------------------------


def validate_files(paths: list[str], registry: SchemaRegistry, settings: Settings, summary: Summary) -> Iterator[ResourceResult]:
    """One result per object of the given files (or per file or document that cannot be read); counts files."""
    from generator.terminal import Progress
    from generator.validate.validator import problem_result, validate_manifest

    inputs = manifest_inputs(paths)
    with without_cycle_collector(), Progress("validating", len(inputs)) as progress:
        for path in inputs:
            progress.advance()
            summary.files += 1
            for item in read_input(path):
                yield problem_result(item) if isinstance(item, ReadProblem) else validate_manifest(item, registry, settings)


def validate_rendered(rendered: RenderedProject, registry: SchemaRegistry, settings: Settings, summary: Summary) -> Iterator[ResourceResult]:
    """One result per rendered object, findings at the blueprint line; counts blueprints and environment files."""
    from generator.validate.validator import validate_manifest

    summary.files += len({rendered_set.source for rendered_set, _ in rendered.sets})
    for rendered_set, manifests in rendered.sets:
        for manifest in manifests:
            yield in_environment(validate_manifest(manifest, registry, settings), rendered_set.env)


# --- lint --------------------------------------------------------------------------------------


@dataclass
class ReportRequest:
    """How a run reports (lint's, check's): its outputs, colour, summary line, and the lowest level that fails it."""

    outputs: list[OutputTarget]
    color: bool | None = None  # None: generator.terminal.use_color decides
    summary: bool = False
    fail_on: str = "error"


def run_lint(request: LintRequest, report: ReportRequest, stream: IO[str]) -> int:
    """``gitopsgen lint``: read the policies, then the inputs, lint, report; the exit status. Bad input raises InputError."""
    from generator.lint.linter import rule_descriptions, select_checks
    from generator.lint.run import lint_options, lint_results, lint_setup
    from generator.report import OutputOptions
    from generator.report.targets import report_input_error

    try:
        config, policies = lint_setup(request)
        in_parts = lint_in_parts(request, config, policies)
        if in_parts is None:
            batches, tree = lint_inputs(request)
            linted, rules = lint_results(batches, tree, request, config, policies)
            results = list(linted.values())
        else:
            results, rules = in_parts, rule_descriptions(select_checks(policies, lint_options(request)))
    except InputError as error:  # every machine output still gets a complete document, carrying the error
        options = OutputOptions(tool="lint", summary=report.summary, root=Path.cwd(), color=report.color)
        report_input_error(error, report.outputs, options)
        raise
    write_report(results, rules, report.outputs, report.summary, "lint", stream, report.color)
    return exit_code(results, report.fail_on)


def lint_in_parts(request: LintRequest, config: LintConfig, policies: PolicySet) -> list[ResourceResult] | None:
    """``lint PATH...`` read and linted in parts by several processes (:mod:`generator.lint.parts`), in file order.

    None when one process does it: a run too small to share, one with Kustomize folders, stdin,
    ``--inventory`` or an OPA server, and a run with a problem, which one process reports as it reports them.
    """
    from generator.lint import budget
    from generator.lint.parts import lint_parts, sharing_processes
    from generator.lint.rendered_tree import rendered_tree

    if not request.paths or request.inventory or request.apps or request.opa_url:
        return None
    inputs = manifest_inputs(request.paths)
    count = sharing_processes(inputs, request.jobs)
    if count is None:
        return None
    try:
        return lint_parts(inputs, count, lintable_inputs, rendered_tree(request.project_dir), request, config, policies)
    except (InputError, budget.OverBudget):
        return None


def lint_inputs(request: LintRequest) -> tuple[list[LintBatch], RenderedTree]:
    """The files given as one batch, or the project rendered: one batch per app x environment."""
    from generator.lint.linter import LintBatch
    from generator.lint.rendered_tree import rendered_tree

    root = request.project_dir
    if request.inventory and not request.paths:
        raise InputError("--inventory adds objects to a run over PATHs; a project run already sees the whole project")
    if request.paths:
        if request.apps:
            raise InputError("--only selects apps of the project; it cannot be combined with PATH")
        manifests = lintable_manifests(request.paths)
        linted = {os.path.realpath(path) for path in request.paths if path != "-"}
        context = context_objects(request.inventory, linted) if request.inventory else []
        return [LintBatch(request.env, manifests, context)], rendered_tree(root)
    rendered = render_project_once(root, [request.env] if request.env else None, request.apps or None)
    return lint_batches_of(rendered), _tree(rendered)


def lintable_manifests(paths: list[str]) -> list[Manifest]:
    """The objects lint looks at. What lint cannot check is bad input, as in ``validate``: an unreadable
    file, a folder that does not build, a document that is not an object, an object without apiVersion
    or kind, a List whose items are not a list. Kustomization files are not objects to lint."""
    return lintable_inputs(manifest_inputs(paths))


def lintable_inputs(inputs: Iterable[ManifestInput]) -> list[Manifest]:
    """:func:`lintable_manifests` of inputs the walk found already (one part of a run: :mod:`generator.lint.parts`)."""
    manifests = []
    for item in read_inputs(inputs):
        if isinstance(item, ReadProblem):
            raise InputError(item.message, item.path, item.line)
        if item.api_version.startswith("kustomize.config") or (not item.kind and Path(item.path).name.lower() in KUSTOMIZATION_FILES):
            continue
        _check_lintable(item)
        manifests.append(item)
    # the manifests and the node trees their positions come from live until the report is written:
    # frozen, the cycle collector leaves them alone instead of scanning them again at every collection
    gc.freeze()
    return manifests


def context_objects(locations: list[str], linted: set[str]) -> list[dict[str, Any]]:
    """Every object under ``locations`` outside the ``linted`` files and folders (``lint --inventory``).

    They are not linted: a file that is not valid YAML, or a folder that does not build, is left
    out rather than reported (``gitopsgen validate`` is the place for that).
    """
    objects: list[dict[str, Any]] = []
    for location in locations:
        if not os.path.exists(location):
            raise InputError("--inventory path does not exist", location)
        try:
            objects += [item.obj for item in read_manifests([location]) if not isinstance(item, ReadProblem) and item.kind and not _inside(item.path, linted)]
        except InputError:  # a file too large or unreadable: not ours to report here
            continue
    return objects


def _inside(path: str, linted: set[str]) -> bool:
    real = os.path.realpath(path)
    return any(real == root or real.startswith(root + os.sep) for root in linted)


KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "kustomization")


def _check_lintable(manifest: Manifest) -> None:
    for key, value in (("apiVersion", manifest.api_version), ("kind", manifest.kind)):
        if not value:
            line = manifest.locate((key,)).line if key in manifest.obj else manifest.line
            raise InputError(f"object has no {key}; add it (e.g. apiVersion: v1, kind: ConfigMap)", manifest.path, line)
    if manifest.kind == "List":
        raise InputError("a List's items must be a list of objects", manifest.path, manifest.locate(("items",)).line)


def lint_batches_of(rendered: RenderedProject) -> list[LintBatch]:
    """One batch per app x environment; the other apps of the environment are its context: a
    NetworkPolicy of one app may name another app's pods, a Service may back another's Ingress."""
    from generator.lint.linter import LintBatch

    batches = []
    for rendered_set, manifests in rendered.sets:
        context = [m.obj for other, others in rendered.sets if other is not rendered_set and other.env == rendered_set.env for m in others]
        batches.append(LintBatch(rendered_set.env, manifests, context))
    return batches


def _tree(rendered: RenderedProject) -> RenderedTree:
    from generator.lint.rendered_tree import tree_of_rendering

    project = rendered.project
    return tree_of_rendering(rendered.rendering.files, project.root, project.gitops)


# --- check -------------------------------------------------------------------------------------


def check_project(
    project_dir: Path,
    envs: list[str] | None = None,
    only: list[str] | None = None,
    rendered: RenderedProject | None = None,
    cache_dir: Path | None = None,
    jobs: int | None = None,
) -> tuple[list[ResourceResult], dict[str, Rule]]:
    """``gitopsgen check`` without a report: drift, schema and policy results, and the rules they name.

    Rendered once (``envs``/``only`` narrow it; with ``only`` the environment's other Argo CD objects are
    linted as context but only the selected apps' Applications reported); each object's schema and policy
    findings are merged into one result, which names its environment; ``rendered``: the caller rendered it already (with the same
    ``envs``/``only``); ``cache_dir``: where the compiled pack and the bundled schemas are cached (None: the default); ``jobs``: processes evaluating the
    policies (None: one per CPU). Bad input raises InputError.
    """
    from generator.cache import default_cache_dir
    from generator.lint.run import LintRequest, lint_results
    from generator.load import ARGOCD
    from generator.terminal import Progress
    from generator.validate.registry import SchemaRegistry
    from generator.validate.rules import RULES
    from generator.validate.validator import Settings, validate_manifest

    with Progress("rendering", 3) as progress:
        rendered = rendered or render_project_once(project_dir, envs, only)
        results = drift_results(rendered.project, rendered.rendering.files, tuple(envs or ()), tuple(only or ()))
        progress.advance(label="validating")
        registry, settings = SchemaRegistry.create(cache=cache_dir or default_cache_dir()), Settings()
        validated = {manifest: validate_manifest(manifest, registry, settings) for manifest in rendered.manifests}
        progress.advance(label="linting")
        linted, lint_rules = lint_results(lint_batches_of(rendered), _tree(rendered), LintRequest(project_dir=project_dir, cache_dir=cache_dir, jobs=jobs))
        progress.advance()
    env_of = {manifest: rendered_set.env for rendered_set, manifests in rendered.sets for manifest in manifests}
    reported = [
        manifest
        for rendered_set, manifests in rendered.sets
        for manifest in manifests
        if not only or rendered_set.app != ARGOCD or application_of(manifest.obj) in only
    ]
    results += [in_environment(merge(validated[manifest], linted.get(manifest)), env_of[manifest]) for manifest in reported]
    return results, {DRIFT_RULE.id: DRIFT_RULE, **RULES, **lint_rules}


def application_of(obj: dict[str, Any]) -> str | None:
    """The app an Argo CD object deploys: an app's Application names it; AppProjects, add-ons, the root do not."""
    from generator.render.argocd import ADDON_LABEL

    labels = obj.get("metadata", {}).get("labels", {})
    if obj.get("kind") != "Application" or labels.get(ADDON_LABEL) == "true":
        return None
    name = labels.get("app.kubernetes.io/name")
    return name if isinstance(name, str) else None


_STATUS_ORDER = {"valid": 0, "skipped": 1, "invalid": 2, "error": 3}


def merge(schema: ResourceResult, policy: ResourceResult | None) -> ResourceResult:
    """One object's schema and policy results as one: the worse status, the schema findings first."""
    if policy is None:
        return schema
    status = max(schema.status, policy.status, key=_STATUS_ORDER.__getitem__)
    return ResourceResult(
        schema.path,
        schema.kind,
        schema.name,
        schema.namespace,
        schema.line,
        status,
        schema.findings + policy.findings,
        schema.api_version,
    )


# --- report ------------------------------------------------------------------------------------


def write_report(
    results: list[ResourceResult],
    rules: dict[str, Rule],
    targets: list[OutputTarget],
    summary: bool,
    tool: str,
    stream: IO[str],
    color: bool | None = None,
) -> None:
    """Every result to the chosen outputs, then its summary (lint and check; validate streams its own)."""
    from generator.report import OutputOptions
    from generator.report.targets import Outputs

    output = Outputs(targets, OutputOptions(tool=tool, rules=rules, summary=summary, root=Path.cwd(), color=color), stream)
    counts = Summary(tool=tool, files=len({result.path for result in results}))
    for result in results:
        output.write(result)
        counts.count(result)
    output.flush(counts)
