package gitopsgen.rules.pss_selinux_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.pss_selinux

pod(spec) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}

review(o) := {"review": {"object": o}}

test_allowed_type_passes if {
	count(pss_selinux.violation) == 0 with input as review(pod({"securityContext": {"seLinuxOptions": {"type": "container_t", "level": "s0:c123,c456"}}, "containers": [{"name": "c"}]}))
}

test_spc_type_and_user_fail if {
	violations := pss_selinux.violation with input as review(pod({"containers": [{"name": "c", "securityContext": {"seLinuxOptions": {"type": "spc_t", "user": "system_u"}}}]}))
	count(violations) == 2
}
