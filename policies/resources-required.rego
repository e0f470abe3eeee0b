# METADATA
# title: Containers declare CPU and memory requests and limits
# description: Every container and init container sets resources.requests and resources.limits for cpu and memory, so the scheduler can place it and a runaway process cannot starve its neighbours.
# custom:
#   id: resources-required
#   severity: error
#   remediation: Set resources.requests.cpu/memory and resources.limits.cpu/memory on the container (blueprint field resources).
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob]
package gitopsgen.rules.resources_required

import rego.v1

import data.gitopsgen.lib.params
import data.gitopsgen.lib.resourced_containers

default required := {"requests": ["cpu", "memory"], "limits": ["cpu", "memory"]}

required := params.required

violation contains {"msg": msg, "field": array.concat(entry.path, ["resources", section])} if {
	some entry in resourced_containers
	some section, resources in required
	declared := declared_in(entry.container, section)
	some resource in resources
	not declared[resource]
	msg := sprintf("container %q has no %s.%s", [entry.container.name, section, resource])
}

# (Rather than container.resources[section][resource]: regorus is slow on references with
# two variable keys.)
declared_in(container, section) := object.get(container, ["resources", section], {})
