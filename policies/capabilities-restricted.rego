# METADATA
# title: Containers drop all capabilities and add none that are dangerous
# description: Every container drops ALL Linux capabilities and adds back none of the dangerous ones (SYS_ADMIN, NET_ADMIN, NET_RAW, SYS_PTRACE, SYS_MODULE, ...).
# custom:
#   id: capabilities-restricted
#   severity: error
#   remediation: Set securityContext.capabilities.drop [ALL]; add back only harmless capabilities such as NET_BIND_SERVICE.
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob]
package gitopsgen.rules.capabilities_restricted

import rego.v1

import data.gitopsgen.lib.all_containers
import data.gitopsgen.lib.params

default dangerous := [
	"ALL", "SYS_ADMIN", "NET_ADMIN", "NET_RAW", "SYS_PTRACE", "SYS_MODULE", "SYS_RAWIO",
	"SYS_BOOT", "SYS_TIME", "DAC_READ_SEARCH", "DAC_OVERRIDE", "BPF", "PERFMON", "MAC_ADMIN",
]

dangerous := params.dangerous

violation contains {"msg": msg, "field": array.concat(entry.path, ["securityContext", "capabilities", "drop"])} if {
	some entry in all_containers
	not drops_all(entry.container)
	msg := sprintf("container %q does not drop ALL capabilities", [entry.container.name])
}

violation contains {"msg": msg, "field": array.concat(entry.path, ["securityContext", "capabilities", "add", i])} if {
	some entry in all_containers
	some i, capability in entry.container.securityContext.capabilities.add
	normalized(capability) in {normalized(d) | some d in dangerous}
	msg := sprintf("container %q adds the dangerous capability %s", [entry.container.name, capability])
}

drops_all(container) if {
	some capability in container.securityContext.capabilities.drop
	normalized(capability) == "ALL"
}

normalized(capability) := trim_prefix(upper(capability), "CAP_")
