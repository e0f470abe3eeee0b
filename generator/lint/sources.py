"""What lint reads: manifest files (or stdin), or every blueprint x environment rendered in-process.

Either way the result is a list of batches. A batch is the set of objects linted together: the
cross-resource rules see the whole batch as ``data.inventory``. Files given on the command line
form one batch; a project gives one batch per app x environment (and one per environment for
its Argo CD objects). Each document knows how to point a field back at the line to edit.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from generator import yamlio
from generator.errors import InputError
from generator.lint import fork
from generator.walk import manifest_inputs

# field path -> (file, line, column, source) where source names the blueprint line, if any
Locator = Callable[[tuple[Any, ...]], tuple[str, int, int, str]]


@dataclass
class LintDocument:
    obj: dict[str, Any]
    path: str
    line: int  # where the document starts; 0 = not known yet (ask locate(()))
    locate: Locator


@dataclass
class LintBatch:
    env: str | None
    documents: list[LintDocument] = field(default_factory=list)
    label: str = ""


@dataclass
class RenderedTree:
    """Directories that exist in the GitOps repository, for the argocd-path-exists rule."""

    paths: list[str] = field(default_factory=list)
    roots: list[str] = field(default_factory=list)

    def data(self) -> dict[str, Any]:
        return {"rendered_paths": self.paths, "rendered_roots": self.roots}


def from_paths(paths: list[str], env: str | None) -> list[LintBatch]:
    """One batch with every Kubernetes object in the given files, folders and ``-`` (stdin).

    A Kustomize folder contributes the objects it builds (generator/kustomizations.py)."""
    from generator.kustomizations import build

    texts: list[tuple[str, str | InputError | list[LintDocument]]] = []  # (path, text, why not, or built objects)
    built_roots = {item.path for item in manifest_inputs([name for name in paths if name != "-"]) if item.builds}
    for name in paths:
        if name == "-":
            texts.append(("<stdin>", sys.stdin.read()))
            continue
        if not Path(name).exists():
            texts.append((name, InputError("no such file or directory", name)))
            continue
        for item in manifest_inputs([name]):
            if item.builds and item.path in built_roots:
                texts.append((item.path, [_built_document(built) for built in build(item.path)]))
            if item.builds:
                continue
            try:
                texts.append((item.path, yamlio.decode(Path(item.path).read_bytes(), item.path)))
            except yamlio.YAMLSyntaxError as exc:
                texts.append((item.path, InputError(exc.problem, exc.path, exc.line)))
    loaded = _load_all([text if isinstance(text, str) else "" for _, text in texts])
    batch = LintBatch(env, label="files")
    for (name, text), documents in zip(texts, loaded):
        if isinstance(text, InputError):
            raise text
        batch.documents += text if isinstance(text, list) else _documents(text, name, documents)
    return [batch]


def _built_document(built: Any) -> LintDocument:
    def locate(field_path: tuple[Any, ...]) -> tuple[str, int, int, str]:
        return (*built.locate(field_path), "")

    return LintDocument(built.obj, built.kustomization, 0, locate)


# Below this much YAML the files are parsed in one process: forking costs more than it saves.
# The native loader parses about 25 KB/ms; a forked half must still be pickled back (~1/6 of its
# parse time) and a fork costs ~15 ms, so at 1 MB two workers save no time and burn ~40 ms more CPU.
PARALLEL_BYTES = 4 * 1024 * 1024


def _load_all(texts: list[str]) -> list[list[Any] | None]:
    """Every text loaded the fast way (None where it is not valid YAML), split over the CPUs when there is a lot."""
    workers = fork.workers()
    if workers < 2 or len(texts) < 2 or sum(map(len, texts)) < PARALLEL_BYTES:
        return [_load(text) for text in texts]
    bounds = _even_split([len(text) for text in texts], workers)
    parts = fork.split(lambda part: [_load(text) for text in texts[bounds[part] : bounds[part + 1]]], workers)
    return [documents for part in parts for documents in part]


def _even_split(sizes: list[int], parts: int) -> list[int]:
    """Boundaries that cut ``sizes`` into ``parts`` consecutive runs of about the same total."""
    bounds, total, running = [0], sum(sizes), 0
    for index, size in enumerate(sizes):
        running += size
        if len(bounds) < parts and running >= total * len(bounds) / parts:
            bounds.append(index + 1)
    bounds += [len(sizes)] * (parts + 1 - len(bounds))
    return bounds


def _load(text: str) -> list[Any] | None:
    """The documents' data (yamlio's native fast path); node positions are parsed later, only for files with findings."""
    try:
        return yamlio.load_data(text)
    except yamlio.YAMLSyntaxError:
        return None


def _documents(text: str, path: str, documents: list[Any] | None) -> list[LintDocument]:
    """The objects of one loaded file; node positions are parsed only for files that have findings."""
    if documents is None:  # let the positional loader word the error (file:line:col)
        try:
            yamlio.load_documents(text, path)
        except yamlio.YAMLSyntaxError as exc:
            raise InputError(exc.problem, exc.path, exc.line) from None
        raise InputError("invalid YAML", path)
    positions = _Positions(text, path)
    result = []
    for index, data in enumerate(documents):
        if not isinstance(data, dict) or not data.get("kind") or str(data.get("apiVersion", "")).startswith("kustomize.config"):
            continue
        if data.get("kind") == "List" and isinstance(data.get("items"), list):  # kubectl's List: lint each item
            result += [
                LintDocument(item, path, 0, positions.locator(index, ("items", position)))
                for position, item in enumerate(data["items"])
                if isinstance(item, dict) and item.get("kind")
            ]
        else:
            result.append(LintDocument(data, path, 0, positions.locator(index)))
    return result


class _Positions:
    """The node tree of one file, parsed on first use."""

    def __init__(self, text: str, path: str) -> None:
        self.text, self.path = text, path
        self._documents: list[yamlio.Document] | None = None

    def document(self, index: int) -> yamlio.Document:
        if self._documents is None:
            self._documents = yamlio.load_documents(self.text, self.path)
        return self._documents[index]

    def locator(self, index: int, prefix: tuple[Any, ...] = ()) -> Locator:
        def locate(field_path: tuple[Any, ...]) -> tuple[str, int, int, str]:
            line, column = self.document(index).position(prefix + tuple(field_path))
            return self.path, line, column, ""

        return locate


def from_project(root: Path, envs: list[str] | None, only: list[str] | None) -> tuple[list[LintBatch], RenderedTree]:
    """One batch per app x environment (and per environment's Argo CD objects), rendered in-process.

    The rendered tree for argocd-path-exists is what this render produces plus what rendered/
    already holds (with --only, the other apps' folders come from disk).
    """
    from generator.load import load_project
    from generator.render.project import render_project

    project = load_project(root)
    rendering = render_project(project, envs, only)
    return batches_from_sets(rendering.sets), tree_of_rendering(rendering.files, root, project.gitops)


def batches_from_sets(sets: list[Any]) -> list[LintBatch]:
    """One batch per RenderedSet; findings point at the blueprint (or overlay) line via ``origin``."""
    batches = []
    for rendered in sets:
        batch = LintBatch(rendered.env, label=f"{rendered.app} in {rendered.env}")
        for obj in rendered.objects:
            batch.documents.append(LintDocument(obj, rendered.source, 1, _origin_locator(rendered, obj)))
        batches.append(batch)
    return batches


def _origin_locator(rendered: Any, obj: dict[str, Any]) -> Locator:
    def locate(field_path: tuple[Any, ...]) -> tuple[str, int, int, str]:
        path, line = rendered.origin(obj, field_path)
        return str(path), line, 1, f"{path}:{line}"

    return locate


def tree_of_rendering(files: dict[str, str] | list[str], root: Path, gitops: dict[str, Any]) -> RenderedTree:
    """What a render produces plus what rendered/ already holds, as GitOps-repository paths."""
    return _tree_from_files(sorted(set(files) | set(_rendered_files(root))), gitops)


def rendered_tree(root: Path) -> RenderedTree:
    """The directories of ``root/rendered`` as GitOps-repository paths (per gitopsgen.yaml's layout)."""
    files = _rendered_files(root)
    return _tree_from_files(files, _gitops_settings(root)) if files else RenderedTree()


def _rendered_files(root: Path) -> list[str]:
    rendered = root / "rendered"
    if not rendered.is_dir():
        return []
    return [file.relative_to(rendered).as_posix() for file in rendered.rglob("*") if file.is_file()]


def _gitops_settings(root: Path) -> dict[str, Any] | None:
    """gitopsgen.yaml's gitops settings (with defaults), or None outside a gitopsgen project."""
    from generator.load import load_gitops_config

    config = load_gitops_config(root)
    return config.settings if config.source is not None else None


def _tree_from_files(files: list[str], gitops: dict[str, Any] | None) -> RenderedTree:
    """Every directory holding a rendered file, mapped to where publish puts it in the GitOps repository."""
    from generator.load import repo_path

    layout = (gitops or {}).get("layout") or {}
    apps, argocd = layout.get("apps"), layout.get("argocd")
    directories: set[str] = set()
    for file in files:
        parts = file.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            directories.add("/".join(parts[:depth]))
    if apps is None or argocd is None:
        return RenderedTree(sorted(f"rendered/{d}" for d in directories), ["rendered"])
    mapped = {repo_path(directory, apps, argocd) for directory in directories}
    return RenderedTree(sorted(mapped), sorted({apps, argocd}))
