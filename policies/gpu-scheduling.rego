# METADATA
# title: GPU pods tolerate the GPU taint and select GPU nodes
# description: "GPU node pools are usually tainted (nvidia.com/gpu:NoSchedule) so other pods stay off them: a GPU pod without a matching toleration stays Pending, and one without a nodeSelector or node affinity for the GPU pool may wait for the autoscaler to add the wrong kind of node."
# custom:
#   id: gpu-scheduling
#   severity: error
#   category: ai-workloads
#   remediation: Add a toleration for the GPU taint (key nvidia.com/gpu, operator Exists, effect NoSchedule) and a nodeSelector (or required node affinity) for the GPU node pool.
#   remediation_blueprint: Add tolerations and nodeSelector for the GPU node pool to the blueprint.
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Rollout]
package gitopsgen.rules.gpu_scheduling

import rego.v1

import data.gitopsgen.lib.accelerator_resources
import data.gitopsgen.lib.items_at
import data.gitopsgen.lib.parameters
import data.gitopsgen.lib.pod_spec
import data.gitopsgen.lib.spec_path
import data.gitopsgen.lib.uses_accelerators

resources := accelerator_resources(parameters("gpu-scheduling"))

used if uses_accelerators(resources)

violation contains {"msg": "the pod asks for an accelerator but tolerates no accelerator taint", "field": array.concat(spec_path, ["tolerations"])} if {
	used
	not tolerates_accelerators
}

violation contains {"msg": "the pod asks for an accelerator but neither a nodeSelector nor a required node affinity picks accelerator nodes", "field": array.concat(spec_path, ["nodeSelector"])} if {
	used
	count(object.get(pod_spec, "nodeSelector", {})) == 0
	not pod_spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution
}

tolerates_accelerators if {
	some toleration in items_at(pod_spec, ["tolerations"])
	toleration.key in resources
}

# A toleration without a key and operator Exists tolerates every taint.
tolerates_accelerators if {
	some toleration in items_at(pod_spec, ["tolerations"])
	not toleration.key
	toleration.operator == "Exists"
}
