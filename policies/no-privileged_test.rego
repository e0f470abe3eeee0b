package gitopsgen.rules.no_privileged_test

import rego.v1

import data.gitopsgen.rules.no_privileged

pod(security) := {"kind": "Pod", "metadata": {"name": "p"}, "spec": {"ephemeralContainers": [{"name": "debug", "securityContext": security}]}}

test_unprivileged_passes if {
	count(no_privileged.violation) == 0 with input as {"review": {"object": pod({"privileged": false})}}
}

test_privileged_ephemeral_container_fails if {
	some v in no_privileged.violation with input as {"review": {"object": pod({"privileged": true})}}
	v.field == ["spec", "ephemeralContainers", 0, "securityContext", "privileged"]
}
