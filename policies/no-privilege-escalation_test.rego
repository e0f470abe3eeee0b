package gitopsgen.rules.no_privilege_escalation_test

import rego.v1

import data.gitopsgen.rules.no_privilege_escalation

pod(security) := {"kind": "Pod", "metadata": {"name": "p"}, "spec": {
	"initContainers": [{"name": "migrate", "securityContext": {"allowPrivilegeEscalation": false}}],
	"containers": [{"name": "c", "securityContext": security}],
}}

test_false_passes if {
	count(no_privilege_escalation.violation) == 0 with input as {"review": {"object": pod({"allowPrivilegeEscalation": false})}}
}

test_unset_fails if {
	some v in no_privilege_escalation.violation with input as {"review": {"object": pod({})}}
	v.field == ["spec", "containers", 0, "securityContext", "allowPrivilegeEscalation"]
}
