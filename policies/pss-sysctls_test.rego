package gitopsgen.rules.pss_sysctls_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.pss_sysctls

pod(spec) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}

review(o) := {"review": {"object": o}}

test_safe_sysctl_passes if {
	count(pss_sysctls.violation) == 0 with input as review(pod({"securityContext": {"sysctls": [{"name": "net.ipv4.tcp_syncookies", "value": "1"}]}, "containers": [{"name": "c"}]}))
}

test_unsafe_sysctl_fails if {
	count(pss_sysctls.violation) == 1 with input as review(pod({"securityContext": {"sysctls": [{"name": "net.core.somaxconn", "value": "1024"}]}, "containers": [{"name": "c"}]}))
}
