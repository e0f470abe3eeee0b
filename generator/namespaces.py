"""namespaces/<name>.yaml: what belongs to a namespace or a team rather than to one app.

Read once, checked against ``namespace.schema.json``; each environment may override any field
but the identity ones in ``namespaces.<name>`` of its overlay file (merged as apps' overrides are).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from generator.load import Environment
from generator.named_inputs import NamedFolder, NamedInput, Problem, load_named, pod_security_label_problem
from generator.schema import suggest

FOLDER = "namespaces"


class NamespaceHome(NamedInput):
    section: ClassVar[str] = FOLDER


def load_namespaces(root: Path, environments: dict[str, Environment]) -> dict[str, NamespaceHome]:
    return load_named(root, NamespaceHome, NAMESPACES, environments)


def _store_problem(spec: dict[str, Any]) -> Problem | None:
    accounts = {account["name"] for account in spec.get("serviceAccounts", [])}
    for index, store in enumerate(spec.get("secretStores", [])):
        account = store["aws"].get("serviceAccount")
        if account is None:
            return (("secretStores", index, "aws"), "a shared SecretStore needs aws.serviceAccount (the identity it authenticates with); add it")
        if accounts and account not in accounts and account != "default":
            return (
                ("secretStores", index, "aws", "serviceAccount"),
                f"service account {account!r} is not among serviceAccounts{suggest(account, accounts)}; add it there",
            )
    return None


def _gateway_problem(spec: dict[str, Any]) -> Problem | None:
    for name, gateway in spec.get("gateways", {}).items():
        if not {"clusterIssuer", "secretName"} & set(gateway["tls"]):
            return (
                ("gateways", name, "tls"),
                f"gateway {name!r} needs tls.clusterIssuer (cert-manager issues the certificate) or tls.secretName "
                "(a TLS Secret you provide in the workload's namespace); add one",
            )
    return None


def _namespace_problem(spec: dict[str, Any]) -> Problem | None:
    return _store_problem(spec) or pod_security_label_problem(spec) or _gateway_problem(spec)


NAMESPACES = NamedFolder("namespace", "namespace", ("name", "team", "owner", "environments", "description"), after_schema=_namespace_problem)
