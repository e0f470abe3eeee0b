package gitopsgen.rules.gpu_limits_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.gpu_limits

pod(spec) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "llm", "namespace": "ml"}, "spec": spec}

gpu(resources) := {"name": "server", "image": "vllm:v0.6.0", "resources": resources}

test_whole_gpu_limit_passes if {
	count(gpu_limits.violation) == 0 with input as {"review": {"object": pod({"containers": [gpu({"limits": {"nvidia.com/gpu": 1}, "requests": {"nvidia.com/gpu": "1"}})]})}}
}

test_request_without_limit_fails if {
	some v in gpu_limits.violation with input as {"review": {"object": pod({"containers": [gpu({"requests": {"nvidia.com/gpu": 1}})]})}}
	v.field == ["spec", "containers", 0, "resources", "limits"]
}

test_fractional_gpu_fails if {
	count(gpu_limits.violation) == 1 with input as {"review": {"object": pod({"containers": [gpu({"limits": {"nvidia.com/gpu": "0.5"}})]})}}
}

test_request_different_from_limit_fails if {
	count(gpu_limits.violation) == 1 with input as {"review": {"object": pod({"containers": [gpu({"limits": {"nvidia.com/gpu": 2}, "requests": {"nvidia.com/gpu": 1}})]})}}
}
