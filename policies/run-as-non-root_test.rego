package gitopsgen.rules.run_as_non_root_test

import rego.v1

import data.gitopsgen.rules.run_as_non_root

deployment(pod_security, container_security) := {
	"apiVersion": "apps/v1",
	"kind": "Deployment",
	"metadata": {"name": "api"},
	"spec": {"template": {"spec": {
		"securityContext": pod_security,
		"containers": [{"name": "api", "image": "api:v1", "securityContext": container_security}],
	}}},
}

test_pod_level_non_root_passes if {
	count(run_as_non_root.violation) == 0 with input as {"review": {"object": deployment({"runAsNonRoot": true, "runAsUser": 10001}, {})}}
}

test_container_run_as_user_passes if {
	count(run_as_non_root.violation) == 0 with input as {"review": {"object": deployment({}, {"runAsUser": 1000})}}
}

test_no_security_context_fails if {
	some v in run_as_non_root.violation with input as {"review": {"object": deployment({}, {})}}
	v.field == ["spec", "template", "spec", "containers", 0, "securityContext"]
}

test_container_overriding_to_root_fails if {
	count(run_as_non_root.violation) == 1 with input as {"review": {"object": deployment({"runAsNonRoot": true}, {"runAsUser": 0})}}
}

test_container_null_inherits_the_pods_non_root_passes if {
	count(run_as_non_root.violation) == 0 with input as {"review": {"object": deployment({"runAsNonRoot": true}, {"runAsNonRoot": null})}}
}

test_container_run_as_user_zero_overrides_the_pod_fails if {
	count(run_as_non_root.violation) == 1 with input as {"review": {"object": deployment({"runAsNonRoot": true}, {"runAsUser": 0})}}
}
