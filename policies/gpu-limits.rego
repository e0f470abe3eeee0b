# METADATA
# title: GPU requests are whole numbers set as limits
# description: "Extended resources such as nvidia.com/gpu cannot be overcommitted: Kubernetes rejects a request without an equal limit and a fractional count, and a pod that asks for a GPU only in requests never schedules. Set the GPU count as a whole number in limits (requests, if given, equal)."
# custom:
#   id: gpu-limits
#   severity: error
#   category: ai-workloads
#   remediation: Set resources.limits.nvidia.com/gpu (or your accelerator resource) to a whole number, and requests equal to it or absent.
#   remediation_blueprint: "Set resources.limits for the accelerator (e.g. nvidia.com/gpu: 1) in the blueprint, with requests equal or absent."
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Rollout]
package gitopsgen.rules.gpu_limits

import rego.v1

import data.gitopsgen.lib.accelerator_resources
import data.gitopsgen.lib.accelerators
import data.gitopsgen.lib.parameters
import data.gitopsgen.lib.resourced_containers
import data.gitopsgen.lib.uses_accelerators

resources := accelerator_resources(parameters("gpu-limits"))

used if uses_accelerators(resources)

violation contains {"msg": msg, "field": array.concat(entry.path, ["resources", "limits"])} if {
	used
	some entry in resourced_containers
	some resource in accelerators(entry.container, resources)
	not has_limit(entry.container, resource)
	msg := sprintf("container %q requests %s without a limit: extended resources must be set in limits", [entry.label, resource])
}

violation contains {"msg": msg, "field": array.concat(entry.path, ["resources", "limits", resource])} if {
	used
	some entry in resourced_containers
	some resource in accelerators(entry.container, resources)
	amount := entry.container.resources.limits[resource]
	not whole(amount)
	msg := sprintf("container %q asks for %v %s: accelerators are counted in whole devices", [entry.label, amount, resource])
}

violation contains {"msg": msg, "field": array.concat(entry.path, ["resources", "requests", resource])} if {
	used
	some entry in resourced_containers
	some resource in accelerators(entry.container, resources)
	requested := entry.container.resources.requests[resource]
	limited := entry.container.resources.limits[resource]
	to_number(requested) != to_number(limited)
	msg := sprintf("container %q requests %v %s but limits it to %v: they must be equal", [entry.label, requested, resource, limited])
}

has_limit(container, resource) if container.resources.limits[resource]

whole(amount) if regex.match(`^[1-9][0-9]*$`, sprintf("%v", [amount]))
