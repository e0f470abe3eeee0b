# METADATA
# title: Containers are not privileged
# description: No container runs with securityContext.privileged true, which gives it every capability of the host.
# custom:
#   id: no-privileged
#   severity: error
#   category: pod-security
#   pss: {profile: baseline, control: "Privileged Containers"}
#   remediation: "Remove securityContext.privileged; grant only the specific capability the process needs."
#   remediation_blueprint: "Remove the overlay or patch that sets privileged: true; blueprints cannot ask for it."
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Rollout]
package gitopsgen.rules.no_privileged

import rego.v1

import data.gitopsgen.lib.all_containers

violation contains {"msg": msg, "field": array.concat(entry.path, ["securityContext", "privileged"])} if {
	some entry in all_containers
	entry.container.securityContext.privileged == true
	msg := sprintf("container %q is privileged (PSS baseline: Privileged Containers)", [entry.label])
}
