# METADATA
# title: Containers forbid privilege escalation
# description: Every container sets securityContext.allowPrivilegeEscalation false, so setuid binaries cannot gain more privileges than the process started with.
# custom:
#   id: no-privilege-escalation
#   severity: error
#   remediation: Set securityContext.allowPrivilegeEscalation false on every container.
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob]
package gitopsgen.rules.no_privilege_escalation

import rego.v1

import data.gitopsgen.lib.all_containers

violation contains {"msg": msg, "field": array.concat(entry.path, ["securityContext", "allowPrivilegeEscalation"])} if {
	some entry in all_containers
	not entry.container.securityContext.allowPrivilegeEscalation == false
	msg := sprintf("container %q does not set securityContext.allowPrivilegeEscalation: false", [entry.container.name])
}
