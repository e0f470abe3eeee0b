package gitopsgen.rules.pss_seccomp_required_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.pss_seccomp_required

pod(spec) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}

review(o) := {"review": {"object": o}}

test_pod_level_runtime_default_passes if {
	count(pss_seccomp_required.violation) == 0 with input as review(pod({"securityContext": {"seccompProfile": {"type": "RuntimeDefault"}}, "containers": [{"name": "c"}]}))
}

test_no_profile_fails if {
	some v in pss_seccomp_required.violation with input as review(pod({"containers": [{"name": "c"}]}))
	v.field == ["spec", "containers", 0, "securityContext", "seccompProfile"]
}
