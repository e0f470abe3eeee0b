# METADATA
# title: Roles do not grant nodes/proxy
# description: nodes/proxy reaches the kubelet API of every node, which runs commands in any container on it and bypasses admission and audit.
# custom:
#   id: rbac-nodes-proxy
#   severity: error
#   category: rbac
#   remediation: Remove nodes/proxy; scrape nodes/metrics or the metrics endpoints instead.
#   remediation_blueprint: "Blueprints do not create RBAC objects: fix the Role in the repository that defines it (or its Helm values)."
#   kinds: [Role, ClusterRole]
package gitopsgen.rules.rbac_nodes_proxy

import rego.v1

import data.gitopsgen.lib.grants
import data.gitopsgen.lib.rbac_rules

# [verb, API group, resource] grants this rule reports.
risky := [
	["get", "", "nodes/proxy"],
	["create", "", "nodes/proxy"],
]

violation contains {"msg": msg, "field": entry.path} if {
	some entry in rbac_rules
	some [verb, group, resource] in risky
	grants(entry.rule, verb, group, resource)
	msg := sprintf("rules[%d] grants %s on %s", [entry.path[1], verb, resource])
}
