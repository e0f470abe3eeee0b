# METADATA
# title: Nothing is bound to cluster-admin
# description: A RoleBinding or ClusterRoleBinding to the cluster-admin ClusterRole gives its subjects every permission (cluster-wide for a ClusterRoleBinding, everything in the namespace for a RoleBinding). Applications and people should get a role that lists what they need.
# custom:
#   id: rbac-cluster-admin-binding
#   severity: error
#   category: rbac
#   remediation: Bind a Role or ClusterRole that grants only the verbs and resources the subject needs, instead of cluster-admin.
#   remediation_blueprint: "Blueprints do not create RBAC objects: fix the Role in the repository that defines it (or its Helm values)."
#   kinds: [RoleBinding, ClusterRoleBinding]
package gitopsgen.rules.rbac_cluster_admin_binding

import rego.v1

import data.gitopsgen.lib.items_at
import data.gitopsgen.lib.obj

violation contains {"msg": msg, "field": ["roleRef", "name"]} if {
	obj.roleRef.kind == "ClusterRole"
	obj.roleRef.name == "cluster-admin"
	subjects := [sprintf("%v/%v", [object.get(s, "kind", "?"), object.get(s, "name", "?")]) | some s in items_at(obj, "subjects"); is_object(s)]
	msg := sprintf("binds cluster-admin to %v", [concat(", ", subjects)])
}
