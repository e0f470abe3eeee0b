# METADATA
# title: GPU pods mount a sized in-memory /dev/shm
# description: Container runtimes give /dev/shm 64 MiB; PyTorch data loaders, NCCL and inference servers need far more and crash with bus errors. Mount an emptyDir with medium Memory at /dev/shm, with a sizeLimit so it cannot eat the pod's whole memory.
# custom:
#   id: gpu-shared-memory
#   severity: error
#   category: ai-workloads
#   remediation: "Add a volume {name: dshm, emptyDir: {medium: Memory, sizeLimit: 8Gi}} mounted at /dev/shm in the GPU containers."
#   remediation_blueprint: "Add a volume {name: dshm, mountPath: /dev/shm, emptyDir: {medium: Memory, sizeLimit: 8Gi}} to the blueprint's volumes."
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Rollout]
package gitopsgen.rules.gpu_shared_memory

import rego.v1

import data.gitopsgen.lib.accelerator_resources
import data.gitopsgen.lib.accelerators
import data.gitopsgen.lib.app_containers
import data.gitopsgen.lib.items_at
import data.gitopsgen.lib.parameters
import data.gitopsgen.lib.pod_volumes
import data.gitopsgen.lib.uses_accelerators

resources := accelerator_resources(parameters("gpu-shared-memory"))

used if uses_accelerators(resources)

violation contains {"msg": msg, "field": array.concat(entry.path, ["volumeMounts"])} if {
	used
	some entry in app_containers
	count(accelerators(entry.container, resources)) > 0
	not mounts_shm(entry.container)
	msg := sprintf("container %q uses an accelerator without an in-memory /dev/shm (64 MiB by default)", [entry.label])
}

violation contains {"msg": msg, "field": array.concat(volume.path, ["emptyDir"])} if {
	some volume in pod_volumes
	volume.volume.emptyDir.medium == "Memory"
	not volume.volume.emptyDir.sizeLimit
	msg := sprintf("in-memory emptyDir %q has no sizeLimit: it can grow to the node's memory", [volume.label])
}

mounts_shm(container) if {
	some mount in items_at(container, ["volumeMounts"])
	mount.mountPath == "/dev/shm"
	some volume in pod_volumes
	volume.volume.name == mount.name
	volume.volume.emptyDir.medium == "Memory"
}
