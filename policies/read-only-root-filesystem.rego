# METADATA
# title: Containers use a read-only root filesystem
# description: Every container sets securityContext.readOnlyRootFilesystem true; writable paths come from emptyDir volumes.
# custom:
#   id: read-only-root-filesystem
#   severity: error
#   remediation: Set securityContext.readOnlyRootFilesystem true and mount an emptyDir at each path the process writes (e.g. /tmp).
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob]
package gitopsgen.rules.read_only_root_filesystem

import rego.v1

import data.gitopsgen.lib.all_containers

violation contains {"msg": msg, "field": array.concat(entry.path, ["securityContext", "readOnlyRootFilesystem"])} if {
	some entry in all_containers
	not entry.container.securityContext.readOnlyRootFilesystem == true
	msg := sprintf("container %q does not set securityContext.readOnlyRootFilesystem: true", [entry.container.name])
}
