# METADATA
# title: Containers add no capability beyond the baseline set
# description: The baseline Pod Security Standard allows adding only the capabilities container runtimes grant by default (AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT); anything else (SYS_ADMIN, NET_ADMIN, NET_RAW...) widens what a compromised process can do to the node.
# custom:
#   id: pss-capabilities-baseline
#   severity: error
#   category: pod-security
#   pss: {profile: baseline, control: "Capabilities"}
#   remediation: Remove the capability from securityContext.capabilities.add; if the process truly needs it, run it in a dedicated namespace with an exemption.
#   remediation_blueprint: Remove the capability from securityContext.capabilitiesAdd in the blueprint (or the overlay that adds it).
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Rollout]
package gitopsgen.rules.pss_capabilities_baseline

import rego.v1

import data.gitopsgen.lib.all_containers
import data.gitopsgen.lib.items_at
import data.gitopsgen.lib.parameters

params := parameters("pss-capabilities-baseline")

default allowed := [
	"AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
	"NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
]

allowed := params.allowed

violation contains {"msg": msg, "field": array.concat(entry.path, ["securityContext", "capabilities", "add", i])} if {
	some entry in all_containers
	some i, capability in items_at(entry, ["container", "securityContext", "capabilities", "add"])
	not normalized(capability) in {normalized(a) | some a in allowed}
	msg := sprintf("container %q adds capability %v, outside the baseline set (PSS baseline: Capabilities)", [entry.label, capability])
}

normalized(capability) := trim_prefix(upper(sprintf("%v", [capability])), "CAP_")
