# METADATA
# title: Ingresses use no ingress-nginx snippet annotations
# description: ingress-nginx's *-snippet annotations (configuration-snippet, server-snippet, auth-snippet...) inject raw nginx configuration; anyone who can write an Ingress can read the controller's service account token and every Secret it sees (CVE-2021-25742, CVE-2025-1974). Controllers disable them by default since 1.9.
# custom:
#   id: ingress-nginx-snippet
#   severity: error
#   category: networking
#   remediation: Remove the *-snippet annotation; use the dedicated ingress-nginx annotations (or a ConfigMap owned by the platform team).
#   remediation_blueprint: Remove the *-snippet entry from ingress.annotations in the blueprint or overlay.
#   kinds: [Ingress]
package gitopsgen.rules.ingress_nginx_snippet

import rego.v1

import data.gitopsgen.lib.annotations

violation contains {"msg": msg, "field": ["metadata", "annotations", key]} if {
	some key, _ in annotations
	startswith(key, "nginx.ingress.kubernetes.io/")
	endswith(key, "-snippet")
	msg := sprintf("annotation %s injects raw nginx configuration", [key])
}
