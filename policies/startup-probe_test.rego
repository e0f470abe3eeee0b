package gitopsgen.rules.startup_probe_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.startup_probe

pod(spec) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "llm", "namespace": "ml"}, "spec": spec}

gpu(resources) := {"name": "server", "image": "vllm:v0.6.0", "resources": resources}

liveness(delay) := {"httpGet": {"path": "/health", "port": 8000}, "initialDelaySeconds": delay}

test_startup_probe_passes if {
	c := object.union(gpu({"limits": {"nvidia.com/gpu": 1}}), {"livenessProbe": liveness(0), "startupProbe": liveness(0)})
	count(startup_probe.violation) == 0 with input as {"review": {"object": pod({"containers": [c]})}}
}

test_fast_cpu_container_passes if {
	c := {"name": "api", "livenessProbe": liveness(5)}
	count(startup_probe.violation) == 0 with input as {"review": {"object": pod({"containers": [c]})}}
}

test_gpu_without_startup_probe_fails if {
	c := object.union(gpu({"limits": {"nvidia.com/gpu": 1}}), {"livenessProbe": liveness(0)})
	count(startup_probe.violation) == 1 with input as {"review": {"object": pod({"containers": [c]})}}
}

test_long_initial_delay_fails if {
	c := {"name": "api", "livenessProbe": liveness(300)}
	count(startup_probe.violation) == 1 with input as {"review": {"object": pod({"containers": [c]})}}
}
