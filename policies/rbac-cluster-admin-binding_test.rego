package gitopsgen.rules.rbac_cluster_admin_binding_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.rbac_cluster_admin_binding

binding(role) := {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": {"name": "b"},
	"roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role},
	"subjects": [{"kind": "ServiceAccount", "name": "ci", "namespace": "ci"}]}

test_view_binding_passes if {
	count(rbac_cluster_admin_binding.violation) == 0 with input as {"review": {"object": binding("view")}}
}

test_cluster_admin_binding_fails if {
	some v in rbac_cluster_admin_binding.violation with input as {"review": {"object": binding("cluster-admin")}}
	v.msg == "binds cluster-admin to ServiceAccount/ci"
}
