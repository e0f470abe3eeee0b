# METADATA
# title: Containers use a read-only root filesystem
# description: Every container sets securityContext.readOnlyRootFilesystem true; writable paths come from emptyDir volumes.
# custom:
#   id: read-only-root-filesystem
#   severity: error
#   category: pod-security
#   remediation: "Set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the process writes (e.g. /tmp)."
#   remediation_blueprint: "gitopsgen sets readOnlyRootFilesystem unless securityContext.readOnlyRootFilesystem: false is in the blueprint; add a volumes[] emptyDir where the app writes instead."
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Rollout]
package gitopsgen.rules.read_only_root_filesystem

import rego.v1

import data.gitopsgen.lib.all_containers

violation contains {"msg": msg, "field": array.concat(entry.path, ["securityContext", "readOnlyRootFilesystem"])} if {
	some entry in all_containers
	not entry.container.securityContext.readOnlyRootFilesystem == true
	msg := sprintf("container %q does not set securityContext.readOnlyRootFilesystem: true", [entry.label])
}
