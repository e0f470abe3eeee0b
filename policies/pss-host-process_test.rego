package gitopsgen.rules.pss_host_process_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.pss_host_process

pod(spec) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}

review(o) := {"review": {"object": o}}

test_plain_windows_pod_passes if {
	count(pss_host_process.violation) == 0 with input as review(pod({"containers": [{"name": "c", "securityContext": {"windowsOptions": {"runAsUserName": "app"}}}]}))
}

test_host_process_container_fails if {
	some v in pss_host_process.violation with input as review(pod({"containers": [{"name": "c", "securityContext": {"windowsOptions": {"hostProcess": true}}}]}))
	v.field == ["spec", "containers", 0, "securityContext", "windowsOptions", "hostProcess"]
}

test_host_process_pod_fails if {
	count(pss_host_process.violation) == 1 with input as review(pod({"securityContext": {"windowsOptions": {"hostProcess": true}}, "containers": [{"name": "c"}]}))
}
