"""A Kustomize folder read as the objects it builds: what Argo CD applies from it.

gitopsgen's own overlays (and any folder using only the same Kustomize subset) are built in
process by :mod:`generator.kustomize_build`, which the fidelity tests hold to ``kubectl
kustomize``. A folder using anything else (generators, strategic-merge patches, components,
name prefixes, remote bases…) is built by the real tool: ``kustomize build``, else ``kubectl
kustomize``, whichever is on PATH; without either it is an input error saying so.

Each built object keeps a way back to the file and line it came from (the resource file that
defines it), so findings point where a person edits; a field a patch added points at the
object's first line there.
"""

from __future__ import annotations

import os
import posixpath
import shutil
import subprocess
from dataclasses import dataclass, field
from typing import Any

from generator import yamlio
from generator.errors import InputError
from generator.walk import SUFFIXES, kustomization_file, referenced_folders

BUILD_TIMEOUT = 120  # seconds for one `kustomize build`


@dataclass
class _Sources:
    """The documents of the files a build read, from the build's own parse (the real kustomize's: parsed when a finding asks)."""

    files: list[str]
    parsed: dict[str, list[yamlio.Document]] = field(default_factory=dict)
    _index: dict[tuple[str, str], yamlio.Document] | None = None

    def document(self, kind: str, name: str) -> yamlio.Document | None:
        if self._index is None:
            self._index = {}
            for path in self.files:
                for document in self.parsed[path] if path in self.parsed else _parsed(path):
                    data = document.data
                    metadata = data.get("metadata") if isinstance(data, dict) else None
                    if isinstance(metadata, dict) and "$patch" not in data and data.get("kind") != "Kustomization":
                        self._index.setdefault((str(data.get("kind")), str(metadata.get("name"))), document)
        exact = self._index.get((kind, name))
        if exact is not None:
            return exact
        # a namePrefix/nameSuffix: the longest source name of that kind inside the built one
        inside = [(len(source), key) for key in self._index if key[0] == kind and (source := key[1]) and source in name]
        return self._index[max(inside)[1]] if inside else None


@dataclass
class BuiltObject:
    """One object of a build and where its fields are written."""

    obj: dict[str, Any]
    kustomization: str  # the Kustomization file that built it
    sources: _Sources = field(repr=False)

    def locate(self, field_path: tuple[Any, ...]) -> tuple[str, int, int]:
        """(file, line, column) of ``field_path`` in the file defining the object, else the Kustomization."""
        metadata = self.obj.get("metadata")
        name = str(metadata.get("name")) if isinstance(metadata, dict) else ""
        document = self.sources.document(str(self.obj.get("kind")), name)
        if document is None:
            return self.kustomization, 1, 1
        line, column = document.position(field_path)
        return document.path, line, column


def build(folder: str) -> list[BuiltObject]:
    """The objects ``kubectl kustomize <folder>`` outputs, in its order. Bad input raises InputError."""
    from generator.kustomize_build import UnsupportedOverlay, build_parsed

    folder = posixpath.normpath(folder.replace(os.sep, "/"))
    kustomization = kustomization_file(folder) or posixpath.join(folder, "kustomization.yaml")
    read_files: list[str] = []

    def read(path: str) -> str | None:
        if not os.path.isfile(path):
            return None
        read_files.append(path)
        return yamlio.read_text(path)  # the one way in: a file over the size limit is refused, not read

    try:
        if posixpath.basename(kustomization) != "kustomization.yaml":
            raise UnsupportedOverlay("not the file name gitopsgen writes", kustomization)
        objects, parsed = build_parsed(read, folder)
        sources = _Sources(list(dict.fromkeys(read_files)), parsed)
    except UnsupportedOverlay as subset_refused:
        objects = _kustomize(folder, kustomization, subset_refused)
        sources = _Sources(_files_of(folder))
    except yamlio.YAMLSyntaxError as exc:
        raise InputError(exc.problem, exc.path, exc.line) from None
    return [BuiltObject(obj, kustomization, sources) for obj in objects if isinstance(obj, dict)]


def _kustomize(folder: str, kustomization: str, refused: InputError) -> list[Any]:
    """The real kustomize's build of ``folder`` (for what the in-process subset refuses)."""
    command = _kustomize_command(folder)
    if command is None:
        raise InputError(
            f"{refused.message}; this folder uses Kustomize features gitopsgen builds only with the real tool: install kustomize or kubectl (on PATH)",
            refused.path or kustomization,
            refused.line,
        )
    try:
        completed = subprocess.run(command, capture_output=True, text=True, timeout=BUILD_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise InputError(f"`{' '.join(command[:2])}` took more than {BUILD_TIMEOUT} s; check the folder", kustomization) from None
    if completed.returncode != 0:
        problem = (completed.stderr.strip().splitlines() or ["failed"])[-1].removeprefix("Error: ")
        raise InputError(f"kustomize cannot build this folder: {problem}", kustomization)
    try:
        return yamlio.load_data(completed.stdout, kustomization)
    except yamlio.YAMLSyntaxError as exc:  # pragma: no cover - kustomize writes valid YAML
        raise InputError(exc.problem, kustomization) from None


def _kustomize_command(folder: str) -> list[str] | None:
    if shutil.which("kustomize"):
        return ["kustomize", "build", folder]
    if shutil.which("kubectl"):
        return ["kubectl", "kustomize", folder]
    return None


def _files_of(folder: str) -> list[str]:
    """Manifest files of ``folder`` and of the folders it builds from, for positions."""
    files: list[str] = []
    for built in sorted(referenced_folders(folder)):
        for directory, subfolders, names in os.walk(built):
            subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
            files += [
                posixpath.join(directory.replace(os.sep, "/"), name) for name in sorted(names) if name.lower().endswith(SUFFIXES) and not name.startswith(".")
            ]
    return files


def _parsed(path: str) -> list[yamlio.Document]:
    try:  # read_text: a FIFO, a folder or a huge file is refused, not read
        return yamlio.load_documents(yamlio.read_text(path), path)
    except yamlio.YAMLSyntaxError:  # UnreadableFile included
        return []
