package gitopsgen.rules.rbac_pod_exec_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.rbac_pod_exec

role(rules) := {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "r", "namespace": "app"}, "rules": rules}

review(o) := {"review": {"object": o}}

test_unrelated_grant_passes if {
	count(rbac_pod_exec.violation) == 0 with input as review(role([{"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get", "list"]}]))
}

test_risky_grant_fails if {
	some v in rbac_pod_exec.violation with input as review(role([{"apiGroups": [""], "resources": ["pods/exec"], "verbs": ["create"]}]))
	v.field == ["rules", 0]
}

test_wildcard_grant_fails if {
	count(rbac_pod_exec.violation) > 0 with input as review(role([{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}]))
}
