# METADATA
# title: Containers declare CPU and memory requests and limits
# description: Every container and init container sets resources.requests and resources.limits for cpu and memory, so the scheduler can place it and a runaway process cannot starve its neighbours.
# custom:
#   id: resources-required
#   severity: error
#   category: reliability
#   remediation: "Set resources.requests and resources.limits for cpu and memory on the container (a limit alone also sets the request)."
#   remediation_blueprint: "Set resources.requests.cpu/memory and resources.limits.cpu/memory in the blueprint (or the environment overlay's defaults)."
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Rollout]
package gitopsgen.rules.resources_required

import rego.v1

import data.gitopsgen.lib.object_at
import data.gitopsgen.lib.parameters
import data.gitopsgen.lib.resourced_containers

params := parameters("resources-required")

default required := {"requests": ["cpu", "memory"], "limits": ["cpu", "memory"]}

required := params.required

violation contains {"msg": msg, "field": array.concat(entry.path, ["resources", section])} if {
	some entry in resourced_containers
	some section, resources in required
	declared := declared_in(entry.container, section)
	some resource in resources
	not declared[resource]
	msg := sprintf("container %q has no %s.%s", [entry.label, section, resource])
}

# (Rather than container.resources[section][resource]: regorus is slow on references with
# two variable keys.) Kubernetes copies a limit into the request it leaves unset, so a limit
# declares the request too.
declared_in(container, "limits") := object_at(container, ["resources", "limits"])

declared_in(container, "requests") := object.union(
	object_at(container, ["resources", "limits"]),
	object_at(container, ["resources", "requests"]),
)
