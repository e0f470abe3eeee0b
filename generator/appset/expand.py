"""Expand an ApplicationSet offline into the Applications Argo CD's controller would create.

Generators: ``list``, ``git`` (``directories`` and ``files``, read from a local clone of the
repository), ``matrix`` and ``merge`` (nested too). Parameters follow Argo CD's rules for both
template styles: flat string keys (``path.basename``, ``path[0]``, ``values.x``) rendered by
fasttemplate, or nested values (``.path.segments``) rendered as Go templates with
``goTemplate: true``. Generators that need a cluster or an API (clusters, pullRequest,
scmProvider, plugin, clusterDecisionResource) cannot be expanded here and are refused.
"""

from __future__ import annotations

import copy
import json
import posixpath
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator import yamlio
from generator.appset.gotemplate import TemplateError, go_string, render_value, sanitize_name
from generator.load import deep_merge

ONLINE = ("clusters", "pullRequest", "scmProvider", "plugin", "clusterDecisionResource")
FINALIZER = "resources-finalizer.argocd.argoproj.io"
Params = dict[str, Any]


class ExpandError(Exception):
    """Why an ApplicationSet cannot be expanded; ``field`` is the path of the offending field."""

    def __init__(self, message: str, field: tuple[Any, ...] = ()) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Style:
    """How an ApplicationSet's templates render: Go templates (``goTemplate: true``) or flat fasttemplate keys, and whether a missing key is an error."""

    go: bool
    strict: bool  # goTemplateOptions: [missingkey=error]


def expand(appset: dict[str, Any], repo_dir: Path | None) -> list[dict[str, Any]]:
    """The Applications ``appset`` generates, in generator order."""
    spec = appset.get("spec")
    if not isinstance(spec, dict) or not isinstance(spec.get("generators"), list):
        raise ExpandError("an ApplicationSet needs spec.generators (a list)", ("spec",))
    if not isinstance(spec.get("template"), dict):
        raise ExpandError("an ApplicationSet needs spec.template", ("spec",))
    if spec.get("templatePatch"):
        raise ExpandError("spec.templatePatch is not supported by preview-appset", ("spec", "templatePatch"))
    style = Style(bool(spec.get("goTemplate")), "missingkey=error" in spec.get("goTemplateOptions", []))
    namespace = appset.get("metadata", {}).get("namespace")
    preserve = bool(spec.get("syncPolicy", {}).get("preserveResourcesOnDeletion"))
    applications = []
    for index, generator in enumerate(spec["generators"]):
        where = ("spec", "generators", index)
        template = deep_merge(spec["template"], _generator_template(generator))
        for params in generate(generator, style, repo_dir, where):
            try:
                rendered = render_value(template, params, style.go, style.strict)
            except TemplateError as exc:
                raise ExpandError(f"template: {exc}", ("spec", "template")) from None
            applications.append(_application(rendered, namespace, preserve))
    return applications


