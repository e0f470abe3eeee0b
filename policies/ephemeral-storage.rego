# METADATA
# title: Accelerator workloads bound their ephemeral storage
# description: Model servers and training jobs download weights and write checkpoints to the container's writable layer and emptyDirs; without ephemeral-storage requests the scheduler may place them on a node whose disk they fill, and without a limit they get the node evicting its other pods under disk pressure.
# custom:
#   id: ephemeral-storage
#   severity: warning
#   category: ai-workloads
#   remediation: Set resources.requests.ephemeral-storage and resources.limits.ephemeral-storage on the container (e.g. 20Gi / 50Gi), or keep weights on a PersistentVolumeClaim.
#   remediation_blueprint: Set resources.requests and resources.limits ephemeral-storage in the blueprint.
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Rollout]
package gitopsgen.rules.ephemeral_storage

import rego.v1

import data.gitopsgen.lib.accelerator_resources
import data.gitopsgen.lib.parameters
import data.gitopsgen.lib.resourced_containers
import data.gitopsgen.lib.uses_accelerators

params := parameters("ephemeral-storage")

# Set all_workloads: true in policies/config.yaml to require it of every workload.
default all_workloads := false

all_workloads := params.all_workloads

violation contains {"msg": msg, "field": array.concat(entry.path, ["resources", section])} if {
	applies
	some entry in resourced_containers
	some section in ["requests", "limits"]
	object.get(entry.container, ["resources", section, "ephemeral-storage"], null) == null
	not limit_sets_request(entry.container, section)
	msg := sprintf("container %q has no %s.ephemeral-storage", [entry.label, section])
}

applies if uses_accelerators(accelerator_resources(params))

applies if all_workloads == true

# Kubernetes copies a limit into the request it leaves unset.
limit_sets_request(container, "requests") if object.get(container, ["resources", "limits", "ephemeral-storage"], null) != null
