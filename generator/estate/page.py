"""The estate as one self-contained HTML page: inline CSS, no script, nothing fetched from anywhere."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from generator.estate.model import Capacity, Estate, bytes_human, cores

RESOURCE_LABELS = ["CPU requests", "CPU limits", "memory requests", "memory limits", "GPU requests", "GPU limits"]
_SIDES = [("requests", "cpu"), ("limits", "cpu"), ("requests", "memory"), ("limits", "memory"), ("requests", "gpu"), ("limits", "gpu")]


def raw(capacity: Capacity) -> list[tuple[str, str]]:
    """Exact totals as data attributes (base units: cores, bytes, GPUs) at minimum and maximum replicas."""
    pairs = []
    for side, kind in _SIDES:
        pairs.append((f"{kind}-{side}-min", _number(getattr(capacity.at_min, side)[kind])))
        pairs.append((f"{kind}-{side}-max", _number(getattr(capacity.at_max, side)[kind])))
    return pairs


def shown(capacity: Capacity) -> list[str]:
    """Totals for people: ``2.5 (max 10)``; the maximum only when autoscaling makes it differ."""
    cells = []
    for side, kind in _SIDES:
        low, high = getattr(capacity.at_min, side)[kind], getattr(capacity.at_max, side)[kind]
        text = _human(kind, low)
        cells.append(text if low == high else f"{text} (max {_human(kind, high)})")
    return cells


def _human(kind: str, value: Decimal) -> str:
    if kind == "cpu":
        return cores(value)
    if kind == "memory":
        return bytes_human(value)
    return f"{value.normalize():f}"


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}" if value else "0"


def render_page(estate: Estate, title: str, source: str) -> str:
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    jinja = Environment(
        loader=PackageLoader("generator.estate", "."), undefined=StrictUndefined, autoescape=select_autoescape(["html", "j2"]), keep_trailing_newline=True
    )
    counts = {level: sum(1 for item in estate.findings if item["level"] == level) for level in ("error", "warning")}
    drifting = sum(1 for row in estate.apps for cell in row.cells.values() if cell and cell.drift)
    values: dict[str, Any] = {
        "estate": estate,
        "apps": estate.apps,
        "title": title,
        "source": source,
        "counts": counts,
        "drifting": drifting,
        "resource_labels": RESOURCE_LABELS,
        "raw": raw,
        "shown": shown,
    }
    return jinja.get_template("estate.html.j2").render(**values)
