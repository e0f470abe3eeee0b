"""JSON: one document with every checked resource and the summary, for scripts and dashboards."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import IO, Any

from generator.report import OutputOptions
from generator.results import ResourceResult, Summary


class JSONOutput:
    def __init__(self, stream: IO[str], options: OutputOptions) -> None:
        self.stream = stream
        self.options = options
        self.resources: list[dict[str, Any]] = []

    def write(self, result: ResourceResult) -> None:
        entry = asdict(result)
        entry["findings"] = [{key: value for key, value in asdict(f).items() if value != ""} for f in result.findings]
        self.resources.append(entry)

    def flush(self, summary: Summary) -> None:
        document = {"tool": self.options.tool, "resources": self.resources, "summary": asdict(summary)}
        json.dump(document, self.stream, indent=2)
        self.stream.write("\n")
        self.stream.flush()
