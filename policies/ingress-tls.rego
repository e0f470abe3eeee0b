# METADATA
# title: Every Ingress host is served over TLS
# description: "An Ingress host that no spec.tls entry covers is served over plain HTTP: credentials and session cookies travel in clear text."
# custom:
#   id: ingress-tls
#   severity: error
#   category: networking
#   remediation: Add the host to spec.tls[].hosts with a certificate secret (cert-manager's annotation can issue it).
#   remediation_blueprint: Add ingress.tls (hosts and secretName) to the blueprint for every ingress.hosts[].host.
#   kinds: [Ingress]
package gitopsgen.rules.ingress_tls

import rego.v1

import data.gitopsgen.lib.items_at
import data.gitopsgen.lib.obj

violation contains {"msg": msg, "field": ["spec", "rules", i, "host"]} if {
	some i, rule in items_at(obj, ["spec", "rules"])
	host := rule.host
	not covered(host)
	msg := sprintf("host %v is not covered by spec.tls: it is served over plain HTTP", [host])
}

violation contains {"msg": "the Ingress has rules without a host and no TLS", "field": ["spec", "rules", i]} if {
	some i, rule in items_at(obj, ["spec", "rules"])
	not rule.host
	count(object.get(obj, ["spec", "tls"], [])) == 0
}

covered(host) if {
	some tls in items_at(obj, ["spec", "tls"])
	some tls_host in items_at(tls, ["hosts"])
	matches(tls_host, host)
}

matches(pattern, host) if pattern == host

matches(pattern, host) if {
	is_string(pattern)
	is_string(host)
	startswith(pattern, "*.")
	suffix := substring(pattern, 1, -1)
	endswith(host, suffix)
	not contains(trim_suffix(host, suffix), ".")
}
