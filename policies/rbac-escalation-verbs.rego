# METADATA
# title: Roles do not grant escalate, bind or impersonate
# description: escalate and bind on roles let a subject grant itself permissions it does not have; impersonate lets it act as any user, group or service account. These are cluster-admin in disguise.
# custom:
#   id: rbac-escalation-verbs
#   severity: error
#   category: rbac
#   remediation: Remove the escalate, bind and impersonate verbs; grant the specific roles the subject needs directly.
#   remediation_blueprint: "Blueprints do not create RBAC objects: fix the Role in the repository that defines it (or its Helm values)."
#   kinds: [Role, ClusterRole]
package gitopsgen.rules.rbac_escalation_verbs

import rego.v1

import data.gitopsgen.lib.grants
import data.gitopsgen.lib.rbac_rules

# [verb, API group, resource] grants this rule reports.
risky := [
	["escalate", "rbac.authorization.k8s.io", "roles"],
	["escalate", "rbac.authorization.k8s.io", "clusterroles"],
	["bind", "rbac.authorization.k8s.io", "roles"],
	["bind", "rbac.authorization.k8s.io", "clusterroles"],
	["impersonate", "", "users"],
	["impersonate", "", "groups"],
	["impersonate", "", "serviceaccounts"],
]

violation contains {"msg": msg, "field": entry.path} if {
	some entry in rbac_rules
	some [verb, group, resource] in risky
	grants(entry.rule, verb, group, resource)
	msg := sprintf("rules[%d] grants %s on %s (privilege escalation)", [entry.path[1], verb, resource])
}
