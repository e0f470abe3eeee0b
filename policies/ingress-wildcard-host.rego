# METADATA
# title: Ingress hosts are not wildcards
# description: A wildcard host (*.example.com) routes every subdomain to one backend, including names meant for other apps, and invites subdomain takeover.
# custom:
#   id: ingress-wildcard-host
#   severity: warning
#   category: networking
#   remediation: List the host names the app serves in spec.rules[].host.
#   remediation_blueprint: List each host in ingress.hosts[].host of the blueprint instead of a wildcard.
#   kinds: [Ingress]
package gitopsgen.rules.ingress_wildcard_host

import rego.v1

import data.gitopsgen.lib.items_at
import data.gitopsgen.lib.obj

violation contains {"msg": msg, "field": ["spec", "rules", i, "host"]} if {
	some i, rule in items_at(obj, ["spec", "rules"])
	is_string(rule.host)
	startswith(rule.host, "*")
	msg := sprintf("host %v is a wildcard", [rule.host])
}
