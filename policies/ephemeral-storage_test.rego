package gitopsgen.rules.ephemeral_storage_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.ephemeral_storage

pod(spec) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "llm", "namespace": "ml"}, "spec": spec}

gpu(resources) := {"name": "server", "image": "vllm:v0.6.0", "resources": resources}

test_bounded_storage_passes if {
	c := gpu({"limits": {"nvidia.com/gpu": 1, "ephemeral-storage": "50Gi"}, "requests": {"ephemeral-storage": "20Gi"}})
	count(ephemeral_storage.violation) == 0 with input as {"review": {"object": pod({"containers": [c]})}}
}

test_cpu_workload_passes_by_default if {
	count(ephemeral_storage.violation) == 0 with input as {"review": {"object": pod({"containers": [{"name": "c"}]})}}
}

test_gpu_without_storage_bounds_fails if {
	count(ephemeral_storage.violation) == 2 with input as {"review": {"object": pod({"containers": [gpu({"limits": {"nvidia.com/gpu": 1}})]})}}
}
