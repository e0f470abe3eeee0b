package gitopsgen.rules.resources_required_test

import rego.v1

import data.gitopsgen.rules.resources_required

pod(resources) := {"kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "app", "resources": resources}]}}

test_requests_and_limits_pass if {
	full := {"requests": {"cpu": "250m", "memory": "256Mi"}, "limits": {"cpu": "500m", "memory": "512Mi"}}
	count(resources_required.violation) == 0 with input as {"review": {"object": pod(full)}}
}

test_missing_limits_fail if {
	violations := resources_required.violation with input as {"review": {"object": pod({"requests": {"cpu": "1", "memory": "1Gi"}})}}
	{v.msg | some v in violations} == {"container \"app\" has no limits.cpu", "container \"app\" has no limits.memory"}
}

test_parameters_narrow_the_requirement if {
	count(resources_required.violation) == 0 with input as {
		"review": {"object": pod({"limits": {"memory": "1Gi"}})},
		"parameters": {"required": {"limits": ["memory"]}},
	}
}

test_limits_alone_pass_because_kubernetes_copies_them_into_requests if {
	count(resources_required.violation) == 0 with input as {"review": {"object": pod({"limits": {"cpu": "1", "memory": "1Gi"}})}}
}

test_requests_alone_fail_on_the_limits if {
	violations := resources_required.violation with input as {"review": {"object": pod({"requests": {"cpu": "1", "memory": "1Gi"}})}}
	{v.field | some v in violations} == {["spec", "containers", 0, "resources", "limits"]}
}
