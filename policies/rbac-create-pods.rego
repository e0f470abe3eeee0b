# METADATA
# title: Roles do not create pods
# description: A subject that can create pods can run a pod with any service account of the namespace and mount its Secrets, so it holds every permission those accounts have.
# custom:
#   id: rbac-create-pods
#   severity: warning
#   category: rbac
#   remediation: Remove create on pods; let a controller (Deployment, Job) create them, and grant the subject that controller's resource.
#   remediation_blueprint: "Blueprints do not create RBAC objects: fix the Role in the repository that defines it (or its Helm values)."
#   kinds: [Role, ClusterRole]
package gitopsgen.rules.rbac_create_pods

import rego.v1

import data.gitopsgen.lib.grants
import data.gitopsgen.lib.rbac_rules

# [verb, API group, resource] grants this rule reports.
risky := [
	["create", "", "pods"],
]

violation contains {"msg": msg, "field": entry.path} if {
	some entry in rbac_rules
	some [verb, group, resource] in risky
	grants(entry.rule, verb, group, resource)
	msg := sprintf("rules[%d] grants %s on %s", [entry.path[1], verb, resource])
}
