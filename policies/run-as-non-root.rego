# METADATA
# title: Containers run as a non-root user
# description: Every container (including init and ephemeral containers) must run as a non-root user, through runAsNonRoot or a non-zero runAsUser on the pod or the container.
# custom:
#   id: run-as-non-root
#   severity: error
#   category: pod-security
#   pss: {profile: restricted, control: "Running as Non-root, Running as Non-root user"}
#   remediation: "Set securityContext.runAsNonRoot: true and runAsUser to a non-zero UID (e.g. 10001) in the pod securityContext, and no runAsUser: 0 on a container."
#   remediation_blueprint: "gitopsgen runs as non-root by default: remove securityContext.runAsNonRoot: false or runAsUser: 0 from the blueprint."
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Rollout]
package gitopsgen.rules.run_as_non_root

import rego.v1

import data.gitopsgen.lib.all_containers
import data.gitopsgen.lib.security_value

violation contains {"msg": msg, "field": array.concat(entry.path, ["securityContext"])} if {
	some entry in all_containers
	not runs_as_non_root(entry.container)
	msg := sprintf("container %q may run as root: no runAsNonRoot: true and no non-zero runAsUser", [entry.label])
}

runs_as_non_root(container) if {
	security_value(container, "runAsNonRoot") == true
	not security_value(container, "runAsUser") == 0
}

runs_as_non_root(container) if {
	security_value(container, "runAsUser") > 0
}
