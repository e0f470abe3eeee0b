"""SARIF 2.1.0, the format GitHub code scanning (and most security dashboards) ingest.

One run per invocation; ``tool.driver.rules`` lists every rule that produced a result, with
its help text; each result points at a file relative to the repository root
(``%SRCROOT%``) and a 1-based line and column.
"""

from __future__ import annotations

import json
from typing import IO, Any

from generator import __version__
from generator.report import OutputOptions, describe, relative_path
from generator.results import Finding, ResourceResult, Rule, Summary

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"


class SARIFOutput:
    def __init__(self, stream: IO[str], options: OutputOptions) -> None:
        self.stream = stream
        self.options = options
        self.rule_index: dict[str, int] = {}
        self.rules: list[dict[str, Any]] = []
        self.results: list[dict[str, Any]] = []
        self.notifications: list[dict[str, Any]] = []

    def write(self, result: ResourceResult) -> None:
        for finding in result.findings:
            self.results.append(self._result(finding))
            if result.status == "error" and finding.level == "error":
                self.notifications.append(self._notification(finding))

    def flush(self, summary: Summary) -> None:
        run = {
            "tool": {
                "driver": {
                    "name": "gitopsgen",
                    "version": __version__,
                    "semanticVersion": __version__,
                    "rules": self.rules,
                }
            },
            "automationDetails": {"id": f"gitopsgen/{self.options.tool}/"},
            "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The repository root."}}},
            "columnKind": "unicodeCodePoints",
            "invocations": [
                {
                    "executionSuccessful": not self.notifications,
                    "toolExecutionNotifications": self.notifications,
                }
            ],
            "results": self.results,
            "properties": {"summary": {k: v for k, v in vars(summary).items()}},
        }
        document = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
        json.dump(document, self.stream, indent=2)
        self.stream.write("\n")
        self.stream.flush()

    def _result(self, finding: Finding) -> dict[str, Any]:
        rule_id = finding.rule or finding.tool
        index = self._rule(rule_id, finding)
        location: dict[str, Any] = {
            "physicalLocation": {
                "artifactLocation": {"uri": _uri(relative_path(finding.path, self.options.root)), "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": max(finding.line, 1), "startColumn": max(finding.column, 1)},
            }
        }
        if finding.resource:
            logical = {"name": finding.resource, "kind": "resource"}
            if finding.env:
                logical["fullyQualifiedName"] = f"{finding.env}/{finding.resource}"
            location["logicalLocations"] = [logical]
        result: dict[str, Any] = {
            "ruleId": rule_id,
            "ruleIndex": index,
            "level": finding.level,
            "message": {"text": describe(finding)},
            "locations": [location],
            "partialFingerprints": {
                "resourceField/v1": (f"{finding.env}:" if finding.env else "") + f"{finding.kind}/{finding.namespace}/{finding.name}:{finding.field}:{rule_id}"
            },
        }
        properties = {key: value for key, value in (("remediation", finding.remediation), ("environment", finding.env)) if value}
        if properties:
            result["properties"] = properties
        return result

    def _notification(self, finding: Finding) -> dict[str, Any]:
        """An input that could not be checked, as a tool execution notification (SARIF 3.58)."""
        return {
            "level": "error",
            "message": {"text": describe(finding)},
            "descriptor": {"id": finding.rule or finding.tool},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(relative_path(finding.path, self.options.root)), "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": max(finding.line, 1), "startColumn": max(finding.column, 1)},
                    }
                }
            ],
        }

    def _rule(self, rule_id: str, finding: Finding) -> int:
        if rule_id in self.rule_index:
            return self.rule_index[rule_id]
        rule = self.options.rules.get(rule_id) or Rule(
            id=rule_id, title=rule_id, level=finding.level, help_uri=finding.help_uri, remediation=finding.remediation
        )
        help_text = rule.remediation or rule.description or rule.title
        entry: dict[str, Any] = {
            "id": rule.id,
            "name": _pascal(rule.id),
            "shortDescription": {"text": rule.title},
            "fullDescription": {"text": rule.description or rule.title},
            "help": {"text": help_text, "markdown": help_text},
            "defaultConfiguration": {"level": rule.level},
            "properties": {"tags": [f"gitopsgen-{self.options.tool}"]},
        }
        if rule.help_uri:
            entry["helpUri"] = rule.help_uri
        if rule.security_severity:
            entry["properties"]["security-severity"] = rule.security_severity
        self.rule_index[rule_id] = len(self.rules)
        self.rules.append(entry)
        return self.rule_index[rule_id]


def _pascal(rule_id: str) -> str:
    return "".join(part.capitalize() for part in rule_id.replace("_", "-").split("-") if part) or "Rule"


def _uri(path: str) -> str:
    from urllib.parse import quote

    return quote(path.replace("\\", "/"), safe="/")
