package gitopsgen.rules.rbac_wildcard_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.rbac_wildcard

role(rules) := {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "r", "namespace": "app"}, "rules": rules}

review(o) := {"review": {"object": o}}

test_named_grants_pass if {
	count(rbac_wildcard.violation) == 0 with input as review(role([{"apiGroups": ["apps"], "resources": ["deployments"], "verbs": ["get"]}]))
}

test_wildcard_verbs_fail if {
	some v in rbac_wildcard.violation with input as review(role([{"apiGroups": ["apps"], "resources": ["deployments"], "verbs": ["*"]}]))
	v.field == ["rules", 0, "verbs"]
}
