# METADATA
# title: Pods do not share host namespaces, paths or ports
# description: hostNetwork, hostPID and hostIPC are not enabled, no hostPath volume is mounted and no container binds a hostPort.
# custom:
#   id: no-host-access
#   severity: error
#   category: pod-security
#   pss: {profile: baseline, control: "Host Namespaces, HostPath Volumes, Host Ports"}
#   remediation: "Remove hostNetwork/hostPID/hostIPC, hostPath volumes and containers[].ports[].hostPort; expose the app through a Service."
#   remediation_blueprint: "Remove the overlay or patch that adds host namespaces, hostPath volumes or host ports; expose the app through service and ingress."
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Rollout]
package gitopsgen.rules.no_host_access

import rego.v1

import data.gitopsgen.lib.all_containers
import data.gitopsgen.lib.items_at
import data.gitopsgen.lib.obj
import data.gitopsgen.lib.pod_spec
import data.gitopsgen.lib.pod_spec_path
import data.gitopsgen.lib.pod_volumes

violation contains {"msg": msg, "field": array.concat(pod_spec_path(obj), [setting])} if {
	some setting in ["hostNetwork", "hostPID", "hostIPC"]
	pod_spec[setting] == true
	msg := sprintf("pod spec enables %s (PSS baseline: Host Namespaces)", [setting])
}

violation contains {"msg": msg, "field": array.concat(entry.path, ["hostPath"])} if {
	some entry in pod_volumes
	is_object(entry.volume.hostPath) # (a hostPath of another type is malformed: validate names it)
	msg := sprintf("volume %q mounts the host path %v (PSS baseline: HostPath Volumes)", [entry.label, object.get(entry.volume.hostPath, "path", "?")])
}

violation contains {"msg": msg, "field": array.concat(entry.path, ["ports", i, "hostPort"])} if {
	some entry in all_containers
	some i, port in items_at(entry, ["container", "ports"])
	host_port := port.hostPort
	not host_port in {0, null, false} # hostPort 0 means none
	msg := sprintf("container %q binds host port %v (PSS baseline: Host Ports)", [entry.label, port.hostPort])
}
