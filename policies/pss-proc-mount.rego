# METADATA
# title: Containers use the default /proc mount
# description: "The baseline Pod Security Standard requires securityContext.procMount to be Default: an Unmasked /proc exposes kernel interfaces that the runtime normally hides."
# custom:
#   id: pss-proc-mount
#   severity: error
#   category: pod-security
#   pss: {profile: baseline, control: "/proc Mount Type"}
#   remediation: Remove securityContext.procMount or set it to Default.
#   remediation_blueprint: Remove the overlay or patch that sets securityContext.procMount.
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Rollout]
package gitopsgen.rules.pss_proc_mount

import rego.v1

import data.gitopsgen.lib.all_containers

violation contains {"msg": msg, "field": array.concat(entry.path, ["securityContext", "procMount"])} if {
	some entry in all_containers
	mount := entry.container.securityContext.procMount
	not mount in {"Default", null}
	msg := sprintf("container %q mounts /proc as %v (PSS baseline: /proc Mount Type)", [entry.label, mount])
}
