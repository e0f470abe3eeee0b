# METADATA
# title: Pods do not share host namespaces, paths or ports
# description: hostNetwork, hostPID and hostIPC are not enabled, no hostPath volume is mounted and no container binds a hostPort.
# custom:
#   id: no-host-access
#   severity: error
#   remediation: Remove hostNetwork/hostPID/hostIPC, replace hostPath volumes with emptyDir, configMap or a PersistentVolumeClaim, and expose ports through a Service instead of hostPort.
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob]
package gitopsgen.rules.no_host_access

import rego.v1

import data.gitopsgen.lib.all_containers
import data.gitopsgen.lib.obj
import data.gitopsgen.lib.pod_spec
import data.gitopsgen.lib.pod_spec_path

violation contains {"msg": msg, "field": array.concat(pod_spec_path(obj), [setting])} if {
	some setting in ["hostNetwork", "hostPID", "hostIPC"]
	pod_spec[setting] == true
	msg := sprintf("pod spec enables %s", [setting])
}

violation contains {"msg": msg, "field": array.concat(pod_spec_path(obj), ["volumes", i, "hostPath"])} if {
	some i, volume in pod_spec.volumes
	volume.hostPath
	msg := sprintf("volume %q mounts the host path %v", [volume.name, volume.hostPath.path])
}

violation contains {"msg": msg, "field": array.concat(entry.path, ["ports", i, "hostPort"])} if {
	some entry in all_containers
	some i, port in entry.container.ports
	port.hostPort
	msg := sprintf("container %q binds host port %v", [entry.container.name, port.hostPort])
}
