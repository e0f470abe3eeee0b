package gitopsgen.rules.pss_seccomp_unconfined_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.pss_seccomp_unconfined

pod(spec) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}

review(o) := {"review": {"object": o}}

test_runtime_default_passes if {
	count(pss_seccomp_unconfined.violation) == 0 with input as review(pod({"securityContext": {"seccompProfile": {"type": "RuntimeDefault"}}, "containers": [{"name": "c"}]}))
}

test_unconfined_container_fails if {
	some v in pss_seccomp_unconfined.violation with input as review(pod({"containers": [{"name": "c", "securityContext": {"seccompProfile": {"type": "Unconfined"}}}]}))
	v.field == ["spec", "containers", 0, "securityContext", "seccompProfile", "type"]
}
