# METADATA
# title: Roles do not use wildcards
# description: A '*' in a rule's verbs, resources or apiGroups grants everything of that kind, including what later Kubernetes versions and CRDs add; name what the subject needs.
# custom:
#   id: rbac-wildcard
#   severity: error
#   category: rbac
#   remediation: List the verbs, resources and API groups the subject needs instead of '*'.
#   remediation_blueprint: "Blueprints do not create RBAC objects: fix the Role in the repository that defines it (or its Helm values)."
#   kinds: [Role, ClusterRole]
package gitopsgen.rules.rbac_wildcard

import rego.v1

import data.gitopsgen.lib.items_at
import data.gitopsgen.lib.rbac_rules

violation contains {"msg": msg, "field": array.concat(entry.path, [field])} if {
	some entry in rbac_rules
	some field in ["verbs", "resources", "apiGroups"]
	"*" in items_at(entry.rule, field)
	msg := sprintf("rules[%d] grants every %s ('*')", [entry.path[1], field])
}
