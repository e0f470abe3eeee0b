# METADATA
# title: Roles do not grant exec or attach into pods
# description: create on pods/exec or pods/attach runs commands inside any pod of the namespace, with that pod's service account and mounted secrets.
# custom:
#   id: rbac-pod-exec
#   severity: error
#   category: rbac
#   remediation: Remove create on pods/exec and pods/attach; use ephemeral debug containers through a break-glass role that is granted only when needed.
#   remediation_blueprint: "Blueprints do not create RBAC objects: fix the Role in the repository that defines it (or its Helm values)."
#   kinds: [Role, ClusterRole]
package gitopsgen.rules.rbac_pod_exec

import rego.v1

import data.gitopsgen.lib.grants
import data.gitopsgen.lib.rbac_rules

# [verb, API group, resource] grants this rule reports.
risky := [
	["create", "", "pods/exec"],
	["create", "", "pods/attach"],
	["get", "", "pods/exec"],
]

violation contains {"msg": msg, "field": entry.path} if {
	some entry in rbac_rules
	some [verb, group, resource] in risky
	grants(entry.rule, verb, group, resource)
	msg := sprintf("rules[%d] grants %s on %s", [entry.path[1], verb, resource])
}
