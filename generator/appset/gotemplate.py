"""The part of Go's text/template (with Sprig functions) that ApplicationSet templates use, and fasttemplate.

Supported: text with ``{{ }}`` actions (``{{-``/``-}}`` trim spaces), pipelines (``a | f x``),
field chains (``.path.basename``, ``$.x``), string/number/bool literals, parenthesised
pipelines, and the functions in :data:`FUNCTIONS` (Go's ``index``, ``len``, ``printf``, and
Sprig's string helpers plus Argo CD's ``normalize``). Control actions (``if``, ``range``,
``with``, ``define``…) are refused with a clear error rather than guessed at. A missing map key
prints ``<no value>`` as Go does, or is an error with ``missingkey=error``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

NO_VALUE = "<no value>"
_ACTION = re.compile(r"\{\{(-\s)?(.*?)(\s-)?\}\}", re.DOTALL)
_TOKEN = re.compile(
    r'\s*(?:(?P<str>"(?:[^"\\]|\\.)*"|`[^`]*`)|(?P<num>-?\d+(?:\.\d+)?)|(?P<field>\$?(?:\.[A-Za-z_][\w-]*)+|\$|\.)'
    r"|(?P<name>[A-Za-z_]\w*)|(?P<op>[|()]))"
)
CONTROL = {"if", "else", "end", "range", "with", "define", "template", "block", "break", "continue"}


class TemplateError(Exception):
    """A template that cannot be expanded; the message says why."""


class _Missing:
    pass


MISSING = _Missing()


def sanitize_name(name: str) -> str:
    """Argo CD's ``normalize``: lowercase, only ``[-a-z0-9.]``, at most 253 characters, no leading/trailing ``-``/``.``."""
    name = re.sub(r"[^-a-z0-9.]", "-", name.lower())[:253]
    return name.strip("-.")


def go_string(value: Any) -> str:
    """How Go's fmt prints a template value."""
    if value is MISSING or value is None:
        return NO_VALUE
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{go_string(v)}" for k, v in sorted(value.items())) + "]"
    if isinstance(value, list):
        return "[" + " ".join(go_string(v) for v in value) + "]"
    return str(value)


def _empty(value: Any) -> bool:
    return value is MISSING or value is None or value in ("", 0, False) or (isinstance(value, (list, dict)) and not value)


def _index(collection: Any, *keys: Any) -> Any:
    for key in keys:
        if isinstance(collection, list) and isinstance(key, int) and 0 <= key < len(collection):
            collection = collection[key]
        elif isinstance(collection, dict):
            collection = collection.get(key)
        else:
            raise TemplateError(f"index of {go_string(collection)!r} with {key!r}: out of range or not indexable")
    return collection


def _printf(pattern: str, *args: Any) -> str:
    converted = iter(args)
    return re.sub(
        r"%[svdq%]", lambda m: "%" if m[0] == "%%" else (json.dumps(go_string(next(converted))) if m[0] == "%q" else go_string(next(converted))), pattern
    )


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "index": _index,
    "len": lambda value: len(value),
    "printf": _printf,
    "print": lambda *values: "".join(go_string(v) for v in values),
    "default": lambda fallback, value=MISSING: fallback if _empty(value) else value,
    "empty": _empty,
    "lower": lambda s: go_string(s).lower(),
    "upper": lambda s: go_string(s).upper(),
    "title": lambda s: go_string(s).title(),
    "trim": lambda s: go_string(s).strip(),
    "trimPrefix": lambda prefix, s: go_string(s).removeprefix(prefix),
    "trimSuffix": lambda suffix, s: go_string(s).removesuffix(suffix),
    "replace": lambda old, new, s: go_string(s).replace(old, new),
    "trunc": lambda n, s: go_string(s)[:n] if n >= 0 else go_string(s)[n:],
    "quote": lambda *values: " ".join(json.dumps(go_string(v)) for v in values),
    "squote": lambda *values: " ".join(f"'{go_string(v)}'" for v in values),
    "join": lambda sep, values: sep.join(go_string(v) for v in values),
    "split": lambda sep, s: {f"_{i}": part for i, part in enumerate(go_string(s).split(sep))},
    "splitList": lambda sep, s: go_string(s).split(sep),
    "last": lambda values: values[-1],
    "first": lambda values: values[0],
    "toString": go_string,
    "toJson": lambda value: json.dumps(value, separators=(",", ":"), sort_keys=True),
    "normalize": lambda s: sanitize_name(go_string(s)),
    "contains": lambda needle, s: needle in go_string(s),
    "hasPrefix": lambda prefix, s: go_string(s).startswith(prefix),
    "hasSuffix": lambda suffix, s: go_string(s).endswith(suffix),
}


def render_go(text: str, params: dict[str, Any], missing_key_error: bool = False) -> str:
    """``text`` executed as a Go template with ``params`` as its data."""
    out = []
    position = 0
    for match in _ACTION.finditer(text):
        before = text[position : match.start()]
        if match.group(1):
            before = before.rstrip()
        out.append(before)
        out.append(go_string(_pipeline(_tokens(match.group(2)), params, missing_key_error)))
        position = match.end()
        if match.group(3):
            rest = text[position:]
            position += len(rest) - len(rest.lstrip())
    out.append(text[position:])
    return "".join(out)


