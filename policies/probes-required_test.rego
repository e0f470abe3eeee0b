package gitopsgen.rules.probes_required_test

import rego.v1

import data.gitopsgen.rules.probes_required

deployment(container) := {"kind": "Deployment", "metadata": {"name": "d"}, "spec": {"template": {"spec": {"containers": [container]}}}}

test_both_probes_pass if {
	c := {"name": "web", "livenessProbe": {"httpGet": {"path": "/api/health", "port": "http"}}, "readinessProbe": {"httpGet": {"path": "/api/health", "port": "http"}}}
	count(probes_required.violation) == 0 with input as {"review": {"object": deployment(c)}}
}

test_missing_readiness_fails if {
	c := {"name": "web", "livenessProbe": {"tcpSocket": {"port": 3000}}}
	violations := probes_required.violation with input as {"review": {"object": deployment(c)}}
	{v.msg | some v in violations} == {"container \"web\" has no readinessProbe"}
}

test_jobs_are_exempt if {
	job := {"kind": "Job", "metadata": {"name": "j"}, "spec": {"template": {"spec": {"containers": [{"name": "once"}]}}}}
	count(probes_required.violation) == 0 with input as {"review": {"object": job}}
}