def _application(rendered: dict[str, Any], namespace: str | None, preserve: bool) -> dict[str, Any]:
    metadata = rendered.get("metadata", {})
    if namespace and not metadata.get("namespace"):
        metadata["namespace"] = namespace
    if not metadata.get("finalizers") and not preserve:
        metadata["finalizers"] = [FINALIZER]
    return {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application", "metadata": metadata, "spec": rendered.get("spec", {})}


def _generator_template(generator: dict[str, Any]) -> dict[str, Any]:
    for body in generator.values():
        if isinstance(body, dict) and isinstance(body.get("template"), dict):
            return body["template"]
    return {}


def generate(generator: Any, style: Style, repo_dir: Path | None, where: tuple[Any, ...]) -> list[Params]:
    """The parameter sets of one generator."""
    if not isinstance(generator, dict):
        raise ExpandError("a generator must be a mapping such as {list: {...}}", where)
    kinds = [key for key in generator if key != "selector"]
    if "selector" in generator:
        raise ExpandError("generator selectors are not supported by preview-appset", (*where, "selector"))
    if len(kinds) != 1:
        raise ExpandError(f"a generator has exactly one kind; found {', '.join(kinds) or 'none'}", where)
    kind = kinds[0]
    body = generator[kind]
    where = (*where, kind)
    if kind in ONLINE:
        raise ExpandError(f"the {kind} generator needs a live cluster or API; preview-appset expands list, git, matrix and merge generators", where)
    if not isinstance(body, dict):
        raise ExpandError(f"{kind} must be a mapping", where)
    if kind == "list":
        params = _list(body, style, where)
    elif kind == "git":
        params = _git(body, style, repo_dir, where)
    elif kind == "matrix":
        params = _matrix(body, style, repo_dir, where)
    elif kind == "merge":
        params = _merge(body, style, repo_dir, where)
    else:
        raise ExpandError(f"unknown generator {kind!r}; known: list, git, matrix, merge, {', '.join(ONLINE)}", where)
    return [_with_values(p, body.get("values"), style, where) for p in params] if kind in ("list", "git") else params


def _list(body: dict[str, Any], style: Style, where: tuple[Any, ...]) -> list[Params]:
    elements = list(body.get("elements", []))
    if body.get("elementsYaml"):
        field = (*where, "elementsYaml")
        if not isinstance(body["elementsYaml"], str):
            raise ExpandError("elementsYaml must be text holding a YAML list", field)
        try:
            loaded = _one_document(body["elementsYaml"], "elementsYaml")
        except yamlio.YAMLSyntaxError as exc:
            raise ExpandError(f"elementsYaml, its line {exc.line}: {exc.problem}", field) from None
        if not isinstance(loaded, list):
            raise ExpandError("elementsYaml must be a YAML list", field)
        elements += loaded
    result = []
    for index, element in enumerate(elements):
        if not isinstance(element, dict):
            raise ExpandError("a list element must be a mapping", (*where, "elements", index))
        if style.go:
            result.append(copy.deepcopy(element))
            continue
        params: Params = {}
        for key, value in element.items():
            if key == "values" and isinstance(value, dict):
                params.update({f"values.{k}": _flat_string(v, (*where, "elements", index, key, k)) for k, v in value.items()})
            else:
                params[key] = _flat_string(value, (*where, "elements", index, key))
        result.append(params)
    return result


def _flat_string(value: Any, where: tuple[Any, ...]) -> str:
    if not isinstance(value, str):
        raise ExpandError("without goTemplate, list element values must be strings (quote them)", where)
    return value


def _with_values(params: Params, values: Any, style: Style, where: tuple[Any, ...]) -> Params:
    """The generator's ``values``, rendered against its own parameters, as ``values.<key>``."""
    if not values:
        return params
    try:
        rendered = {key: render_value(value, params, style.go, style.strict) for key, value in values.items()}
    except TemplateError as exc:
        raise ExpandError(f"values: {exc}", (*where, "values")) from None
    if style.go:
        return {**params, "values": rendered}
    return {**params, **{f"values.{key}": value for key, value in rendered.items()}}


# --- git --------------------------------------------------------------------------------


def _git(body: dict[str, Any], style: Style, repo_dir: Path | None, where: tuple[Any, ...]) -> list[Params]:
    for field in ("directories", "files"):  # a nested generator is not typed by the CRD: checked here, as Argo CD reads it
        if body.get(field) is not None and not _path_list(body[field]):
            raise ExpandError(f"git {field} must be a list of {{path: <pattern>}}", (*where, field))
    if repo_dir is None:
        raise ExpandError(f"the git generator reads {body.get('repoURL', 'a repository')}: pass --repo-dir with a local clone", where)
    sha = _head(repo_dir)
    prefix = body.get("pathParamPrefix", "")
    if body.get("directories"):
        paths = _filter_directories(_directories(repo_dir), body["directories"])
        return [_path_params(path, None, sha, prefix, {}, style) for path in paths]
    if body.get("files"):
        found: dict[str, Any] = {}
        for item in body["files"]:
            for path in _files(repo_dir, item.get("path", "")):
                found[path] = path
        result = []
        for path in sorted(found):
            for content in _file_objects(repo_dir / path, path, where):
                result.append(_path_params(posixpath.dirname(path), path, sha, prefix, content, style))
        return result
    raise ExpandError("the git generator needs directories or files", where)


def _path_list(entries: Any) -> bool:
    """Whether ``entries`` is what a git generator's ``directories`` or ``files`` holds: mappings with a text ``path``."""
    return isinstance(entries, list) and all(isinstance(entry, dict) and isinstance(entry.get("path", ""), str) for entry in entries)


def _head(repo_dir: Path) -> str:
    result = subprocess.run(["git", "-C", str(repo_dir), "rev-parse", "HEAD"], capture_output=True, text=True)
    return result.stdout.strip() if result.returncode == 0 else ""


def _walk(repo_dir: Path) -> tuple[list[str], list[str]]:
    """(directories, files) of the clone, relative, sorted; hidden folders (.git) left out as Argo CD does."""
    directories: list[str] = []
    files: list[str] = []
    for path in sorted(repo_dir.rglob("*")):
        relative = path.relative_to(repo_dir)
        if any(part.startswith(".") for part in relative.parts[:-1]) or (path.is_dir() and relative.name.startswith(".")):
            continue
        (directories if path.is_dir() else files).append(relative.as_posix())
    return directories, files


def _directories(repo_dir: Path) -> list[str]:
    return _walk(repo_dir)[0]


def _filter_directories(paths: list[str], requested: list[dict[str, Any]]) -> list[str]:
    """Argo CD's rule: a path matching an ``exclude: true`` pattern is out, whatever else matches."""
    result = []
    for path in paths:
        matches = [(item.get("exclude", False)) for item in requested if _match(item.get("path", ""), path)]
        if matches and not any(matches):
            result.append(path)
    return result


def _files(repo_dir: Path, pattern: str) -> list[str]:
    return [path for path in _walk(repo_dir)[1] if _match(pattern, path)]


def _match(pattern: str, path: str) -> bool:
    """Go's path.Match (``*`` stays within one folder), plus ``**`` across folders."""
    regex = ""
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if pattern.startswith("**/", index):
            regex += "(?:.*/)?"
            index += 3
            continue
        if pattern.startswith("**", index):
            regex += ".*"
            index += 2
            continue
        if char == "*":
            regex += "[^/]*"
        elif char == "?":
            regex += "[^/]"
        elif char == "[":
            end = pattern.find("]", index)
            if end < 0:
                return False
            regex += "[" + pattern[index + 1 : end].replace("!", "^", 1) + "]"
            index = end + 1
            continue
        else:
            regex += re.escape(char)
        index += 1
    return re.fullmatch(regex, path) is not None


def _one_document(text: str, shown: str) -> Any:
    """The data of the one YAML document in ``text``, read as gitopsgen reads any YAML (None: no document).

    Argo CD reads these as go-yaml does (``2024-01-01`` stays text); a syntax error, an alias bomb
    or a second document is a ``YAMLSyntaxError`` naming ``shown`` and the line.
    """
    documents = yamlio.load_data(text, shown)
    if len(documents) > 1:
        raise yamlio.YAMLSyntaxError(shown, 1, 1, f"holds {len(documents)} YAML documents; Argo CD reads one")
    return documents[0] if documents else None


def _file_objects(path: Path, relative: str, where: tuple[Any, ...]) -> list[dict[str, Any]]:
    try:
        loaded = _one_document(yamlio.read_text(path, relative), relative)
    except yamlio.YAMLSyntaxError as exc:
        raise ExpandError(f"git files generator: {exc}", where) from None
    if isinstance(loaded, list) and all(isinstance(item, dict) for item in loaded):
        return loaded
    if isinstance(loaded, dict):
        return [loaded]
    if loaded is None:
        return [{}]
    raise ExpandError(f"git files generator: {relative} must hold a mapping or a list of mappings", where)


def _path_params(directory: str, file: str | None, sha: str, prefix: str, content: dict[str, Any], style: Style) -> Params:
    path: dict[str, Any] = {
        "path": directory,
        "basename": posixpath.basename(directory),
        "basenameNormalized": sanitize_name(posixpath.basename(directory)),
        "segments": directory.split("/"),
    }
    if file is not None:
        path["filename"] = posixpath.basename(file)
        path["filenameNormalized"] = sanitize_name(posixpath.basename(file))
    if style.go:
        params = copy.deepcopy(content)
        if prefix:
            params[prefix] = {"path": path, "commitSHA": sha}
        else:
            params.update({"path": path, "commitSHA": sha})
        return params
    params = _flatten(content)
    name = f"{prefix}.path" if prefix else "path"
    params[f"{prefix}.commitSHA" if prefix else "commitSHA"] = sha
    params[name] = directory
    for key in ("basename", "basenameNormalized", "filename", "filenameNormalized"):
        if key in path:
            params[f"{name}.{key}"] = path[key]
    for index, segment in enumerate(directory.split("/")):
        if segment:
            params[f"{name}[{index}]"] = segment
    return params


def _flatten(value: Any, prefix: str = "") -> Params:
    """Nested values as dotted string keys (``cluster.address``), lists by index, as Argo CD flattens them."""
    if isinstance(value, (dict, list)):
        items = value.items() if isinstance(value, dict) else enumerate(value)
        flat: Params = {}
        for key, item in items:
            flat.update(_flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    return {prefix: go_string(value) if value is not None else "<nil>"}


# --- matrix and merge ---------------------------------------------------------------------


def _children(body: dict[str, Any], where: tuple[Any, ...], minimum: int, maximum: int | None) -> list[Any]:
    children = body.get("generators")
    if not isinstance(children, list) or len(children) < minimum or (maximum and len(children) > maximum):
        count = f"exactly {minimum}" if maximum == minimum else f"at least {minimum}"
        raise ExpandError(f"{where[-1]} needs {count} child generators", (*where, "generators"))
    return children


def _matrix(body: dict[str, Any], style: Style, repo_dir: Path | None, where: tuple[Any, ...]) -> list[Params]:
    first, second = _children(body, where, 2, 2)
    result = []
    for left in generate(first, style, repo_dir, (*where, "generators", 0)):
        try:
            interpolated = render_value(second, left, style.go, style.strict)
        except TemplateError as exc:
            raise ExpandError(f"matrix: the second generator with the first one's parameters: {exc}", (*where, "generators", 1)) from None
        for right in generate(interpolated, style, repo_dir, (*where, "generators", 1)):
            result.append(_combine(left, right, style, where))
    return result


def _combine(left: Params, right: Params, style: Style, where: tuple[Any, ...]) -> Params:
    if style.go:
        return deep_merge(left, right)
    for key in set(left) & set(right):
        if left[key] != right[key]:
            raise ExpandError(f"matrix: both generators set parameter {key!r}, to {left[key]!r} and {right[key]!r}", where)
    return {**left, **right}


def _merge(body: dict[str, Any], style: Style, repo_dir: Path | None, where: tuple[Any, ...]) -> list[Params]:
    children = _children(body, where, 2, None)
    keys = body.get("mergeKeys")
    if not isinstance(keys, list) or not keys or not all(isinstance(key, str) for key in keys):
        raise ExpandError("merge needs mergeKeys, a list of parameter names (at least one)", (*where, "mergeKeys"))
    sets = [generate(child, style, repo_dir, (*where, "generators", index)) for index, child in enumerate(children)]
    base = _by_key(sets[0], keys, where)
    for others in sets[1:]:
        overrides = _by_key(others, keys, where)
        for key, params in base.items():
            if key in overrides:
                base[key] = deep_merge(params, overrides[key]) if style.go else {**params, **overrides[key]}
    return list(base.values())


def _by_key(param_sets: list[Params], keys: list[str], where: tuple[Any, ...]) -> dict[str, Params]:
    result: dict[str, Params] = {}
    for params in param_sets:
        key = json.dumps({name: params.get(name) for name in sorted(set(keys))}, sort_keys=True)
        if key in result:
            raise ExpandError(f"merge: the parameters of a generator are not unique by mergeKeys; duplicate key {key}", where)
        result[key] = params
    return result
