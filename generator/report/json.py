"""JSON: one document with every checked resource and the summary, for scripts and dashboards."""

from __future__ import annotations

import json
import re
from typing import IO, Any

import orjson

from generator.report import OutputOptions
from generator.results import Finding, ResourceResult, Summary

# Written field by field: dataclasses.asdict deep-copies every value and was a tenth of a lint run with findings
_RESULT_FIELDS = ("path", "kind", "name", "namespace", "line", "status")
_FINDING_FIELDS = Finding._fields
_SUMMARY_FIELDS = tuple(Summary.__dataclass_fields__)
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


class JSONOutput:
    def __init__(self, stream: IO[str], options: OutputOptions) -> None:
        self.stream = stream
        self.options = options
        self.resources: list[dict[str, Any]] = []

    def write(self, result: ResourceResult) -> None:
        entry = {key: getattr(result, key) for key in _RESULT_FIELDS}
        entry["findings"] = [_finding(finding) for finding in result.findings]
        entry["api_version"] = result.api_version
        self.resources.append(entry)

    def flush(self, summary: Summary) -> None:
        document = {"tool": self.options.tool, "resources": self.resources, "summary": {key: getattr(summary, key) for key in _SUMMARY_FIELDS}}
        self.stream.write(to_json(document))
        self.stream.write("\n")
        self.stream.flush()


def _finding(finding: Finding) -> dict[str, Any]:
    """The finding's fields, leaving out the empty strings (an absent field, namespace or source)."""
    return {key: value for key in _FINDING_FIELDS if (value := getattr(finding, key)) != ""}


def to_json(document: Any) -> str:
    """``json.dumps(document, indent=2)``, written by orjson (the json module writes indented JSON in pure Python)."""
    text = orjson.dumps(document, option=orjson.OPT_INDENT_2).decode()
    return _NON_ASCII.sub(lambda match: json.dumps(match.group())[1:-1], text)  # as json's ensure_ascii does
