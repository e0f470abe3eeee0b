"""JUnit XML: one test suite per file, one test case per resource, as CI systems render it.

An invalid resource is a ``<failure>``, a resource that could not be checked an ``<error>``,
a skipped one ``<skipped>``; warnings of a passing resource go to its ``<system-out>``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import IO

from generator.errors import visible
from generator.report import OutputOptions
from generator.report.text import format_finding
from generator.results import ResourceResult, Summary


class JUnitOutput:
    def __init__(self, stream: IO[str], options: OutputOptions) -> None:
        self.stream = stream
        self.options = options
        self.suites: dict[str, list[ResourceResult]] = {}

    def write(self, result: ResourceResult) -> None:
        self.suites.setdefault(result.path, []).append(result)

    def flush(self, summary: Summary) -> None:
        root = ET.Element("testsuites", name=f"gitopsgen {self.options.tool}")
        totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        for index, (path, results) in enumerate(self.suites.items()):
            suite = ET.SubElement(root, "testsuite", name=visible(path), id=str(index), time="0")
            counts = {"tests": len(results), "failures": 0, "errors": 0, "skipped": 0}
            for result in results:
                self._testcase(suite, path, result, counts)
            for key, value in counts.items():
                suite.set(key, str(value))
                totals[key] += value
        for key, value in totals.items():
            root.set(key, str(value))
        root.set("time", "0")
        ET.indent(root)
        self.stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        self.stream.write(ET.tostring(root, encoding="unicode"))
        self.stream.write("\n")
        self.stream.flush()

    def _testcase(self, suite: ET.Element, path: str, result: ResourceResult, counts: dict[str, int]) -> None:
        name = visible(result.subject) or f"document at line {result.line}"  # XML cannot hold control characters
        case = ET.SubElement(suite, "testcase", name=name, classname=visible(path), time="0")
        lines = "\n".join(format_finding(f) + (f"\n    fix: {f.remediation}" if f.remediation else "") for f in result.findings)
        first = visible(result.findings[0].message) if result.findings else result.status
        if result.status == "invalid":
            counts["failures"] += 1
            failure = ET.SubElement(case, "failure", message=first, type=_rules(result))
            failure.text = lines
        elif result.status == "error":
            counts["errors"] += 1
            error = ET.SubElement(case, "error", message=first, type=_rules(result))
            error.text = lines
        elif result.status == "skipped":
            counts["skipped"] += 1
            ET.SubElement(case, "skipped", message=first)
        elif lines:
            ET.SubElement(case, "system-out").text = lines


def _rules(result: ResourceResult) -> str:
    return ",".join(dict.fromkeys(f.rule for f in result.findings if f.level == "error")) or result.status