def render_fast(text: str, params: dict[str, Any]) -> str:
    """fasttemplate as Argo CD uses it: ``{{ key }}`` becomes a string parameter; anything else is kept as written."""

    def replace(match: re.Match[str]) -> str:
        value = params.get(match.group(1).strip())
        return value if isinstance(value, str) and match.group(1).strip() else match.group(0)

    return re.sub(r"\{\{(.*?)\}\}", replace, text, flags=re.DOTALL)


def _tokens(action: str) -> list[tuple[str, str]]:
    tokens = []
    position = 0
    action = action.strip()
    while position < len(action):
        match = _TOKEN.match(action, position)
        if not match or match.end() == position:
            raise TemplateError(f"cannot read {{{{ {action} }}}} at {action[position:]!r}")
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        position = match.end()
    if not tokens:
        raise TemplateError("empty action {{ }}")
    if tokens[0] == ("name", tokens[0][1]) and tokens[0][1] in CONTROL:
        raise TemplateError(
            f"{{{{ {tokens[0][1]} }}}} is not supported by preview-appset (only value pipelines are); expand this ApplicationSet with Argo CD itself"
        )
    return tokens


def _pipeline(tokens: list[tuple[str, str]], params: dict[str, Any], strict: bool) -> Any:
    commands: list[list[tuple[str, str]]] = [[]]
    depth = 0
    for token in tokens:
        if token == ("op", "|") and depth == 0:
            commands.append([])
            continue
        depth += {"(": 1, ")": -1}.get(token[1], 0) if token[0] == "op" else 0
        commands[-1].append(token)
    result: Any = _NOTHING
    for command in commands:
        result = _command(command, params, strict, result)
    return result


_NOTHING = object()


def _command(tokens: list[tuple[str, str]], params: dict[str, Any], strict: bool, piped: Any) -> Any:
    if not tokens:
        raise TemplateError("empty command in a pipeline")
    args = _operands(tokens[1:] if tokens[0][0] == "name" and tokens[0][1] not in ("true", "false", "nil") else tokens, params, strict)
    if tokens[0][0] == "name" and tokens[0][1] not in ("true", "false", "nil"):
        name = tokens[0][1]
        if name not in FUNCTIONS:
            raise TemplateError(f"function {name!r} is not supported by preview-appset; supported: {', '.join(sorted(FUNCTIONS))}")
        if piped is not _NOTHING:
            args.append(piped)
        try:
            return FUNCTIONS[name](*args)
        except TemplateError:
            raise
        except (TypeError, IndexError, KeyError, ValueError) as exc:
            raise TemplateError(f"{name}: {exc}") from None
    if len(args) != 1 or piped is not _NOTHING:
        raise TemplateError("a value cannot take arguments or a piped value")
    return args[0]


def _operands(tokens: list[tuple[str, str]], params: dict[str, Any], strict: bool) -> list[Any]:
    values = []
    index = 0
    while index < len(tokens):
        kind, text = tokens[index]
        if (kind, text) == ("op", "("):
            depth, end = 1, index + 1
            while end < len(tokens) and depth:
                depth += {"(": 1, ")": -1}.get(tokens[end][1], 0) if tokens[end][0] == "op" else 0
                end += 1
            if depth:
                raise TemplateError("unbalanced parenthesis")
            values.append(_pipeline(tokens[index + 1 : end - 1], params, strict))
            index = end
            continue
        values.append(_literal(kind, text, params, strict))
        index += 1
    return values


def _literal(kind: str, text: str, params: dict[str, Any], strict: bool) -> Any:
    if kind == "str":
        return text[1:-1] if text.startswith("`") else json.loads(text)
    if kind == "num":
        return float(text) if "." in text else int(text)
    if kind == "field":
        return _field(text, params, strict)
    if kind == "name" and text in ("true", "false", "nil"):
        return {"true": True, "false": False, "nil": None}[text]
    raise TemplateError(f"unexpected {text!r}")


def _field(chain: str, params: dict[str, Any], strict: bool) -> Any:
    value: Any = params
    for step in [part for part in chain.lstrip("$").split(".") if part]:
        if isinstance(value, dict) and step in value:
            value = value[step]
        elif isinstance(value, dict) or value is MISSING:
            if strict:
                raise TemplateError(f"map has no entry for key {step!r} (in {chain}); goTemplateOptions has missingkey=error")
            return MISSING
        else:
            raise TemplateError(f"cannot read field {step!r} of {go_string(value)!r} (in {chain})")
    return value


def render_value(value: Any, params: dict[str, Any], go: bool, strict: bool) -> Any:
    """Every string of a YAML value rendered (keys stay as written, as Argo CD's template walk does)."""
    if isinstance(value, dict):
        return {key: render_value(item, params, go, strict) for key, item in value.items()}
    if isinstance(value, list):
        return [render_value(item, params, go, strict) for item in value]
    if isinstance(value, str):
        return render_go(value, params, strict) if go else render_fast(value, params)
    return value
