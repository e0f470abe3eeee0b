# METADATA
# title: Containers run with a seccomp profile
# description: The restricted Pod Security Standard requires every container to run with the RuntimeDefault or a Localhost seccomp profile, set on the pod or on the container; leaving it unset runs without a filter on many clusters.
# custom:
#   id: pss-seccomp-required
#   severity: error
#   category: pod-security
#   pss: {profile: restricted, control: "Seccomp"}
#   remediation: "Set securityContext.seccompProfile.type: RuntimeDefault in the pod securityContext."
#   remediation_blueprint: "Set securityContext.seccompProfile: RuntimeDefault in the blueprint (gitopsgen renders it into the pod securityContext)."
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Rollout]
package gitopsgen.rules.pss_seccomp_required

import rego.v1

import data.gitopsgen.lib.all_containers
import data.gitopsgen.lib.security_value

violation contains {"msg": msg, "field": array.concat(entry.path, ["securityContext", "seccompProfile"])} if {
	some entry in all_containers
	not confined(entry.container)
	msg := sprintf("container %q has no RuntimeDefault or Localhost seccomp profile, on itself or the pod (PSS restricted: Seccomp)", [entry.label])
}

confined(container) if security_value(container, "seccompProfile").type in {"RuntimeDefault", "Localhost"}
