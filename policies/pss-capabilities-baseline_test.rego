package gitopsgen.rules.pss_capabilities_baseline_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.pss_capabilities_baseline

pod(spec) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}

review(o) := {"review": {"object": o}}

test_baseline_capability_passes if {
	count(pss_capabilities_baseline.violation) == 0 with input as review(pod({"containers": [{"name": "c", "securityContext": {"capabilities": {"add": ["NET_BIND_SERVICE", "CAP_CHOWN"]}}}]}))
}

test_sys_admin_fails if {
	some v in pss_capabilities_baseline.violation with input as review(pod({"containers": [{"name": "c", "securityContext": {"capabilities": {"add": ["CHOWN", "SYS_ADMIN"]}}}]}))
	v.field == ["spec", "containers", 0, "securityContext", "capabilities", "add", 1]
}
