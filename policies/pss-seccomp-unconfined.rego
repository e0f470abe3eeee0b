# METADATA
# title: Seccomp is not disabled
# description: "The baseline Pod Security Standard forbids the Unconfined seccomp profile on the pod and on every container: without a seccomp filter every system call reaches the kernel."
# custom:
#   id: pss-seccomp-unconfined
#   severity: error
#   category: pod-security
#   pss: {profile: baseline, control: "Seccomp"}
#   remediation: Set securityContext.seccompProfile.type RuntimeDefault (or Localhost) instead of Unconfined.
#   remediation_blueprint: "Set securityContext.seccompProfile: RuntimeDefault in the blueprint (or remove Unconfined from the overlay)."
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Rollout]
package gitopsgen.rules.pss_seccomp_unconfined

import rego.v1

import data.gitopsgen.lib.security_contexts

violation contains {"msg": msg, "field": array.concat(sc.path, ["seccompProfile", "type"])} if {
	some sc in security_contexts
	sc.context.seccompProfile.type == "Unconfined"
	msg := sprintf("%s runs with seccomp Unconfined (PSS baseline: Seccomp)", [sc.label])
}
