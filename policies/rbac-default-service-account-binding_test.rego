package gitopsgen.rules.rbac_default_service_account_binding_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.rbac_default_service_account_binding

binding(account) := {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": {"name": "b", "namespace": "app"},
	"roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "reader"},
	"subjects": [{"kind": "ServiceAccount", "name": account}]}

test_named_account_passes if {
	count(rbac_default_service_account_binding.violation) == 0 with input as {"review": {"object": binding("api")}}
}

test_default_account_fails if {
	some v in rbac_default_service_account_binding.violation with input as {"review": {"object": binding("default")}}
	v.field == ["subjects", 0, "name"]
}
