# METADATA
# title: Roles do not read Secrets
# description: get, list or watch on Secrets reads every credential in the namespace (or the cluster, for a ClusterRole); list and watch return the values too. Mount the one Secret a workload needs instead.
# custom:
#   id: rbac-secrets-read
#   severity: error
#   category: rbac
#   remediation: Remove get/list/watch on secrets; mount the Secret the workload needs as a volume or env reference (resourceNames limits a role to named Secrets).
#   remediation_blueprint: "Blueprints do not create RBAC objects: fix the Role in the repository that defines it (or its Helm values)."
#   kinds: [Role, ClusterRole]
package gitopsgen.rules.rbac_secrets_read

import rego.v1

import data.gitopsgen.lib.grants
import data.gitopsgen.lib.rbac_rules

# [verb, API group, resource] grants this rule reports.
risky := [
	["get", "", "secrets"],
	["list", "", "secrets"],
	["watch", "", "secrets"],
]

violation contains {"msg": msg, "field": entry.path} if {
	some entry in rbac_rules
	some [verb, group, resource] in risky
	grants(entry.rule, verb, group, resource)
	msg := sprintf("rules[%d] grants %s on %s", [entry.path[1], verb, resource])
}
