"""The one document model: a Kubernetes object and where each of its fields came from.

Every stage that reads objects reads :class:`Manifest`: validate, lint, check and publish's
gate. A manifest is read from a file (or stdin) — its positions then come from that one parse,
the YAML node tree — or rendered from a blueprint — then each field maps to the blueprint or
overlay line that produced it — or built from a Kustomize folder (:mod:`generator.kustomizations`).
Either way ``locate(field_path)`` answers "which line should a person edit"; a file read as
manifests is never parsed a second time to find out.

:func:`read_manifests` is the one reader: files and folders (through the one walker,
:mod:`generator.walk`), ``-`` for stdin, YAML or JSON, several documents per file, ``kind: List``
expanded into its items, duplicate keys recorded. What cannot be read becomes a
:class:`ReadProblem` in the stream, in file order, so one bad file never hides the others.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, Protocol

from generator import yamlio
from generator.errors import InputError
from generator.walk import ManifestInput, manifest_inputs

if TYPE_CHECKING:  # building a Kustomize folder (and its subprocess) is imported when a run meets one
    from generator.kustomizations import BuiltObject

STDIN = "-"
STDIN_NAME = "<stdin>"

FieldPath = tuple[str | int, ...]
# rendered objects: (object, field path) -> (blueprint or overlay file, line)
Origin = Callable[[dict[str, Any], FieldPath], tuple[str, int]]


class Location(NamedTuple):
    """Where a field is: the file and line to edit; ``source`` names the blueprint line of a rendered object."""

    path: str
    line: int
    column: int = 1
    source: str = ""


class DuplicateKey(NamedTuple):
    key: str
    mapping: FieldPath  # field path of the mapping holding the key twice
    line: int
    column: int


class Positions(Protocol):
    """Where the fields of one object are written."""

    def locate(self, field_path: FieldPath) -> Location: ...


class DocumentPositions(NamedTuple):
    """An object read from a file: the node tree of that file's one parse (``prefix``: a List item's place)."""

    document: yamlio.Document
    prefix: FieldPath = ()

    def locate(self, field_path: FieldPath) -> Location:
        line, column = self.document.position(self.prefix + field_path)
        return Location(self.document.path, line, column)


class RenderedPositions(NamedTuple):
    """An object rendered from a blueprint: each field at the blueprint (or overlay) line that produced it."""

    obj: dict[str, Any]
    origin: Origin

    def locate(self, field_path: FieldPath) -> Location:
        path, line = self.origin(self.obj, field_path)
        return Location(str(path), int(line), 1, f"{path}:{line}")


class BuiltPositions(NamedTuple):
    """An object a Kustomize folder builds: its fields in the resource file that defines it."""

    built: BuiltObject

    def locate(self, field_path: FieldPath) -> Location:
        return Location(*self.built.locate(field_path))


@dataclass(eq=False)
class Manifest:
    """One Kubernetes object, the file it is reported against, and where each of its fields is written.

    Compared by identity: two equal objects from two files are two manifests.
    """

    obj: dict[str, Any]
    path: str  # the manifest file, the blueprint a rendered object came from, or the Kustomization that built it
    line: int  # where the object starts in ``path``
    positions: Positions | None = field(default=None, repr=False)
    duplicates: list[DuplicateKey] = field(default_factory=list)

    @property
    def kind(self) -> str:
        kind = self.obj.get("kind")
        return kind if isinstance(kind, str) else ""

    @property
    def api_version(self) -> str:
        api_version = self.obj.get("apiVersion")
        return api_version if isinstance(api_version, str) else ""

    @property
    def metadata(self) -> dict[str, Any]:
        """``metadata``, or nothing when it is missing or not a mapping (validate reports that)."""
        metadata = self.obj.get("metadata")
        return metadata if isinstance(metadata, dict) else {}

    def locate(self, field_path: FieldPath | list[str | int] = ()) -> Location:
        """The file, line and column of ``field_path`` (the deepest part of it that exists)."""
        if self.positions is None:
            return Location(self.path, self.line)
        return self.positions.locate(tuple(field_path))


def rendered_manifest(obj: dict[str, Any], source: str, origin: Origin | None) -> Manifest:
    """An object rendered from ``source`` (a blueprint or environment file); ``origin`` maps its fields to lines."""
    if origin is None:
        return Manifest(obj, source, 1)
    positions = RenderedPositions(obj, origin)
    return Manifest(obj, source, positions.locate(()).line, positions)


# --- reading -----------------------------------------------------------------------------------

ProblemKind = Literal["unreadable", "unbuildable", "not-an-object"]


class ReadProblem(NamedTuple):
    """What is not a Kubernetes object: an unreadable file or YAML, a Kustomize folder that does not build, a scalar document."""

    kind: ProblemKind
    path: str
    message: str  # says what to do
    line: int = 0  # 0: the file as a whole (missing, unreadable)
    column: int = 0


def read_manifests(paths: list[str]) -> Iterator[Manifest | ReadProblem]:
    """Every object the given files, folders and ``-`` (stdin) hold, in a stable order, each file parsed once."""
    return read_inputs(manifest_inputs(paths))


def read_inputs(items: Iterable[ManifestInput]) -> Iterator[Manifest | ReadProblem]:
    """Every object of inputs the walk found already (:func:`generator.walk.manifest_inputs`), in their order."""
    with without_cycle_collector():
        for item in items:
            yield from read_input(item)


def read_input(item: ManifestInput) -> Iterator[Manifest | ReadProblem]:
    """The objects of one input (a file, stdin or a Kustomize folder), or the problem that stops it being read."""
    return _built(item.path) if item.builds else read_file(item.path)


def _built(folder: str) -> Iterator[Manifest | ReadProblem]:
    from generator.kustomizations import build

    try:
        built = build(folder)
    except InputError as exc:
        yield ReadProblem("unbuildable", str(exc.path or folder), exc.message, exc.line or 0)
        return
    for item in built:
        yield Manifest(item.obj, item.kustomization, 1, BuiltPositions(item))


def read_file(path: str) -> Iterator[Manifest | ReadProblem]:
    """The objects of one file (``-``: stdin), or the problem that stops it being read."""
    name = STDIN_NAME if path == STDIN else path
    try:
        if path == STDIN:
            text = yamlio.decode(sys.stdin.buffer.read(yamlio.MAX_FILE_BYTES + 1), name)
        else:
            text = yamlio.read_text(path, name)  # refuses folders, FIFOs, dangling links, huge files
    except yamlio.UnreadableFile as exc:  # missing, a folder, a FIFO, a dangling link, no permission, too big
        yield ReadProblem("unreadable", name, exc.problem)
        return
    except FileNotFoundError:
        yield ReadProblem("unreadable", name, "no such file; check the path")
        return
    except IsADirectoryError:
        yield ReadProblem("unreadable", name, "is a folder, not a file")
        return
    except OSError as exc:
        yield ReadProblem("unreadable", name, f"cannot read file: {exc.strerror}")
        return
    except yamlio.YAMLSyntaxError as exc:  # not text (bad encoding)
        yield ReadProblem("unreadable", name, exc.problem, exc.line, exc.column)
        return
    yield from text_manifests(text, name)


def text_manifests(text: str, name: str) -> Iterator[Manifest | ReadProblem]:
    """The objects of one file's text (``name``: the file it is reported as), or the problem that stops it being read.

    For text that is not on disk as such: a file of a git tree (``diff``, ``publish``) reads here too.
    """
    try:
        documents = yamlio.load_text(text, name)
    except yamlio.YAMLSyntaxError as exc:
        yield ReadProblem("unreadable", name, exc.problem, exc.line, exc.column)
        return
    for document in documents:
        yield from document_manifests(document)


def document_manifests(document: yamlio.Document) -> Iterator[Manifest | ReadProblem]:
    """The object of one YAML document, or each item of a ``kind: List``; blank documents give nothing."""
    data = document.data
    if data is None:  # blank or comment-only document
        return
    if not isinstance(data, dict):
        message = f"document is a {_type_name(data)}, not a Kubernetes object (a mapping)"
        yield ReadProblem("not-an-object", document.path, message, document.line, 1)
        return
    duplicates = _duplicate_keys(document) if document.duplicates else []
    if data.get("kind") == "List" and isinstance(data.get("items"), list) and "apiVersion" in data:
        for index, item in enumerate(data["items"]):
            prefix: FieldPath = ("items", index)
            if not isinstance(item, dict):
                line, column = document.position(prefix)
                message = f"items[{index}] is a {_type_name(item)}, not a Kubernetes object"
                yield ReadProblem("not-an-object", document.path, message, line, column)
                continue
            own = [d._replace(mapping=d.mapping[2:]) for d in duplicates if d.mapping[:2] == prefix]
            positions = DocumentPositions(document, prefix)
            yield Manifest(item, document.path, document.position(prefix)[0], positions, own)
        return
    yield Manifest(data, document.path, document.line, DocumentPositions(document), duplicates)


def _duplicate_keys(document: yamlio.Document) -> list[DuplicateKey]:
    """Each duplicate key with the field path of the mapping holding it."""
    wanted = {(line, column): key for key, line, column in document.duplicates}
    found: list[DuplicateKey] = []
    seen: set[int] = set()

    def walk(node: Any, path: FieldPath) -> None:
        value = getattr(node, "value", None)
        if not isinstance(value, list) or id(node) in seen:
            return
        seen.add(id(node))
        for index, item in enumerate(value):
            if isinstance(item, tuple):
                key_node, value_node = item
                mark = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                if mark in wanted:
                    found.append(DuplicateKey(wanted[mark], path, *mark))
                walk(value_node, (*path, str(key_node.value)))
            else:
                walk(item, (*path, index))

    walk(document.node, ())
    return found


def _type_name(value: Any) -> str:
    names = {list: "list", str: "string", int: "number", float: "number", bool: "boolean"}
    return names.get(type(value), type(value).__name__)


@contextmanager
def without_cycle_collector() -> Iterator[None]:
    """Parsing allocates millions of small acyclic objects (YAML nodes); reference counting frees them.

    Python's cycle collector would otherwise rescan every live node again and again, which
    costs more than the parsing itself on a large estate. Whoever reads many files holds it off
    for the whole read, not per file (each re-enabling would scan all that was read so far).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
