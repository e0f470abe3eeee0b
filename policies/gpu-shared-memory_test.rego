package gitopsgen.rules.gpu_shared_memory_test

import rego.v1

import data.gitopsgen.lib
import data.gitopsgen.rules.gpu_shared_memory

pod(spec) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "llm", "namespace": "ml"}, "spec": spec}

gpu(resources) := {"name": "server", "image": "vllm:v0.6.0", "resources": resources}

shm := {"name": "dshm", "emptyDir": {"medium": "Memory", "sizeLimit": "8Gi"}}

with_mount(c) := object.union(c, {"volumeMounts": [{"name": "dshm", "mountPath": "/dev/shm"}]})

test_sized_shm_passes if {
	count(gpu_shared_memory.violation) == 0 with input as {"review": {"object": pod({"containers": [with_mount(gpu({"limits": {"nvidia.com/gpu": 1}}))], "volumes": [shm]})}}
}

test_gpu_without_shm_fails if {
	count(gpu_shared_memory.violation) == 1 with input as {"review": {"object": pod({"containers": [gpu({"limits": {"nvidia.com/gpu": 1}})]})}}
}

test_unsized_memory_volume_fails if {
	v := {"name": "dshm", "emptyDir": {"medium": "Memory"}}
	count(gpu_shared_memory.violation) == 1 with input as {"review": {"object": pod({"containers": [with_mount(gpu({"limits": {"nvidia.com/gpu": 1}}))], "volumes": [v]})}}
}
