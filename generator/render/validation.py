"""Render refuses to write what does not validate: rendered/ is always schema-valid."""

from __future__ import annotations

from generator.errors import InputError
from generator.render.project import Rendering


def ensure_valid(rendering: Rendering) -> None:
    """Check every effective object against its schema; the first problem stops the render (exit 2)."""
    from generator.validate import validate_objects

    for rendered in rendering.sets:
        findings = validate_objects(rendered.objects, source=rendered.source, origin=rendered.origin)
        for finding in findings:
            if finding.level == "error":
                raise InputError(f"the {finding.resource} rendered for {rendered.env} would be invalid: "
                                 f"{finding.field}: {finding.message}; fix this value", finding.path, finding.line)
