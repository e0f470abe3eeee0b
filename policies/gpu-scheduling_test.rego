package gitopsgen.rules.gpu_scheduling_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.gpu_scheduling

pod(spec) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "llm", "namespace": "ml"}, "spec": spec}

gpu(resources) := {"name": "server", "image": "vllm:v0.6.0", "resources": resources}

scheduled := {
	"tolerations": [{"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}],
	"nodeSelector": {"cloud.google.com/gke-accelerator": "nvidia-l4"},
	"containers": [gpu({"limits": {"nvidia.com/gpu": 1}})],
}

test_toleration_and_selector_pass if {
	count(gpu_scheduling.violation) == 0 with input as {"review": {"object": pod(scheduled)}}
}

test_cpu_pod_passes if {
	count(gpu_scheduling.violation) == 0 with input as {"review": {"object": pod({"containers": [{"name": "c"}]})}}
}

test_missing_toleration_and_selector_fail if {
	count(gpu_scheduling.violation) == 2 with input as {"review": {"object": pod({"containers": [gpu({"limits": {"nvidia.com/gpu": 1}})]})}}
}
