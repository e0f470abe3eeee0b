# METADATA
# title: Roles are not bound to the default service account
# description: Every pod that does not name a service account runs as the namespace's default one, so permissions bound to it reach every such pod.
# custom:
#   id: rbac-default-service-account-binding
#   severity: error
#   category: rbac
#   remediation: Create a ServiceAccount for the workload that needs the permissions, bind the role to it and set spec.serviceAccountName.
#   remediation_blueprint: Set serviceAccount in the blueprint (gitopsgen creates the account) and bind the role to that account.
#   kinds: [RoleBinding, ClusterRoleBinding]
package gitopsgen.rules.rbac_default_service_account_binding

import rego.v1

import data.gitopsgen.lib.items_at
import data.gitopsgen.lib.obj

violation contains {"msg": msg, "field": ["subjects", i, "name"]} if {
	some i, subject in items_at(obj, ["subjects"])
	subject.kind == "ServiceAccount"
	subject.name == "default"
	msg := sprintf("binds %v %v to the default service account of namespace %v", [object.get(obj, ["roleRef", "kind"], "?"), object.get(obj, ["roleRef", "name"], "?"), object.get(subject, "namespace", "(same)")])
}
