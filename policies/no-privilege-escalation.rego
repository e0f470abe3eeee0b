# METADATA
# title: Containers forbid privilege escalation
# description: Every container sets securityContext.allowPrivilegeEscalation false, so setuid binaries cannot gain more privileges than the process started with.
# custom:
#   id: no-privilege-escalation
#   severity: error
#   category: pod-security
#   pss: {profile: restricted, control: "Privilege Escalation"}
#   remediation: "Set securityContext.allowPrivilegeEscalation: false on every container."
#   remediation_blueprint: "gitopsgen sets allowPrivilegeEscalation false unless securityContext.allowPrivilegeEscalation: true is in the blueprint: remove it."
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Rollout]
package gitopsgen.rules.no_privilege_escalation

import rego.v1

import data.gitopsgen.lib.all_containers

violation contains {"msg": msg, "field": array.concat(entry.path, ["securityContext", "allowPrivilegeEscalation"])} if {
	some entry in all_containers
	not entry.container.securityContext.allowPrivilegeEscalation == false
	msg := sprintf("container %q does not set securityContext.allowPrivilegeEscalation: false (PSS restricted: Privilege Escalation)", [entry.label])
}
