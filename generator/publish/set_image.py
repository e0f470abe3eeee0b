"""``set-image``: change one app's image tag (or digest) in its blueprint or an environment overlay.

Edits keep everything else byte for byte: when the value already exists, only its characters are
replaced (positions come from the YAML parser); when keys must be created or a tag becomes a
digest, the file goes through a ruamel.yaml round trip, which keeps comments, order and quoting.
"""

from __future__ import annotations

import difflib
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator import yamlio
from generator.errors import InputError
from generator.schema import suggest

DIGEST = re.compile(r"^sha256:[a-f0-9]{64}$")
TAG = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")


@dataclass(frozen=True)
class ImageEdit:
    """One planned ``set-image`` edit: the file and field, the old and new value, and the file's text before and after."""

    path: Path
    field: str  # dotted, e.g. apps.ai-prism-api.image.tag
    old: str | None
    new: str
    old_key: str | None  # "tag" or "digest": which of the two held ``old``
    before: str  # file text before
    after: str  # file text after

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def describe(self) -> str:
        """``image.tag v1 -> v2``, or ``image tag v1.8.0 -> digest sha256:…`` when the kind changes."""
        image, _, new_key = self.field.rpartition(".")
        if self.old is None:
            return f"{self.field} (unset) -> {self.new}"
        if self.old_key != new_key:
            return f"{image} {self.old_key} {self.old} -> {new_key} {self.new}"
        return f"{self.field} {self.old} -> {self.new}"


def plan_image_edit(root: Path, app: str, value: str, env: str | None = None) -> ImageEdit:
    """Work out the edit without writing anything; raises InputError for bad input.

    The project is loaded (and checked) by :mod:`generator.load`, which also says which file
    defines the app and the environment; its parsed document gives the positions to splice at.
    """
    from generator.load import load_project

    key = "digest" if value.startswith("sha256:") else "tag"
    if key == "digest" and not DIGEST.match(value):
        raise InputError(f"{value!r} is not an image digest: expected sha256: and 64 lower-case hex digits")
    if key == "tag" and not TAG.match(value):
        raise InputError(f"{value!r} is not a valid image tag (letters, digits, _ . -; at most 128; no leading . or -)")
    project = load_project(root)
    source, keys = _image_source(project, app, env)
    path = project.root / source.path
    text = yamlio.read_text(path, source.path)  # the text load_project parsed
    other = "tag" if key == "digest" else "digest"
    image = _mapping_at(source.document.data, keys)
    old_key = next((k for k in (key, other) if isinstance(image, dict) and k in image), None)
    old = image[old_key] if old_key else None
    if isinstance(image, dict) and key in image and other not in image:
        after = _splice(text, source.document.node, keys + (key,), value)
    elif isinstance(image, dict) and other in image and key not in image:
        after = _splice(text, source.document.node, keys + (other,), value, rename=key)  # tag <-> digest in place
    else:
        after = _with_line_endings_of(text, _round_trip(text, keys, key, other, value))
    return ImageEdit(path, ".".join(keys + (key,)), None if old is None else str(old), value, old_key, text, after)


def _image_source(project: Any, app: str, env: str | None) -> tuple[Any, tuple[str, ...]]:
    """The loaded file to edit (blueprint, or the environment's overlay) and the keys of the image in it."""
    if app not in project.blueprints:
        close = difflib.get_close_matches(app, list(project.blueprints), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise InputError(f"unknown app {app!r}{hint}; apps are named by `name:` in blueprints/*.yaml", "blueprints/")
    if env is None:
        return project.blueprints[app].source, ("image",)
    if env not in project.environments:
        raise InputError(
            f"unknown environment {env!r}{suggest(env, project.environments)}; known: {', '.join(sorted(project.environments))}", f"overlays/{env}.yaml"
        )
    return project.environments[env].source, ("apps", app, "image")


def write_edit(edit: ImageEdit) -> None:
    """Replace the file atomically (a reader never sees half a file)."""
    temporary = edit.path.with_name(f".{edit.path.name}.gitopsgen-tmp")
    temporary.write_text(edit.after, encoding="utf-8")
    os.replace(temporary, edit.path)


def _mapping_at(data: Any, keys: tuple[str, ...]) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _splice(text: str, node: Any, keys: tuple[str, ...], value: str, rename: str | None = None) -> str:
    """Replace only the characters of the scalar at ``keys`` (node positions from yamlio), keeping its quoting;
    with ``rename``, the key's characters too (``tag: v1`` -> ``digest: sha256:...``), so no other line changes."""
    key_node = None
    for key in keys:
        key_node, node = next((k, v) for k, v in node.value if k.value == key)
    start, end = node.start_mark.index, node.end_mark.index
    style = node.style if node.style in ("'", '"') else None
    if style is None and not _plain_is_string(value):
        style = '"'
    replacement = f"{style}{value}{style}" if style else value
    text = text[:start] + replacement + text[end:]
    if rename is not None and key_node is not None:
        text = text[: key_node.start_mark.index] + rename + text[key_node.end_mark.index :]
    return text


def _with_line_endings_of(original: str, edited: str) -> str:
    """ruamel.yaml writes LF; a CRLF file stays CRLF throughout (no mixed line endings)."""
    if "\r\n" not in original:
        return edited
    return edited.replace("\r\n", "\n").replace("\n", "\r\n")


def _plain_is_string(value: str) -> bool:
    """Would ``value`` written without quotes read back as this string (not a number, bool, null) in YAML 1.1, 1.2 and go-yaml?"""
    return not yamlio.needs_quotes(value) and yamlio.load_documents(f"v: {value}\n")[0].data["v"] == value


def _round_trip(text: str, keys: tuple[str, ...], key: str, other: str, value: str) -> str:
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    rt = _faithful_emitter(text)
    data = rt.load(text)
    if data is None:
        data = CommentedMap()
    node = data
    for part in keys:
        if not isinstance(node.get(part), dict):
            node[part] = CommentedMap()
        node = node[part]
    scalar = value if _plain_is_string(value) else DoubleQuotedScalarString(value)
    if other in node:
        position = list(node).index(other)
        node.insert(position, key, scalar)
        del node[other]
    else:
        node[key] = scalar
    return _dump(rt, data)


def _faithful_emitter(text: str) -> Any:
    """The ruamel.yaml round-trip settings (indents) under which this file comes back unchanged.

    ruamel guesses the sequence indent but not the mapping indent; trying the few layouts people
    use and keeping the one that reproduces the file is cheap and exact.
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.util import load_yaml_guess_indent

    _, sequence, offset = load_yaml_guess_indent(text)
    layouts = [(mapping, sequence or mapping, offset or 0) for mapping in (2, 4, 3)]
    layouts += [(mapping, mapping + 2, 2) for mapping in (2, 4)] + [(mapping, mapping, 0) for mapping in (2, 4)]
    best, best_score = None, -1.0
    for mapping, seq, off in dict.fromkeys(layouts):
        if off > seq - 2 and off != 0:
            continue
        rt = YAML()
        rt.preserve_quotes = True
        rt.width = 4096
        rt.indent(mapping=mapping, sequence=seq, offset=off)
        dumped = _dump(rt, rt.load(text))
        if dumped == text:
            return rt
        score = difflib.SequenceMatcher(None, text.splitlines(), dumped.splitlines()).ratio()
        if score > best_score:
            best, best_score = rt, score
    return best


def _dump(rt: Any, data: Any) -> str:
    out = io.StringIO()
    rt.dump(data, out)
    return out.getvalue()
