# METADATA
# title: Containers drop all capabilities and add back at most NET_BIND_SERVICE
# description: Every container drops ALL Linux capabilities and adds back at most NET_BIND_SERVICE, as the restricted Pod Security Standard requires.
# custom:
#   id: capabilities-restricted
#   severity: error
#   category: pod-security
#   pss: {profile: restricted, control: "Capabilities"}
#   remediation: "Set securityContext.capabilities.drop: [ALL] on every container and add back only NET_BIND_SERVICE if the process binds a low port."
#   remediation_blueprint: "gitopsgen drops ALL capabilities by default: remove securityContext.capabilitiesAdd entries other than NET_BIND_SERVICE from the blueprint."
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Rollout]
package gitopsgen.rules.capabilities_restricted

import rego.v1

import data.gitopsgen.lib.all_containers
import data.gitopsgen.lib.items_at
import data.gitopsgen.lib.parameters

params := parameters("capabilities-restricted")

# The restricted profile lets a container add back NET_BIND_SERVICE only.
default allowed_add := ["NET_BIND_SERVICE"]

allowed_add := params.allowed_add

violation contains {"msg": msg, "field": array.concat(entry.path, ["securityContext", "capabilities", "drop"])} if {
	some entry in all_containers
	not drops_all(entry.container)
	msg := sprintf("container %q does not drop ALL capabilities (PSS restricted: Capabilities)", [entry.label])
}

violation contains {"msg": msg, "field": array.concat(entry.path, ["securityContext", "capabilities", "add", i])} if {
	some entry in all_containers
	some i, capability in items_at(entry, ["container", "securityContext", "capabilities", "add"])
	not normalized(capability) in {normalized(a) | some a in allowed_add}
	msg := sprintf("container %q adds capability %v (PSS restricted: Capabilities allows NET_BIND_SERVICE only)", [entry.label, capability])
}

drops_all(container) if {
	some capability in items_at(container, ["securityContext", "capabilities", "drop"])
	normalized(capability) == "ALL"
}

normalized(capability) := trim_prefix(upper(sprintf("%v", [capability])), "CAP_")
