package gitopsgen.rules.pss_proc_mount_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.pss_proc_mount

pod(spec) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}

review(o) := {"review": {"object": o}}

test_default_proc_mount_passes if {
	count(pss_proc_mount.violation) == 0 with input as review(pod({"containers": [{"name": "c", "securityContext": {"procMount": "Default"}}]}))
}

test_unmasked_proc_mount_fails if {
	count(pss_proc_mount.violation) == 1 with input as review(pod({"containers": [{"name": "c", "securityContext": {"procMount": "Unmasked"}}]}))
}
