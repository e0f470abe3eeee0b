package gitopsgen.rules.capabilities_restricted_test

import rego.v1

import data.gitopsgen.rules.capabilities_restricted

pod(capabilities) := {"kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "securityContext": {"capabilities": capabilities}}]}}

test_drop_all_with_harmless_add_passes if {
	count(capabilities_restricted.violation) == 0 with input as {"review": {"object": pod({"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]})}}
}

test_no_drop_fails if {
	count(capabilities_restricted.violation) == 1 with input as {"review": {"object": pod({})}}
}

test_dangerous_add_fails if {
	some v in capabilities_restricted.violation with input as {"review": {"object": pod({"drop": ["all"], "add": ["CAP_SYS_ADMIN"]})}}
	v.field == ["spec", "containers", 0, "securityContext", "capabilities", "add", 0]
}
