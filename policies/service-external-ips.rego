# METADATA
# title: Services set no externalIPs
# description: spec.externalIPs makes every node accept traffic for those addresses and lets a Service capture traffic meant for any IP (CVE-2020-8554).
# custom:
#   id: service-external-ips
#   severity: error
#   category: networking
#   remediation: Remove spec.externalIPs; use a LoadBalancer Service or an Ingress.
#   remediation_blueprint: Remove the overlay patch that adds externalIPs; expose the app through ingress.
#   kinds: [Service]
package gitopsgen.rules.service_external_ips

import rego.v1

import data.gitopsgen.lib.obj

violation contains {"msg": msg, "field": ["spec", "externalIPs"]} if {
	ips := obj.spec.externalIPs
	type_name(ips) in {"array", "object"} # a list (another type is malformed: validate names it)
	count(ips) > 0
	msg := sprintf("Service claims externalIPs %v", [concat(", ", [sprintf("%v", [ip]) | some ip in ips])])
}
