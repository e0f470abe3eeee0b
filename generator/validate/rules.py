"""What each ``validate`` finding id means (SARIF rules, JUnit failure types)."""

from __future__ import annotations

from generator.results import Rule

RULES = {
    rule.id: rule
    for rule in (
        Rule(
            "schema",
            "Resource does not match its schema",
            "A field has the wrong type, an unknown value, is missing, or (with --strict) is not part of the schema.",
            help_uri="https://kubernetes.io/docs/reference/kubernetes-api/",
            remediation="Fix the field named in the message; `kubectl explain <kind>.<field>` shows what it takes.",
        ),
        Rule(
            "duplicate-key",
            "Duplicate mapping key",
            "The same key appears twice in one mapping; only the last value is kept. An error with --strict.",
            level="warning",
            remediation="Remove one of the two keys.",
        ),
        Rule(
            "missing-schema",
            "No schema for this kind",
            "Neither Kubernetes nor the known CRDs define this apiVersion and kind, so it could not be checked.",
            remediation="Pass the CRD with --crd FILE, check apiVersion/kind for typos, or use --ignore-missing-schemas.",
        ),
        Rule(
            "document",
            "Not a Kubernetes object",
            "A document is not a mapping, or lacks apiVersion or kind.",
            remediation="Every document must be a mapping with apiVersion and kind.",
        ),
        Rule(
            "yaml",
            "Unreadable input",
            "The file is missing, not UTF-8, or not valid YAML/JSON.",
            remediation="Fix the syntax at the reported line (or the path), then run validate again.",
        ),
    )
}
